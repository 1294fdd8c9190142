"""Namespace URIs and the API versions ips-mock speaks (IPS-REFERENCE §1.4)."""

from __future__ import annotations

from typing import Final

__all__ = [
    "API_VERSIONS",
    "FLT",
    "PUBLISHED_WSDL_VERSIONS",
    "SOAP11_ENV",
    "SOAP12_ENV",
    "TNS",
    "WSDL",
    "WSDL_SOAP11",
    "WSDL_SOAP12",
    "XSD",
    "ApiVersion",
    "version_for_namespace",
]

SOAP11_ENV: Final = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12_ENV: Final = "http://www.w3.org/2003/05/soap-envelope"
WSDL: Final = "http://schemas.xmlsoap.org/wsdl/"
WSDL_SOAP11: Final = "http://schemas.xmlsoap.org/wsdl/soap/"
WSDL_SOAP12: Final = "http://schemas.xmlsoap.org/wsdl/soap12/"
XSD: Final = "http://www.w3.org/2001/XMLSchema"
SOAP_HTTP_TRANSPORT: Final = "http://schemas.xmlsoap.org/soap/http"

TNS: Final = "http://www.scene7.com/IpsApi"
"""The WSDL target namespace; also the namespace of the pre-3.8 AuthUser/AuthPassword headers."""

FLT: Final = "http://www.scene7.com/IpsApi/xsd"
"""Fault details, the legacy authHeader, and the body namespace of the pre-4.0 API."""


class ApiVersion(str):
    """An API version label such as ``2014-04-03``; ``""`` is the pre-4.0 API."""

    __slots__ = ()

    @property
    def namespace(self) -> str:
        return f"{FLT}/{self}" if self else FLT

    @property
    def wsdl_name(self) -> str:
        return f"IpsApi-{self}.wsdl" if self else "IpsApi.wsdl"

    @property
    def is_beta(self) -> bool:
        return self.endswith("-beta")


# Oldest first. Every version is served side by side on one endpoint, as the real service does.
# 2017-10-29-beta is the namespace of AEM 6.4's generated IPS classes (REAL-CLIENTS §2).
API_VERSIONS: Final = tuple(
    ApiVersion(v)
    for v in (
        "",
        "2008-01-15",
        "2008-09-10",
        "2009-07-31",
        "2010-01-31",
        "2012-02-14",
        "2013-02-15",
        "2014-04-03",
        "2016-01-14-beta",
        "2017-10-29-beta",
        "2021-04-26-beta",
        "2022-11-01-beta",
    )
)

# Adobe publishes no WSDL for the betas; neither do we.
PUBLISHED_WSDL_VERSIONS: Final = tuple(v for v in API_VERSIONS if not v.is_beta)

_BY_NAMESPACE: Final = {v.namespace: v for v in API_VERSIONS}


def version_for_namespace(namespace: str) -> ApiVersion | None:
    """The API version whose body namespace is ``namespace``, or None for a foreign namespace."""
    return _BY_NAMESPACE.get(namespace)
