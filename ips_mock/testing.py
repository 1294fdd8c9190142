"""Helpers for ips-mock's own tests and for downstream projects' tests.

Nothing here is imported by the fake itself. The real IPS WSDLs are not part of the package: they are looked up in
``$IPS_MOCK_WSDL_DIR`` or in ``../shared/ips-wsdl`` beside the checkout, and a missing file is an error that says
where it was looked for, never a silent skip.
"""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path
from typing import Final

from lxml import etree

from .protocol import ns

__all__ = [
    "REAL_WSDL_VERSIONS",
    "WsdlNotFoundError",
    "real_wsdl_path",
    "real_wsdl_schemas",
]

REAL_WSDL_VERSIONS: Final = ("2014-04-03", "2013-02-15")

_REPO_ROOT: Final = Path(__file__).resolve().parent.parent


class WsdlNotFoundError(RuntimeError):
    """The real IPS WSDL a test needs is not where it should be."""


def _wsdl_dirs() -> list[Path]:
    dirs = []
    if env := os.environ.get("IPS_MOCK_WSDL_DIR"):
        dirs.append(Path(env))
    dirs += [_REPO_ROOT.parent / "shared" / "ips-wsdl", Path.cwd().parent / "shared" / "ips-wsdl"]
    return dirs


def real_wsdl_path(version: str) -> Path:
    """Path of the real ``IpsApi-<version>.wsdl``; raises :class:`WsdlNotFoundError` naming where it looked."""
    name = f"IpsApi-{version}.wsdl"
    for d in _wsdl_dirs():
        if (d / name).is_file():
            return d / name
    looked = ", ".join(str(d) for d in _wsdl_dirs())
    raise WsdlNotFoundError(
        f"the real IPS WSDL {name} is missing: looked in {looked}. "
        "Put the shared folder beside the checkout or set IPS_MOCK_WSDL_DIR."
    )


@functools.cache
def real_wsdl_schemas(version: str) -> dict[str, etree.XMLSchema]:
    """The XML Schemas embedded in the real WSDL's ``<types>``, keyed by target namespace."""
    tree = etree.parse(str(real_wsdl_path(version)))
    schemas: dict[str, etree.XMLSchema] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for i, schema_el in enumerate(tree.iterfind(f"{{{ns.WSDL}}}types/{{{ns.XSD}}}schema")):
            path = Path(tmp) / f"schema{i}.xsd"
            path.write_bytes(etree.tostring(schema_el))
            schemas[schema_el.get("targetNamespace", "")] = etree.XMLSchema(etree.parse(str(path)))
    return schemas
