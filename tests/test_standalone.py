"""The standalone server: the IPS API, the JSON admin API, and isolated tenants."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import requests
import zeep
from werkzeug.test import Client

from ips_mock import ServerThread
from ips_mock.scenario import DEFAULT_SCENARIO, load_scenario
from ips_mock.standalone import ADMIN_ROUTES, StandaloneApp
from ips_mock.testing import SoapTestClient, upload_urls_job, validate_reply

UPLOAD = {
    "companyHandle": "c|100",
    "jobName": "upload",
    "uploadUrlsJob": upload_urls_job("https://images.example.com/a.jpg"),
}


@pytest.fixture
def app() -> StandaloneApp:
    return StandaloneApp(load_scenario(DEFAULT_SCENARIO))


def _admin(
    app: StandaloneApp, method: str, path: str, body: Any = None, *, raw: str | None = None, yaml: bool = False
) -> tuple[int, Any]:
    data = raw if raw is not None else (json.dumps(body) if body is not None else None)
    content_type = ("application/yaml" if yaml else "application/json") if method in ("POST", "PUT") else None
    response = Client(app).open(path, method=method, data=data, content_type=content_type)
    assert response.mimetype == "application/json"
    return response.status_code, json.loads(response.get_data())


def test_clock_reads_and_moves(app: StandaloneApp) -> None:
    assert _admin(app, "GET", "/__admin/clock") == (200, {"now": "2026-01-05T09:00:00.000-08:00", "source": "manual"})
    assert _admin(app, "POST", "/__admin/clock/advance", {"by": "1h30m"})[1]["now"] == "2026-01-05T10:30:00.000-08:00"
    assert _admin(app, "POST", "/__admin/clock/advance", {"seconds": 30})[1]["now"] == "2026-01-05T10:30:30.000-08:00"
    status, body = _admin(app, "POST", "/__admin/clock/move_to", {"to": "2026-01-06T00:00:00-08:00"})
    assert (status, body["now"]) == (200, "2026-01-06T00:00:00.000-08:00")


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("/__admin/clock/advance", {"by": "soon"}, "is not a duration"),
        ("/__admin/clock/advance", {}, 'give {"by": "90s"} or {"seconds": 90}'),
        ("/__admin/clock/advance", {"seconds": -5}, "cannot move the clock backwards"),
        ("/__admin/clock/move_to", {"to": "2020-01-01T00:00:00Z"}, "cannot move the clock backwards"),
        ("/__admin/clock/move_to", {"to": "tomorrow"}, "Invalid isoformat"),
    ],
)
def test_bad_clock_moves_are_400_with_a_reason(app: StandaloneApp, path: str, body: Any, message: str) -> None:
    status, reply = _admin(app, "POST", path, body)
    assert status == 400
    assert message in reply["error"]


def test_admin_errors_are_json(app: StandaloneApp) -> None:
    assert _admin(app, "POST", "/__admin/clock/advance", raw="{not json")[0] == 400
    status, reply = _admin(app, "GET", "/__admin/nothing")
    assert (status, reply["endpoints"]) == (404, ADMIN_ROUTES)
    status, reply = _admin(app, "DELETE", "/__admin/clock")
    assert (status, reply["allowed"]) == (405, ["GET", "HEAD"])


def test_state_journal_and_verify_follow_the_fake(app: StandaloneApp) -> None:
    soap = SoapTestClient(app)
    assert not soap.call("submitJob", UPLOAD).is_fault
    _admin(app, "POST", "/__admin/clock/advance", {"by": "61s"})
    _, state = _admin(app, "GET", "/__admin/state")
    assert [r["state"] for r in state["runs"]] == ["Done"]
    assert [(log["jobName"], log["fileSuccessCount"]) for log in state["logs"]] == [
        ("upload_2026-01-05-09:00:00.000", 1)
    ]
    assert {c["handle"] for c in state["companies"]} == {"c|100", "c|200"}
    _, journal = _admin(app, "GET", "/__admin/journal")
    assert [(e["operation"], e["caller"], e["params"]["jobName"]) for e in journal] == [
        ("submitJob", "admin@example.com", "upload")
    ]
    assert _admin(app, "GET", "/__admin/verify") == (200, {"ok": True, "problems": []})
    Client(app).get("/scene7/unknown")
    assert _admin(app, "GET", "/__admin/verify")[1] == {
        "ok": False,
        "problems": ["ips-mock could not handle: GET /scene7/unknown: 404 Not Found"],
    }


def test_state_shows_property_sets_and_invalidations(app: StandaloneApp) -> None:
    soap = SoapTestClient(app)
    kind = soap.call(
        "createPropertySetType",
        {"companyHandle": "c|100", "name": "Application", "propertyType": "Application", "allowMultiple": False},
    ).text("typeHandle")
    items = {"items": [{"name": "a", "value": "1"}]}
    soap.call("createPropertySet", {"typeHandle": kind, "primaryOwnerHandle": "c|100", "propertyArray": items}).ok()
    urls = {"items": ["https://s7d1.scene7.com/is/image/Example/hero"]}
    soap.call("cdnCacheInvalidation", {"companyHandle": "c|100", "urlArray": urls}).ok()
    _, state = _admin(app, "GET", "/__admin/state")
    assert state["propertySetTypes"] == [
        {
            "handle": "pt|1",
            "company": "c|100",
            "name": "Application",
            "propertyType": "Application",
            "allowMultiple": False,
        }
    ]
    assert state["propertySets"] == [
        {"handle": "ps|1", "type": "pt|1", "primaryOwner": "c|100", "secondaryOwner": None, "properties": {"a": "1"}}
    ]
    assert state["invalidations"] == [
        {
            "handle": "cdn|100|1",
            "company": "c|100",
            "urls": 1,
            "requested": "2026-01-05T09:00:00.000-08:00",
            "done": "2026-01-05T09:00:05.000-08:00",
        }
    ]


def test_state_shows_an_images_smart_crops(tmp_path: Path) -> None:
    from .test_smart_crops import SCENARIO

    path = tmp_path / "crops.yaml"
    path.write_text(SCENARIO)
    _, state = _admin(StandaloneApp(load_scenario(path)), "GET", "/__admin/state")
    shoe = next(a for a in state["assets"] if a["name"] == "shoe")
    assert shoe["smartCrops"][1] == {
        "handle": "sa|100|1001|2",
        "name": "Swatch",
        "width": 100,
        "height": 100,
        "crop": {"left": 0.4, "top": 0.4, "width": 0.1, "height": 0.1},
        "lastModified": "2026-01-05T01:00:00.000-08:00",
    }
    assert next(a for a in state["assets"] if a["name"] == "theirs")["smartCrops"][0]["handle"] == "sa|200|1003|1"


def test_reset_and_scenario_upload(app: StandaloneApp) -> None:
    SoapTestClient(app).call("submitJob", UPLOAD)
    assert _admin(app, "POST", "/__admin/reset")[1] == {"ok": True, "now": "2026-01-05T09:00:00.000-08:00"}
    assert _admin(app, "GET", "/__admin/state")[1]["runs"] == []
    status, reply = _admin(app, "PUT", "/__admin/scenario", raw="ips_mock: 1\nusers:\n  - {email: x}\n", yaml=True)
    assert status == 400
    assert reply["errors"][0].startswith("<uploaded scenario>:3: users[0].email: 'x' does not match ")
    assert reply["errors"][1:] == [
        "<uploaded scenario>:3: users[0]: 'password' is a required property",
        "<uploaded scenario>:3: users[0]: 'role' is a required property",
        "<uploaded scenario>:3: users[0]: 'companies' is a required property",
    ]
    assert {c["name"] for c in _admin(app, "GET", "/__admin/state")[1]["companies"]} == {"Example", "Other"}
    status, reply = _admin(
        app, "PUT", "/__admin/scenario", raw=json.dumps({"ips_mock": 1, "companies": [{"name": "Solo"}]})
    )
    assert status == 200
    assert [c["name"] for c in _admin(app, "GET", "/__admin/state")[1]["companies"]] == ["Solo"]


def test_tenants_are_isolated(app: StandaloneApp) -> None:
    client = SoapTestClient(app)
    client.path = "/t/alice/scene7/services/IpsApiService"
    assert not client.call("submitJob", UPLOAD).is_fault
    _admin(app, "POST", "/t/alice/__admin/clock/advance", {"by": "1d"})
    assert len(_admin(app, "GET", "/t/alice/__admin/state")[1]["logs"]) == 1
    assert _admin(app, "GET", "/t/bob/__admin/state")[1]["logs"] == []
    assert _admin(app, "GET", "/__admin/state")[1]["logs"] == []
    assert _admin(app, "GET", "/t/bob/__admin/clock")[1]["now"] == "2026-01-05T09:00:00.000-08:00"
    assert _admin(app, "GET", "/__admin/")[1]["tenants"] == ["alice", "bob"]


def _validate_posts(response: requests.Response, *args: Any, **kwargs: Any) -> None:
    if response.request.method == "POST":
        validate_reply(response.content)


def test_a_tenant_serves_its_own_wsdl_to_zeep_over_http(app: StandaloneApp) -> None:
    with ServerThread(app) as server:
        base = f"{server.url}/t/carol"
        wsdl = requests.get(f"{base}/scene7/webservice/IpsApi-2014-04-03.wsdl", timeout=10)
        assert f'location="{base}/scene7/services/IpsApiService"' in wsdl.text
        session = requests.Session()
        session.auth = ("admin@example.com", "password")
        session.hooks["response"].append(_validate_posts)
        client = zeep.Client(
            f"{base}/scene7/webservice/IpsApi-2014-04-03.wsdl", transport=zeep.Transport(session=session)
        )
        assert client.service.getCompanyInfo(companyName="Example").companyHandle == "c|100"
        journal = requests.get(f"{base}/__admin/journal", timeout=10).json()
        assert [e["operation"] for e in journal] == ["getCompanyInfo"]
        assert requests.get(f"{server.url}/__admin/journal", timeout=10).json() == []
