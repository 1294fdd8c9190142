"""The compiled schema check answers exactly as jsonschema does on whether a document passes.

``ips_mock.scenario.schema_check`` lets a valid scenario skip jsonschema's walk; a document it refuses is walked by
jsonschema, which words every error. So its one duty is never to pass a document jsonschema would refuse, and (to
be of use) to pass what jsonschema passes: checked here on every shipped scenario and on thousands of variants of
them, each with one value replaced by a value of another type, one key removed or one unknown key added.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from ips_mock.errors import ScenarioError
from ips_mock.scenario import load_scenario_text, scenario_json_schema
from ips_mock.scenario import loader as scenario_loader
from ips_mock.scenario.loader import DEFAULT_SCENARIO_LIMITS
from ips_mock.scenario.schema_check import compile_schema
from ips_mock.scenario.yamltext import parse_yaml

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted([*ROOT.glob("scenarios/*.yaml"), ROOT / "ips_mock" / "builtin" / "default.yaml"])
REPLACEMENTS: list[Any] = [
    None, True, False, 0, -1, 1, 7, 10**6, 1.5, -2.5, float("nan"), float("inf"), "", "x", "IpsAdmin",
    "2026-01-01T00:00:00Z", "90s", "uploadUrlsJob", [], {}, ["x"], [{}], {"x": 1}, {"uploadUrlsJob": {}},
]  # fmt: skip


def _documents() -> list[Any]:
    return [parse_yaml(path.read_text("utf-8"), path.name, DEFAULT_SCENARIO_LIMITS) for path in FILES]


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


def _variants(document: Any, rng: random.Random, count: int) -> Iterator[Any]:
    paths = list(_paths(document))
    for _ in range(count):
        path = rng.choice(paths)
        variant = copy.deepcopy(document)
        parent = variant
        for part in path[:-1]:
            parent = parent[part]
        what = rng.random()
        if not path:
            yield rng.choice(REPLACEMENTS)
        elif what < 0.15 and isinstance(parent, dict):
            del parent[path[-1]]
            yield variant
        elif what < 0.3 and isinstance(parent[path[-1]], dict):
            parent[path[-1]][rng.choice(["unknown", "name", "job", "at", "x-y"])] = rng.choice(REPLACEMENTS)
            yield variant
        else:
            parent[path[-1]] = copy.deepcopy(rng.choice(REPLACEMENTS))
            yield variant


def _jsonschema_passes(document: Any) -> bool:
    return not any(jsonschema.Draft202012Validator(scenario_json_schema()).iter_errors(document))


def test_the_shipped_schema_compiles() -> None:
    assert compile_schema(scenario_json_schema()) is not None


@pytest.mark.parametrize("index", range(len(FILES)), ids=[path.name for path in FILES])
def test_every_shipped_scenario_passes_both(index: int) -> None:
    document = _documents()[index]
    check = compile_schema(scenario_json_schema())
    assert check is not None
    assert check(document) is True
    assert _jsonschema_passes(document)


def test_variants_pass_or_fail_as_jsonschema_says() -> None:
    check = compile_schema(scenario_json_schema())
    assert check is not None
    rng = random.Random(11)
    passed = failed = 0
    for document in _documents():
        for variant in _variants(document, rng, 150):
            expected = _jsonschema_passes(variant)
            assert check(variant) is expected, variant
            passed += expected
            failed += not expected
    assert passed > 100
    assert failed > 1000


@pytest.mark.parametrize(
    ("schema", "instance", "passes"),
    [
        ({"const": True}, 1, False),
        ({"const": 1}, True, False),
        ({"const": 1}, 1.0, True),
        ({"type": "integer"}, 1.0, True),
        ({"type": "integer"}, 1.5, False),
        ({"type": "number"}, False, False),
        ({"minimum": 0}, float("nan"), True),
        ({"enum": ["a"]}, ["a"], False),
        ({"additionalProperties": False, "properties": {"a": True}}, {"a": 1, 2: 3}, False),
        ({"propertyNames": {"pattern": "^a"}}, {1: 2}, True),
        ({"oneOf": [{"type": "string"}, {"minLength": 1}]}, "x", False),
        ({"not": {"required": ["a", "b"]}}, {"a": 1}, True),
        ({"$ref": "#/$defs/n", "$defs": {"n": {"items": {"$ref": "#/$defs/n"}}}}, [[[1]]], True),
    ],
)
def test_edge_cases_follow_jsonschema(schema: dict[str, Any], instance: Any, passes: bool) -> None:
    check = compile_schema(schema)
    assert check is not None
    assert check(instance) is passes
    assert (not any(jsonschema.Draft202012Validator(schema).iter_errors(instance))) is passes


@pytest.mark.parametrize("schema", [{"format": "email"}, {"enum": [1, 2]}, {"$ref": "other.json"}, {"if": {}}])
def test_a_keyword_not_followed_leaves_every_document_to_jsonschema(schema: dict[str, Any]) -> None:
    assert compile_schema(schema) is None


def test_located_errors_are_worded_by_jsonschema_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    text = (ROOT / "scenarios" / FILES[0].name).read_text("utf-8") + "unknown_top: 1\n"
    with pytest.raises(ScenarioError) as checked:
        load_scenario_text(text, name="x.yaml")
    monkeypatch.setattr(scenario_loader, "_passes_schema", lambda document: False)
    with pytest.raises(ScenarioError) as walked:
        load_scenario_text(text, name="x.yaml")
    assert str(checked.value) == str(walked.value)
    assert "x.yaml:" in str(checked.value)
    assert "unknown_top: unknown field" in str(checked.value)


def test_a_value_the_check_cannot_compare_is_left_to_jsonschema(monkeypatch: pytest.MonkeyPatch) -> None:
    document = {"ips_mock": 1, "seed": 1j}  # only a mapping given directly can hold one
    with pytest.raises(ScenarioError) as checked:
        scenario_loader.load_scenario(document)
    monkeypatch.setattr(scenario_loader, "_passes_schema", lambda document: False)
    with pytest.raises(ScenarioError) as walked:
        scenario_loader.load_scenario(document)
    assert str(checked.value) == str(walked.value)
