"""Compile ``ips_mock/builtin/default.yaml`` into ``ips_mock/builtin/default.json``.

    python tools/compile_builtin.py [--source FILE] [--out FILE]

The JSON holds the document exactly as the scenario loader's YAML reader makes it (plain values only) and the
SHA-256 of the YAML it came from. The loader uses it instead of parsing the YAML when a file's digest is the
built-in scenario's, so ``ips-mock serve`` and ``FakeIps()`` start without importing ruamel; any other text, or an
edited default.yaml whose compiled form was not regenerated, is read as YAML. A test checks that regenerating
gives the committed file.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ips_mock.scenario.loader import DEFAULT_SCENARIO_LIMITS  # noqa: E402 - the checkout's, not an installed one
from ips_mock.scenario.yamltext import parse_yaml  # noqa: E402

__all__ = ["compile_scenario", "main", "plain"]

DEFAULT_SOURCE = ROOT / "ips_mock" / "builtin" / "default.yaml"
DEFAULT_OUT = ROOT / "ips_mock" / "builtin" / "default.json"


def plain(value: Any, at: str = "") -> Any:
    """ruamel's document as dicts, lists and plain scalars, each equal to ruamel's value (ruamel's ScalarInt and
    kin only remember how a number was written, e.g. ``0`` or ``007``, which the loader never reads)."""
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise ValueError(f"{at or '(top level)'}: a key that is not text cannot be compiled")
        return {str(key): plain(item, f"{at}.{key}" if at else key) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item, f"{at}[{index}]") for index, item in enumerate(value)]
    if value is None or isinstance(value, bool):
        return value
    for kind in (int, float, str):
        if isinstance(value, kind):
            return kind(value)
    raise ValueError(f"{at}: {type(value).__name__} {value!r} cannot be compiled to JSON")


def compile_scenario(source: Path) -> str:
    data = source.read_bytes()
    document = parse_yaml(data.decode("utf-8"), str(source), DEFAULT_SCENARIO_LIMITS)
    compiled = {
        "generated_by": "tools/compile_builtin.py: do not edit, regenerate",
        "source": source.name,
        "source_sha256": hashlib.sha256(data).hexdigest(),
        "document": plain(document),
    }
    return json.dumps(compiled, indent=2, ensure_ascii=False) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="the YAML scenario")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the JSON to write")
    args = parser.parse_args(argv)
    try:
        text = compile_scenario(args.source)
    except (OSError, ValueError) as exc:
        print(f"compile_builtin: {exc}", file=sys.stderr)
        return 2
    args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
