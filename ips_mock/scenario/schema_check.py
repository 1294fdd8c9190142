"""A compiled yes/no answer to "does this document pass the scenario JSON Schema?", for the common case.

jsonschema walks a 10,000-job scenario in about half a second, most of it in its general machinery (a validator
object per step, every keyword looked up by name). A valid document, the usual case, needs no message, so it is
first checked by :func:`compile_schema`'s plain closures, which follow jsonschema's Draft 2020-12 rules for the
keywords the shipped schema uses. Only a document they refuse is walked by jsonschema, which then words every
error exactly as before. A schema with any keyword or value form they do not know compiles to nothing, and every
document goes to jsonschema.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Mapping
from typing import Any, Final

__all__ = ["Check", "compile_schema"]

Check = Callable[[Any], bool]
"""True when the instance passes the (sub)schema; False when jsonschema would report at least one error."""

_ANNOTATIONS: Final = frozenset({"$schema", "$id", "$comment", "title", "description", "default", "examples"})
_TYPES: Final[dict[str, Check]] = {
    "object": lambda x: isinstance(x, dict),
    "array": lambda x: isinstance(x, list),
    "string": lambda x: isinstance(x, str),
    "boolean": lambda x: isinstance(x, bool),
    "null": lambda x: x is None,
    "integer": lambda x: (isinstance(x, int) and not isinstance(x, bool)) or (isinstance(x, float) and x.is_integer()),
    "number": lambda x: isinstance(x, numbers.Number) and not isinstance(x, bool),
}


class _Unsupported(Exception):
    """A keyword or value form the closures do not follow jsonschema on."""


def compile_schema(schema: Mapping[str, Any]) -> Check | None:
    """The check for ``schema`` (a Draft 2020-12 root with local ``#/$defs/...`` references), or None."""
    try:
        return _Compiler(schema).compile(schema)
    except _Unsupported:
        return None


class _Compiler:
    def __init__(self, root: Mapping[str, Any]) -> None:
        self.definitions: Mapping[str, Any] = root.get("$defs", {})
        self.compiled: dict[str, Check] = {}

    def compile(self, schema: Any) -> Check:
        if schema is True:
            return lambda x: True
        if schema is False:
            return lambda x: False
        if not isinstance(schema, Mapping):
            raise _Unsupported
        compiled = [self.keyword(schema, name, rule) for name, rule in schema.items() if name not in _ANNOTATIONS]
        checks = [check for check in compiled if check is not None]
        if not checks:
            return lambda x: True
        if len(checks) == 1:
            return checks[0]
        return lambda x: all(check(x) for check in checks)

    def reference(self, ref: Any) -> Check:
        if not isinstance(ref, str) or not ref.startswith("#/$defs/") or "/" in ref[8:] or "~" in ref:
            raise _Unsupported
        name = ref[8:]
        if name not in self.definitions:
            raise _Unsupported
        if name not in self.compiled:
            target: list[Check] = []
            self.compiled[name] = lambda x: target[0](x)  # compiled once, whatever refers to it (or to itself)
            target.append(self.compile(self.definitions[name]))
        return self.compiled[name]

    def keyword(self, schema: Mapping[str, Any], name: str, rule: Any) -> Check | None:
        if name == "$defs":
            return None  # compiled where referred to
        if name == "$ref":
            return self.reference(rule)
        if name == "type":
            names = [rule] if isinstance(rule, str) else rule
            if not isinstance(names, list) or not names or any(n not in _TYPES for n in names):
                raise _Unsupported
            tests = [_TYPES[n] for n in names]
            return tests[0] if len(tests) == 1 else (lambda x: any(test(x) for test in tests))
        if name == "properties":
            if not isinstance(rule, Mapping):
                raise _Unsupported
            properties = [(key, self.compile(sub)) for key, sub in rule.items()]
            return lambda x: not isinstance(x, dict) or all(check(x[k]) for k, check in properties if k in x)
        if name == "additionalProperties":
            if "patternProperties" in schema:
                raise _Unsupported
            known = frozenset(schema.get("properties", {}))
            if rule is True:
                return None
            if rule is False:
                return lambda x: not isinstance(x, dict) or all(k in known for k in x)
            extra = self.compile(rule)
            return lambda x: not isinstance(x, dict) or all(extra(v) for k, v in x.items() if k not in known)
        if name == "required":
            if not isinstance(rule, list) or not all(isinstance(k, str) for k in rule):
                raise _Unsupported
            return lambda x: not isinstance(x, dict) or all(k in x for k in rule)
        if name == "items":
            if "prefixItems" in schema:
                raise _Unsupported
            item = self.compile(rule)
            return lambda x: not isinstance(x, list) or all(item(v) for v in x)
        if name in ("minimum", "maximum"):
            if not isinstance(rule, int | float) or isinstance(rule, bool):
                raise _Unsupported
            number = _TYPES["number"]
            if name == "minimum":
                return lambda x: not number(x) or not x < rule
            return lambda x: not number(x) or not x > rule
        if name in ("minLength", "minProperties", "maxProperties"):
            if not isinstance(rule, int) or isinstance(rule, bool):
                raise _Unsupported
            if name == "minLength":
                return lambda x: not isinstance(x, str) or not len(x) < rule
            if name == "minProperties":
                return lambda x: not isinstance(x, dict) or not len(x) < rule
            return lambda x: not isinstance(x, dict) or not len(x) > rule
        if name == "pattern":
            if not isinstance(rule, str):
                raise _Unsupported
            search = re.compile(rule).search
            return lambda x: not isinstance(x, str) or search(x) is not None
        if name == "enum":
            if not isinstance(rule, list) or not all(isinstance(v, str) for v in rule):
                raise _Unsupported  # jsonschema's equality of numbers, booleans and containers is not followed here
            values = frozenset(rule)
            return lambda x: isinstance(x, str) and x in values
        if name == "const":
            if isinstance(rule, str):
                return lambda x: isinstance(x, str) and x == rule
            if rule is True or rule is False:  # jsonschema tells booleans from 0 and 1
                return lambda x: x is rule
            if isinstance(rule, int):
                return lambda x: x is not True and x is not False and not isinstance(x, str) and x == rule
            raise _Unsupported
        if name in ("anyOf", "oneOf"):
            if not isinstance(rule, list) or not rule:
                raise _Unsupported
            options = [self.compile(sub) for sub in rule]
            if name == "anyOf":
                return lambda x: any(option(x) for option in options)
            return lambda x: sum(1 for option in options if option(x)) == 1
        if name == "not":
            negated = self.compile(rule)
            return lambda x: not negated(x)
        if name == "propertyNames":
            key = self.compile(rule)
            return lambda x: not isinstance(x, dict) or all(key(k) for k in x)
        raise _Unsupported
