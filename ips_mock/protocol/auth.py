"""Read the caller's credentials from any of the four IPS carriers (IPS-REFERENCE §2.1).

Precedence when several are sent (the docs are silent; README "Choices"): an authHeader that names a user, then
HTTP Basic, then the pre-3.8 AuthUser/AuthPassword headers. The reply-shaping fields (locale, gzipResponse,
faultHttpStatusCode) are always taken from the authHeader when one is present, whoever supplied the password.
Both authHeader forms are read in any element order.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from lxml import etree

from ..errors import IpsFault
from . import ns
from .ns import version_for_namespace

__all__ = ["Credentials", "read_credentials"]

_DIGITS: Final = re.compile(r"[0-9]+")

_HEADER_FIELDS: Final = (
    "user",
    "password",
    "accessToken",
    "samlResponse",
    "locale",
    "appName",
    "appVersion",
    "gzipResponse",
    "faultHttpStatusCode",
)


@dataclass(frozen=True)
class Credentials:
    """Who the request says it is, and how it wants its reply shaped."""

    user: str | None = None
    password: str | None = None
    access_token: str | None = None
    carrier: str | None = None
    """``authHeader``, ``basic`` or ``AuthUser``; None when no credentials came at all."""
    locale: str | None = None
    app_name: str | None = None
    app_version: str | None = None
    gzip_response: bool | None = None
    fault_http_status: int | None = None
    header_note: str | None = None
    """Why an authHeader that came gave no credentials, when its fields are in another namespace than its own
    (a PHP SoapClient given a plain object sends them unqualified): said with the 10000 fault."""


NO_CREDENTIALS: Final = Credentials()
"""What a request carries before its credentials are read (frozen: one for all)."""


class _AuthHeader:
    """A request's authHeader as read (a plain class: a NamedTuple would add to every server start)."""

    __slots__ = ("fields", "misplaced", "namespace")

    def __init__(self, fields: dict[str, str], misplaced: tuple[str, ...] = (), namespace: str = "") -> None:
        self.fields = fields
        """Its fields, by name."""
        self.misplaced = misplaced
        """The names of its fields in another namespace than its own: not read (the schema qualifies them)."""
        self.namespace = namespace


_NO_AUTH_HEADER: Final = _AuthHeader({})


def _auth_header(headers: Iterable[etree._Element]) -> _AuthHeader:
    """The request's authHeader (the first in the legacy namespace or an API version's)."""
    for header in headers:
        qname = etree.QName(header)
        if qname.localname == "authHeader" and (
            qname.namespace == ns.FLT or version_for_namespace(qname.namespace or "")
        ):
            fields = {}
            misplaced = []
            for child in header:
                if not isinstance(child.tag, str):
                    continue
                child_name = etree.QName(child)
                if child_name.localname not in _HEADER_FIELDS:
                    continue
                if child_name.namespace == qname.namespace:
                    fields[child_name.localname] = (child.text or "").strip()
                else:
                    misplaced.append(child_name.localname)
            return _AuthHeader(fields, tuple(misplaced), qname.namespace or "")
    return _NO_AUTH_HEADER


def _header_note(header: _AuthHeader) -> str:
    names = header.misplaced
    verb = "is" if len(names) == 1 else "are"
    where = f"not in its namespace {header.namespace} (the schema qualifies every field)"
    return f"the authHeader's {', '.join(names)} {verb} {where}"


def _legacy_headers(headers: Iterable[etree._Element]) -> tuple[str | None, str | None]:
    user = password = None
    for header in headers:
        if header.tag == f"{{{ns.TNS}}}AuthUser":
            user = (header.text or "").strip()
        elif header.tag == f"{{{ns.TNS}}}AuthPassword":
            password = header.text or ""
    return user, password


def _basic(authorization: str | None) -> tuple[str, str] | None:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "basic" or not token.strip():
        return None
    try:
        raw = base64.b64decode(token.strip(), validate=True)
    except binascii.Error:
        try:
            # suds-community 1.2.0's HttpAuthenticated encodes with the URL-safe alphabet ('-', '_'): accepted
            # as a lenient fallback (README "Choices").
            raw = base64.b64decode(token.strip(), altchars=b"-_", validate=True)
        except binascii.Error:
            return None  # a malformed Basic header counts as no Basic header
    try:
        decoded = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    user, sep, password = decoded.partition(":")
    return (user, password) if sep else None


def _parse_bool(name: str, value: str | None) -> bool | None:
    if value is None or value == "":
        return None
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise IpsFault.invalid_parameter(f"authHeader/{name}", f"{value!r} is not a valid xsd:boolean")


def _parse_status(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    # 1xx would end the exchange without a body, 204/304 must not carry one: a fault needs its body.
    if not _DIGITS.fullmatch(value) or not 200 <= int(value) <= 599 or int(value) in (204, 304):
        raise IpsFault.invalid_parameter(
            "authHeader/faultHttpStatusCode", f"{value!r} is not an HTTP status a fault can be sent with (200-599)"
        )
    return int(value)


def read_reply_options(headers: Iterable[etree._Element]) -> Credentials:
    """Only the reply-shaping fields; never raises (used to shape faults raised before full parsing)."""
    fields = _auth_header(headers).fields
    try:
        status = _parse_status(fields.get("faultHttpStatusCode"))
    except IpsFault:
        status = None
    return Credentials(fault_http_status=status)


def read_credentials(headers: Iterable[etree._Element], authorization: str | None) -> Credentials:
    """Collect credentials and reply options; raise 30001 for a malformed authHeader value."""
    headers = tuple(headers)
    header = _auth_header(headers)
    fields = header.fields
    gzip_response = _parse_bool("gzipResponse", fields.get("gzipResponse"))
    fault_http_status = _parse_status(fields.get("faultHttpStatusCode"))
    user = password = access_token = carrier = None
    if fields.get("user"):
        user, password, carrier = fields["user"], fields.get("password"), "authHeader"
        access_token = fields.get("accessToken") or None
    elif basic := _basic(authorization):
        (user, password), carrier = basic, "basic"
    else:
        legacy_user, legacy_password = _legacy_headers(headers)
        if legacy_user:
            user, password, carrier = legacy_user, legacy_password, "AuthUser"
        elif fields.get("accessToken"):
            access_token, carrier = fields["accessToken"], "authHeader"
    return Credentials(
        user,
        password,
        access_token,
        carrier,
        locale=fields.get("locale") or None,
        app_name=fields.get("appName"),
        app_version=fields.get("appVersion"),
        gzip_response=gzip_response,
        fault_http_status=fault_http_status,
        header_note=_header_note(header) if header.misplaced and carrier is None else None,
    )
