"""Imports point down only (DESIGN.md §2): the protocol layer knows no job rules, the model knows no XML."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ips_mock"

# module (relative to the package, dotted) -> package prefixes it must never import
FORBIDDEN = {
    "protocol": (
        "ips_mock.model",
        "ips_mock.service",
        "ips_mock.operations",
        "ips_mock.app",
        "ips_mock.fake",
        "ips_mock.scenario",
    ),
    "model": (
        "ips_mock.protocol",
        "ips_mock.service",
        "ips_mock.operations",
        "ips_mock.app",
        "ips_mock.fake",
        "ips_mock.scenario",
        "lxml",
        "werkzeug",
    ),
    "service": ("ips_mock.protocol", "ips_mock.operations", "ips_mock.app", "ips_mock.fake", "lxml", "werkzeug"),
    "services": ("ips_mock.protocol", "ips_mock.operations", "ips_mock.app", "ips_mock.fake", "lxml", "werkzeug"),
    "effects": ("ips_mock.protocol", "ips_mock.service", "ips_mock.operations", "ips_mock.app", "lxml", "werkzeug"),
    "scheduler": ("ips_mock.protocol", "ips_mock.service", "ips_mock.operations", "ips_mock.app", "lxml", "werkzeug"),
    "cron": ("ips_mock", "lxml", "werkzeug"),
    "clock": ("ips_mock.protocol", "ips_mock.model", "ips_mock.service", "ips_mock.scheduler", "lxml", "werkzeug"),
    "freezers": ("ips_mock", "lxml", "werkzeug"),
    "errors": ("ips_mock", "lxml", "werkzeug"),
    "scenario": (
        "ips_mock.protocol",
        "ips_mock.service",
        "ips_mock.operations",
        "ips_mock.app",
        "ips_mock.fake",
        "lxml",
        "werkzeug",
    ),
    "app": ("ips_mock.fake", "ips_mock.cli", "ips_mock.pytest_plugin", "ips_mock.server"),
    # The pipeline knows requests, not jobs: it reaches the domain only through its Backend.
    "pipeline": (
        "ips_mock.fake",
        "ips_mock.model",
        "ips_mock.service",
        "ips_mock.scheduler",
        "ips_mock.operations",
        "ips_mock.scenario",
    ),
    "server": ("ips_mock",),
    "wsgi": ("ips_mock",),  # what the endpoints read of a request: werkzeug's functions only
    "dashboard": ("ips_mock",),  # static files and their route: the page reaches the fake only through the admin API
}


def _imports(path: Path) -> set[str]:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    # A package's __init__ resolves relative imports against the package itself, a module against its parent.
    package = ".".join(parts[:-1])
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([base] if base else []))
            names.add(base)
    return names


def _modules(layer: str) -> list[Path]:
    target = PACKAGE / layer
    return sorted(target.rglob("*.py")) if target.is_dir() else [target.with_suffix(".py")]


def _is_within(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_point_down_only(layer: str) -> None:
    modules = _modules(layer)
    assert modules, f"no modules found for layer {layer}"
    for path in modules:
        for name in _imports(path):
            for forbidden in FORBIDDEN[layer]:
                assert not _is_within(name, forbidden), (
                    f"{path.relative_to(PACKAGE.parent)} imports {name}, which the {layer} layer must not use"
                )


COMPOSITION = {"fake.py", "scripted.py"}  # composes every layer by design (DESIGN.md §2)


def test_the_operations_dispatcher_is_the_only_bridge_between_protocol_and_service() -> None:
    bridges = [
        str(p.relative_to(PACKAGE))
        for p in sorted(PACKAGE.rglob("*.py"))
        if p.name not in COMPOSITION
        and any(n.startswith("ips_mock.protocol") for n in _imports(p))
        and any(_is_within(n, "ips_mock.service") or _is_within(n, "ips_mock.services") for n in _imports(p))
    ]
    assert bridges == ["operations/__init__.py"]


def test_area_handlers_see_no_xml() -> None:
    """Each IPS area's handlers map plain values; only the dispatcher decodes and encodes."""
    areas = [p for p in (PACKAGE / "operations").glob("*.py") if p.name != "__init__.py"]
    assert {p.stem for p in areas} >= {"base", "company", "jobs", "assets"}
    for path in areas:
        for name in _imports(path):
            touches_xml = _is_within(name, "ips_mock.protocol") or _is_within(name, "lxml")
            assert not touches_xml, f"{path.relative_to(PACKAGE.parent)} imports {name}: handlers see no XML"
