"""Scenario YAML read from libyaml's events reads exactly as ruamel's own parser reads it.

``ips_mock.scenario.libyaml_events`` builds the document from PyYAML's libyaml events when the text stays in the
plain subset scenarios use, and gives the text back to ruamel's parser otherwise, whose commented containers are
then copied into located ones. Either way the document must be what ruamel reads: values, their types, and the
lines errors are reported at; and every error must be worded as ruamel's parser words it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ips_mock.errors import ScenarioError
from ips_mock.scenario import libyaml_events
from ips_mock.scenario.loader import DEFAULT_SCENARIO_LIMITS, ScenarioLimits
from ips_mock.scenario.located import LocatedList, LocatedMap
from ips_mock.scenario.yamltext import _yaml, parse_yaml

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted([*ROOT.glob("scenarios/*.yaml"), ROOT / "ips_mock" / "builtin" / "default.yaml"])

SUBSET = {
    "scalars": "a: 017\nb: 0o17\nc: 0x1F\nd: 1_000\ne: 1.5\nf: .inf\ng: .nan\nh: yes\ni: true\nj: ~\nk: 2026-01-01\n"
    "l: 2026-03-04T09:00:00-08:00\nm: 1:20\nn: 12345678901234567890\n",
    "quoted": "a: 'single ''q'''\nb: \"double \\\"q\\\" \\u00e9 \\x41 \\/\"\n"
    "c: 'multi\n  line'\nd: plain\n  continued\n",
    "flow": "a: [1, 2, {b: c, d: [e, f]}]\nb: {x: 1, y: [true, null]}\nc: []\nd: {}\ne: [1,\n  2]\n",
    "nested": "top:\n  - name: a\n    items:\n      - 1\n      - - x\n        - y\n  - {k: v}\nz:\n- 1\n- 2\n",
    "keys": "1: one\n2.5: two\n'q': 3\n? complex\n: value\nurl: http://example.com:8080/p?q=1#f\nhash: b#c # c\n",
    "crlf": "a: 1\r\nb:\r\n  - x\r\n  - y\r\n",
    "unicode": 'név: érték\n日本: 語\nemoji: "😀"\n',
    "roots": "- a\n- b\n",
}
OUTSIDE = {
    "merge": "a:\n  <<: {x: 1}\n  y: 2\n",
    "repeated key": "a: 1\nb: 2\na: 3\n",
    "collection key": "? [a, b]\n: c\n",
    "anchors": "a: &x {k: 1}\nb: *x\n",
    "tags": "a: !!str 123\n",
    "tabs": "a:\tb\n",
    "nel": "a: x\x85b: y\n",
    "bom": "\ufeffa: 1\n",
    "block scalar": "a: |\n  text\n",
    "empty value": "a:\nb: 1\n",
    "two documents": "a: 1\n---\nb: 2\n",
    "directive": "%YAML 1.1\n---\na: yes\n",
}
ERRORS = {
    "duplicate key": "a: 1\na: 2\n",
    "bad indent": "a:\n  b: 1\n c: 2\n",
    "unclosed flow": "a: [1, 2\n",
    "mapping in plain": "a: b: c\n",
    "control character": "a: \x07\n",
    "folded header with a comment": "a: ># x\n",
    "too deep": "a: " + "[" * 60 + "]" * 60 + "\n",
    "integer too long": "a: " + "9" * 5000 + "\n",
}


def _ruamel_only(text: str, limits: ScenarioLimits = DEFAULT_SCENARIO_LIMITS) -> Any:
    try:
        return _yaml(limits).load(text)
    except Exception as exc:  # compared through parse_yaml's wording below
        return exc


def _walk(value: Any, path: str = "$") -> Iterator[tuple[str, Any]]:
    """Every value with its type, and every container's lines, of a located document or of ruamel's own."""
    if isinstance(value, CommentedMap):
        # A key merged in (``<<``) has no line of its own in ruamel's: its mapping's line stands for it.
        yield path, ("map", value.lc.line, {key: value.lc.data.get(key, [value.lc.line])[0] for key in value})
    elif isinstance(value, LocatedMap):
        yield path, ("map", value.line, value.key_lines)
    elif isinstance(value, CommentedSeq):
        yield path, ("seq", value.lc.line, [value.lc.item(index)[0] for index in range(len(value))])
    elif isinstance(value, LocatedList):
        yield path, ("seq", value.line, value.item_lines)
    else:
        yield path, (type(value).__name__, repr(value))
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(key, f"{path}.key")
            yield from _walk(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")


def _composes_from_events(text: str) -> bool:
    yaml = _yaml(DEFAULT_SCENARIO_LIMITS)
    read = libyaml_events.read(text, yaml.resolver, yaml.constructor, DEFAULT_SCENARIO_LIMITS)
    return read is not libyaml_events.UNSUPPORTED


def test_libyaml_is_there_to_read_events() -> None:
    """Installed with responses (PyYAML's wheels bind libyaml); without it every text is ruamel's to read."""
    assert libyaml_events._CParser is not None


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_shipped_scenario_reads_the_same_from_events(path: Path) -> None:
    text = path.read_text("utf-8")
    if "|" not in text and "\t" not in text:
        assert _composes_from_events(text)
    assert list(_walk(parse_yaml(text, path.name, DEFAULT_SCENARIO_LIMITS))) == list(_walk(_ruamel_only(text)))


@pytest.mark.parametrize("name", SUBSET)
def test_the_plain_subset_reads_the_same_from_events(name: str) -> None:
    text = SUBSET[name]
    assert _composes_from_events(text)
    assert list(_walk(parse_yaml(text, "x.yaml", DEFAULT_SCENARIO_LIMITS))) == list(_walk(_ruamel_only(text)))


@pytest.mark.parametrize("name", OUTSIDE)
def test_anything_outside_the_subset_is_ruamels_to_read(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    text = OUTSIDE[name]
    assert not _composes_from_events(text)
    read = _read(text)
    monkeypatch.setattr(libyaml_events, "_CParser", None)
    assert read == _read(text)


def _read(text: str) -> list[tuple[str, Any]] | str:
    try:
        return list(_walk(parse_yaml(text, "x.yaml", DEFAULT_SCENARIO_LIMITS)))
    except ScenarioError as exc:
        return str(exc)


def _errors_both_ways(text: str, limits: ScenarioLimits, monkeypatch: pytest.MonkeyPatch) -> tuple[str, str]:
    """The error reading ``text`` gives from libyaml's events, then from ruamel's own parser."""
    with pytest.raises(ScenarioError) as from_events:
        parse_yaml(text, "x.yaml", limits)
    monkeypatch.setattr(libyaml_events, "_CParser", None)
    with pytest.raises(ScenarioError) as from_ruamel:
        parse_yaml(text, "x.yaml", limits)
    return str(from_events.value), str(from_ruamel.value)


@pytest.mark.parametrize("name", ERRORS)
def test_errors_are_worded_as_ruamels_parser_words_them(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from_events, from_ruamel = _errors_both_ways(ERRORS[name], DEFAULT_SCENARIO_LIMITS, monkeypatch)
    assert from_events == from_ruamel


def test_a_document_past_the_node_limit_is_refused_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    text = "".join(f"k{i}: v{i}\n" for i in range(40))
    from_events, from_ruamel = _errors_both_ways(text, ScenarioLimits(max_nodes=50), monkeypatch)
    assert from_events == from_ruamel
    assert "limit ScenarioLimits.max_nodes" in from_events


BAD_SCENARIO = """\
ips_mock: 1
companies:
  - name: Example
users:
  - email: admin@example.com
    password: password
    role: IpsAdmin
    companies: [Example, Other]
jobs:
  - company: Example
    name: daily
    submitted_by: admin@example.com
    exec_schedule: "0 99 * * *"
    job:
      imageServingPublishJob: {publishType: Incremental}
  - company: Nowhere
    name: daily
    submitted_by: someone@example.com
    job: {uploadUrlsJob: {}}
  - {company: Example, name: 'daily', submitted_by: admin@example.com, job: {exportJob: {}}, paused: "no"}
"""


@pytest.mark.parametrize(
    "text",
    [
        BAD_SCENARIO,
        BAD_SCENARIO + "unknown: 1\n",
        BAD_SCENARIO.replace("ips_mock: 1", "ips_mock: 2"),
        BAD_SCENARIO.replace(', paused: "no"', ""),
    ],
)
def test_located_errors_are_the_same_from_events(text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every error of a bad scenario (schema and semantic: file, line, field path, wording) as ruamel's parser
    locates it."""
    from ips_mock.scenario import load_scenario_text

    with pytest.raises(ScenarioError) as from_events:
        load_scenario_text(text, name="bad.yaml")
    assert _composes_from_events(text)
    monkeypatch.setattr(libyaml_events, "_CParser", None)
    with pytest.raises(ScenarioError) as from_ruamel:
        load_scenario_text(text, name="bad.yaml")
    assert str(from_events.value) == str(from_ruamel.value)
    assert "bad.yaml:" in str(from_events.value)


def test_a_large_generated_scenario_reads_the_same_from_events() -> None:
    jobs = "".join(
        f"  - company: Example\n    name: job-{i}\n    submitted_by: a@example.com\n"
        f'    exec_schedule: "0 {i % 60} {i % 24} * * ?"\n'
        "    job:\n      imageServingPublishJob: {publishType: Full}\n"
        for i in range(300)
    )
    text = "ips_mock: 1\nseed: 7\nclock: {start: 2026-03-04T09:00:00-08:00}\njobs:\n" + jobs
    assert _composes_from_events(text)
    assert list(_walk(parse_yaml(text, "x.yaml", DEFAULT_SCENARIO_LIMITS))) == list(_walk(_ruamel_only(text)))


def test_an_error_in_a_merged_key_is_located_at_the_mapping_it_was_merged_into() -> None:
    from ips_mock.scenario import load_scenario_text

    text = (
        "ips_mock: 1\n"
        "companies: [{name: Example, id: 100}]\n"
        "users: [{email: admin@example.com, password: p, role: IpsAdmin, companies: [Example]}]\n"
        "jobs:\n"
        "  - &daily\n"
        "    company: Nowhere\n"
        "    name: daily\n"
        "    submitted_by: admin@example.com\n"
        "    job: {imageServingPublishJob: {publishType: Full}}\n"
        "  - <<: *daily\n"
        "    name: again\n"
    )
    with pytest.raises(ScenarioError) as error:
        load_scenario_text(text, name="merged.yaml")
    lines = str(error.value).splitlines()
    assert any(line.startswith("merged.yaml:6: jobs[0].company: ") for line in lines), lines
    assert any(line.startswith("merged.yaml:10: jobs[1].company: ") for line in lines), lines


_SCALARS = st.one_of(
    st.sampled_from(["yes", "No", "on", "~", "null", "1e3", "0x1F", "0o17", "017", "1_000", ".inf", "2026-01-01"]),
    st.sampled_from(["2026-03-04T09:00:00-08:00", "a: b", "#x", "- x", "'q'", '"q"', "x # y", "", " lead", "é日"]),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
)
_KEYS = st.one_of(st.from_regex(r"[a-z_][a-z0-9_ -]{0,8}", fullmatch=True), st.integers(0, 99), _SCALARS)
_DOCUMENTS = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(_KEYS, inner, max_size=4)),
    max_leaves=25,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=st.dictionaries(_KEYS, _DOCUMENTS, min_size=1, max_size=5), flow=st.sampled_from([False, None, True]))
def test_generated_documents_read_as_ruamel_reads_them(document: dict[Any, Any], flow: bool | None) -> None:
    """Whatever ruamel writes (block, mixed or flow style; quoted, plain or block scalars), both readers give the
    values, types and lines ruamel's own reading gives."""
    out = io.StringIO()
    writer = YAML(typ="rt", pure=True)
    writer.default_flow_style = flow
    writer.width = 4096
    writer.dump(document, out)
    text = out.getvalue()
    expected = _ruamel_only(text)
    if isinstance(expected, Exception):
        return  # ruamel cannot read back what it wrote (e.g. a key it cannot round-trip): nothing to compare
    assert list(_walk(parse_yaml(text, "x.yaml", DEFAULT_SCENARIO_LIMITS))) == list(_walk(expected))
