"""Property sets: types of a company or global, sets of a type on owners (company, user, asset, folder), the
documented replacement when a type does not allow several sets on one object. Through zeep on Adobe's 2014-04-03
WSDL (every reply checked against its schema) and raw envelopes for the faults and 2013."""

from __future__ import annotations

from typing import Any

import pytest

from ips_mock import FakeIps
from ips_mock.errors import ScenarioError
from ips_mock.testing import SoapTestClient, add_asset


def _type(client: SoapTestClient, name: str = "Application", *, allow_multiple: bool = False, **extra: Any) -> str:
    params = {"companyHandle": "c|100", "name": name, "propertyType": "Application", "allowMultiple": allow_multiple}
    return client.call("createPropertySetType", {**params, **extra}).text("typeHandle")


def _set(client: SoapTestClient, kind: str, owner: str = "c|100", **properties: str) -> str:
    items = [{"name": name, "value": value} for name, value in properties.items()]
    params = {"typeHandle": kind, "primaryOwnerHandle": owner, "propertyArray": {"items": items}}
    return client.call("createPropertySet", params).text("setHandle")


def _properties(client: SoapTestClient, kind: str, owner: str = "c|100", **extra: str) -> list[list[tuple[str, str]]]:
    reply = client.call("getPropertySets", {"typeHandle": kind, "primaryOwnerHandle": owner, **extra}).ok()
    (array,) = reply.payload
    return [[(prop[0].text or "", prop[1].text or "") for prop in item[2]] for item in array]


def test_a_type_and_a_set_read_back_through_zeep(real_zeep: Any) -> None:
    service, auth = real_zeep.service, real_zeep.auth()
    kind = service.createPropertySetType(
        companyHandle="c|100", name="Application", propertyType="Application", allowMultiple=False, _soapheaders=auth
    )
    assert kind == "pt|1"  # zeep unwraps a Return of one field
    created = service.createPropertySet(
        typeHandle=kind,
        primaryOwnerHandle="c|100",
        propertyArray={"items": [{"name": "application_cdn_invalidation_template", "value": "https://x/<ID>"}]},
        _soapheaders=auth,
    )
    assert created == "ps|1"
    (found,) = service.getPropertySets(typeHandle=kind, primaryOwnerHandle="c|100", _soapheaders=auth)
    assert (found.setHandle, found.typeHandle) == ("ps|1", "pt|1")
    assert [(p.name, p.value) for p in found.propertyArray.items] == [
        ("application_cdn_invalidation_template", "https://x/<ID>")
    ]
    (listed,) = service.getPropertySetTypes(companyHandle="c|100", _soapheaders=auth)
    assert (listed.typeHandle, listed.companyHandle, listed.name, listed.allowMultiple) == (
        "pt|1",
        "c|100",
        "Application",
        False,
    )
    assert service.getPropertySetType(companyHandle="c|100", name="Application", _soapheaders=auth).typeHandle == kind
    assert real_zeep.validated == 5


def test_a_type_that_allows_one_set_per_object_replaces_it(client: SoapTestClient) -> None:
    single, multiple = _type(client, "single"), _type(client, "multiple", allow_multiple=True)
    first = _set(client, single, a="1")
    second = _set(client, single, a="2")
    assert (first, second) == ("ps|1", "ps|2")
    assert _properties(client, single) == [[("a", "2")]]  # the new set replaced the old one
    _set(client, multiple, a="1")
    _set(client, multiple, a="2")
    assert _properties(client, multiple) == [[("a", "1")], [("a", "2")]]
    client.call("deletePropertySet", {"setHandle": first}).assert_fault(30001, "setHandle", first)


def test_update_merges_by_name_or_replaces_everything(client: SoapTestClient) -> None:
    kind = _type(client)
    handle = _set(client, kind, a="1", b="2")
    items = {"items": [{"name": "b", "value": "20"}, {"name": "c", "value": "3"}]}
    client.call("updatePropertySet", {"setHandle": handle, "propertyArray": items}).ok()
    assert _properties(client, kind) == [[("a", "1"), ("b", "20"), ("c", "3")]]
    client.call("updatePropertySet", {"setHandle": handle, "replaceProperties": True, "propertyArray": items}).ok()
    assert _properties(client, kind) == [[("b", "20"), ("c", "3")]]
    client.call("deletePropertySet", {"setHandle": handle}).ok()
    assert _properties(client, kind) == []


def test_owners_are_companies_users_assets_and_folders_the_caller_sees(fake: FakeIps, client: SoapTestClient) -> None:
    asset = add_asset(fake, "Example/img/hero.jpg").handle
    kind = _type(client, allow_multiple=True)
    for owner in ("c|100", "u|1", asset, "f|100|Example/img/"):
        _set(client, kind, owner, who=owner)
        assert _properties(client, kind, owner) == [[("who", owner)]]
    for owner in ("c|200", "c|999", "u|99", "a|100|1|999", "f|100|Example/nowhere/", "x|1", "j|100|job||"):
        params = {"typeHandle": kind, "primaryOwnerHandle": owner, "propertyArray": {"items": []}}
        client.call("createPropertySet", params).assert_fault(30001, "primaryOwnerHandle", owner)


def test_a_secondary_owner_narrows_the_sets_read(fake: FakeIps, client: SoapTestClient) -> None:
    asset = add_asset(fake, "Example/hero.jpg").handle
    kind = _type(client, allow_multiple=True)
    with_asset = {"typeHandle": kind, "primaryOwnerHandle": "c|100", "secondaryOwnerHandle": asset}
    client.call("createPropertySet", {**with_asset, "propertyArray": {"items": [{"name": "k", "value": "a"}]}}).ok()
    _set(client, kind, k="none")
    assert _properties(client, kind) == [[("k", "a")], [("k", "none")]]  # any secondary owner
    assert _properties(client, kind, secondaryOwnerHandle=asset) == [[("k", "a")]]


def _two_companies(*users: dict[str, Any]) -> FakeIps:
    """Example (c|100) with an IpsAdmin, Other (c|200) with its company admin, and ``users``; every password p."""
    return FakeIps(
        {
            "ips_mock": 1,
            "companies": [{"name": "Example", "id": 100}, {"name": "Other", "id": 200}],
            "users": [
                {"email": "admin@example.com", "password": "p", "role": "IpsAdmin", "companies": ["Example"]},
                *users,
                {"email": "other@example.com", "password": "p", "role": "IpsCompanyAdmin", "companies": ["Other"]},
            ],
        }
    )


def test_global_types_are_an_ipsadmins_and_seen_by_every_company() -> None:
    fake = _two_companies(
        {"email": "ca@example.com", "password": "p", "role": "IpsCompanyAdmin", "companies": ["Example"]}
    )
    client = SoapTestClient(fake)
    params = {"name": "Viewer", "propertyType": "Viewer", "allowMultiple": True}
    client.call("createPropertySetType", params, user="ca@example.com", password="p").assert_fault(
        30002, "companyHandle"
    )
    shared = client.call("createPropertySetType", params, password="p").text("typeHandle")
    own = client.call(
        "createPropertySetType", {"companyHandle": "c|100", **params}, user="ca@example.com", password="p"
    ).text("typeHandle")
    client.call("createPropertySetType", params, password="p").assert_fault(30001, "name", "already exists")

    def names(user: str, company: str | None) -> list[str]:
        reply = client.call(
            "getPropertySetTypes", {"companyHandle": company} if company else {}, user=user, password="p"
        )
        return [item[0].text or "" for item in reply.payload[0]]

    assert names("ca@example.com", "c|100") == [own, shared]  # the company's own first
    assert names("other@example.com", "c|200") == [shared]
    assert names("other@example.com", None) == [shared]
    other_type = {"companyHandle": "c|200", "name": "Viewer"}
    found = client.call("getPropertySetType", other_type, user="other@example.com", password="p")
    assert found.text("type/typeHandle") == shared  # no type of its own: the global one
    client.call("deletePropertySetType", {"typeHandle": own}, user="other@example.com", password="p").assert_fault(
        30001, "typeHandle", own
    )
    client.call("deletePropertySetType", {"typeHandle": shared}, user="ca@example.com", password="p").assert_fault(
        20003, "global"
    )
    client.call("deletePropertySetType", {"typeHandle": shared}, password="p").ok()
    assert names("other@example.com", None) == []


def test_deleting_a_type_deletes_its_sets(fake: FakeIps, client: SoapTestClient) -> None:
    kind = _type(client)
    handle = _set(client, kind, a="1")
    client.call("deletePropertySetType", {"typeHandle": kind}).ok()
    assert fake.state.property_sets == {}
    client.call("updatePropertySet", {"setHandle": handle, "propertyArray": {"items": []}}).assert_fault(30001)
    client.call("getPropertySets", {"typeHandle": kind, "primaryOwnerHandle": "c|100"}).assert_fault(
        30001, "typeHandle", kind
    )


def test_only_admins_create_sets_and_everyone_reads_them(client: SoapTestClient) -> None:
    kind = _type(client)
    _set(client, kind, a="1")
    params = {"typeHandle": kind, "primaryOwnerHandle": "c|100", "propertyArray": {"items": []}}
    client.call("createPropertySet", params, user="user@example.com").assert_fault(20003, "createPropertySet")
    reply = client.call("getPropertySets", {"typeHandle": kind, "primaryOwnerHandle": "c|100"}, user="user@example.com")
    assert reply.ok().text("setArray/items/setHandle") == "ps|1"


def test_2013_has_the_same_operations(client: SoapTestClient) -> None:
    params = {"companyHandle": "c|100", "name": "A", "propertyType": "A", "allowMultiple": False}
    kind = client.call("createPropertySetType", params, version="2013-02-15").text("typeHandle")
    items = {"items": [{"name": "k", "value": "v"}]}
    client.call(
        "createPropertySet",
        {"typeHandle": kind, "primaryOwnerHandle": "c|100", "propertyArray": items},
        version="2013-02-15",
    ).ok()
    reply = client.call("getPropertySets", {"typeHandle": kind, "primaryOwnerHandle": "c|100"}, version="2013-02-15")
    assert reply.text("setArray/items/propertyArray/items/value") == "v"


def test_a_set_on_another_companys_object_is_not_seen_even_through_a_global_type() -> None:
    fake = _two_companies()
    client = SoapTestClient(fake)
    kind = client.call(
        "createPropertySetType", {"name": "Viewer", "propertyType": "Viewer", "allowMultiple": True}, password="p"
    ).text("typeHandle")
    asset = add_asset(fake, "Example/hero.jpg").handle
    items = {"items": [{"name": "k", "value": "v"}]}
    handle = client.call(
        "createPropertySet", {"typeHandle": kind, "primaryOwnerHandle": asset, "propertyArray": items}, password="p"
    ).text("setHandle")
    as_other = {"user": "other@example.com", "password": "p"}
    client.call("deletePropertySet", {"setHandle": handle}, **as_other).assert_fault(30001, "setHandle", handle)
    client.call("getPropertySets", {"typeHandle": kind, "primaryOwnerHandle": asset}, **as_other).assert_fault(
        30001, "primaryOwnerHandle"
    )
    client.call("deleteAsset", {"companyHandle": "c|100", "assetHandle": asset}, password="p").ok()
    client.call("deletePropertySet", {"setHandle": handle}, password="p").ok()  # its asset gone, the set is not


SEEDED = """\
ips_mock: 1
companies: [{name: Example, id: 100}, {name: Other, id: 200}]
users:
  - {email: admin@example.com, password: p, role: IpsAdmin, companies: [Example]}
assets:
  - {company: Example, path: img/hero.jpg}
property_sets:
  - {company: Example, type: Application, properties: {a: "1", b: "2"}}
  - {company: Example, type: Viewer, allow_multiple: true, owner: "a|100|1|1001", properties: {v: x}}
  - {company: Example, type: Viewer, allow_multiple: true, owner: "f|100|Example/img/", properties: {v: y}}
  - {company: Example, type: Viewer, allow_multiple: true, owner: "u|1", properties: {}}
"""


def test_a_scenario_seeds_sets_and_their_types(tmp_path: Any) -> None:
    path = tmp_path / "seeded.yaml"
    path.write_text(SEEDED)
    fake = FakeIps(path)
    client = SoapTestClient(fake)
    types = client.call("getPropertySetTypes", {"companyHandle": "c|100"}, password="p")
    assert [(item[0].text, item[2].text, item[4].text) for item in types.payload[0]] == [
        ("pt|1", "Application", "false"),
        ("pt|2", "Viewer", "true"),
    ]
    sets = client.call("getPropertySets", {"typeHandle": "pt|1", "primaryOwnerHandle": "c|100"}, password="p")
    assert sets.text("setArray/items/setHandle") == "ps|1"
    assert [(p[0].text, p[1].text) for p in sets.payload[0][0][2]] == [("a", "1"), ("b", "2")]
    for owner, handle in (("a|100|1|1001", "ps|2"), ("f|100|Example/img/", "ps|3"), ("u|1", "ps|4")):
        reply = client.call("getPropertySets", {"typeHandle": "pt|2", "primaryOwnerHandle": owner}, password="p")
        assert reply.text("setArray/items/setHandle") == handle
    more = {"typeHandle": "pt|2", "primaryOwnerHandle": "c|100", "propertyArray": {"items": []}}
    assert client.call("createPropertySet", more, password="p").text("setHandle") == "ps|5"  # counting on


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ("{company: Nowhere, type: A, properties: {}}", "seeded.yaml:12: property_sets[4].company: unknown company"),
        (
            "{company: Example, type: Viewer, properties: {}}",
            "seeded.yaml:12: property_sets[4].allow_multiple: False here, True at property_sets[1]",
        ),
        (
            "{company: Example, type: Application, properties: {a: again}}",
            "seeded.yaml:12: property_sets[4].owner: property_sets[0] is already a set of type 'Application' on c|100",
        ),
        (
            "{company: Example, type: B, owner: 'a|100|1|999', properties: {}}",
            "seeded.yaml:12: property_sets[4].owner: 'a|100|1|999' is not Example, nor one of its users",
        ),
        (
            "{company: Other, type: B, owner: 'u|1', properties: {}}",
            "seeded.yaml:12: property_sets[4].owner: 'u|1' is not Other",
        ),
    ],
)
def test_a_bad_seeded_set_is_reported_at_its_line(tmp_path: Any, entry: str, message: str) -> None:
    path = tmp_path / "seeded.yaml"
    path.write_text(SEEDED + f"  - {entry}\n")
    with pytest.raises(ScenarioError) as error:
        FakeIps(path)
    assert message in str(error.value)
