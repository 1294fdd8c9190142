"""A reply's envelope is written around the result's own bytes: the same bytes as building the envelope tree."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from ips_mock.protocol import envelope
from ips_mock.protocol.codec import encode, in_namespace
from ips_mock.protocol.envelope import SoapVersion, render_reply
from ips_mock.protocol.ns import API_VERSIONS
from ips_mock.protocol.schema import schema_for


def _built_around(version: SoapVersion, result: etree._Element) -> bytes:
    """The envelope as a tree with the result moved into its Body, written whole (the reference)."""
    return envelope._envelope(version, result)


_NAMES = st.sampled_from(["items", "jobHandle", "name", "a", "b"])
_TEXTS = st.none() | st.text(st.characters(min_codepoint=0x20, max_codepoint=0x2FF), max_size=6)


@st.composite
def _trees(draw: Any, depth: int = 3) -> etree._Element:
    namespace = draw(st.sampled_from([v.namespace for v in API_VERSIONS]))
    root = etree.Element(f"{{{namespace}}}{draw(_NAMES)}Return", nsmap={None: namespace})

    def fill(parent: etree._Element, level: int) -> None:
        parent.text = draw(_TEXTS)
        for _ in range(draw(st.integers(0, 3 if level else 0))):
            child = etree.SubElement(parent, f"{{{namespace}}}{draw(_NAMES)}")
            fill(child, level - 1)
            child.tail = draw(_TEXTS)

    fill(root, depth)
    return root


@given(tree=_trees(), version=st.sampled_from(list(SoapVersion)), copied=st.booleans())
@settings(max_examples=300, deadline=None)
def test_a_result_in_its_api_namespace_is_written_as_the_envelope_tree_writes_it(
    tree: etree._Element, version: SoapVersion, copied: bool
) -> None:
    # Results come from the codec, or from a stub or recording copied into the request's namespace.
    result = in_namespace(tree, etree.QName(tree).namespace or "") if copied else tree
    expected = _built_around(version, copy.deepcopy(result))
    assert render_reply(version, result) == expected


def test_a_codec_result_is_written_as_the_envelope_tree_writes_it() -> None:
    schema = schema_for(API_VERSIONS[-1])
    value = {"companyInfo": {"companyHandle": "c|1", "name": "Ex & <Co>", "rootPath": "Ex/"}}
    result_type = schema.result("getCompanyInfo")
    assert result_type is not None
    for version in SoapVersion:
        result = encode("getCompanyInfoReturn", value, result_type, schema)
        expected = _built_around(version, encode("getCompanyInfoReturn", value, result_type, schema))
        assert render_reply(version, result) == expected
        assert b"<name>Ex &amp; &lt;Co&gt;</name>" in expected
