"""Helpers for ips-mock's own tests and for downstream projects' tests.

Nothing here is imported by the fake itself. The real IPS WSDLs are not part of the package: they are looked up in
``$IPS_MOCK_WSDL_DIR`` or in ``../shared/ips-wsdl`` beside the checkout, and a missing file is an error that says
where it was looked for, never a silent skip.
"""

from __future__ import annotations

import functools
import gzip
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from lxml import etree

from .model.catalog import Asset, asset_type_for
from .protocol import ns
from .protocol.client import append_params
from .protocol.schema import FAULT_ELEMENTS, schema_for
from .protocol.wsdl import compiled_schemas, wsdl_schemas

__all__ = [
    "REAL_WSDL_VERSIONS",
    "InvalidReplyError",
    "PlainXmlTestClient",
    "SoapReply",
    "SoapTestClient",
    "WsdlNotFoundError",
    "add_asset",
    "auth_header",
    "build_envelope",
    "build_plain_request",
    "real_wsdl_path",
    "real_wsdl_schemas",
    "upload_urls_job",
    "validate_plain_reply",
    "validate_reply",
]

if TYPE_CHECKING:
    from .fake import FakeIps

REAL_WSDL_VERSIONS: Final = ("2014-04-03", "2013-02-15")

_REPO_ROOT: Final = Path(__file__).resolve().parent.parent


class WsdlNotFoundError(RuntimeError):
    """The real IPS WSDL a test needs is not where it should be."""


def _wsdl_dirs() -> list[Path]:
    dirs = []
    if env := os.environ.get("IPS_MOCK_WSDL_DIR"):
        dirs.append(Path(env))
    dirs += [_REPO_ROOT.parent / "shared" / "ips-wsdl", Path.cwd().parent / "shared" / "ips-wsdl"]
    return dirs


def real_wsdl_path(version: str) -> Path:
    """Path of the real ``IpsApi-<version>.wsdl``; raises :class:`WsdlNotFoundError` naming where it looked."""
    name = f"IpsApi-{version}.wsdl"
    for d in _wsdl_dirs():
        if (d / name).is_file():
            return d / name
    looked = ", ".join(str(d) for d in _wsdl_dirs())
    raise WsdlNotFoundError(
        f"the real IPS WSDL {name} is missing: looked in {looked}. "
        "Put the shared folder beside the checkout or set IPS_MOCK_WSDL_DIR."
    )


@functools.cache
def real_wsdl_schemas(version: str) -> dict[str, etree.XMLSchema]:
    """The XML Schemas embedded in the real WSDL's ``<types>``, keyed by target namespace."""
    return wsdl_schemas(etree.parse(str(real_wsdl_path(version))))


class InvalidReplyError(AssertionError):
    """A reply of the fake does not match the IPS schema or the SOAP envelope shape."""


_SOAP_ENVELOPES: Final = (ns.SOAP11_ENV, ns.SOAP12_ENV)


def _schema_for_namespace(namespace: str) -> tuple[etree.XMLSchema, str]:
    version = ns.version_for_namespace(namespace)
    if version is None:
        raise InvalidReplyError(f"reply element in unknown namespace {namespace!r}")
    if version in REAL_WSDL_VERSIONS:
        return real_wsdl_schemas(version)[namespace], f"the real IpsApi-{version}.wsdl"
    served = compiled_schemas(version)  # every operation, as the served WSDL describes them
    return served[namespace], f"ips-mock's own description of {version or 'pre-4.0'}"


def _validate(element: etree._Element, namespace: str) -> None:
    schema, origin = _schema_for_namespace(namespace)
    if not schema.validate(etree.ElementTree(element)):
        raise InvalidReplyError(
            f"{etree.QName(element).localname} does not validate against {origin}: {schema.error_log}"
        )


def validate_reply(body: bytes, *, expect_namespace: str | None = None) -> etree._Element:
    """Check one SOAP reply of the fake and return its payload (the ``<op>Return`` or the fault detail element).

    The payload is validated against the schema of the real WSDL of its namespace (2014-04-03, 2013-02-15); for
    namespaces with no real WSDL at hand, against the schema of the WSDL ips-mock serves. The envelope must be
    SOAP 1.1 or 1.2 with exactly one Body child, and a fault must have the shape IPS-REFERENCE §3 gives.
    """
    root = etree.fromstring(body)
    env_ns = etree.QName(root).namespace
    if env_ns not in _SOAP_ENVELOPES or etree.QName(root).localname != "Envelope":
        raise InvalidReplyError(f"not a SOAP envelope: {etree.QName(root).text}")
    children = list(root)
    if [c.tag for c in children] != [f"{{{env_ns}}}Body"]:
        raise InvalidReplyError(f"the envelope must hold exactly one Body: {[c.tag for c in children]}")
    payload = list(children[0])
    if len(payload) != 1:
        raise InvalidReplyError(f"the Body must hold exactly one element, it holds {len(payload)}")
    element = payload[0]
    if element.tag == f"{{{env_ns}}}Fault":
        detail = _fault_detail(element, env_ns)
        _validate(detail, ns.FLT)
        return detail
    namespace = etree.QName(element).namespace or ""
    if expect_namespace is not None and namespace != expect_namespace:
        raise InvalidReplyError(f"reply namespace {namespace!r} is not the request's {expect_namespace!r}")
    _validate(element, namespace)
    return element


def validate_plain_reply(body: bytes, *, expect_namespace: str | None = None) -> etree._Element:
    """Check one reply of the plain-XML transport (the bare ``<op>Return`` or the bare ``flt:`` fault element)
    against the schema of its namespace, as :func:`validate_reply` does, and return it."""
    element = etree.fromstring(body)
    namespace = etree.QName(element).namespace or ""
    is_fault = namespace == ns.FLT and etree.QName(element).localname in FAULT_ELEMENTS
    if not is_fault and expect_namespace is not None and namespace != expect_namespace:
        raise InvalidReplyError(f"reply namespace {namespace!r} is not the request's {expect_namespace!r}")
    _validate(element, namespace)
    return element


def _fault_detail(fault: etree._Element, env_ns: str) -> etree._Element:
    if env_ns == ns.SOAP11_ENV:
        expected = ["faultcode", "faultstring", "detail"]
        if [c.tag for c in fault] != expected:
            raise InvalidReplyError(f"SOAP 1.1 fault children must be {expected}: {[c.tag for c in fault]}")
        detail_holder = fault[2]
    else:
        expected = [f"{{{env_ns}}}{n}" for n in ("Code", "Reason", "Detail")]
        if [c.tag for c in fault] != expected:
            raise InvalidReplyError(f"SOAP 1.2 fault children must be {expected}: {[c.tag for c in fault]}")
        detail_holder = fault[2]
    details = list(detail_holder)
    if len(details) != 1 or etree.QName(details[0]).namespace != ns.FLT:
        raise InvalidReplyError("a fault detail must hold exactly one flt: element")
    return details[0]


# --------------------------------------------------------------------------------------------------------------
# Building requests and reading replies without a SOAP library.

SOAP11: Final = "1.1"
SOAP12: Final = "1.2"


def auth_header(
    user: str | None = "admin@example.com",
    password: str | None = "password",
    *,
    namespace: str = ns.FLT,
    **fields: Any,
) -> etree._Element:
    """An ``authHeader`` element (legacy ``flt:`` form by default). Extra fields go in as given."""
    header = etree.Element(f"{{{namespace}}}authHeader", nsmap={"h": namespace})
    values: dict[str, Any] = {"user": user, "password": password}
    if namespace != ns.FLT:  # the versioned forms require appName and appVersion
        values |= {"appName": "ips-mock-tests", "appVersion": "1.0"}
    append_params(header, namespace, {k: v for k, v in (values | fields).items() if v is not None})
    return header


def build_envelope(
    operation: str,
    params: Mapping[str, Any] | None = None,
    *,
    version: str = "2014-04-03",
    soap: str = SOAP11,
    headers: Sequence[etree._Element] = (),
) -> bytes:
    """A request envelope for ``<operation>Param`` with ``params`` (dicts nest, lists repeat) in ``version``."""
    env_ns = ns.SOAP11_ENV if soap == SOAP11 else ns.SOAP12_ENV
    namespace = ns.ApiVersion(version).namespace
    env = etree.Element(f"{{{env_ns}}}Envelope", nsmap={"soapenv": env_ns, "v": namespace})
    if headers:
        header_el = etree.SubElement(env, f"{{{env_ns}}}Header")
        for h in headers:
            header_el.append(h)
    body = etree.SubElement(env, f"{{{env_ns}}}Body")
    append_params(etree.SubElement(body, f"{{{namespace}}}{operation}Param"), namespace, params or {})
    return etree.tostring(env, xml_declaration=True, encoding="UTF-8")


def build_plain_request(
    operation: str,
    params: Mapping[str, Any] | None = None,
    *,
    version: str = "2014-04-03",
    auth: etree._Element | None = None,
) -> bytes:
    """A plain-XML request (AEM's transport): ``<Request>`` holding ``auth`` then ``<operation>Param``."""
    namespace = ns.ApiVersion(version).namespace
    root = etree.Element(f"{{{namespace}}}Request", nsmap={None: namespace})
    if auth is not None:
        root.append(auth)
    append_params(etree.SubElement(root, f"{{{namespace}}}{operation}Param"), namespace, params or {})
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def upload_urls_job(*urls: str | tuple[str, str], **fields: Any) -> dict[str, Any]:
    """A minimal valid ``uploadUrlsJob`` element for ``urls`` (each a sourceUrl, or a (sourceUrl, destPath)
    pair): the required fields filled in (``emailSetting`` None), ``fields`` added or overriding, every known
    field in schema order (what the decoder demands); unknown fields go last, for tests that send them on purpose.
    """
    items = [
        {"sourceUrl": u, "destPath": ""} if isinstance(u, str) else {"sourceUrl": u[0], "destPath": u[1]} for u in urls
    ]
    job: dict[str, Any] = {
        "urlArray": {"items": items},
        "overwrite": True,
        "readyForPublish": True,
        "createMask": False,
        "emailSetting": "None",
    } | fields
    order = [f.name for f in schema_for(ns.ApiVersion("2014-04-03")).type("UploadUrlsJob").fields]
    return {name: job[name] for name in [*order, *(k for k in job if k not in order)] if name in job}


def add_asset(
    fake: FakeIps,
    path: str,
    *,
    size: int = 1000,
    width: int | None = 640,
    height: int | None = 480,
    metadata: Mapping[str, str] | None = None,
    derived_from: Asset | None = None,
) -> Asset:
    """Put an asset at ``path`` (``Example/img/a.jpg``: the company is the one whose root path it starts with) in
    the fake's catalog, its folders created, as an upload by the company's admin would; ``derived_from`` makes it
    one of that asset's derived assets (getAssociatedAssets/derivedArray)."""
    state = fake.state
    folder, _, file_name = path.rpartition("/")
    company = next((c for c in state.companies.values() if path.startswith(c.root_path)), None)
    if company is None or not file_name:
        raise ValueError(f"{path!r} is not a file path under a company's root path")
    name = file_name.rpartition(".")[0] or file_name
    if state.catalog.named(company.id, name) is not None:
        raise ValueError(f"company {company.name!r} already has an asset named {name!r} (names are unique in it)")
    now = fake.now()
    owner = next((u.email for u in state.users.values() if u.belongs_to(company.id)), "ips-mock")
    state.catalog.ensure_folder(company.id, folder + "/", now)
    return state.catalog.add(
        Asset(
            state.take_asset_id(),
            company.id,
            name,
            file_name,
            folder + "/",
            asset_type_for(file_name),
            now,
            now,
            owner,
            owner,
            size=size,
            width=width,
            height=height,
            metadata=dict(metadata or {}),
            derived_from=None if derived_from is None else derived_from.handle,
        )
    )


def content_type_for(soap: str, operation: str | None = None) -> str:
    if soap == SOAP11:
        return "text/xml; charset=UTF-8"
    return "application/soap+xml; charset=UTF-8" + (f'; action="{operation}"' if operation else "")


@dataclass
class SoapReply:
    """A reply of the fake, already checked by :func:`validate_reply`."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    payload: etree._Element

    @property
    def is_fault(self) -> bool:
        # The pre-4.0 body namespace is the fault namespace too: tell them apart by the element name.
        qname = etree.QName(self.payload)
        return qname.namespace == ns.FLT and qname.localname in FAULT_ELEMENTS

    @property
    def fault_kind(self) -> str | None:
        return etree.QName(self.payload).localname if self.is_fault else None

    @property
    def code(self) -> int | None:
        return int(self.text("code")) if self.is_fault else None

    @property
    def reason(self) -> str | None:
        return self.text("reason") if self.is_fault else None

    def ok(self) -> SoapReply:
        """This reply, after checking it is not a fault (an ``AssertionError`` naming the fault if it is)."""
        if self.is_fault:
            raise AssertionError(f"expected a reply, got fault {self.code} ({self.fault_kind}): {self.reason}")
        return self

    def assert_fault(self, code: int, *fragments: str) -> SoapReply:
        """Check this is fault ``code`` and its reason contains every fragment."""
        if not self.is_fault:
            raise AssertionError(f"expected fault {code}, got a reply: {self.body.decode()}")
        if self.code != code or not all(f in (self.reason or "") for f in fragments):
            raise AssertionError(f"expected fault {code} mentioning {fragments}, got {self.code}: {self.reason}")
        return self

    def text(self, path: str) -> str:
        """Text of the element at a ``/``-separated path of local names below the payload."""
        el = self.payload
        for part in path.split("/"):
            found = next((c for c in el if etree.QName(c).localname == part), None)
            if found is None:
                raise KeyError(f"no element {path!r} in {etree.tostring(self.payload).decode()}")
            el = found
        return el.text or ""

    def names(self) -> list[str]:
        """Local names of the payload's children, in document order."""
        return [etree.QName(c).localname for c in self.payload]


class PlainXmlTestClient:
    """Post plain-XML requests (``/scene7/api/IpsApiService``) to a WSGI app and validate every reply."""

    def __init__(self, app: Any, *, version: str = "2014-04-03", path: str = "/scene7/api/IpsApiService") -> None:
        from werkzeug.test import Client

        self.client = Client(app)
        self.version = version
        self.path = path

    def post(self, body: bytes, *, headers: Mapping[str, str] | None = None) -> SoapReply:
        response = self.client.post(self.path, data=body, headers={"Content-Type": "text/xml", **(headers or {})})
        data = response.get_data()
        if response.headers.get("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        return SoapReply(response.status_code, dict(response.headers), data, validate_plain_reply(data))

    def call(
        self,
        operation: str,
        params: Mapping[str, Any] | None = None,
        *,
        user: str | None = "admin@example.com",
        password: str | None = "password",
        version: str | None = None,
        **auth_fields: Any,
    ) -> SoapReply:
        """Call ``operation`` signed in with an authHeader in the request's namespace (None: no authHeader)."""
        version = self.version if version is None else version
        namespace = ns.ApiVersion(version).namespace
        auth = auth_header(user, password, namespace=namespace, **auth_fields) if user is not None else None
        reply = self.post(build_plain_request(operation, params, version=version, auth=auth))
        if not reply.is_fault and etree.QName(reply.payload).namespace != namespace:
            raise InvalidReplyError("the reply is not in the request's namespace")
        return reply


class SoapTestClient:
    """Post IPS requests to a WSGI app through ``werkzeug.test.Client`` and validate every reply."""

    def __init__(self, app: Any, *, version: str = "2014-04-03", soap: str = SOAP11) -> None:
        from werkzeug.test import Client

        self.client = Client(app)
        self.version = version
        self.soap = soap
        self.path = "/scene7/services/IpsApiService"

    def post(
        self, body: bytes, *, content_type: str | None = None, headers: Mapping[str, str] | None = None
    ) -> SoapReply:
        response = self.client.post(
            self.path,
            data=body,
            headers={"Content-Type": content_type or content_type_for(self.soap), **(headers or {})},
        )
        data = response.get_data()
        if response.headers.get("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        payload = validate_reply(data)
        return SoapReply(response.status_code, dict(response.headers), data, payload)

    def call(
        self,
        operation: str,
        params: Mapping[str, Any] | None = None,
        *,
        user: str | None = "admin@example.com",
        password: str | None = "password",
        headers: Sequence[etree._Element] | None = None,
        http_headers: Mapping[str, str] | None = None,
        version: str | None = None,
        soap: str | None = None,
    ) -> SoapReply:
        """Call ``operation`` signed in with a legacy authHeader for ``user`` (None: no authHeader)."""
        version = self.version if version is None else version
        soap = soap or self.soap
        if headers is None:
            headers = [auth_header(user, password)] if user is not None else []
        body = build_envelope(operation, params, version=version, soap=soap, headers=headers)
        extra = {"SOAPAction": operation} if soap == SOAP11 else {}
        reply = self.post(
            body, content_type=content_type_for(soap, operation), headers={**extra, **(http_headers or {})}
        )
        if not reply.is_fault and etree.QName(reply.payload).namespace != ns.ApiVersion(version).namespace:
            raise InvalidReplyError("the reply is not in the request's namespace")
        return reply
