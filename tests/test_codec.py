"""Value formats and the schema-driven decoder (IPS-REFERENCE §1.6)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from lxml import etree

from ips_mock.errors import IpsFault
from ips_mock.protocol.codec import decode, encode, format_datetime, format_double, from_mapping, parse_datetime
from ips_mock.protocol.ns import ApiVersion
from ips_mock.protocol.schema import schema_for

SCHEMA = schema_for(ApiVersion("2014-04-03"))
NS = SCHEMA.namespace


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (72.0, "72.0"),
        (1.0, "1.0"),
        (0.0, "0.0"),
        (0.5, "0.5"),
        (1e7, "1.0E7"),
        (1.5e-4, "1.5E-4"),
        (-2.5e10, "-2.5E10"),
        (float("inf"), "Infinity"),
        (float("nan"), "NaN"),
    ],
)
def test_doubles_are_written_as_java_does(value: float, text: str) -> None:
    assert format_double(value) == text


def test_datetimes_have_milliseconds_and_an_offset() -> None:
    pdt = timezone(timedelta(hours=-7))
    assert format_datetime(datetime(2007, 9, 14, 22, 4, 58, 536999, tzinfo=pdt)) == "2007-09-14T22:04:58.536-07:00"
    assert format_datetime(datetime(2008, 7, 31, 18, tzinfo=UTC)) == "2008-07-31T18:00:00.000+00:00"
    with pytest.raises(ValueError, match="naive"):
        format_datetime(datetime(2020, 1, 1))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "2011-03-30T14:32:08.858-05:00",
            datetime(2011, 3, 30, 14, 32, 8, 858000, tzinfo=timezone(timedelta(hours=-5))),
        ),
        ("2008-07-31T18:00:00Z", datetime(2008, 7, 31, 18, tzinfo=UTC)),
        (
            "2008-07-31T18:00:00.1234567+01:30",
            datetime(2008, 7, 31, 18, 0, 0, 123456, tzinfo=timezone(timedelta(hours=1, minutes=30))),
        ),
        ("2008-07-31T18:00:00", datetime(2008, 7, 31, 18)),
    ],
)
def test_parse_datetime(text: str, expected: datetime) -> None:
    assert parse_datetime(text) == expected


@pytest.mark.parametrize(
    "text", ["2008-07-31", "2008-07-31 18:00:00", "2008-13-01T00:00:00Z", "2008-01-01T00:00:00+15:00"]
)
def test_parse_datetime_rejects(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the message varies with the defect
        parse_datetime(text)


def _param(xml: str) -> etree._Element:
    return etree.fromstring(f'<getJobLogDetailsParam xmlns="{NS}">{xml}</getJobLogDetailsParam>')


def test_decode_converts_types_and_unwraps_arrays() -> None:
    param = _param(
        "<companyHandle>c|1</companyHandle><logTypeArray><items>UploadSuccess</items><items>FatalError</items>"
        "</logTypeArray><recordsPerPage> 10 </recordsPerPage>"
    )
    assert decode(param, SCHEMA.elements["getJobLogDetailsParam"], SCHEMA) == {
        "companyHandle": "c|1",
        "logTypeArray": ["UploadSuccess", "FatalError"],
        "recordsPerPage": 10,
    }


def test_decode_treats_xsi_nil_as_absent() -> None:
    param = _param(
        "<companyHandle>c|1</companyHandle>"
        '<jobHandle xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:nil="true"/>'
    )
    assert decode(param, SCHEMA.elements["getJobLogDetailsParam"], SCHEMA) == {"companyHandle": "c|1"}


def test_decode_names_nested_paths_in_faults() -> None:
    ctype = SCHEMA.elements["getJobLogDetailsParam"]
    with pytest.raises(IpsFault) as info:
        decode(_param("<companyHandle>c|1</companyHandle><resultsPage>one</resultsPage>"), ctype, SCHEMA)
    assert (info.value.code, info.value.reason) == (
        30001,
        "Invalid value for parameter 'resultsPage': 'one' is not a valid xsd:int",
    )


def test_decode_rejects_elements_inside_simple_values() -> None:
    with pytest.raises(IpsFault) as info:
        decode(_param("<companyHandle><x/></companyHandle>"), SCHEMA.elements["getJobLogDetailsParam"], SCHEMA)
    assert info.value.code == 30003


def test_encode_writes_schema_order_and_empty_arrays() -> None:
    result = encode("getActiveJobsReturn", {"jobArray": []}, SCHEMA.elements["getActiveJobsReturn"], SCHEMA)
    assert etree.tostring(result) == f'<getActiveJobsReturn xmlns="{NS}"><jobArray/></getActiveJobsReturn>'.encode()


def test_encode_refuses_to_leave_out_a_required_field() -> None:
    with pytest.raises(ValueError, match="jobHandle is required"):
        encode("submitJobReturn", {}, SCHEMA.elements["submitJobReturn"], SCHEMA)


# ------------------------------------------------------------------------------- bounds and base64 (WSDL-wide)


def _cdn_param(count: int) -> etree._Element:
    urls = "".join(f"<items>http://example.com/{i}.jpg</items>" for i in range(count))
    return etree.fromstring(
        f'<cdnCacheInvalidationParam xmlns="{NS}"><companyHandle>c|100</companyHandle>'
        f"<urlArray>{urls}</urlArray></cdnCacheInvalidationParam>"
    )


def test_a_bounded_repeat_takes_up_to_its_max_occurs() -> None:
    param = SCHEMA.param("cdnCacheInvalidation")
    assert param is not None
    assert len(decode(_cdn_param(1000), param, SCHEMA)["urlArray"]) == 1000

    with pytest.raises(IpsFault) as raised:
        decode(_cdn_param(1001), param, SCHEMA)

    assert (raised.value.code, raised.value.reason) == (
        IpsFault.INVALID_PARAMETER,
        "Invalid value for parameter 'urlArray/items': 1001 values given; at most 1000 are allowed",
    )
    with pytest.raises(IpsFault, match="at most 1000"):
        from_mapping({"companyHandle": "c|100", "urlArray": ["u"] * 1001}, param, SCHEMA)


def test_base64_binary_round_trips() -> None:
    param = SCHEMA.param("updateXMPPacket")
    assert param is not None
    element = etree.fromstring(
        f'<updateXMPPacketParam xmlns="{NS}"><companyHandle>c|100</companyHandle><assetHandle>a|1</assetHandle>'
        "<compressedPacket>aGVs\n bG8=</compressedPacket></updateXMPPacketParam>"
    )
    decoded = decode(element, param, SCHEMA)
    assert decoded["compressedPacket"] == b"hello"

    result = SCHEMA.result("getXMPPacket")
    assert result is not None
    reply = encode("getXMPPacketReturn", {"compressedPacket": b"hello"}, result, SCHEMA)
    assert reply.findtext(f"{{{NS}}}compressedPacket") == "aGVsbG8="

    element[2].text = "not base64!"
    with pytest.raises(IpsFault, match="compressedPacket"):
        decode(element, param, SCHEMA)
