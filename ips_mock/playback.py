"""Playback: answer requests with the replies a transcript recorded, instead of modelling them.

A request matches a recorded call with the same transport, operation and parameters (read as plain data, secrets
redacted; credentials play no part). Identical requests get the recorded replies in recorded order, then the last
one again. A request with no match gets a 30000 fault naming the closest recorded call and how it differs, and
counts as unhandled (``fake.verify()``, ``GET /__admin/verify``).

``covers_all`` (``ips-mock serve --playback``) answers every operation from the transcript; otherwise (a scenario's
``playback``) only the operations the transcript holds, and the fake models the rest.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from lxml import etree

from .errors import FaultKind, IpsFault, OperationNotHandled, ScenarioError
from .protocol import ns
from .protocol.codec import in_namespace
from .protocol.compare import reply_payload
from .protocol.transport import IpsRequest
from .recording import parse_ips_request, redacted_params
from .scenario.transcript import Transcript, TranscriptStep

__all__ = ["Playback"]


@dataclass(frozen=True)
class _Recorded:
    step: TranscriptStep
    where: str
    transport: str
    operation: str
    params: Any
    payload: etree._Element | None


class Playback:
    def __init__(self, transcript: Transcript, *, covers_all: bool = False) -> None:
        self.transcript = transcript
        self.covers_all = covers_all
        self._recorded: list[_Recorded] = []
        for step in transcript.calls:
            request = parse_ips_request(
                step.request.encode("utf-8"),
                path=step.path,
                content_type=step.content_type,
                soap_action=step.soap_action,
            )
            if request is None or step.reply is None or request.operation != step.call:
                raise ScenarioError(
                    f"{transcript.where(step.index)}: request is not an IPS request for {step.path} "
                    f"(a SOAP envelope, or a plain-XML <Request>, holding one <{step.call}Param>)"
                )
            self._recorded.append(
                _Recorded(
                    step,
                    transcript.where(step.index),
                    request.transport.value,
                    request.operation,
                    redacted_params(request),
                    _strip_blank(reply_payload(step.reply.body.encode("utf-8"))),
                )
            )
        self.operations = frozenset(r.operation for r in self._recorded)
        self._served: dict[int, int] = {}
        self._lock = threading.Lock()

    def reset(self) -> None:
        with self._lock:
            self._served.clear()

    def covers(self, operation: str) -> bool:
        return self.covers_all or operation in self.operations

    def answer(self, request: IpsRequest) -> etree._Element | None:
        """The recorded ``<op>Return`` for ``request`` (in the request's namespace), None when the transcript does
        not cover its operation; raises the recorded fault, or a 30000 naming the closest call when none matches."""
        if not self.covers(request.operation):
            return None
        params = redacted_params(request)
        matches = [
            r
            for r in self._recorded
            if (r.transport, r.operation) == (request.transport.value, request.operation) and r.params == params
        ]
        if not matches:
            raise OperationNotHandled(IpsFault.EXCEPTION, self._closest(request, params))
        key = id(matches[0])
        with self._lock:
            served = self._served.get(key, 0)
            self._served[key] = served + 1
        chosen = matches[min(served, len(matches) - 1)]
        payload = chosen.payload
        if payload is None:
            raise IpsFault(
                IpsFault.EXCEPTION, f"ips-mock playback: {chosen.where} recorded a reply that is not IPS XML"
            )
        name = etree.QName(payload)
        if name.namespace == ns.FLT and name.localname in {kind.value for kind in FaultKind}:
            code = int(payload.findtext(f"{{{ns.FLT}}}code") or IpsFault.EXCEPTION)
            raise IpsFault(code, payload.findtext(f"{{{ns.FLT}}}reason") or "", kind=FaultKind(name.localname))
        return in_namespace(payload, request.api_version.namespace)

    def _closest(self, request: IpsRequest, params: Any) -> str:
        asked = (
            f"ips-mock playback has no recorded {request.operation} over {request.transport.value} "
            "with these parameters"
        )
        candidates = [r for r in self._recorded if r.operation == request.operation] or self._recorded
        if not candidates:
            return f"{asked}; the transcript records no calls"
        wanted = dict(_flatten(params))

        def distance(r: _Recorded) -> int:
            have = dict(_flatten(r.params))
            keys = wanted.keys() | have.keys()
            changed = sum(1 for k in keys if wanted.get(k) != have.get(k))
            return changed + (100 if r.transport != request.transport.value else 0)

        best = min(candidates, key=distance)
        have = dict(_flatten(best.params))
        changes = [
            f"{key}: recorded {have.get(key)!r}, got {wanted.get(key)!r}"
            for key in sorted(wanted.keys() | have.keys())
            if wanted.get(key) != have.get(key)
        ]
        if best.transport != request.transport.value:
            changes.insert(0, f"transport: recorded {best.transport}, got {request.transport.value}")
        if best.operation != request.operation:
            changes.insert(0, f"operation: recorded {best.operation}, got {request.operation}")
        return f"{asked}; the closest is {best.where}, which differs in " + "; ".join(changes[:5])


def _flatten(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _flatten(item, f"{prefix}/{key}" if prefix else str(key))
    elif isinstance(value, list):
        for i, item in enumerate(value, start=1):
            yield from _flatten(item, f"{prefix}[{i}]")
    else:
        yield prefix, value


def _strip_blank(element: etree._Element | None) -> etree._Element | None:
    """The payload without the indentation a transcript adds between elements."""
    if element is None:
        return None
    for el in element.iter():
        if len(el) and el.text is not None and not el.text.strip():
            el.text = None
        if el.tail is not None and not el.tail.strip():
            el.tail = None
    return element
