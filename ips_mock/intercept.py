"""Route ``requests`` traffic for a base URL (e.g. Adobe's real host) into a WSGI app, with no socket.

Code under test that has ``https://s7sps1apissl.scene7.com`` hard-coded then talks to the fake unchanged.
Built on ``responses``; loopback URLs pass through to real servers, anything else is refused (no network).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import urlsplit

from werkzeug.test import Client

if TYPE_CHECKING:
    from _typeshed.wsgi import WSGIApplication

__all__ = ["ADOBE_HOSTS", "intercept"]

ADOBE_HOSTS: Final = tuple(
    f"https://s7sps{n}{kind}{stage}.scene7.com"
    for n in (1, 3, 5)
    for kind in ("apissl", "ssl")
    for stage in ("", "-staging")
)
"""Adobe's IPS API and upload hosts (IPS-REFERENCE §1.1), production and staging."""

_LOOPBACK: Final = re.compile(r"https?://(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(/|$)")
_HOP_BY_HOP: Final = {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}


@contextmanager
def intercept(app: WSGIApplication, *base_urls: str) -> Iterator[Any]:
    """While active, every ``requests`` call to one of ``base_urls`` (default: Adobe's hosts) reaches ``app``.

    Yields the ``responses.RequestsMock`` in charge, whose ``calls`` list the intercepted requests.
    """
    try:
        import responses
    except ImportError:  # pragma: no cover - responses is a dependency; this guards a broken install
        raise RuntimeError("intercept() needs the 'responses' package: pip install responses") from None

    client = Client(app)

    def forward(request: Any) -> tuple[int, dict[str, str], bytes]:
        url = urlsplit(request.url)
        body = request.body.encode() if isinstance(request.body, str) else request.body or b""
        response = client.open(
            url.path or "/",
            method=request.method,
            query_string=url.query,
            data=body,
            headers={k: v for k, v in request.headers.items() if k.lower() != "content-length"},
            base_url=f"{url.scheme}://{url.netloc}",
        )
        data = response.get_data()  # already decompressed by nothing: requests decodes gzip itself
        headers = {k: v for k, v in response.headers.items() if k.lower() not in _HOP_BY_HOP}
        if response.headers.get("Content-Encoding") == "gzip":
            import gzip

            data = gzip.decompress(data)
        return response.status_code, headers, data

    mock = responses.RequestsMock(assert_all_requests_are_fired=False)
    for base in base_urls or ADOBE_HOSTS:
        pattern = re.compile(re.escape(base.rstrip("/")) + r"(/.*)?$")
        for method in ("GET", "POST", "PUT", "DELETE", "HEAD"):
            mock.add_callback(method, pattern, callback=forward)
    mock.add_passthru(_LOOPBACK)
    with mock:
        yield mock
