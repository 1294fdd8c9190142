"""Fuzzing the SOAP endpoint in-process: random bytes, random XML, and mutated envelopes of every operation.

Whatever comes in, the reply is a SOAP envelope that validates against Adobe's schema: HTTP 200 with an
``<op>Return``, or a fault in the SOAP version of the request; never a traceback, never an HTML or plain-text
error; ``fake.errors`` stays empty; and a valid call succeeds afterwards.

Runs are reproducible (``derandomize``) and leave no example database behind. ``IPS_MOCK_FUZZ_PROFILE=nightly``
runs 25 times as many examples, with fresh randomness each time.
"""

from __future__ import annotations

import copy
import gzip
import json
import os
import tempfile
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any, Final
from xml.sax.saxutils import escape, quoteattr

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from lxml import etree
from werkzeug.test import Client

from ips_mock import FakeIps, ScenarioError
from ips_mock.model.catalog import Asset, CropRect
from ips_mock.operations import OPERATIONS
from ips_mock.protocol import ns
from ips_mock.protocol.overrides import BETA_OPERATIONS
from ips_mock.scenario import load_scenario, load_scenario_text
from ips_mock.testing import auth_header, build_envelope, upload_urls_job, validate_reply

ENDPOINT: Final = "/scene7/services/IpsApiService"
V2014: Final = ns.ApiVersion("2014-04-03").namespace
XSI: Final = "http://www.w3.org/2001/XMLSchema-instance"

# Hypothesis keeps caches (constants it found in the source, unicode tables) beside the checkout by default; no
# example database is kept at all (database=None), and the caches go to the temporary directory.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "ips-mock-hypothesis")
settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("nightly", parent=settings.get_profile("ci"), derandomize=False)
PROFILE: Final = os.environ.get("IPS_MOCK_FUZZ_PROFILE", "ci")
SCALE: Final = {"ci": 1, "nightly": 25}[PROFILE]

# Examples a test runs in the default profile: 5,700 in all.
BYTES_EXAMPLES: Final = 300
XML_EXAMPLES: Final = 500
MUTATION_EXAMPLES: Final = 4000
MIXED_EXAMPLES: Final = 200
SCENARIO_EXAMPLES: Final = 300
YAML_EXAMPLES: Final = 400


def fuzz_settings(examples: int) -> Callable[[Any], Any]:
    """The profile's settings with ``examples`` examples (times the profile's scale)."""
    return settings(settings.get_profile(PROFILE), max_examples=examples * SCALE)


# --------------------------------------------------------------------------------------------- the fake


class Target:
    """A fake with a little of everything (a scheduled job, a finished run with its log), and the check every
    reply must pass."""

    def __init__(self) -> None:
        self.fake = FakeIps()
        self.client = Client(self.fake)
        self.examples = 0
        scheduled = self.call(
            "submitJob",
            {
                "companyHandle": "c|100",
                "jobName": "nightly",
                "execSchedule": "0 0 0 * * ?",
                "imageServingPublishJob": {"publishType": "Full", "emailSetting": "None"},
            },
        )
        self.submit_handle = _text(scheduled, "jobHandle")
        upload = self.call(
            "submitJob",
            {"companyHandle": "c|100", "jobName": "upload", "uploadUrlsJob": upload_urls_job("https://x.test/a.jpg")},
        )
        self.upload_handle = _text(upload, "jobHandle")
        self.fake.advance(timedelta(minutes=2))  # the upload has run: a log, and an asset handle
        logs = self.call("getJobLogs", {"companyHandle": "c|100"})
        self.log_handle = _text(logs, "jobLogArray/items/jobHandle")
        # Uploads do not fill the catalog yet: an asset of its own for the asset operations.
        at = self.fake.clock.now()
        self.asset = Asset(1, 100, "a", "a.jpg", "Example/", "Image", at, at, "admin@example.com", "admin@example.com")
        self.asset_handle = self.fake.state.catalog.add(self.asset).handle
        crop = self.asset.add_smart_crop("Large", 100, 50, CropRect(0, 0, 1, 0.5), at, "admin@example.com")
        self.sub_asset_handle = crop.handle
        created = self.call("createFolder", {"companyHandle": "c|100", "folderPath": "Example/fuzz/"})
        self.folder_handle = _text(created, "folderHandle")

    def call(self, operation: str, params: dict[str, Any]) -> etree._Element:
        body = build_envelope(operation, params, headers=[auth_header()])
        response = self.client.post(ENDPOINT, data=body, headers={"Content-Type": "text/xml"})
        payload = validate_reply(response.get_data())
        assert response.status_code == 200, response.get_data()
        return payload

    def check(self, body: bytes, headers: dict[str, str]) -> None:
        """Post ``body`` and check the reply; every example ends here."""
        self.examples += 1
        if self.examples % 25 == 0:  # runs end, schedules fire: the state stays small and keeps changing
            self.fake.advance(timedelta(minutes=2))
            if self.asset.id not in self.fake.state.catalog.assets:  # a fuzzed deleteAsset removed it
                self.fake.state.catalog.add(self.asset)
        response = self.client.post(ENDPOINT, data=body, headers=headers)
        data = response.get_data()
        if response.headers.get("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        assert b"Traceback" not in data, data[:2000]
        errors = [f"{e.operation}: {e.traceback}" for e in self.fake.errors]
        assert not errors, "\n".join(errors)
        assert response.mimetype in ("text/xml", "application/soap+xml"), (response.status_code, data[:500])
        payload = validate_reply(data)
        reply_soap = etree.QName(etree.fromstring(data)).namespace
        assert response.mimetype == ("text/xml" if reply_soap == ns.SOAP11_ENV else "application/soap+xml")
        is_fault = etree.QName(payload).localname in ("ipsApiFault", "authenticationFault", "authorizationFault")
        if not is_fault:
            assert response.status_code == 200
            assert etree.QName(payload).localname.endswith("Return")
        else:
            assert 200 <= response.status_code <= 599
        # The reply speaks the request's SOAP version: its envelope's when it had one, else its Content-Type's.
        announced = ns.SOAP12_ENV if headers.get("Content-Type", "").startswith("application/soap+xml") else None
        assert reply_soap in {_envelope_namespace(body), announced or ns.SOAP11_ENV}, (reply_soap, body[:300])
        if not is_fault:
            assert reply_soap == _envelope_namespace(body)

    def still_serves(self) -> None:
        payload = self.call("getCompanyInfo", {"companyName": "Example"})
        assert _text(payload, "companyInfo/companyHandle") == "c|100"
        assert self.fake.errors == []


def _text(payload: etree._Element, path: str) -> str:
    found = payload.find("/".join(f"{{*}}{part}" for part in path.split("/")))
    assert found is not None, etree.tostring(payload)[:500]
    return found.text or ""


def _envelope_namespace(body: bytes) -> str | None:
    try:
        root = etree.fromstring(body, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    except (etree.XMLSyntaxError, ValueError):
        return None
    namespace = etree.QName(root).namespace
    return namespace if namespace in (ns.SOAP11_ENV, ns.SOAP12_ENV) else None


# ------------------------------------------------------------------------------------------ the requests


def valid_params(target: Target, operation: str) -> dict[str, Any]:
    """Parameters that make ``operation`` succeed (or fail only for the state it finds)."""
    company = {"companyHandle": "c|100"}
    job = {**company, "jobHandle": target.submit_handle}
    return {
        "checkLogin": {**company, "email": "admin@example.com", "password": "password"},
        "getCompanyInfo": {"companyName": "Example"},
        "submitJob": {
            **company,
            "jobName": "fuzzed",
            "execTime": "2030-01-01T00:00:00.000-08:00",
            "uploadUrlsJob": upload_urls_job(("https://x.test/b.jpg", "Example/b.jpg"), emailSetting="All"),
        },
        "executeJob": job,
        "getActiveJobs": {**company, "includeWaitingJobs": True},
        "getScheduledJobs": {**company, "originalName": "nightly"},
        "stopJob": job,  # executeJob starts runs of it now and then
        "pauseJob": job,
        "resumeJob": job,
        "deleteJob": {**company, "jobHandle": "j|100|nothing||"},
        "getJobLogs": {
            **company,
            "sortBy": "StartDate",
            "sortDirection": "Ascending",
            "startDate": "2026-01-01T00:00:00Z",
            "endDate": "2027-01-01T00:00:00Z",
            "numRows": 10,
        },
        "getJobLogDetails": {
            **company,
            "jobHandle": target.log_handle,
            "logTypeArray": {"items": ["UploadSuccess", "FileUpdated"]},
            "recordsPerPage": 5,
            "resultsPage": 1,
            "sortDirection": "Descending",
        },
        "getAssetJobLogs": {**company, "assetHandle": target.asset_handle},
        "createFolder": {**company, "folderPath": "Example/fuzz/more/"},
        "deleteFolder": {**company, "folderHandle": target.folder_handle},
        "deleteAsset": {**company, "assetHandle": target.asset_handle},
        "deleteAssets": {**company, "assetHandleArray": {"items": [target.asset_handle, "a|100|1|999"]}},
        "getAssets": {
            **company,
            "assetHandleArray": {"items": [target.asset_handle]},
            "responseFieldArray": {"items": ["name", "folder"]},
        },
        "getAssetsByName": {
            **company,
            "nameArray": {"items": ["a"]},
            "assetTypeArray": {"items": ["Image"]},
            "strictSubTypeCheck": False,
        },
        "getAssociatedAssets": {**company, "assetHandle": target.asset_handle},
        "updateSmartCrops": {
            **company,
            "updateArray": {
                "items": [
                    {
                        "ownerHandle": target.asset_handle,
                        "subAssetHandle": target.sub_asset_handle,
                        "cropRect": {"leftN": 0.1, "topN": 0.1, "widthN": 0.5, "heightN": 0.5},
                    }
                ]
            },
        },
        "cdnCacheInvalidation": {**company, "urlArray": {"items": ["https://s7d1.scene7.com/is/image/Example/a"]}},
        "getCdnCacheInvalidationStatus": {**company, "invalidationHandle": "cdn|100|1"},
        "getPropertySetTypes": company,
        "getPropertySetType": {**company, "name": "Application"},
        "createPropertySetType": {
            **company,
            "name": "Application",
            "propertyType": "Application",
            "allowMultiple": False,
        },
        "deletePropertySetType": {"typeHandle": "pt|1"},
        "getPropertySets": {"typeHandle": "pt|1", "primaryOwnerHandle": "c|100"},
        "createPropertySet": {
            "typeHandle": "pt|1",
            "primaryOwnerHandle": "c|100",
            "propertyArray": {"items": [{"name": "k", "value": "v"}]},
        },
        "updatePropertySet": {"setHandle": "ps|1", "propertyArray": {"items": [{"name": "k", "value": "w"}]}},
        "deletePropertySet": {"setHandle": "ps|1"},
        "getFolderTree": {**company, "folderPath": "Example/", "depth": 2},
        "getFolders": {**company, "folderPath": "Example/"},
        "moveAsset": {**company, "assetHandle": target.asset_handle, "folderHandle": target.folder_handle},
        "moveAssets": {
            **company,
            "assetMoveArray": {"items": [{"assetHandle": target.asset_handle, "folderHandle": target.folder_handle}]},
        },
        "renameAsset": {**company, "assetHandle": target.asset_handle, "newName": "renamed", "validateName": True},
        "searchAssets": {
            **company,
            "folder": "Example/",
            "includeSubfolders": True,
            "keywordArray": {"items": ["a"]},
            "recordsPerPage": 10,
            "resultsPage": 1,
            "sortBy": "Name",
            "sortDirection": "Ascending",
        },
        "searchAssetsByMetadata": {
            **company,
            "filters": {"folder": "Example/", "includeSubfolders": True},
            "recordsPerPage": 10,
            "resultsPage": 1,
        },
    }[operation]


# Values of every wrong kind: types, ranges, dates, handles, schedules, unicode.
ODD_VALUES: Final = [
    "",
    " ",
    "abc",
    "-1",
    "0",
    "2147483648",
    "-9223372036854775809",
    "9" * 400,
    "1e309",
    "NaN",
    "INF",
    "-0",
    "true",
    "1",
    "yes",
    "2026-13-45T99:99:99",
    "2026-01-01",
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00+14:00",
    "9998-12-31T23:59:59Z",
    "2026-01-05T09:00:00+25:00",
    "j|100|x||",
    "j|||||",
    "|",
    "c|",
    "c|999999999999999999999999",
    "c|-1",
    "a|100|1|1",
    "0 0 0 * * ?",
    "* * * * * * 1969",
    "0 0 0 29 2 ? 2100",
    "L W #",
    "0 0 0 ? * 8#6",
    "\u202e",
    "😀" * 50,
    "x" * 5000,
    "]]>",
    "<",
    "&amp;",
    "ZZ-top",
    "en_US",
    "de-DE",
    "Ascending",
    "StartDate",
    "Full",
    "None",
    "UploadSuccess",
]
TEXT: Final = st.one_of(
    st.sampled_from(ODD_VALUES),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40),
)
NAMESPACES: Final = [
    V2014,
    ns.ApiVersion("2013-02-15").namespace,
    ns.ApiVersion("2008-01-15").namespace,
    ns.FLT,
    ns.TNS,
    ns.SOAP11_ENV,
    ns.SOAP12_ENV,
    "",
    "urn:elsewhere",
    XSI,
]
NAMES: Final = [
    "Envelope",
    "Header",
    "Body",
    "authHeader",
    "user",
    "password",
    "companyHandle",
    "jobHandle",
    "jobName",
    "items",
    "urlArray",
    "sourceUrl",
    *[f"{op}Param" for op in OPERATIONS],
    "getUserInfoParam",
    "Fault",
    "x",
]
CONTENT_TYPES: Final = [
    "text/xml",
    "text/xml; charset=utf-8",
    "application/soap+xml",
    'application/soap+xml; action="submitJob"',
    "application/xml",
    "text/plain",
    "",
    "multipart/related; boundary=x",
    "text/xml; charset=latin-1",
]


def _mutate(root: etree._Element, data: st.DataObject) -> None:
    """One change to the tree: drop, duplicate, reorder, retype, rename, nil, decorate."""
    elements = list(root.iter(tag=etree.Element))
    el = elements[data.draw(st.integers(0, len(elements) - 1), label="element")]
    parent = el.getparent()
    kind = data.draw(
        st.sampled_from(["drop", "duplicate", "swap", "text", "namespace", "rename", "nil", "attribute", "child"]),
        label="mutation",
    )
    if kind == "drop" and parent is not None:
        parent.remove(el)
    elif kind == "duplicate" and parent is not None:
        el.addnext(copy.deepcopy(el))
    elif kind == "swap" and parent is not None and el.getnext() is not None:
        nxt = el.getnext()
        assert nxt is not None
        nxt.addnext(el)
    elif kind == "text":
        el.text = data.draw(TEXT, label="text")
        if data.draw(st.booleans(), label="drop children"):
            for child in list(el):
                el.remove(child)
    elif kind == "namespace":
        namespace = data.draw(st.sampled_from(NAMESPACES), label="namespace")
        local = etree.QName(el).localname
        el.tag = f"{{{namespace}}}{local}" if namespace else local
    elif kind == "rename":
        el.tag = etree.QName(etree.QName(el).namespace, data.draw(st.sampled_from(NAMES), label="name")).text
    elif kind == "nil":
        el.set(f"{{{XSI}}}nil", data.draw(st.sampled_from(["true", "false", "1", "maybe"]), label="nil"))
    elif kind == "attribute":
        el.set(data.draw(st.sampled_from(["id", "href", "mustUnderstand", "encodingStyle"])), data.draw(TEXT))
    elif kind == "child":
        name = data.draw(st.sampled_from(NAMES), label="child")
        child = etree.SubElement(el, etree.QName(etree.QName(el).namespace, name).text)
        child.text = data.draw(TEXT, label="child text")


def _damage(body: bytes, data: st.DataObject) -> bytes:
    """Byte-level damage lxml would never write: control characters, bad UTF-8, truncation, other encodings."""
    kind = data.draw(st.sampled_from(["none", "none", "none", "insert", "truncate", "utf16", "declaration"]))
    if kind == "insert":
        at = data.draw(st.integers(0, len(body)))
        junk = data.draw(st.sampled_from([b"\x00", b"\x07", b"\xff", b"\xc3(", b"&", b"&bogus;", b"<!--", b"]]>"]))
        return body[:at] + junk + body[at:]
    if kind == "truncate":
        return body[: data.draw(st.integers(0, len(body)))]
    if kind == "utf16":
        return etree.tostring(etree.fromstring(body), xml_declaration=True, encoding="UTF-16")
    if kind == "declaration":
        return (
            b"<?xml version='1.0' encoding='" + data.draw(st.sampled_from([b"ascii", b"EBCDIC", b"x"])) + b"'?>" + body
        )
    return body


def _headers(operation: str | None, soap12: bool, data: st.DataObject) -> dict[str, str]:
    content_type = "application/soap+xml; charset=UTF-8" if soap12 else "text/xml; charset=UTF-8"
    if data.draw(st.integers(0, 9), label="odd content type") == 0:
        content_type = data.draw(st.sampled_from(CONTENT_TYPES))
    headers = {"Content-Type": content_type}
    action = data.draw(st.sampled_from(["same", "same", "none", "other", "empty", "quoted-prefix"]), label="action")
    if action == "same" and operation:
        headers["SOAPAction"] = operation
    elif action == "other":
        headers["SOAPAction"] = data.draw(st.sampled_from(list(OPERATIONS)))
    elif action == "empty":
        headers["SOAPAction"] = '""'
    elif action == "quoted-prefix" and operation:
        headers["SOAPAction"] = f'"urn:x#{operation}"'
    if data.draw(st.integers(0, 9), label="basic auth") == 0:
        headers["Authorization"] = data.draw(
            st.sampled_from(
                ["Basic YWRtaW5AZXhhbXBsZS5jb206cGFzc3dvcmQ=", "Basic !!!", "Bearer x", "Basic " + "A" * 99]
            )
        )
    return headers


# ---------------------------------------------------------------------------------------------------- fuzz


def test_random_bytes() -> None:
    target = Target()

    @fuzz_settings(BYTES_EXAMPLES)
    @given(body=st.binary(max_size=3000), content_type=st.sampled_from(CONTENT_TYPES))
    def fuzz(body: bytes, content_type: str) -> None:
        target.check(body, {"Content-Type": content_type})

    fuzz()
    target.still_serves()
    assert target.examples >= BYTES_EXAMPLES * SCALE  # hypothesis ran them all


def _xml_trees(depth: int = 4) -> st.SearchStrategy[str]:
    def element(children: st.SearchStrategy[list[str]]) -> st.SearchStrategy[str]:
        return st.builds(
            lambda name, namespace, text, kids, attribute: (
                f"<{name}"
                + (f" xmlns={quoteattr(namespace)}" if namespace is not None else "")
                + (f" a={quoteattr(attribute)}" if attribute is not None else "")
                + f">{escape(text)}{''.join(kids)}</{name}>"
            ),
            st.sampled_from(NAMES),
            st.sampled_from([None, *NAMESPACES]),
            TEXT,
            children,
            st.none() | TEXT,
        )

    leaves = element(st.just([]))
    return st.recursive(leaves, lambda inner: element(st.lists(inner, max_size=4)), max_leaves=12)


def test_random_xml() -> None:
    target = Target()

    @fuzz_settings(XML_EXAMPLES)
    @given(tree=_xml_trees(), wrap=st.sampled_from([None, ns.SOAP11_ENV, ns.SOAP12_ENV]), data=st.data())
    def fuzz(tree: str, wrap: str | None, data: st.DataObject) -> None:
        if wrap is not None:  # inside a real envelope, so it reaches the operation lookup and the decoder
            tree = f'<e:Envelope xmlns:e="{wrap}"><e:Body>{tree}</e:Body></e:Envelope>'
        target.check(tree.encode(), _headers(None, wrap == ns.SOAP12_ENV, data))

    fuzz()
    target.still_serves()
    assert target.examples >= XML_EXAMPLES * SCALE  # hypothesis ran them all


def test_mutated_envelopes_of_every_operation() -> None:
    target = Target()

    @fuzz_settings(MUTATION_EXAMPLES)
    @given(
        operation=st.sampled_from(sorted(OPERATIONS)),
        soap12=st.booleans(),
        version=st.sampled_from(
            ["2017-10-29-beta", "2014-04-03", "2013-02-15", "2012-02-14", "2010-01-31", "2008-01-15"]
        ),
        mutations=st.integers(0, 4),
        data=st.data(),
    )
    def fuzz(operation: str, soap12: bool, version: str, mutations: int, data: st.DataObject) -> None:
        target.check(*_mutated_request(target, operation, soap12, version, mutations, data))

    fuzz()
    target.still_serves()
    assert target.examples >= MUTATION_EXAMPLES * SCALE  # hypothesis ran them all


def _home(operation: str) -> str:
    """The first namespace that has ``operation``: 2014-04-03, or the first beta with it."""
    return BETA_OPERATIONS.get(operation, "2014-04-03")


def _mutated_request(
    target: Target, operation: str, soap12: bool, version: str, mutations: int, data: st.DataObject
) -> tuple[bytes, dict[str, str]]:
    params = valid_params(target, operation)
    header_ns = data.draw(st.sampled_from([ns.FLT, ns.ApiVersion(version).namespace]), label="auth namespace")
    extra = data.draw(
        st.fixed_dictionaries(
            {},
            optional={
                "locale": st.sampled_from(["de-DE", "fr", "xx", ""]),
                "gzipResponse": st.sampled_from(["true", "false", "maybe"]),
                "faultHttpStatusCode": st.sampled_from(["200", "418", "204", "99999", "x"]),
            },
        ),
        label="auth extras",
    )
    try:
        body = build_envelope(
            operation,
            params,
            version=version,
            soap="1.2" if soap12 else "1.1",
            headers=[auth_header(namespace=header_ns, **extra)],
        )
    except KeyError:  # an operation this namespace does not have: send it anyway, in the shape of one that has it
        body = build_envelope(
            operation, params, version=_home(operation), soap="1.2" if soap12 else "1.1", headers=[auth_header()]
        )
    root = etree.fromstring(body)
    for _ in range(mutations):
        _mutate(root, data)
    body = _damage(etree.tostring(root, xml_declaration=data.draw(st.booleans()), encoding="UTF-8"), data)
    return body, _headers(operation, soap12, data)


def test_mixed_soap_versions() -> None:
    """Envelope of one version, Header or Body of the other, Content-Type of either."""
    target = Target()

    @fuzz_settings(MIXED_EXAMPLES)
    @given(operation=st.sampled_from(sorted(OPERATIONS)), data=st.data())
    def fuzz(operation: str, data: st.DataObject) -> None:
        body = build_envelope(
            operation, valid_params(target, operation), version=_home(operation), headers=[auth_header()]
        )
        root = etree.fromstring(body)
        for el in [root, *root]:
            if data.draw(st.booleans()):
                el.tag = f"{{{ns.SOAP12_ENV}}}{etree.QName(el).localname}"
        target.check(etree.tostring(root), _headers(operation, data.draw(st.booleans()), data))

    fuzz()
    target.still_serves()
    assert target.examples >= MIXED_EXAMPLES * SCALE  # hypothesis ran them all


# ------------------------------------------------------------------------------------------------ scenarios

SCENARIO_FILES: Final = sorted((Path(__file__).resolve().parent.parent / "scenarios").glob("*.yaml"))
ODD_SCENARIO_VALUES: Final = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(),
    st.sampled_from(ODD_VALUES),
    st.text(max_size=20),
    st.lists(st.integers(0, 3), max_size=3),
    st.dictionaries(st.sampled_from(["name", "match", "at", "x"]), st.integers(0, 3), max_size=2),
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _paths(item, (*prefix, index))
    return out


def test_mutated_scenarios_load_or_say_why() -> None:
    """Every example scenario, with values replaced, removed or repeated: it loads and builds a fake, or raises a
    ScenarioError; nothing else."""
    originals = [json.loads(json.dumps(load_scenario_text(p.read_text()).data, default=str)) for p in SCENARIO_FILES]

    @fuzz_settings(SCENARIO_EXAMPLES)
    @given(index=st.integers(0, len(originals) - 1), changes=st.integers(1, 3), data=st.data())
    def fuzz(index: int, changes: int, data: st.DataObject) -> None:
        document = copy.deepcopy(originals[index])
        for _ in range(changes):
            paths = _paths(document)
            if not paths:
                break
            path = data.draw(st.sampled_from(paths), label="path")
            holder = document
            for part in path[:-1]:
                holder = holder[part]
            action = data.draw(st.sampled_from(["replace", "replace", "remove", "repeat"]), label="action")
            if action == "remove":
                del holder[path[-1]]
            elif action == "repeat" and isinstance(holder, list):
                holder.append(copy.deepcopy(holder[path[-1]]))
            else:
                holder[path[-1]] = data.draw(ODD_SCENARIO_VALUES, label="value")
        problem = ""
        try:
            FakeIps(load_scenario(document))
        except ScenarioError as exc:
            problem = str(exc)
        assert problem == "" or problem.startswith("<mapping>"), problem[:500]
        assert len(problem) < 60_000

    fuzz()


YAML_PIECES: Final = [
    "ips_mock: 1\n",
    "ips_mock: ",
    "1",
    "\n",
    "  ",
    "- ",
    ": ",
    "? ",
    "[",
    "]",
    "{",
    "}",
    ",",
    "&a ",
    "&b ",
    "*a",
    "*b",
    "<<: ",
    "!!python/object:os.system ",
    "!!binary ",
    "!!timestamp ",
    "!!int ",
    "!!float ",
    "!!set ",
    "!!omap ",
    "!custom ",
    "|\n",
    ">-\n",
    "'",
    '"',
    "\\x00",
    "%YAML 1.2\n",
    "%TAG ! tag:x,2000:\n",
    "---\n",
    "...\n",
    "# c\n",
    "9" * 50,
    ".inf",
    ".nan",
    "-0x1F",
    "0o17",
    "1_000",
    "2026-01-05T09:00:00Z",
    "9999-12-31",
    "null",
    "~",
    "clock: ",
    "start: ",
    "jobs: ",
    "users: ",
    "companies: ",
    "timeline: ",
    "faults: ",
    "advance: ",
    "stubs: ",
    "name: ",
    "\t",
    "\u00e9",
    "\ufeff",
    "\x85",
    "\u2028",
]


def test_random_yaml_text_loads_or_says_why() -> None:
    @fuzz_settings(YAML_EXAMPLES)
    @given(pieces=st.lists(st.sampled_from(YAML_PIECES), max_size=40))
    def fuzz(pieces: list[str]) -> None:
        problem = ""
        try:
            load_scenario_text("".join(pieces), name="fuzz.yaml")
        except ScenarioError as exc:
            problem = str(exc)
        assert problem == "" or problem.startswith("fuzz.yaml"), problem[:500]

    fuzz()
