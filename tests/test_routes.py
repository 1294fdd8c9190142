"""The IPS app's routes: the common requests are matched without werkzeug's routing, and always as it would."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import HTTPException

from ips_mock import app

ORACLE = app._url_map()
"""werkzeug's routing of the same rules: the definition."""


def _environ(method: str, path: str) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8080",
        "HTTP_HOST": "127.0.0.1:8080",
        "wsgi.url_scheme": "http",
    }


def _outcome(match: Any, environ: dict[str, Any]) -> object:
    try:
        endpoint, values = match(environ)
    except HTTPException as exc:
        return type(exc).__name__, exc.code
    return endpoint, values


def _oracle(environ: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    endpoint, values = ORACLE.bind_to_environ(environ).match()
    return str(endpoint), dict(values)


SEGMENT = st.sampled_from(
    ["scene7", "services", "api", "export", "webservice", "IpsApiService", "IpsApi-2014-04-03.wsdl", "x", "", "é"]
)


@settings(max_examples=600, deadline=None)
@given(
    method=st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"]),
    segments=st.lists(SEGMENT, min_size=0, max_size=5),
    trailing=st.booleans(),
)
def test_every_path_is_routed_as_werkzeug_routes_it(method: str, segments: list[str], trailing: bool) -> None:
    path = "/" + "/".join(segments) + ("/" if trailing else "")
    environ = _environ(method, path)
    assert _outcome(app._match, environ) == _outcome(_oracle, environ)


def test_the_common_requests_are_routed() -> None:
    cases = {
        ("POST", "/scene7/services/IpsApiService"): ("soap", {"webapp": "scene7"}),
        ("POST", "/is/api/IpsApiService"): ("plain", {"webapp": "is"}),
        ("GET", "/scene7/services/IpsApiService"): ("soap_info", {"webapp": "scene7"}),
        ("GET", "/scene7/export/1001.zip"): ("export", {"webapp": "scene7", "name": "1001.zip"}),
        ("GET", "/scene7/webservice/IpsApi-2014-04-03.wsdl"): (
            "wsdl",
            {"webapp": "scene7", "wsdl_name": "IpsApi-2014-04-03.wsdl"},
        ),
        ("HEAD", "/scene7/IpsApi.wsdl"): ("wsdl", {"webapp": "scene7", "wsdl_name": "IpsApi.wsdl"}),
        ("POST", "/scene7/export/1001.zip"): ("MethodNotAllowed", 405),
        ("GET", "/scene7/services/Other"): ("NotFound", 404),
    }
    for (method, path), expected in cases.items():
        environ = _environ(method, path)
        assert _outcome(app._match, environ) == expected == _outcome(_oracle, environ), (method, path)
