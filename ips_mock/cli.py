"""The ``ips-mock`` command (also ``python -m ips_mock``)."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType

from .errors import ScenarioError
from .fake import FakeIps
from .scenario import DEFAULT_SCENARIO, load_scenario
from .server import ServerThread
from .standalone import StandaloneApp

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ips-mock", description="A fake Adobe Dynamic Media Classic IPS API.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser("serve", help="serve the fake over HTTP until interrupted")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    serve.add_argument("--port", type=int, default=8080, help="port to bind, 0 for any free one (default: %(default)s)")
    serve.add_argument("--scenario", help="scenario file (default: the built-in default scenario)")
    check = commands.add_parser("check", help="validate scenario files")
    check.add_argument("files", nargs="+", metavar="FILE")
    replay = commands.add_parser("replay", help="run a scenario's timeline and report differences")
    replay.add_argument("file", metavar="FILE")
    return parser


def _check(args: argparse.Namespace) -> int:
    failed = False
    for path in args.files:
        try:
            FakeIps(path)
        except ScenarioError as exc:
            failed = True
            print(exc)
        else:
            print(f"{path}: ok")
    return 1 if failed else 0


def _replay(args: argparse.Namespace) -> int:
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


def _serve(args: argparse.Namespace) -> int:
    try:
        app = StandaloneApp(load_scenario(args.scenario or DEFAULT_SCENARIO))
    except ScenarioError as exc:
        print(f"ips-mock: {exc}", file=sys.stderr)
        return 1
    try:
        server = ServerThread(app, host=args.host, port=args.port, log_requests=True).start()
    except OSError as exc:
        print(f"ips-mock: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    stop = threading.Event()

    def _on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    # Ctrl-C and SIGTERM both just set the event: a KeyboardInterrupt raised inside Event.wait can leave its
    # lock in a broken state and end the process with a traceback.
    previous = {sig: signal.signal(sig, _on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    print(f"ips-mock listening on {server.url}", flush=True)
    try:
        while not stop.wait(0.2):
            pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        server.stop()
    print("ips-mock stopped", flush=True)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "serve":
        return _serve(args)
    if args.command == "check":
        return _check(args)
    if args.command == "replay":
        return _replay(args)
    raise AssertionError(f"unhandled command {args.command}")  # argparse rejects unknown commands first


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
