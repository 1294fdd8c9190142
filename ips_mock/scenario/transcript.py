"""Transcripts: a recorded IPS conversation as a versioned YAML document (``ips_mock_transcript: 1``).

A transcript is scenario-like: its ``timeline`` holds the calls in order, ``advance`` steps for the time that
passed between them, and for each call the raw request (credentials redacted) and the reply that came back.
``ips-mock record`` writes one as it goes (each step appended whole, so a crash loses at most the step being
written); ``fake.journal`` can be saved as one; ``ips-mock replay`` re-sends it and compares, and playback
answers from it. Validation is the shipped JSON Schema (``transcript.schema.json``), errors at file:line.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from importlib import resources
from pathlib import Path
from typing import IO, Any, Final

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import LiteralScalarString

from .loader import DEFAULT_SCENARIO_LIMITS, ScenarioLimits, _Errors, _guarded, _read, parse_duration

__all__ = [
    "TRANSCRIPT_KEY",
    "RecordedReply",
    "Transcript",
    "TranscriptStep",
    "TranscriptWriter",
    "is_transcript",
    "load_transcript",
    "looks_like_transcript",
    "transcript_json_schema",
]

TRANSCRIPT_KEY: Final = "ips_mock_transcript"


def transcript_json_schema() -> dict[str, Any]:
    """The JSON Schema of the transcript format (shipped as ``ips_mock/scenario/transcript.schema.json``)."""
    text = resources.files("ips_mock.scenario").joinpath("transcript.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@dataclass(frozen=True)
class RecordedReply:
    status: int
    body: str
    content_type: str | None = None


@dataclass(frozen=True)
class TranscriptStep:
    """One step: an ``advance`` of the clock, or one recorded call."""

    index: int
    advance: timedelta | None = None
    call: str | None = None
    version: str = "2014-04-03"
    transport: str = "soap11"
    user: str | None = None
    credentials: str = "authHeader"
    path: str = "/scene7/services/IpsApiService"
    content_type: str | None = None
    soap_action: str | None = None
    virtual_time: str | None = None
    params: Any = None
    request: str = ""
    reply: RecordedReply | None = None


@dataclass(frozen=True)
class Transcript:
    source: str
    data: Mapping[str, Any]
    steps: tuple[TranscriptStep, ...]
    normalize: Mapping[str, Any] = field(default_factory=dict)
    description: str | None = None
    target: str | None = None

    @property
    def calls(self) -> tuple[TranscriptStep, ...]:
        return tuple(step for step in self.steps if step.call is not None)

    def where(self, index: int) -> str:
        """``file:line: timeline[i]`` of step ``index``, for messages."""
        return _Errors(self.source, self.data).locate(["timeline", index])[1]


def is_transcript(document: Any) -> bool:
    return isinstance(document, Mapping) and TRANSCRIPT_KEY in document


def looks_like_transcript(path: str | Path) -> bool:
    """Whether a file declares the transcript format (its version key in the first lines), without parsing it."""
    try:
        with Path(path).open(encoding="utf-8", errors="replace") as stream:
            head = [stream.readline() for _ in range(20)]
    except OSError:
        return False
    return any(line.startswith(f"{TRANSCRIPT_KEY}:") for line in head)


def load_transcript(source: str | Path | Mapping[str, Any], *, limits: ScenarioLimits | None = None) -> Transcript:
    """Read and validate a transcript; raise :class:`ScenarioError` listing every problem, at file:line.

    Reading is bounded as a scenario's is (``limits``, default :class:`ScenarioLimits`)."""
    name = "<mapping>" if isinstance(source, Mapping) else str(source)
    return _guarded(name, lambda: _load_transcript(source, limits or DEFAULT_SCENARIO_LIMITS))


def _load_transcript(source: str | Path | Mapping[str, Any], limits: ScenarioLimits) -> Transcript:
    name, document = _read(source, limits)
    errors = _Errors(name, document)
    import jsonschema  # slow to import: only when a transcript is read

    validator = jsonschema.Draft202012Validator(transcript_json_schema())
    for error in validator.iter_errors(document):
        path = list(error.absolute_path)
        if error.validator == "oneOf" and path[:1] == ["timeline"] and isinstance(error.instance, Mapping):
            errors.add(path, _step_problem(error.instance))
        else:
            errors.add(path, str(error.message)[:300])
    errors.raise_if_any()
    steps = []
    for index, raw in enumerate(document.get("timeline") or ()):
        if "advance" in raw:
            try:
                steps.append(TranscriptStep(index, advance=parse_duration(raw["advance"])))
            except ValueError as exc:
                errors.add(["timeline", index, "advance"], str(exc))
            continue
        reply = raw["reply"]
        steps.append(
            TranscriptStep(
                index,
                call=raw["call"],
                version=str(raw.get("version", "2014-04-03")),
                transport=raw.get("transport", "soap11"),
                user=raw.get("as"),
                credentials=raw.get("credentials", "authHeader" if raw.get("as") else "none"),
                path=raw.get("path", "/scene7/services/IpsApiService"),
                content_type=raw.get("content_type"),
                soap_action=raw.get("soap_action"),
                virtual_time=raw.get("virtual_time"),
                params=_plain(raw.get("params")),
                request=str(raw["request"]),
                reply=RecordedReply(int(reply["status"]), str(reply["body"]), reply.get("content_type")),
            )
        )
    errors.raise_if_any()
    return Transcript(
        name,
        document,
        tuple(steps),
        normalize=_plain(document.get("normalize") or {}),
        description=document.get("description"),
        target=document.get("target"),
    )


def _step_problem(step: Mapping[str, Any]) -> str:
    if "advance" in step:
        extra = sorted(set(step) - {"advance"})
        return f"an advance step holds only advance, not {', '.join(extra)}"
    missing = [key for key in ("call", "request", "reply") if key not in step]
    if missing:
        return f"a call step needs call, request and reply; missing {', '.join(missing)}"
    return "not a valid call step: check transport, credentials, path and reply (status, body)"


def _plain(value: Any) -> Any:
    """ruamel's commented containers as plain dicts and lists (for equality and JSON)."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


# --------------------------------------------------------------------------------------------------- writing


def _yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.width = 4096  # long lines stay whole: request bodies are block scalars anyway
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def _block(text: str) -> str:
    """Multi-line text as a literal block (``|-``), diff-friendly; one line stays a plain scalar."""
    return LiteralScalarString(text) if "\n" in text else text


class TranscriptWriter:
    """Writes a transcript step by step to a text stream, flushing after each, so it is valid YAML whenever a
    step has been written whole. Bodies are written as given (the recorder redacts and indents them first)."""

    def __init__(
        self,
        stream: IO[str],
        *,
        description: str | None = None,
        target: str | None = None,
        recorded_at: str | None = None,
    ) -> None:
        self.stream = stream
        self.steps = 0
        header: dict[str, Any] = {TRANSCRIPT_KEY: 1}
        for key, value in (("description", description), ("target", target), ("recorded_at", recorded_at)):
            if value is not None:
                header[key] = value
        self._write(header)

    def _write(self, data: Any) -> None:
        buffer = io.StringIO()
        _yaml().dump(data, buffer)
        self.stream.write(buffer.getvalue())
        self.stream.flush()

    def advance(self, delta: timedelta) -> None:
        seconds = round(delta.total_seconds(), 3)
        if seconds > 0:
            self._step({"advance": f"{seconds:g}s"})

    def call(
        self,
        *,
        operation: str,
        version: str,
        transport: str,
        user: str | None,
        credentials: str,
        path: str,
        content_type: str | None,
        soap_action: str | None,
        at: str | None,
        virtual_time: str | None,
        params: Any,
        request: str,
        status: int,
        reply_content_type: str | None,
        reply: str,
    ) -> None:
        step: dict[str, Any] = {
            "call": operation,
            "version": version,
            "transport": transport,
            "as": user,
            "credentials": credentials,
            "path": path,
            "content_type": content_type,
            "soap_action": soap_action,
        }
        if at is not None:
            step["at"] = at
        if virtual_time is not None:
            step["virtual_time"] = virtual_time
        step["params"] = params
        step["request"] = _block(request)
        step["reply"] = {"status": status, "content_type": reply_content_type, "body": _block(reply)}
        self._step(step)

    def _step(self, step: Mapping[str, Any]) -> None:
        if self.steps == 0:
            self.stream.write("timeline:\n")
        self._write([dict(step)])
        self.steps += 1
