"""CDN cache invalidation: cdnCacheInvalidation answers a handle and an estimate, getCdnCacheInvalidationStatus
follows it on the virtual clock. Through zeep on Adobe's 2014-04-03 WSDL (every reply checked against its schema)
and raw envelopes for the faults and the other versions."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from ips_mock import FakeIps
from ips_mock.model import State
from ips_mock.model.cdn import Invalidation
from ips_mock.testing import PlainXmlTestClient, SoapTestClient

HERO = "https://s7d1.scene7.com/is/image/Example/hero?wid=300"


def test_an_invalidation_is_in_progress_for_five_virtual_seconds_then_done(fake: FakeIps, real_zeep: Any) -> None:
    asked = fake.now()
    reply = real_zeep.service.cdnCacheInvalidation(
        companyHandle="c|100",
        urlArray={"items": [HERO, "http://s7d1.scene7.com/is/content/Example/manual.pdf"]},
        _soapheaders=real_zeep.auth(),
    )
    assert (reply.invalidationHandle, reply.estimatedSeconds) == ("cdn|100|1", 5)

    def status() -> tuple[str, int | None, datetime | None]:
        got = real_zeep.service.getCdnCacheInvalidationStatus(
            companyHandle="c|100", invalidationHandle=reply.invalidationHandle, _soapheaders=real_zeep.auth()
        )
        return got.status, got.pingAfterSeconds, got.completionTime

    assert status() == ("In-Progress", 5, None)
    fake.advance(timedelta(seconds=3, milliseconds=500))
    assert status() == ("In-Progress", 2, None)  # the seconds left, rounded up: never 0 while in progress
    fake.advance(timedelta(seconds=1, milliseconds=499))
    assert status() == ("In-Progress", 1, None)
    fake.advance(timedelta(milliseconds=1))
    state, ping, completed = status()
    assert (state, ping, completed) == ("Done", None, asked + timedelta(seconds=5))
    assert completed is not None
    assert completed.utcoffset() == asked.astimezone(fake.scenario.zone).utcoffset()  # in the server's zone
    assert real_zeep.validated == 5


def test_handles_count_per_fake_and_start_again_after_a_reset(fake: FakeIps) -> None:
    client = SoapTestClient(fake)
    params = {"companyHandle": "c|100", "urlArray": {"items": [HERO]}}
    handles = [client.call("cdnCacheInvalidation", params).text("invalidationHandle") for _ in range(3)]
    assert handles == ["cdn|100|1", "cdn|100|2", "cdn|100|3"]
    fake.reset()
    assert client.call("cdnCacheInvalidation", params).text("invalidationHandle") == "cdn|100|1"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("https://s7d1.scene7.com/is/image/Other/hero", "does not name the company root id 'Example'"),
        ("https://s7d1.scene7.com/is/image/Examples/hero", "does not name the company root id 'Example'"),
        ("ftp://s7d1.scene7.com/is/image/Example/hero", "not an absolute http or https URL"),
        ("/is/image/Example/hero", "not an absolute http or https URL"),
        ("http://[::1/is/image/Example/hero", "not a URL"),
    ],
)
def test_one_url_the_company_cannot_invalidate_faults_the_whole_request(
    fake: FakeIps, client: SoapTestClient, url: str, problem: str
) -> None:
    params = {"companyHandle": "c|100", "urlArray": {"items": [HERO, url]}}
    client.call("cdnCacheInvalidation", params).assert_fault(30001, "urlArray", url, problem)
    assert fake.state.invalidations == {}
    assert client.call("cdnCacheInvalidation", {**params, "urlArray": {"items": [HERO]}}).text(
        "invalidationHandle"
    ) == ("cdn|100|1")


def test_a_root_id_is_matched_as_a_whole_decoded_path_segment(fake: FakeIps, client: SoapTestClient) -> None:
    fake.state.companies[100] = fake.state.companies[100].__class__(100, "Example", "My Brand/")
    url = "https://s7d1.scene7.com/is/image/My%20Brand/hero"
    reply = client.call("cdnCacheInvalidation", {"companyHandle": "c|100", "urlArray": {"items": [url]}})
    assert reply.text("invalidationHandle") == "cdn|100|1"


def test_the_status_of_an_unknown_or_foreign_handle_is_refused(fake: FakeIps, client: SoapTestClient) -> None:
    client.call("cdnCacheInvalidation", {"companyHandle": "c|100", "urlArray": {"items": [HERO]}})
    for handle in ("cdn|100|2", "cdn|200|1", "nonsense"):
        client.call(
            "getCdnCacheInvalidationStatus", {"companyHandle": "c|100", "invalidationHandle": handle}
        ).assert_fault(30001, "invalidationHandle", handle)
    client.call(
        "getCdnCacheInvalidationStatus", {"companyHandle": "c|200", "invalidationHandle": "cdn|100|1"}
    ).assert_fault(20006)  # a company the caller is not in


def test_only_company_admins_may_invalidate(client: SoapTestClient) -> None:
    params = {"companyHandle": "c|100", "urlArray": {"items": [HERO]}}
    client.call("cdnCacheInvalidation", params, user="user@example.com").assert_fault(20003, "cdnCacheInvalidation")


def test_2013_counts_the_urls_and_has_no_status_operation(fake: FakeIps, client: SoapTestClient) -> None:
    params = {
        "companyHandle": "c|100",
        "confirmation": {"ccOriginator": True, "ccOthersArray": {"items": ["ops@example.com"]}},
        "urlArray": {"items": [HERO, HERO.replace("hero", "logo")]},
    }
    reply = client.call("cdnCacheInvalidation", params, version="2013-02-15")
    assert [(name, reply.text(name)) for name in reply.names()] == [
        ("successCount", "2"),
        ("warningCount", "0"),
        ("errorCount", "0"),
    ]
    assert list(fake.state.invalidations) == ["cdn|100|1"]
    client.call(
        "getCdnCacheInvalidationStatus",
        {"companyHandle": "c|100", "invalidationHandle": "cdn|100|1"},
        version="2013-02-15",
    ).assert_fault(30003, "getCdnCacheInvalidationStatus")


def test_a_fake_keeps_the_newest_invalidations_only() -> None:
    state = State()
    at = datetime(2026, 1, 1)
    for n in range(1, 6):
        state.keep_invalidation(Invalidation(f"cdn|100|{n}", 100, 1, at, at), limit=3)
    assert list(state.invalidations) == ["cdn|100|3", "cdn|100|4", "cdn|100|5"]


def test_aems_plain_xml_transport_in_a_beta_namespace(fake: FakeIps) -> None:
    client = PlainXmlTestClient(fake, version="2021-04-26-beta")
    handle = client.call("cdnCacheInvalidation", {"companyHandle": "c|100", "urlArray": {"items": [HERO]}}).text(
        "invalidationHandle"
    )
    fake.advance(timedelta(seconds=5))
    status = client.call("getCdnCacheInvalidationStatus", {"companyHandle": "c|100", "invalidationHandle": handle})
    assert status.names() == ["status", "completionTime"]
    assert status.text("status") == "Done"


def test_w8_aems_workflow_step_on_the_plain_xml_transport(fake: FakeIps) -> None:
    """REAL-CLIENTS W8: the template from the company's application property set, an asset's ID put into each of
    its lines, the URLs invalidated; the step checks only that the reply has an <invalidationHandle>. Through AEM
    6.4's namespace, with faults as HTTP 200 as that client asks."""
    client = PlainXmlTestClient(fake, version="2017-10-29-beta")
    kind = client.call(
        "createPropertySetType",
        {"companyHandle": "c|100", "name": "Application", "propertyType": "Application", "allowMultiple": False},
    ).text("typeHandle")
    template = "https://s7d1.scene7.com/is/image/Example/<ID>\nhttps://s7d1.scene7.com/is/image/Example/<ID>?$thumb$"
    client.call(
        "createPropertySet",
        {
            "typeHandle": kind,
            "primaryOwnerHandle": "c|100",
            "propertyArray": {"items": [{"name": "application_cdn_invalidation_template", "value": template}]},
        },
    ).ok()

    sets = client.call("getPropertySets", {"typeHandle": kind, "primaryOwnerHandle": "c|100"})
    # W8's XPath: getPropertySetsReturn/setArray/items/propertyArray/items, first child the name, last the value
    items = sets.payload.xpath(
        "/*[local-name()='getPropertySetsReturn']/*[local-name()='setArray']/*[local-name()='items']"
        "/*[local-name()='propertyArray']/*[local-name()='items']"
    )
    read = next(i[-1].text for i in items if i[0].text == "application_cdn_invalidation_template")
    urls = read.replace("<ID>", "hero").split("\n")
    reply = client.call(
        "cdnCacheInvalidation", {"companyHandle": "c|100", "urlArray": {"items": urls}}, faultHttpStatusCode=200
    )
    assert b"<invalidationHandle>" in reply.body
    assert reply.status == 200
    assert fake.journal.calls("cdnCacheInvalidation")[0].params == {
        "companyHandle": "c|100",
        "urlArray": [
            "https://s7d1.scene7.com/is/image/Example/hero",
            "https://s7d1.scene7.com/is/image/Example/hero?$thumb$",
        ],
    }
