"""The standalone server's dashboard: one web page that shows a fake as it changes.

The page is plain HTML, CSS and JavaScript shipped in this package (nothing fetched from elsewhere: it works
offline). It reads and moves the fake through the JSON admin API of the same origin (``…/__admin/state``,
``…/journal``, ``…/clock/advance``, …), so it needs no data endpoint of its own and keeps the admin API's checks
and tenant isolation: the page under ``/t/<name>/__admin/ui/`` calls ``/t/<name>/__admin/…`` only.

The files themselves are static and hold no state, so they are served to anyone (a browser cannot add the admin
token to a page it navigates to); the data they then fetch is the admin API's, token and all.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Final

from werkzeug.wrappers import Response

__all__ = ["UI_PATH", "dashboard_response", "is_dashboard"]

UI_PATH: Final = "/__admin/ui"

_FILES: Final = {
    "": ("index.html", "text/html; charset=utf-8"),
    "index.html": ("index.html", "text/html; charset=utf-8"),
    "dashboard.css": ("dashboard.css", "text/css; charset=utf-8"),
    "dashboard.js": ("dashboard.js", "text/javascript; charset=utf-8"),
}

# Only this origin's files and admin API; no inline code, no frames, no forms posted elsewhere.
_HEADERS: Final = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "Referrer-Policy": "no-referrer",  # a ?token= in the address never leaves in a Referer
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",  # a new ips-mock version is never shown with the old page
}


def is_dashboard(path: str) -> bool:
    """``path`` (relative to the admin API's prefix, tenant stripped) is the dashboard's."""
    return path == UI_PATH or path.startswith(UI_PATH + "/")


def dashboard_response(path: str, method: str) -> Response:
    """The dashboard file at ``path``; a redirect from ``/__admin/ui`` to ``/__admin/ui/``; JSON 404/405."""
    rest = path[len(UI_PATH) :]
    if rest == "":
        # Relative, so a tenant's prefix is kept; the page's own links are relative to the slash.
        return Response("", 308, headers={"Location": "ui/", **_HEADERS})
    if method not in ("GET", "HEAD"):
        return _error(405, f"{method} is not allowed here", allowed=["GET", "HEAD"])
    entry = _FILES.get(rest[1:])
    if entry is None:
        return _error(404, f"the dashboard has no file {rest[1:][:200]!r}", files=sorted(n for n in _FILES if n))
    name, content_type = entry
    body = files(__package__).joinpath(name).read_bytes()
    return Response(body, 200, content_type=content_type, headers=_HEADERS)


def _error(status: int, message: str, **extra: object) -> Response:
    body = json.dumps({"error": message, **extra}, indent=2) + "\n"
    return Response(body, status, content_type="application/json", headers=_HEADERS)
