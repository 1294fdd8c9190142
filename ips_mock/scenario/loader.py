"""Load a scenario (YAML file or mapping), validate it, and turn it into a :class:`Scenario`.

Validation is the shipped JSON Schema (``scenario.schema.json``, usable by editors) plus the semantic checks a
schema cannot express. Every error names the file, the line and the field path, e.g.
``scenarios/x.yaml:14: users[2].companies[0]: unknown company 'Acme'``; a file with errors loads nothing.

A scenario may come from an untrusted upload (the standalone server's admin API), so reading it is bounded
(:class:`ScenarioLimits`): its size, its nesting, its aliases and the size of what they expand to are checked
while the YAML is composed, before anything is built from it, and no problem is reported other than as a
:class:`ScenarioError` of bounded length.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from ..clock import FIRST_INSTANT, LAST_INSTANT
from ..cron import CronSchedule, ScheduleError
from ..errors import ScenarioError
from ..model import Company, State, User
from ..model.behaviour import Behaviour, ProgressStep
from ..model.catalog import join_path
from ..model.roles import Role
from ..model.state import Retention
from .spec import (
    AssetSeed,
    BehaviourRule,
    CallExpectation,
    Expectations,
    FaultAction,
    FaultRule,
    JobExpectation,
    JobSeed,
    LogExpectation,
    StubSpec,
    TimelineStep,
)

if TYPE_CHECKING:
    import jsonschema

__all__ = [
    "DEFAULT_SCENARIO",
    "MAX_DURATION",
    "Scenario",
    "ScenarioLimits",
    "load_scenario",
    "load_scenario_text",
    "parse_duration",
    "scenario_json_schema",
]

DEFAULT_ZONE: Final = "America/Los_Angeles"
DEFAULT_START: Final = "2026-01-05T09:00:00-08:00"
MAX_DELAY: Final = timedelta(seconds=30)
MAX_DURATION: Final = timedelta(days=365)
"""The longest duration a scenario may give: with the year to spare after :data:`LAST_INSTANT`, a run that
starts at the last instant still ends inside what the model can represent."""
MAX_MESSAGE: Final = 400
"""Characters of one problem message; a longer one (a huge value quoted back) is cut."""
MAX_PROBLEMS: Final = 1_000
"""Problems listed in one :class:`ScenarioError`; the rest are counted."""


@dataclass(frozen=True, kw_only=True)
class ScenarioLimits:
    """What reading one scenario may cost; over a limit, a :class:`ScenarioError` names it and the line."""

    max_chars: int = 10 * 1024 * 1024
    """Characters of YAML text (bytes of a file)."""
    max_depth: int = 50
    """Nesting of mappings and sequences; the deepest real scenario entry (a stub's reply fields) is about 12."""
    max_aliases: int = 1_000
    """``*alias`` references in the document."""
    max_nodes: int = 200_000
    """Values (scalars, mappings, sequences) in the document with every alias expanded: an alias bomb of a few
    hundred bytes expands to hundreds of millions."""


DEFAULT_SCENARIO_LIMITS: Final = ScenarioLimits()

FieldPath = Sequence[str | int]
_Loaded = TypeVar("_Loaded")


def _builtin_path() -> Path:
    return Path(str(resources.files("ips_mock.builtin").joinpath("default.yaml")))


DEFAULT_SCENARIO: Final = _builtin_path()
"""The built-in default scenario shipped inside the package."""


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema of the scenario format (also shipped as ``ips_mock/scenario/scenario.schema.json``)."""
    text = resources.files("ips_mock.scenario").joinpath("scenario.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


_DURATION_RE: Final = re.compile(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*")
_UNITS: Final = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_duration(value: float | str) -> timedelta:
    """``90``, ``"90s"``, ``"2m"``, ``"1h30m"``, ``"500ms"``, ``"1d"`` as a timedelta."""
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} is not a duration: give a finite number of seconds")
        total = float(value)
    else:
        total = _duration_text(value)
    if total > MAX_DURATION.total_seconds():
        raise ValueError(
            f"{_short(value)} is longer than {MAX_DURATION.days} days, the longest duration ips-mock takes"
        )
    return timedelta(seconds=total)


def _duration_text(value: str) -> float:
    total, pos = 0.0, 0
    for match in _DURATION_RE.finditer(value):
        if match.start() != pos:
            break
        total += float(match[1]) * _UNITS[match[2]]
        pos = match.end()
    if pos != len(value) or not value.strip():
        raise ValueError(f"{_short(value)} is not a duration such as 90s, 2m, 1h30m, 500ms or 1d")
    return total


def _short(value: Any, limit: int = 60) -> str:
    """``repr(value)``, cut to ``limit`` characters: problem messages quote values back, never unboundedly."""
    if isinstance(value, Mapping):
        return "<a mapping>"  # its repr could be as large as the document
    if isinstance(value, list):
        return "<a list>"
    if isinstance(value, int) and value.bit_length() > 200:
        return "<an integer too large to quote>"  # and repr() refuses past 4300 digits
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_RANGE: Final = "0002-01-01T00:00:00Z to 9998-12-31T23:59:59Z"


# ------------------------------------------------------------------------------------------------ locating


def _line_of(document: Any, path: FieldPath) -> int | None:
    """1-based line of the deepest node of ``path`` that the YAML document holds (None for a plain mapping)."""
    node, line = document, None
    for part in path:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.key(part)[0] + 1
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            line = node.lc.item(part)[0] + 1
        else:
            break
        node = node[part]
    if line is None and isinstance(document, CommentedMap | CommentedSeq):
        line = document.lc.line + 1
    return line


def format_path(path: FieldPath) -> str:
    out = ""
    for part in path:
        name = part if len(str(part)) <= 60 else _short(part)  # a key can be as long as the file
        out += f"[{name}]" if isinstance(part, int) else (f".{name}" if out else str(name))
    return out


@dataclass
class _Errors:
    """Collects ``file:line: path: message`` lines against the parsed document."""

    source: str
    document: Any
    lines: list[tuple[int, str]] = field(default_factory=list)

    def locate(self, path: FieldPath) -> tuple[int, str]:
        line = _line_of(self.document, path)
        where = f"{self.source}:{line}" if line else self.source
        return line or 0, f"{where}: {format_path(path) or '(top level)'}"

    def add(self, path: FieldPath, message: str) -> None:
        line, where = self.locate(path)
        if len(message) > MAX_MESSAGE:
            message = message[: MAX_MESSAGE - 1] + "…"
        self.lines.append((line, f"{where}: {message}"))

    def raise_if_any(self) -> None:
        if self.lines:
            ordered = [text for _, text in sorted(self.lines, key=lambda item: item[0])]
            if len(ordered) > MAX_PROBLEMS:
                ordered[MAX_PROBLEMS:] = [f"{self.source}: … and {len(ordered) - MAX_PROBLEMS} more problems"]
            raise ScenarioError("\n".join(ordered))


# ------------------------------------------------------------------------------------------------ the result


@dataclass(frozen=True)
class Scenario:
    """A validated scenario. Immutable: every reset rebuilds fresh state from it."""

    source: str
    data: Mapping[str, Any]
    zone: ZoneInfo
    start: datetime
    misfire: Literal["fire_all", "fire_once", "skip"]
    seed: int
    companies: tuple[Company, ...]
    users: tuple[User, ...]
    jobs: tuple[JobSeed, ...] = ()
    behaviours: tuple[BehaviourRule, ...] = ()
    faults: tuple[FaultRule, ...] = ()
    stubs: tuple[StubSpec, ...] = ()
    timeline: tuple[TimelineStep, ...] = ()
    expect: Expectations = field(default_factory=Expectations)
    playback: Path | None = None
    """A transcript whose recorded replies answer the operations it holds (resolved against the file's folder)."""
    folders: tuple[tuple[int, str], ...] = ()
    """(company id, folder path) of every folder that exists at clock.start, beside the companies' roots."""
    assets: tuple[AssetSeed, ...] = ()
    retention: Retention | None = None
    """None: the default policy (or the one given to FakeIps)."""
    callback_hosts: tuple[str, ...] = ()
    callback_timeout: float | None = None

    def build_state(self) -> State:
        return State.build(self.companies, self.users, seed=self.seed)

    def behaviour_for(self, job_name: str, job_type: str) -> Behaviour:
        rule = next((r for r in self.behaviours if r.matches(job_name, job_type)), None)
        return rule.behaviour if rule is not None else Behaviour()

    def error(self, path: FieldPath, message: str) -> ScenarioError:
        """A :class:`ScenarioError` located at ``path`` (for checks made when the scenario is put to use)."""
        line, where = _Errors(self.source, self.data).locate(path)
        return ScenarioError(f"{where}: {message}", line=line)


# ------------------------------------------------------------------------------------------------- reading


class _LimitError(Exception):
    """A :class:`ScenarioLimits` limit crossed at a 0-based line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line


class _Constructor(RoundTripConstructor):
    """Keeps instants and dates as the strings the user wrote, so every instant is parsed in one place."""

    def construct_yaml_int(self, node: Any) -> Any:
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits(), 4300)
            raise _LimitError(node.start_mark.line, "an integer too long to read") from None


_Constructor.add_constructor("tag:yaml.org,2002:timestamp", _Constructor.construct_yaml_str)
_Constructor.add_constructor("tag:yaml.org,2002:int", _Constructor.construct_yaml_int)


class _BoundedComposer(Composer):
    """Composes the YAML node graph, refusing documents past :class:`ScenarioLimits` before anything is built.

    Aliases are counted as they are met, nesting as it is entered, and once the document is composed the size
    and depth of the graph with every alias expanded are computed (once per node, so a bomb costs no more to
    measure than to read), as is any alias that contains itself."""

    limits: ScenarioLimits = DEFAULT_SCENARIO_LIMITS

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader)
        self.warn_double_anchors = False  # a reused anchor name is legal YAML: the later one applies
        self.aliases = 0
        self.nesting = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.parser.peek_event()
        if isinstance(event, AliasEvent):
            self.aliases += 1
            if self.aliases > self.limits.max_aliases:
                raise _LimitError(
                    event.start_mark.line,
                    f"more than {self.limits.max_aliases:,} aliases (limit ScenarioLimits.max_aliases)",
                )
            return super().compose_node(parent, index)
        self.nesting += 1
        if self.nesting > self.limits.max_depth:
            raise _LimitError(
                event.start_mark.line,
                f"nested deeper than {self.limits.max_depth} levels (limit ScenarioLimits.max_depth)",
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self.nesting -= 1

    def compose_document(self: Any) -> Any:
        node = super().compose_document()
        if node is not None:
            _check_expansion(node, self.limits)
        return node


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [item for pair in node.value for item in pair]
    return []


def _check_expansion(root: Node, limits: ScenarioLimits) -> None:
    """Refuse a graph whose expansion is too large or too deep, or that contains itself (iteratively: the
    expanded depth is what is being bounded)."""
    measured: dict[int, tuple[int, int]] = {}  # id(node) -> (values, depth) with aliases expanded
    entered: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        if finished:
            below = [measured[id(child)] for child in _children(node)]
            size = 1 + sum(values for values, _ in below)
            depth = 1 + max((levels for _, levels in below), default=0)
            line = node.start_mark.line
            if size > limits.max_nodes:
                raise _LimitError(
                    line,
                    f"expands to more than {limits.max_nodes:,} values (limit ScenarioLimits.max_nodes)",
                )
            if depth > limits.max_depth:
                raise _LimitError(
                    line,
                    f"nested deeper than {limits.max_depth} levels once aliases are expanded "
                    "(limit ScenarioLimits.max_depth)",
                )
            measured[key] = (size, depth)
            continue
        if key in measured:
            continue
        if key in entered:  # met again before it was finished: it is inside itself
            raise _LimitError(node.start_mark.line, "an alias refers to a value that contains it")
        entered.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in measured)


def _yaml(limits: ScenarioLimits) -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.Constructor = _Constructor
    composer: type[_BoundedComposer] = type("_Composer", (_BoundedComposer,), {"limits": limits})
    yaml.Composer = composer
    return yaml


def _read(source: str | Path | Mapping[str, Any], limits: ScenarioLimits) -> tuple[str, Any]:
    if isinstance(source, Mapping):
        return "<mapping>", source
    name, data = _read_bytes(Path(source), limits)
    return name, _decode(data, name, limits)


def _read_bytes(path: Path, limits: ScenarioLimits) -> tuple[str, bytes]:
    try:
        with path.open("rb") as file:
            data = file.read(limits.max_chars + 1)
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read the scenario file: {exc.strerror or exc}") from None
    if len(data) > limits.max_chars:
        raise ScenarioError(f"{path}: larger than {limits.max_chars:,} bytes (limit ScenarioLimits.max_chars)")
    return str(path), data


def _decode(data: bytes, name: str, limits: ScenarioLimits) -> Any:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ScenarioError(f"{name}:{line}: not UTF-8 text ({exc.reason} at byte 0x{data[exc.start]:02x})") from None
    return _parse(text, name, limits)


def _parse(text: str, name: str, limits: ScenarioLimits) -> Any:
    if len(text) > limits.max_chars:
        raise ScenarioError(f"{name}: longer than {limits.max_chars:,} characters (limit ScenarioLimits.max_chars)")
    try:
        return _yaml(limits).load(text)
    except _LimitError as exc:
        raise ScenarioError(f"{name}:{exc.line + 1}: {exc}") from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = str(exc.problem or exc.context)
        raise ScenarioError(f"{name}{line}: YAML syntax error: {_cut(problem)}") from None
    except YAMLError as exc:  # e.g. a control character the reader refuses, located only by position
        raise ScenarioError(f"{name}: YAML error: {_cut(str(exc).splitlines()[0])}") from None


def _cut(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 1] + "…"


_SHORT_MESSAGE: Final = 200
_BOUNDS: Final = {
    "minimum": "is less than the minimum",
    "maximum": "is more than the maximum",
    "exclusiveMinimum": "is not more than",
    "exclusiveMaximum": "is not less than",
    "minLength": "is shorter than the minimum length",
    "maxLength": "is longer than the maximum length",
    "pattern": "does not match the pattern",
    "minItems": "has fewer items than",
    "maxItems": "has more items than",
}


def _schema_message(error: jsonschema.ValidationError) -> str:
    """jsonschema's message, reworded where it would not tell a user what to write."""
    rule: Any = error.validator_value
    schema: Any = error.schema
    last = error.absolute_path[-1] if error.absolute_path else None
    if error.validator == "oneOf" and isinstance(rule, list):
        keys = [k for option in rule for k in option.get("required", [])]
        if keys:
            return f"give exactly one of {', '.join(keys)}"
    if error.validator == "not" and rule == {"required": ["exec_time", "exec_schedule"]}:
        return "give exec_time or exec_schedule, not both"
    if error.validator in ("minProperties", "maxProperties") and last == "job":
        return "give exactly one job element, e.g. uploadUrlsJob: {...}"
    if error.validator == "anyOf" and isinstance(schema, Mapping) and "duration" in str(schema.get("description")):
        return f"{_short(error.instance)} is not a duration such as 90s, 2m, 1h30m, 500ms or 1d"
    message = str(error.message)
    if len(message) <= _SHORT_MESSAGE:
        return message
    # jsonschema quotes the whole value, which may be as large as the document: say it again, cut short.
    if error.validator == "type":
        return f"{_short(error.instance)} is not of type {_short(rule)}"
    if error.validator in ("enum", "const"):  # the schema's own values, quoted whole
        return f"{_short(error.instance)} is not {'one of ' if error.validator == 'enum' else ''}{rule!r}"
    if error.validator in _BOUNDS:
        return f"{_short(error.instance)} {_BOUNDS[str(error.validator)]} {_short(rule)}"
    return _cut(str(error.message))


def load_scenario_text(text: str, *, name: str = "<text>", limits: ScenarioLimits | None = None) -> Scenario:
    """Validate a scenario given as YAML (or JSON) text; errors are located as ``<name>:<line>``."""
    bounds = limits or DEFAULT_SCENARIO_LIMITS
    return _guarded(name, lambda: _validate(name, _parse(text, name, bounds)))


def load_scenario(source: str | Path | Mapping[str, Any], *, limits: ScenarioLimits | None = None) -> Scenario:
    """Read and validate a scenario; raise :class:`ScenarioError` listing every problem found.

    A file that loaded once is not read again while its absolute path, inode, size and modification time stay the
    same: a :class:`Scenario` is immutable, so every fake of one process shares it (a mapping is always validated).
    """
    bounds = limits or DEFAULT_SCENARIO_LIMITS
    if isinstance(source, Mapping):
        return _guarded("<mapping>", lambda: _validate(*_read(source, bounds)))
    key = _cache_key(source, bounds)
    cached = _LOADED.get(key) if key is not None else None
    if cached is not None:
        return cached
    loaded = _guarded(str(source), lambda: _load_file(Path(source), bounds))
    if key is not None:
        if len(_LOADED) >= _MAX_CACHED:
            _LOADED.pop(next(iter(_LOADED)), None)  # the oldest entry; a racing thread may have taken it first
        _LOADED[key] = loaded
    return loaded


_MAX_CACHED: Final = 64
_LOADED: dict[tuple[object, ...], Scenario] = {}
"""Scenarios loaded from files, by (name as given, absolute path, inode, size, mtime, limits)."""


def _cache_key(source: str | Path, limits: ScenarioLimits) -> tuple[object, ...] | None:
    # The absolute path (no symlinks resolved: the stat identifies the file a link leads to, and resolving costs
    # a system call per path component, on every fake a test makes).
    try:
        path = os.path.abspath(source)
        stat = os.stat(path)
    except (OSError, ValueError):
        return None  # reading it will report the problem
    return (str(source), path, stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns, limits)


def _guarded(name: str, load: Callable[[], _Loaded]) -> _Loaded:
    """``load()``, with any failure the checks did not foresee still reported as a :class:`ScenarioError`."""
    try:
        return load()
    except ScenarioError:
        raise
    except RecursionError:  # a mapping passed in directly is not composed, so its nesting was not bounded
        raise ScenarioError(f"{name}: nested too deeply to be read") from None
    except Exception as exc:
        raise ScenarioError(f"{name}: cannot load the scenario: {type(exc).__name__}: {_cut(str(exc))}") from exc


_SCHEMA_VALID: Final = frozenset({"4b3a83d75ad07c502a778adcc5b2bf63593ff32c53cc4bba7f852a7f7e4925f0"})
"""SHA-256 of files known to pass the JSON Schema check: the built-in scenario as shipped (the suite loads it with
the check). Such a file skips only that check (and importing jsonschema); the semantic checks all run. A changed
file has another digest and is checked in full."""


def _load_file(path: Path, limits: ScenarioLimits) -> Scenario:
    name, data = _read_bytes(path, limits)
    document = _decode(data, name, limits)
    return _validate(name, document, schema_checked=hashlib.sha256(data).hexdigest() in _SCHEMA_VALID)


def _validate(name: str, document: Any, *, schema_checked: bool = False) -> Scenario:
    errors = _Errors(name, document)
    if not schema_checked:
        _check_schema(document, errors)
    errors.raise_if_any()
    return _Builder(name, document, errors).build()


def _check_schema(document: Any, errors: _Errors) -> None:
    import jsonschema  # about 50 ms to import: only when a document needs the check

    validator = jsonschema.Draft202012Validator(scenario_json_schema())
    for error in validator.iter_errors(document):
        path = list(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
            allowed = set(error.schema.get("properties", {}))
            for key in error.instance:
                if key not in allowed:
                    errors.add([*path, key], f"unknown field; expected one of {', '.join(sorted(allowed))}")
            continue
        if error.validator == "propertyNames":
            path = [*path, error.instance] if isinstance(error.instance, str) else path
        errors.add(path, _schema_message(error))


class _Builder:
    """Semantic checks and conversion of a schema-valid document; collects every error before raising."""

    def __init__(self, name: str, document: Mapping[str, Any], errors: _Errors) -> None:
        self.name = name
        self.doc = document
        self.errors = errors
        self.companies: dict[str, Company] = {}
        self.users: dict[str, User] = {}

    def build(self) -> Scenario:
        clock = self.doc.get("clock", {})
        zone = self._zone(clock.get("zone", DEFAULT_ZONE))
        start = self._instant(clock.get("start", DEFAULT_START), ["clock", "start"])
        self._companies()
        self._users()
        jobs = tuple(self._job(i, spec, start) for i, spec in enumerate(self.doc.get("jobs", [])))
        behaviours = tuple(self._behaviour(i, spec) for i, spec in enumerate(self.doc.get("behaviours", [])))
        faults = tuple(self._fault(i, spec) for i, spec in enumerate(self.doc.get("faults", [])))
        self._check_shadowed(faults)
        stubs = tuple(
            StubSpec(i, s["operation"], s.get("times"), s.get("xml"), s.get("fields"))
            for i, s in enumerate(self.doc.get("stubs", []))
        )
        timeline = self._timeline(start)
        expect = self._expect()
        playback = self._playback()
        folders, assets = self._catalog()
        retention = self._retention()
        callback_timeout = self._callback_timeout()
        self.errors.raise_if_any()
        assert start is not None  # an invalid start was reported above
        return Scenario(
            self.name,
            self.doc,
            zone,
            start,
            clock.get("misfire", "fire_all"),
            int(self.doc.get("seed", 0)),
            tuple(self.companies.values()),
            tuple(self.users.values()),
            jobs,
            behaviours,
            faults,
            stubs,
            timeline,
            expect,
            playback,
            folders,
            assets,
            retention,
            tuple(self.doc.get("callbacks", {}).get("allow_hosts", ())),
            callback_timeout,
        )

    # ------------------------------------------------------------------------------------ catalog, limits

    def _catalog(self) -> tuple[tuple[tuple[int, str], ...], tuple[AssetSeed, ...]]:
        folders: list[tuple[int, str]] = []
        for i, spec in enumerate(self.doc.get("folders", [])):
            company = self._company(spec["company"], ["folders", i, "company"])
            if company is not None:
                folders.append((company.id, join_path(company.root_path, spec["path"])))
        assets: list[AssetSeed] = []
        names: dict[tuple[int, str], int] = {}
        for i, spec in enumerate(self.doc.get("assets", [])):
            at: list[str | int] = ["assets", i]
            company = self._company(spec["company"], [*at, "company"])
            if company is None:
                continue
            folder, _, file_name = join_path(company.root_path, spec["path"]).rstrip("/").rpartition("/")
            name = file_name.rsplit(".", 1)[0] if "." in file_name else file_name
            if not name:
                self.errors.add([*at, "path"], f"{_short(spec['path'])} names no file")
                continue
            if (company.id, name) in names:
                self.errors.add(
                    [*at, "path"],
                    f"an asset named {name!r} is already at assets[{names[(company.id, name)]}]: asset names are "
                    "unique in a company",
                )
                continue
            names[(company.id, name)] = i
            creator = spec.get("created_by")
            if creator is not None and self._user(creator, [*at, "created_by"]) is None:
                continue
            assets.append(
                AssetSeed(
                    i,
                    company.id,
                    f"{folder}/{file_name}",
                    spec.get("type"),
                    spec.get("ready_for_publish", True),
                    spec.get("size"),
                    spec.get("width"),
                    spec.get("height"),
                    creator,
                    dict(spec.get("metadata", {})),
                )
            )
        return tuple(folders), tuple(assets)

    def _retention(self) -> Retention | None:
        spec = self.doc.get("retention")
        if spec is None:
            return None
        default = Retention()
        return Retention(
            finished_runs_per_company=spec.get("finished_runs_per_company", default.finished_runs_per_company),
            keep_for=self._duration(spec.get("keep_for"), ["retention", "keep_for"], default.keep_for),
        )

    def _callback_timeout(self) -> float | None:
        value = self.doc.get("callbacks", {}).get("timeout")
        if value is None:
            return None
        timeout = self._duration(value, ["callbacks", "timeout"], timedelta(seconds=5)).total_seconds()
        if not 0 < timeout <= 60:
            self.errors.add(["callbacks", "timeout"], f"{_short(value)} must be more than 0 and at most 60 seconds")
        return timeout

    def _playback(self) -> Path | None:
        value = self.doc.get("playback")
        if value is None:
            return None
        path = Path(value)
        if not path.is_absolute() and not self.name.startswith("<"):
            path = Path(self.name).parent / path
        if not path.is_file():
            self.errors.add(["playback"], f"no transcript at {str(path)!r}")
            return None
        return path

    # ------------------------------------------------------------------------------------------ scalars

    def _zone(self, name: str) -> ZoneInfo:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            self.errors.add(["clock", "zone"], f"unknown time zone {name!r}; use an IANA name such as {DEFAULT_ZONE}")
            return ZoneInfo(DEFAULT_ZONE)

    def _instant(self, value: str, path: FieldPath) -> datetime | None:
        try:
            instant = datetime.fromisoformat(value)
        except ValueError:
            self.errors.add(path, f"{_short(value)} is not an ISO 8601 instant such as 2030-01-01T00:00:00-08:00")
            return None
        if instant.tzinfo is None:
            self.errors.add(path, f"{value!r} has no offset; write one, e.g. {value}-08:00 or {value}Z")
            return None
        try:
            in_range = FIRST_INSTANT <= instant <= LAST_INSTANT
        except OverflowError:  # its offset takes it past year 1 or 9999
            in_range = False
        if not in_range:
            self.errors.add(path, f"{_short(value)} is outside the instants ips-mock can model ({_RANGE})")
            return None
        return instant

    def _duration(self, value: Any, path: FieldPath, default: timedelta) -> timedelta:
        if value is None:
            return default
        try:
            return parse_duration(value)
        except ValueError as exc:
            self.errors.add(path, str(exc))
            return default

    def _user(self, email: str, path: FieldPath) -> User | None:
        user = self.users.get(email.lower())
        if user is None:
            known = ", ".join(repr(u.email) for u in self.users.values()) or "none"
            self.errors.add(path, f"unknown user {email!r}; known: {known}")
        return user

    def _company(self, name: str, path: FieldPath) -> Company | None:
        company = self.companies.get(name)
        if company is None:
            known = ", ".join(repr(n) for n in self.companies) or "none"
            self.errors.add(path, f"unknown company {name!r}; known: {known}")
        return company

    # ----------------------------------------------------------------------------------------- sections

    def _companies(self) -> None:
        specs = self.doc.get("companies", [])
        used_ids = {c["id"] for c in specs if "id" in c}
        next_id = 100
        for i, spec in enumerate(specs):
            if "id" in spec:
                company_id = spec["id"]
            else:
                while next_id in used_ids:
                    next_id += 100
                company_id = next_id
                used_ids.add(company_id)
            if spec["name"] in self.companies:
                self.errors.add(["companies", i, "name"], f"duplicate company name {spec['name']!r}")
                continue
            if any(c.id == company_id for c in self.companies.values()):
                self.errors.add(["companies", i, "id"], f"duplicate company id {company_id}")
            expires = self._instant(spec["expires"], ["companies", i, "expires"]) if "expires" in spec else None
            root = spec.get("root_path", f"{spec['name']}/")
            self.companies[spec["name"]] = Company(company_id, spec["name"], root, expires, spec.get("ims_org_id"))

    def _users(self) -> None:
        for i, spec in enumerate(self.doc.get("users", [])):
            if spec["email"].lower() in self.users:
                self.errors.add(["users", i, "email"], f"duplicate user {spec['email']!r}")
                continue
            company_ids = set()
            for j, company_name in enumerate(spec["companies"]):
                company = self._company(company_name, ["users", i, "companies", j])
                if company is not None:
                    company_ids.add(company.id)
            self.users[spec["email"].lower()] = User(
                id=i + 1,
                email=spec["email"],
                password=spec["password"],
                role=Role(spec["role"]),
                company_ids=frozenset(company_ids),
                first_name=spec.get("first_name", ""),
                last_name=spec.get("last_name", ""),
                locale=spec.get("locale", "en-US"),
            )

    def _job(self, i: int, spec: Mapping[str, Any], start: datetime | None) -> JobSeed:
        at: list[str | int] = ["jobs", i]
        company = self._company(spec["company"], [*at, "company"])
        user = self._user(spec["submitted_by"], [*at, "submitted_by"])
        if company is not None and user is not None and not user.belongs_to(company.id):
            self.errors.add([*at, "submitted_by"], f"{user.email} is not a member of {company.name}")
        names = [s["name"] for s in self.doc["jobs"][:i] if s.get("company") == spec["company"]]
        if spec["name"] in names:
            self.errors.add([*at, "name"], f"duplicate job name {spec['name']!r} in {spec['company']}")
        if (schedule := spec.get("exec_schedule")) is not None:
            try:
                CronSchedule.parse(schedule)
            except ScheduleError as exc:
                self.errors.add([*at, "exec_schedule"], str(exc))
        exec_time = self._instant(spec["exec_time"], [*at, "exec_time"]) if "exec_time" in spec else None
        if exec_time is not None and start is not None and exec_time < start:
            self.errors.add([*at, "exec_time"], f"{spec['exec_time']} is before clock.start {start.isoformat()}")
        past = []
        for j, value in enumerate(spec.get("past_runs", [])):
            fired = self._instant(value, [*at, "past_runs", j])
            if fired is not None and start is not None and fired >= start:
                self.errors.add([*at, "past_runs", j], f"{value} is not before clock.start {start.isoformat()}")
            elif fired is not None:
                past.append(fired)
        ((element, job_spec),) = spec["job"].items()
        return JobSeed(
            i,
            spec["company"],
            spec["name"],
            spec["submitted_by"],
            exec_time,
            schedule,
            spec.get("paused", False),
            spec.get("description"),
            spec.get("locale"),
            element,
            job_spec if isinstance(job_spec, Mapping) else {},
            tuple(sorted(past)),
        )

    def _behaviour(self, i: int, spec: Mapping[str, Any]) -> BehaviourRule:
        at: list[str | int] = ["behaviours", i]
        default = Behaviour()
        start_delay = self._duration(spec.get("start_delay"), [*at, "start_delay"], default.start_delay)
        waiting = self._duration(spec.get("waiting"), [*at, "waiting"], default.waiting)
        duration = self._duration(spec.get("duration"), [*at, "duration"], default.duration)
        steps = []
        for j, step in enumerate(spec.get("steps", [])):
            offset = self._duration(step["at"], [*at, "steps", j, "at"], timedelta(0))
            running = start_delay + waiting
            if offset <= running or (offset >= duration and not spec.get("stuck")):
                self.errors.add(
                    [*at, "steps", j, "at"],
                    f"{step['at']} must fall while the run is Running: after {running} and before {duration}",
                )
            steps.append(ProgressStep(offset, step["progress"], step.get("message")))
        if not spec.get("stuck") and duration < start_delay + waiting:
            self.errors.add([*at, "duration"], f"{duration} is shorter than start_delay + waiting")
        behaviour = Behaviour(
            start_delay=start_delay,
            waiting=waiting,
            duration=duration,
            steps=tuple(steps) if "steps" in spec else default.steps,
            stuck=spec.get("stuck", False),
            fatal_error=spec.get("fatal_error"),
            error_items=spec.get("error_items", 0),
            warning_items=spec.get("warning_items", 0),
            stop_delay=self._duration(spec.get("stop_delay"), [*at, "stop_delay"], default.stop_delay),
            files=tuple(spec.get("files", ())),
        )
        if "steps" not in spec and (duration != default.duration or start_delay + waiting >= default.steps[0].at):
            # The default 25/50/75 % steps are spread over the run as given, not over the default 60 s.
            running = start_delay + waiting
            span = duration - running
            behaviour = replace(behaviour, steps=tuple(ProgressStep(running + span * p / 100, p) for p in (25, 50, 75)))
        match = spec["match"]
        return BehaviourRule(match.get("name"), match.get("type"), behaviour)

    def _fault(self, i: int, spec: Mapping[str, Any]) -> FaultRule:
        at: list[str | int] = ["faults", i]
        match = spec["match"]
        start = self._instant(match["from"], [*at, "match", "from"]) if "from" in match else None
        until = self._instant(match["until"], [*at, "match", "until"]) if "until" in match else None
        if start is not None and until is not None and until <= start:
            self.errors.add([*at, "match", "until"], "must be after match.from")
        if "user" in match:
            self._user(match["user"], [*at, "match", "user"])
        if "ips_fault" in spec:
            code = spec["ips_fault"]["code"]
            if code // 10000 not in (1, 2, 3):
                self.errors.add([*at, "ips_fault", "code"], f"{code} is not an IPS fault code (10xxx, 20xxx, 30xxx)")
            action = FaultAction("fault", code=code, reason=spec["ips_fault"].get("reason", "Injected by ips-mock"))
        elif "http" in spec:
            http = spec["http"]
            action = FaultAction(
                "http", status=http["status"], body=http.get("body", ""), content_type=http.get("content_type")
            )
        elif "delay" in spec:
            delay = self._duration(spec["delay"], [*at, "delay"], timedelta(0))
            if delay > MAX_DELAY:
                self.errors.add([*at, "delay"], f"{spec['delay']} is longer than the {MAX_DELAY.seconds}s limit")
            action = FaultAction("delay", delay=delay)
        elif "drop" in spec:
            action = FaultAction("drop")
        else:
            action = FaultAction("garbage", size=spec["garbage"])
        return FaultRule(
            i, match.get("operation"), match.get("job_name"), match.get("user"), start, until, spec.get("times"), action
        )

    def _check_shadowed(self, faults: Sequence[FaultRule]) -> None:
        for later in faults:
            for earlier in faults[: later.index]:
                if earlier.action.kind != "delay" and earlier.covers(later):
                    self.errors.add(
                        ["faults", later.index],
                        f"can never apply: faults[{earlier.index}] always matches the same requests first "
                        "(narrow that one, give it 'times', or reorder)",
                    )
                    break

    def _timeline(self, start: datetime | None) -> tuple[TimelineStep, ...]:
        steps = []
        last = start
        for i, spec in enumerate(self.doc.get("timeline", [])):
            at: list[str | int] = ["timeline", i]
            if "advance" in spec:
                duration = self._duration(spec["advance"], [*at, "advance"], timedelta(0))
                if last is not None and duration > LAST_INSTANT - last:
                    self.errors.add(
                        [*at, "advance"],
                        f"moves the clock past {_RANGE.split(' to ')[1]}, the last instant ips-mock can model",
                    )
                    last = None
                last = last + duration if last is not None else None
                steps.append(TimelineStep(i, advance=duration))
                continue
            if "move_to" in spec:
                target = self._instant(spec["move_to"], [*at, "move_to"])
                if target is not None and last is not None and target < last:
                    self.errors.add(
                        [*at, "move_to"], f"{spec['move_to']} goes back in time; the clock only moves forward"
                    )
                last = target or last
                steps.append(TimelineStep(i, move_to=target))
                continue
            user = spec.get("as")
            if user is not None:
                self._user(user, [*at, "as"])
            elif not self.users:
                self.errors.add(at, "a call needs a user: add users, or 'as'")
            expect = spec.get("expect", {})
            steps.append(
                TimelineStep(
                    i,
                    call=spec["call"],
                    user=user,
                    version=str(spec.get("version", "2014-04-03")),
                    params=spec.get("params", {}),
                    expect_fault=expect.get("fault"),
                    expect_ok=bool(expect.get("ok")),
                    expect_reply=expect.get("reply"),
                )
            )
        return tuple(steps)

    def _expect(self) -> Expectations:
        spec = self.doc.get("expect", {})
        calls = tuple(
            CallExpectation(i, c["operation"], c.get("times"), c.get("at_least"), c.get("never", False), c.get("where"))
            for i, c in enumerate(spec.get("calls", []))
        )
        for call in calls:
            if sum(x is not None and x is not False for x in (call.times, call.at_least, call.never or None)) > 1:
                self.errors.add(["expect", "calls", call.index], "give at most one of times, at_least, never")
        jobs = []
        for i, j in enumerate(spec.get("jobs", [])):
            if "company" in j:
                self._company(j["company"], ["expect", "jobs", i, "company"])
            jobs.append(JobExpectation(i, j.get("company"), j["name"], j.get("state"), j.get("runs")))
        logs = tuple(
            LogExpectation(
                i,
                g["job_name"],
                g.get("count"),
                g.get("fatal_error"),
                g.get("file_success_count"),
                g.get("file_error_count"),
            )
            for i, g in enumerate(spec.get("logs", []))
        )
        return Expectations(calls, tuple(jobs), logs)
