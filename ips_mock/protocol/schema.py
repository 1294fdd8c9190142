"""The IPS types ips-mock serves, per API version: the description generated from Adobe's WSDLs plus overrides.

:mod:`.ipsapi_types` is generated from ``IpsApi-2014-04-03.wsdl`` and ``IpsApi-2013-02-15.wsdl`` by
``tools/gen_types.py`` (every complexType, global element and operation); :mod:`.overrides` holds the
hand-written rules for the versions with no WSDL here. The real WSDLs never ship in this package. The served
WSDL, the request decoder and the reply encoder are all driven by this description; tests compare it, field by
field, with both WSDLs.

A field list is written as ``"name:type name:type? name:type*"``: ``?`` is minOccurs="0", ``*`` is
minOccurs="0" maxOccurs="unbounded", ``+`` is maxOccurs="unbounded", ``[m..n]`` gives both bounds, no mark is
required. Lower-case types are XML Schema built-ins; capitalised types are complex types of the versioned
namespace. A version's :class:`Schema` is built on first use (``schema_for`` is cached).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from typing import Final, Literal

from . import ipsapi_types as generated
from .ns import API_VERSIONS, ApiVersion
from .overrides import BETA_ELEMENTS, BETA_FIELDS, BETA_OPERATIONS, BETA_TYPES, FIELDS_ADDED_IN, wsdl_version_for

__all__ = [
    "FAULT_ELEMENTS",
    "LEGACY_AUTH_HEADER",
    "SIMPLE_TYPES",
    "ComplexType",
    "Described",
    "Field",
    "Schema",
    "schema_for",
    "wsdl_operations",
]

SIMPLE_TYPES: Final = frozenset({"string", "int", "long", "boolean", "double", "dateTime", "base64Binary"})


@dataclass(frozen=True, slots=True)
class Field:
    """One element of a complex type's sequence."""

    name: str
    type: str
    required: bool = True
    repeated: bool = False
    max_occurs: int | None = None  # the bound of a repeated field with a finite maxOccurs; None is unbounded
    is_simple: bool = dataclasses.field(init=False, repr=False, compare=False)
    """Whether the type is an XSD simple type (an attribute, not a property: the codec asks for every value)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "is_simple", self.type in SIMPLE_TYPES)


@dataclass(frozen=True, slots=True)
class ComplexType:
    """A named complexType, or the anonymous type of a global element (``<op>Param``, ``<op>Return``)."""

    name: str
    fields: tuple[Field, ...]
    group: Literal["sequence", "all"] = "sequence"
    any_attribute: bool = False
    array_item: Field | None = dataclasses.field(init=False, repr=False, compare=False)
    """The ``items`` field when this is an ``XArray`` type (one repeated ``items`` element), else None."""

    def __post_init__(self) -> None:
        fields = self.fields
        item = fields[0] if len(fields) == 1 and fields[0].name == "items" and fields[0].repeated else None
        object.__setattr__(self, "array_item", item)

    def field(self, name: str) -> Field | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None


def _fields(tokens: Iterable[str]) -> tuple[Field, ...]:
    out = []
    for token in tokens:
        name, _, type_ = token.partition(":")
        if type_.endswith("]"):  # name:type[m..n]
            type_, _, bounds = type_[:-1].partition("[")
            low, _, high = bounds.partition("..")
            repeated = high == "unbounded" or int(high) > 1
            bound = None if high == "unbounded" or not repeated else int(high)
            out.append(Field(name, type_, required=int(low) > 0, repeated=repeated, max_occurs=bound))
        elif type_.endswith("*"):
            out.append(Field(name, type_[:-1], required=False, repeated=True))
        elif type_.endswith("+"):
            out.append(Field(name, type_[:-1], repeated=True))
        elif type_.endswith("?"):
            out.append(Field(name, type_[:-1], required=False))
        else:
            out.append(Field(name, type_))
    return tuple(out)


@functools.cache
def _complex(name: str, spec: str) -> ComplexType:
    """A complex type from its generated spec (``@all`` and ``@anyAttribute`` flags, then fields)."""
    tokens = spec.split()
    flags = {t for t in tokens if t.startswith("@")}
    return ComplexType(
        name,
        _fields(t for t in tokens if not t.startswith("@")),
        group="all" if "@all" in flags else "sequence",
        any_attribute="@anyAttribute" in flags,
    )


class Described(Mapping[str, ComplexType]):
    """A version's complex types (or elements) by name, each built from its generated spec on first use.

    A version describes about 550 of them and a request needs a few: building them all took a few milliseconds
    of the first request (and of ``ips-mock serve``'s start). Two threads may build one entry at once; both
    results are equal, and either may stay."""

    __slots__ = ("_specs", "_version", "built")

    def __init__(self, specs: Mapping[str, str], version: ApiVersion) -> None:
        self._specs = specs
        self._version = version
        self.built: dict[str, ComplexType] = {}
        """The entries built so far (:class:`Schema` reads this first: a plain dict lookup per use)."""

    def __getitem__(self, name: str) -> ComplexType:
        found = self.built.get(name)
        if found is None:
            found = self.built[name] = _edit(_complex(name, self._specs[name]), self._version)
        return found

    def __contains__(self, name: object) -> bool:
        return name in self._specs

    def __iter__(self) -> Iterator[str]:
        return iter(self._specs)

    def __len__(self) -> int:
        return len(self._specs)


@dataclass(frozen=True, eq=False)
class Schema:
    """The types and global elements of one API version's namespace."""

    version: ApiVersion
    types: Described
    elements: Described
    operations: tuple[str, ...]
    """The operations of the port type, in the WSDL's order; each has a Param and a Return element."""
    namespace: str = dataclasses.field(init=False)
    """The version's body namespace (computed once: the codec asks for it at every level)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "namespace", self.version.namespace)

    def type(self, name: str) -> ComplexType:
        return self.types.built.get(name) or self.types[name]

    def param(self, operation: str) -> ComplexType | None:
        return self._element(f"{operation}Param")

    def result(self, operation: str) -> ComplexType | None:
        return self._element(f"{operation}Return")

    def _element(self, name: str) -> ComplexType | None:
        found = self.elements.built.get(name)
        if found is None and name in self.elements:
            found = self.elements[name]
        return found

    @property
    def versioned_auth_header(self) -> ComplexType | None:
        """The ``authHeader`` element of this namespace (2014 and later), or None (the binding uses flt)."""
        return self._element("authHeader")

    def referenced_types(self, roots: Iterable[ComplexType]) -> list[ComplexType]:
        """Every named complex type reachable from ``roots``, in first-reached order."""
        seen: dict[str, ComplexType] = {}
        stack = list(roots)
        while stack:
            ctype = stack.pop(0)
            for f in ctype.fields:
                if not f.is_simple and f.type not in seen:
                    seen[f.type] = self.types[f.type]
                    stack.append(seen[f.type])
        return list(seen.values())


# --------------------------------------------------------------------------------------------------------------
# The flt: namespace (faults and the legacy authHeader). Same in every version.

FAULT_ELEMENTS: Final = {
    name: _complex(name, generated.FLT_ELEMENTS[name])
    for name in ("ipsApiFault", "authenticationFault", "authorizationFault")
}

LEGACY_AUTH_HEADER: Final = _complex("authHeader", generated.FLT_ELEMENTS["authHeader"])


# --------------------------------------------------------------------------------------------------------------
# The versioned namespace: a WSDL's description, then the overrides for versions with no WSDL here.


def _wsdl_specs(wsdl: str) -> tuple[dict[str, str], dict[str, str], tuple[str, ...]]:
    """Types, elements and operations of one WSDL, as generated specs."""
    types, elements, operations = dict(generated.TYPES), dict(generated.ELEMENTS), generated.OPERATIONS
    if wsdl == "2013-02-15":
        for specs, changes in ((types, generated.TYPES_2013), (elements, generated.ELEMENTS_2013)):
            for name, spec in changes.items():
                if spec is None:
                    del specs[name]
                else:
                    specs[name] = spec
        only_2014 = set(generated.OPERATIONS_ONLY_2014)
        operations = (*(op for op in operations if op not in only_2014), *generated.OPERATIONS_ONLY_2013)
    return types, elements, operations


def _edit(ctype: ComplexType, version: ApiVersion) -> ComplexType:
    fields = [f for f in ctype.fields if version >= FIELDS_ADDED_IN.get((ctype.name, f.name), "")]
    for owner, after, spec, since in BETA_FIELDS:
        if owner == ctype.name and version >= since:
            at = 0 if not after else next(i for i, f in enumerate(fields) if f.name == after) + 1
            fields[at:at] = _fields(spec.split())
    if tuple(fields) == ctype.fields:
        return ctype  # shared between versions: most types are the same in all of them
    return replace(ctype, fields=tuple(fields))


def _version_specs(version: ApiVersion) -> tuple[dict[str, str], dict[str, str], tuple[str, ...]]:
    """Types, elements and operations of ``version``: its WSDL's, plus what only the betas have."""
    types, elements, operations = _wsdl_specs(wsdl_version_for(version))
    if version.is_beta:
        for specs, extra in ((types, BETA_TYPES), (elements, BETA_ELEMENTS)):
            specs.update({name: spec for name, (spec, since) in extra.items() if version >= since})
        operations = (*operations, *(op for op, since in BETA_OPERATIONS.items() if version >= since))
    return types, elements, operations


def _build(version: ApiVersion) -> Schema:
    types, elements, operations = _version_specs(version)
    return Schema(version, Described(types, version), Described(elements, version), operations)


@functools.cache
def schema_for(version: ApiVersion) -> Schema:
    """The type description ips-mock serves for ``version``, built on first use."""
    if version not in API_VERSIONS:
        raise KeyError(f"unknown IPS API version {version!r}")
    return _build(version)


@functools.cache
def wsdl_operations(version: ApiVersion) -> frozenset[str]:
    """The operations of ``version``'s port type: the real WSDL's for 2014-04-03 and 2013-02-15, 2013's for the
    older versions, and for the betas 2014's plus the operations only betas have (none of Adobe's WSDLs here)."""
    return frozenset(_version_specs(version)[2])
