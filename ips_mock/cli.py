"""The ``ips-mock`` command (also ``python -m ips_mock``)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

from .app import DEFAULT_MAX_REQUEST_BYTES
from .errors import ScenarioError
from .fake import FakeIps
from .protocol.xml import DEFAULT_PARSE_LIMITS
from .requestlog import RequestLog, configure_logging
from .scenario import DEFAULT_SCENARIO, load_scenario
from .server import DEFAULT_READ_TIMEOUT, ServerThread
from .standalone import DEFAULT_MAX_JSON_BYTES, DEFAULT_MAX_SCENARIO_BYTES, AdminPolicy, StandaloneApp
from .tenants import DEFAULT_MAX_TENANTS, DEFAULT_TENANT_IDLE_TIMEOUT
from .ticker import Ticker

__all__ = ["main"]

TOKEN_VARIABLE = "IPS_MOCK_ADMIN_TOKEN"
USAGE_ERROR = 2  # bad arguments, or serve could not start


class _Parser(argparse.ArgumentParser):
    """Usage errors in one line (argparse prints the whole usage first)."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


class _VersionAction(argparse._VersionAction):
    """``--version``, with the version read only when asked for (reading package metadata slows every start)."""

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        from . import __version__

        self.version = f"ips-mock {__version__}"
        super().__call__(parser, *args, **kwargs)


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be 0-65535 (0: any free port), not {port}")
    return port


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"give a number of at least 1, not {value}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value < 1e9:
        raise argparse.ArgumentTypeError(f"give a positive number of seconds, not {text}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="ips-mock", description="A fake Adobe Dynamic Media Classic IPS API.")
    parser.add_argument("--version", action=_VersionAction)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser(
        "serve",
        help="serve the fake over HTTP until interrupted",
        description="Serve the IPS API, the JSON admin API under /__admin/, and tenants under /t/<name>/.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    serve.add_argument("--port", type=_port, default=8080, help="port to bind, 0 for any free one (default: 8080)")
    serve.add_argument("--scenario", help="scenario file (default: the built-in default scenario)")
    serve.add_argument("--playback", metavar="FILE", help="answer every request with the replies a transcript recorded")
    serve.add_argument(
        "--url-file",
        metavar="FILE",
        help="write the server's URL to FILE once it is ready (removed again when the server stops)",
    )
    serve.add_argument(
        "--clock",
        choices=("manual", "wall"),
        default="manual",
        help="manual: the virtual clock moves only through the admin API; wall: it also follows real time from "
        "the scenario's clock.start, and due work runs by itself (default: %(default)s)",
    )
    serve.add_argument(
        "--tick-interval",
        type=_seconds,
        default=1.0,
        metavar="SECONDS",
        help="with --clock wall, how often due work runs (default: %(default)g)",
    )
    serve.add_argument(
        "--allow-callback-host",
        metavar="HOST",
        action="append",
        default=[],
        help="a host beside loopback that the HTTP calls of ended runs (postHttpUrl, httpCompletionUrl) may go to "
        "(repeatable; '*' for any)",
    )
    serve.add_argument(
        "--basic-challenge",
        action="store_true",
        help="answer IPS requests without credentials 401 with WWW-Authenticate: Basic (IPS itself answers fault "
        "10000) for clients that send HTTP Basic only when challenged, like suds' default transport",
    )
    logs = serve.add_argument_group("request log (stderr)")
    logs.add_argument(
        "--log-format", choices=("text", "json"), default="text", help="one line per request (default: %(default)s)"
    )
    logs.add_argument(
        "--log-level",
        choices=("debug", "info", "warning", "error"),
        default="info",
        help="info: every request; warning: faults and HTTP errors only; debug: also the raw bodies "
        "(default: %(default)s)",
    )
    admin = serve.add_argument_group("admin API")
    admin.add_argument(
        "--admin-token",
        default=os.environ.get(TOKEN_VARIABLE) or None,
        metavar="TOKEN",
        help=f"require 'Authorization: Bearer TOKEN' on every admin request (default: ${TOKEN_VARIABLE}); "
        "needed to bind an address other than loopback",
    )
    admin.add_argument(
        "--allow-host",
        action="append",
        default=[],
        metavar="NAME",
        help="also accept admin requests whose Host header names NAME (repeatable; '*': any)",
    )
    admin.add_argument(
        "--allow-origin",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="also accept admin requests from web pages at ORIGIN, e.g. http://localhost:3000 (repeatable)",
    )
    limits = serve.add_argument_group("limits")
    limits.add_argument(
        "--read-timeout",
        type=_seconds,
        default=DEFAULT_READ_TIMEOUT,
        metavar="SECONDS",
        help="a request (line, headers, body) must arrive within this, else 408 (default: %(default)g)",
    )
    limits.add_argument(
        "--max-request-bytes",
        type=_positive_int,
        default=DEFAULT_MAX_REQUEST_BYTES,
        metavar="N",
        help="largest SOAP request body (default: %(default)d)",
    )
    limits.add_argument(
        "--max-xml-elements",
        type=_positive_int,
        default=DEFAULT_PARSE_LIMITS.max_elements,
        metavar="N",
        help="most elements in one request (default: %(default)d)",
    )
    limits.add_argument(
        "--max-xml-depth",
        type=_positive_int,
        default=DEFAULT_PARSE_LIMITS.max_depth,
        metavar="N",
        help="deepest nesting in one request (default: %(default)d)",
    )
    limits.add_argument(
        "--max-scenario-bytes",
        type=_positive_int,
        default=DEFAULT_MAX_SCENARIO_BYTES,
        metavar="N",
        help="largest scenario uploaded to /__admin/scenario (default: %(default)d)",
    )
    limits.add_argument(
        "--max-json-bytes",
        type=_positive_int,
        default=DEFAULT_MAX_JSON_BYTES,
        metavar="N",
        help="largest body of the other admin endpoints (default: %(default)d)",
    )
    limits.add_argument(
        "--max-tenants",
        type=_positive_int,
        default=DEFAULT_MAX_TENANTS,
        metavar="N",
        help="tenants alive at once; the one idle longest makes room (default: %(default)d)",
    )
    limits.add_argument(
        "--tenant-idle-timeout",
        type=_seconds,
        default=DEFAULT_TENANT_IDLE_TIMEOUT,
        metavar="SECONDS",
        help="drop a tenant nobody used for this long (default: %(default)g)",
    )
    serve.add_argument(
        "--validate-responses",
        action="store_true",
        help="check every reply against ips-mock's schema; a violation shows in /__admin/verify",
    )
    check = commands.add_parser("check", help="validate scenario and transcript files")
    check.add_argument("files", nargs="+", metavar="FILE")
    replay = commands.add_parser(
        "replay", help="run a scenario's timeline, or re-send a transcript and compare the replies"
    )
    replay.add_argument("file", metavar="FILE")
    replay.add_argument("--target", metavar="URL", help="send a transcript's calls here (default: a fresh fake)")
    replay.add_argument("--scenario", metavar="FILE", help="the fresh fake's scenario (default: the built-in one)")
    replay.add_argument(
        "--auth",
        metavar="USER:PASSWORD",
        action="append",
        default=[],
        help="the password of a recorded user (repeatable; default: the scenario's users)",
    )
    replay.add_argument("--json", action="store_true", help="print the outcome as JSON")
    record = commands.add_parser("record", help="record a conversation with an IPS server through a proxy")
    record.add_argument("--target", required=True, metavar="URL", help="the IPS server (or ips-mock) to record")
    record.add_argument("--out", required=True, metavar="FILE", help="the transcript to write")
    record.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    record.add_argument("--port", type=_port, default=8081, help="port to bind, 0 for any free one (default: 8081)")
    record.add_argument(
        "--redact",
        metavar="XPATH",
        action="append",
        default=[],
        help="also redact the text of the request elements this XPath selects (repeatable)",
    )
    return parser


def _check(args: argparse.Namespace) -> int:
    from .scenario.transcript import load_transcript, looks_like_transcript

    failed = False
    for path in args.files:
        try:
            if looks_like_transcript(path):
                load_transcript(path)
            else:
                FakeIps(path)
        except ScenarioError as exc:
            failed = True
            print(exc)
        else:
            print(f"{path}: ok")
    return 1 if failed else 0


def _replay(args: argparse.Namespace) -> int:
    from .scenario.transcript import looks_like_transcript

    if looks_like_transcript(args.file):
        return _replay_transcript(args)
    if args.target or args.auth or args.scenario:
        print("ips-mock: --target, --scenario and --auth apply to transcripts only", file=sys.stderr)
        return 2
    from .replay import replay

    try:
        results, unmet = replay(args.file)
    except ScenarioError as exc:
        print(f"ips-mock: {exc}", file=sys.stderr)
        return 1
    for result in results:
        print(result)
    for problem in unmet:
        print(f"{problem} (expect)")
    failures = sum(not r.ok for r in results) + len(unmet)
    print(f"{len(results)} steps, {failures} failed" if failures else f"{len(results)} steps, all as expected")
    return 1 if failures else 0


def _replay_transcript(args: argparse.Namespace) -> int:
    from .replay import replay_transcript
    from .scenario.transcript import load_transcript

    auth = {}
    for pair in args.auth:
        user, sep, password = pair.partition(":")
        if not sep or not user:
            print(f"ips-mock: --auth {pair!r} is not USER:PASSWORD", file=sys.stderr)
            return 2
        auth[user] = password
    try:
        outcomes = replay_transcript(load_transcript(args.file), target=args.target, scenario=args.scenario, auth=auth)
    except (ScenarioError, ValueError) as exc:
        print(f"ips-mock: {exc}", file=sys.stderr)
        return 1
    failed = [o for o in outcomes if not o.ok]
    if args.json:
        print(json.dumps({"ok": not failed, "steps": [o.as_json() for o in outcomes]}, indent=2))
    else:
        for outcome in outcomes:
            print(outcome)
        calls = sum(1 for o in outcomes if not o.summary.startswith("advance"))
        print(f"{calls} calls, {len(failed)} different" if failed else f"{calls} calls, all as recorded")
    return 1 if failed else 0


def _record(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from .recording import Recorder
    from .scenario.transcript import TranscriptWriter

    try:
        stream = open(args.out, "w", encoding="utf-8")  # noqa: SIM115 - closed in the finally below
    except OSError as exc:
        print(f"ips-mock: cannot write {args.out}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    try:
        writer = TranscriptWriter(
            stream,
            description=f"recorded by ips-mock record from {args.target}",
            target=args.target,
            recorded_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        try:
            recorder = Recorder(args.target, writer, redact_xpaths=args.redact)
        except ValueError as exc:
            print(f"ips-mock: {exc}", file=sys.stderr)
            return 2
        try:
            server = ServerThread(recorder, host=args.host, port=args.port).start()
        except OSError as exc:
            print(f"ips-mock: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        recorder.proxy_url = server.url
        with _stop_signals() as stop:
            print(f"ips-mock recording on {server.url}", flush=True)
            _wait(stop)
        server.stop()
        print(f"ips-mock recorded {writer.steps} steps to {args.out}", flush=True)
        return 0
    finally:
        stream.close()


@contextmanager
def _stop_signals() -> Iterator[threading.Event]:
    """An event SIGINT and SIGTERM set, for the block's length. Installed before a server says it is listening,
    so a signal sent as soon as the URL is printed is never missed; setting an event (rather than raising
    KeyboardInterrupt inside Event.wait, whose lock it can break) ends the process without a traceback."""
    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _wait(stop: threading.Event) -> None:
    while not stop.wait(0.2):
        pass


def is_loopback(host: str) -> bool:
    """Whether binding ``host`` keeps the server on this machine (a name other than localhost may not)."""
    if host in ("127.0.0.1", "::1", "[::1]"):  # the default: no need to import ipaddress
        return True
    try:
        import ipaddress

        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return host.lower() == "localhost"


def _fail(message: str) -> int:
    print(f"ips-mock: {message}", file=sys.stderr)
    return USAGE_ERROR


def _serve(args: argparse.Namespace) -> int:
    if not is_loopback(args.host) and not args.admin_token:
        return _fail(
            f"refusing to serve on {args.host} without an admin token: anyone who can reach it could drive the "
            f"admin API; give --admin-token TOKEN (or set {TOKEN_VARIABLE}), or bind 127.0.0.1"
        )
    policy = AdminPolicy(
        token=args.admin_token,
        allowed_hosts=frozenset(name.lower().strip("[]") for name in args.allow_host),
        allowed_origins=frozenset(origin.rstrip("/") for origin in args.allow_origin),
    )
    try:
        playback = None
        if args.playback:
            from .scenario.transcript import load_transcript

            playback = load_transcript(args.playback)
        app = StandaloneApp(
            load_scenario(args.scenario or DEFAULT_SCENARIO),
            playback=playback,
            max_request_bytes=args.max_request_bytes,
            validate_responses=args.validate_responses,
            max_scenario_bytes=args.max_scenario_bytes,
            max_json_bytes=args.max_json_bytes,
            max_tenants=args.max_tenants,
            tenant_idle_timeout=args.tenant_idle_timeout,
            policy=policy,
            clock_mode=args.clock,
            challenge_basic=args.basic_challenge,
            callback_hosts=tuple(args.allow_callback_host),
            parse_limits=replace(
                DEFAULT_PARSE_LIMITS, max_elements=args.max_xml_elements, max_depth=args.max_xml_depth
            ),
        )
    except ScenarioError as exc:
        return _fail(str(exc))
    handler = configure_logging(level=args.log_level, log_format=args.log_format)
    try:
        return _run_server(app, args)
    finally:
        logging.getLogger("ips_mock").removeHandler(handler)


def _run_server(app: StandaloneApp, args: argparse.Namespace) -> int:
    def virtual_time_of(tenant: str | None) -> datetime | None:
        fake = app.default if tenant is None else app.tenants.get(tenant)
        return fake.now() if fake is not None else None

    logged = RequestLog(app, virtual_time_of=virtual_time_of)
    try:
        server = ServerThread(logged, host=args.host, port=args.port, read_timeout=args.read_timeout).start()
    except (OSError, OverflowError) as exc:
        return _fail(f"cannot listen on {args.host}:{args.port}: {getattr(exc, 'strerror', None) or exc}")
    ticker = Ticker(lambda: [app.default, *app.tenants.values()], interval=args.tick_interval)
    url_file = Path(args.url_file) if args.url_file else None
    with _stop_signals() as stop:
        try:
            if args.clock == "wall":
                ticker.start()
            if url_file is not None:
                try:
                    _write_atomically(url_file, server.url + "\n")
                except OSError as exc:
                    return _fail(f"cannot write the URL to {url_file}: {exc.strerror or exc}")
            print(f"ips-mock listening on {server.url}", flush=True)
            print(f"dashboard: {server.url}/__admin/ui/", flush=True)
            _wait(stop)
        finally:
            ticker.stop()
            server.stop()
            logged.drain(timeout=5.0)  # the lines of requests answered just before the stop
            if url_file is not None:
                url_file.unlink(missing_ok=True)
    print("ips-mock stopped", flush=True)
    return 0


def _write_atomically(path: Path, text: str) -> None:
    """Whoever polls for ``path`` sees it whole or not at all."""
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "serve":
        return _serve(args)
    if args.command == "check":
        return _check(args)
    if args.command == "replay":
        return _replay(args)
    if args.command == "record":
        return _record(args)
    raise AssertionError(f"unhandled command {args.command}")  # argparse rejects unknown commands first


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
