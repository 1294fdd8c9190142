"""The ips-mock pytest plugin, loaded through the ``pytest11`` entry point ``ips_mock``.

Never list it in a conftest as well: pytest would register it twice.

* ``ips_server`` (session): one server on 127.0.0.1, port 0, serving whichever fake the current test uses.
* ``ips`` (function): a fresh :class:`~ips_mock.FakeIps` for the test's scenario, served by ``ips_server``;
  verified after the test (errors inside the fake, requests it could not handle, unmet ``expect`` entries fail
  the test with one report).
* ``ips_client`` (function, needs zeep): a zeep client on the served WSDL, signed in as the first admin.
* ``@pytest.mark.ips(scenario=..., start=..., verify=True, validate_responses=..., save_transcript=...)``:
  options; the marker alone enables the ``ips`` fixture. ``save_transcript`` (a path, relative to the test file)
  saves the test's conversation as a transcript; ``--ips-save-transcripts DIR`` does so for every test.
* With ``ips_mock_collect = true``, transcript files and scenario files with a ``timeline`` are collected as test
  items (one per file) that replay them and fail with the differences.
"""

from __future__ import annotations

import fnmatch
import functools
import re
import sys
from collections.abc import Generator, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import pytest

if TYPE_CHECKING:  # imported by the fixtures that use them: a session without ips-mock tests never loads the fake
    from .fake import FakeIps
    from .server import AppSwitch, ServerThread

__all__ = ["IpsMarker", "ips_fault_summary"]

_MARKER = "ips"


@dataclass(frozen=True)
class IpsMarker:
    """The options of ``@pytest.mark.ips``."""

    scenario: str | Path | Mapping[str, Any] | None = None
    start: datetime | str | None = None
    verify: bool = True
    validate_responses: bool | None = None
    save_transcript: str | Path | None = None


@dataclass
class _Session:
    server: ServerThread
    switch: AppSwitch


_SESSION = pytest.StashKey[_Session]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("ips-mock").addoption(
        "--ips-save-transcripts",
        metavar="DIR",
        default=None,
        help="save the conversation of every test that uses the ips fixture as a transcript in DIR",
    )
    parser.addini(
        "ips_mock_collect",
        "collect transcript files and scenario files with a timeline as tests that replay them",
        type="bool",
        default=False,
    )
    parser.addini(
        "ips_mock_collect_patterns",
        "file name patterns ips_mock_collect looks at (default: *.yaml *.yml)",
        type="args",
        default=["*.yaml", "*.yml"],
    )
    parser.addini(
        "ips_mock_scenario_dir", "directory of scenario files for @pytest.mark.ips(scenario=...)", default="scenarios"
    )
    parser.addini(
        "ips_mock_default_scenario", "scenario for tests whose marker names none (default: built-in)", default=""
    )
    parser.addini(
        "ips_mock_validate_responses",
        "validate every reply against ips-mock's schema and fail the test on a violation",
        type="bool",
        default=False,
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "ips(scenario=None, start=None, verify=True, validate_responses=None, save_transcript=None): "
        "run the test against an ips-mock fake (enables the ips fixture)",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The marker alone enables the fixture, as time-machine does for its marker.
    for item in items:
        marked = item.get_closest_marker(_MARKER) is not None
        if marked and isinstance(item, pytest.Function) and "ips" not in item.fixturenames:
            item.fixturenames.insert(0, "ips")


_NO_MARKER: Final = IpsMarker()
"""The options of a test without the marker (frozen: one for all)."""


def _options(item: pytest.Item) -> IpsMarker:
    marker = item.get_closest_marker(_MARKER)
    if marker is None:
        return _NO_MARKER
    if marker.args:
        raise pytest.UsageError(f"{item.nodeid}: use keywords with @pytest.mark.ips, e.g. scenario='nightly.yaml'")
    try:
        return IpsMarker(**marker.kwargs)
    except TypeError as exc:
        raise pytest.UsageError(f"{item.nodeid}: @pytest.mark.ips: {exc}") from None


def _scenario_path(config: pytest.Config, item: pytest.Item, name: str | Path) -> Path:
    path = Path(name)
    candidates = (
        [path]
        if path.is_absolute()
        else [
            config.rootpath / str(config.getini("ips_mock_scenario_dir")) / path,
            Path(str(item.path)).parent / path,
            config.rootpath / path,
        ]
    )
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise pytest.UsageError(
        f"{item.nodeid}: scenario {str(name)!r} not found; looked at {', '.join(map(str, candidates))}"
    )


@pytest.fixture(scope="session")
def ips_server(pytestconfig: pytest.Config) -> Iterator[ServerThread]:
    """One ServerThread on 127.0.0.1 (port 0) for the session; each test's fake is switched in."""
    from .server import AppSwitch, ServerThread

    switch = AppSwitch()
    with ServerThread(switch) as server:
        pytestconfig.stash[_SESSION] = _Session(server, switch)
        yield server
    del pytestconfig.stash[_SESSION]


@pytest.fixture
def ips(request: pytest.FixtureRequest, ips_server: ServerThread) -> Generator[FakeIps, None, None]:
    """A fresh fake for this test, built from the marker's scenario (or the ini default, or the built-in one)."""
    config = request.config
    options = _options(request.node)
    scenario: Any = options.scenario
    if scenario is None and (default := str(config.getini("ips_mock_default_scenario"))):
        scenario = default
    if isinstance(scenario, str | Path):
        scenario = _scenario_path(config, request.node, scenario)
    start = datetime.fromisoformat(options.start) if isinstance(options.start, str) else options.start
    validate = options.validate_responses
    if validate is None:
        validate = bool(config.getini("ips_mock_validate_responses"))
    from .fake import FakeIps

    fake = FakeIps(scenario, start=start, validate_responses=validate)
    fake.base_url = ips_server.url
    session = config.stash[_SESSION]
    session.switch.app = fake
    request.node.stash[_FAKE] = (fake, options)
    yield fake
    session.switch.app = None
    # The item lives as long as the session; the fake, its state and its journal need not.
    del request.node.stash[_FAKE]


_FAKE = pytest.StashKey["tuple[FakeIps, IpsMarker]"]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None, None, None]:
    # Verify inside the call phase, so a problem in the fake fails the test itself (not an error at teardown).
    __tracebackhide__ = True
    try:
        result = yield
    finally:
        if (found := item.stash.get(_FAKE, None)) is not None:
            _save_transcripts(item, *found)  # the conversation, whether the test passed or not
    if found is not None:
        fake, options = found
        if options.verify:
            fake.verify()
    return result


def _save_transcripts(item: pytest.Item, fake: FakeIps, options: IpsMarker) -> None:
    description = f"saved from the test {item.nodeid}"
    if options.save_transcript is not None:
        path = Path(options.save_transcript)
        fake.save_transcript(
            path if path.is_absolute() else Path(str(item.path)).parent / path, description=description
        )
    if directory := item.config.getoption("--ips-save-transcripts"):
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.nodeid).strip("_")[:200] + ".yaml"
        fake.save_transcript(Path(directory) / name, description=description)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when != "call" or not report.failed:
        return report
    error = call.excinfo.value if call.excinfo is not None else None
    if error is not None and (summary := ips_fault_summary(error)) is not None:
        crash = getattr(report.longrepr, "reprcrash", None)
        if crash is not None:  # the short test summary line: the fault's code and reason, not just its type
            crash.message = summary
    found = item.stash.get(_FAKE, None)
    if found is not None:
        journal = found[0].journal.report()
        # verify() and the journal's assertions carry it in their message already: show it once.
        if error is None or journal not in _messages(error):
            report.sections.append(("ips-mock journal", journal))
    return report


def _messages(error: BaseException) -> str:
    """The text of ``error`` and of the exceptions it was raised from or during."""
    texts, seen = [], set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        texts.append(str(current))
        current = current.__cause__ or current.__context__
    return "\n".join(texts)


def ips_fault_summary(error: BaseException) -> str | None:
    """``ipsApiFault 30000: <reason>`` for a zeep ``Fault`` or a suds ``WebFault`` whose detail is an IPS fault
    (a ``code`` and a ``reason``), else None. Neither library is imported here unless the test already did."""
    zeep_exceptions = sys.modules.get("zeep.exceptions")
    if zeep_exceptions is not None and isinstance(error, zeep_exceptions.Fault):
        detail: Any = getattr(error, "detail", None)
        for element in detail if detail is not None else ():
            if not isinstance(element.tag, str):
                continue  # a comment or processing instruction
            code, reason = element.findtext("{*}code"), element.findtext("{*}reason")
            if code is not None:
                return _summary(re.sub(r"^\{.*\}", "", element.tag), code, reason)
    suds = sys.modules.get("suds")
    if suds is not None and isinstance(error, getattr(suds, "WebFault", ())):
        detail = getattr(getattr(error, "fault", None), "detail", None)
        try:
            items = list(detail) if detail is not None else []  # a suds Object iterates as (name, value)
        except TypeError:
            items = []
        for name, value in items:
            code = getattr(value, "code", None)
            if code is not None:
                return _summary(str(name), str(code), getattr(value, "reason", None))
    return None


def _summary(kind: str, code: str, reason: object) -> str:
    return f"{kind} {code.strip()}: {str(reason).strip()}" if reason is not None else f"{kind} {code.strip()}"


@pytest.fixture
def ips_client(ips: FakeIps) -> Any:
    """A zeep client on the WSDL the fake serves, signed in (HTTP Basic) as the scenario's first admin that may
    submit jobs (else its first admin, else its first user)."""
    try:
        import requests
        import zeep
    except ImportError:
        pytest.skip("ips_client needs zeep: pip install zeep")
    from .model.roles import ADMIN_ROLES, may_call

    users = ips.scenario.users
    # The first admin who may also submit jobs (IpsCompanyAdmin may not), else any admin, else the first user.
    user = (
        next((u for u in users if u.role in ADMIN_ROLES and may_call(u.role, "submitJob")), None)
        or next((u for u in users if u.role in ADMIN_ROLES), None)
        or next(iter(users), None)
    )
    if user is None:
        raise pytest.UsageError("ips_client needs a user in the scenario")
    session = requests.Session()
    session.auth = (user.email, user.password)
    client: Any = zeep.Client  # zeep ships no type hints
    transport: Any = zeep.Transport
    return client(_wsdl_document(ips.wsdl_url), transport=transport(session=session))


@functools.lru_cache(maxsize=16)
def _wsdl_document(url: str) -> Any:
    """The served WSDL as zeep reads it, once per process and URL: it describes every IPS operation, which takes
    zeep a good tenth of a second to read, and is the same for every fake served there."""
    import requests
    import zeep
    import zeep.wsdl

    document: Any = zeep.wsdl.Document  # zeep ships no type hints
    transport: Any = zeep.Transport
    with requests.Session() as session:
        return document(url, transport(session=session))


# ------------------------------------------------------------------------------------ collected replay files


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    config = parent.config
    if not config.getini("ips_mock_collect"):
        return None
    patterns = [str(p) for p in config.getini("ips_mock_collect_patterns")]
    if not any(fnmatch.fnmatch(file_path.name, pattern) for pattern in patterns):
        return None
    from .scenario.transcript import looks_like_transcript

    if looks_like_transcript(file_path) or _has_timeline(file_path):
        return ReplayFile.from_parent(parent, path=file_path)
    return None


def _has_timeline(path: Path) -> bool:
    try:
        text = path.read_text("utf-8", errors="replace")
    except OSError:
        return False
    return (
        re.search(r"^ips_mock:", text, re.MULTILINE) is not None
        and re.search(r"^timeline:", text, re.MULTILINE) is not None
    )


class ReplayFile(pytest.File):
    """A transcript or a scenario with a timeline: one test item that replays it."""

    def collect(self) -> Iterator[pytest.Item]:
        yield ReplayItem.from_parent(self, name=self.path.name)


class ReplayFailed(Exception):
    """The replay's report: the steps that differed."""


class ReplayItem(pytest.Item):
    def runtest(self) -> None:
        from .errors import ScenarioError
        from .scenario.transcript import load_transcript, looks_like_transcript

        lines: list[str] = []
        try:
            if looks_like_transcript(self.path):
                from .replay import replay_transcript

                default = str(self.config.getini("ips_mock_default_scenario")) or None
                outcomes = replay_transcript(load_transcript(self.path), scenario=default)
                lines = [str(o) for o in outcomes if not o.ok]
            else:
                from .replay import replay

                results, unmet = replay(self.path)
                lines = [str(r) for r in results if not r.ok] + [f"{problem} (expect)" for problem in unmet]
        except ScenarioError as exc:
            raise ReplayFailed(str(exc)) from None
        if lines:
            raise ReplayFailed("\n".join(lines))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, ReplayFailed):
            return f"replay of {self.path.name} differs:\n{excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int, str]:
        return self.path, 0, f"ips-mock replay of {self.path.name}"
