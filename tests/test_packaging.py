"""The wheel carries what a user needs at run time, and declares the console script and the pytest plugin."""

from __future__ import annotations

import zipfile
from pathlib import Path

from hatchling.builders.wheel import WheelBuilder

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_contents_and_entry_points(tmp_path: Path) -> None:
    builder = WheelBuilder(str(ROOT))
    (wheel,) = list(builder.build(directory=str(tmp_path), versions=["standard"]))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(archive.read(n).decode() for n in names if n.endswith("entry_points.txt"))
    for required in (
        "ips_mock/__init__.py",
        "ips_mock/py.typed",
        "ips_mock/builtin/default.yaml",
        "ips_mock/builtin/default.json",  # its compiled form, read instead of the YAML
        "ips_mock/scenario/scenario.schema.json",
        "ips_mock/protocol/ipsapi_types.py",  # generated from the WSDLs, which stay out
    ):
        assert required in names
    assert not [n for n in names if n.endswith(".wsdl")], "the real WSDLs must never ship in the package"
    assert not [n for n in names if n.startswith(("tests/", "scenarios/", "bench/", "tools/"))]
    assert "[console_scripts]\nips-mock = ips_mock.cli:main" in entry_points
    assert "[pytest11]\nips_mock = ips_mock.pytest_plugin" in entry_points
