"""Turns pydantic validation errors and TOML syntax errors into replyaudit Problems."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from replyaudit.errors import Problem

_FIXES = {
    "missing": "add the key",
    "extra_forbidden": "remove the key or check its spelling",
    "string_type": "write the value as a quoted string",
    "int_parsing": "write a whole number",
    "float_parsing": "write a number",
    "bool_parsing": "write true or false",
    "list_type": 'write a list, for example ["a", "b"]',
    "literal_error": "use one of the allowed values",
    "enum": "use one of the allowed values",
    "datetime_parsing": "write an ISO date-time with its offset, e.g. 2026-03-16T10:05:00+01:00",
    "datetime_from_date_parsing": "write an ISO date-time with its offset, e.g. 2026-03-16T10:05:00+01:00",
    "timezone_aware": "add the UTC offset, e.g. +01:00",
    "timezone_naive": "remove the UTC offset",
    "path_type": "write the path between double quotes",
    "dict_type": "write a table ([name] or {key = value})",
    "model_type": "write a table ([name] or {key = value})",
    "string_too_short": "write a longer value",
    "string_too_long": "write a shorter value",
    "string_pattern_mismatch": "write a value of that form",
    "too_short": "add items",
    "too_long": "remove items",
}
# What pydantic's message means, for error types whose message is not "Input should be ..."
# (pydantic's own prose would leak: "Field required", "... for <class 'pathlib.Path'>").
_EXPECTED = {
    "path_type": "a file path (a quoted string)",
    "timezone_aware": "a date-time with its UTC offset",
    "timezone_naive": "a date-time without a UTC offset",
    "extra_forbidden": "only the keys known in this table",
    "dict_type": "a table",
    "model_type": "a table",
}
# "String should have at least 1 character" -> "a string with at least 1 character".
_SHOULD = re.compile(
    r"^(?P<what>String|List|Tuple|Set|Dictionary|Data|Value) should "
    r"(?:have (?P<have>.+?)|match (?P<match>.+)|(?P<other>.+?))"
    r"(?: after validation)?(?:, not \d+)?$"
)


def _loc(loc: tuple[Any, ...], data: Any) -> str:
    """Render a pydantic location as a TOML key path, naming list items by their id."""
    parts: list[str] = []
    node = data
    for item in loc:
        if isinstance(item, int):
            label = f"[{item}]"
            if isinstance(node, list) and 0 <= item < len(node):
                node = node[item]
                if isinstance(node, dict) and "id" in node:
                    label = f"[{item}](id={node['id']!r})"
            else:
                node = None
            if parts:
                parts[-1] += label
            else:
                parts.append(label)
            continue
        parts.append(str(item))
        node = node.get(item) if isinstance(node, dict) else None
    return ".".join(parts) or "(top level)"


def _expected_from(message: str) -> str:
    """pydantic's "Input should be greater than 0" read as "a value greater than 0"."""
    if not message:
        return "a valid value"
    for prefix in ("Input should be ", "Value should be "):
        if message.startswith(prefix):
            rest = message[len(prefix) :]
            if rest.startswith(("greater", "less", "at least", "at most")):
                return f"a value {rest}"
            return rest
    should = _SHOULD.match(message)
    if should is not None:
        what = should["what"].lower()
        if should["have"]:
            return f"a {what} with {should['have']}"
        if should["match"]:
            return f"a {what} matching {should['match']}"
        return f"a {what} that should {should['other']}"
    if message.startswith("Input should "):
        return "a value that should " + message[len("Input should ") :]
    return message[0].lower() + message[1:]


def _missing_key(loc: tuple[Any, ...]) -> str:
    key = next((item for item in reversed(loc) if isinstance(item, str)), None)
    return f"the key {key!r} (required)" if key else "a required value"


def problems_from_validation(
    error: ValidationError, data: Any, source: str
) -> list[Problem]:
    """One Problem per pydantic error, naming the file and key, expected and found."""
    problems = []
    for item in error.errors(include_url=False):
        kind = item.get("type", "")
        raw_loc = tuple(item.get("loc", ()))
        loc = _loc(raw_loc, data)
        message = item.get("msg", "invalid value")
        message = message.removeprefix("Value error, ")
        found = item.get("input")
        found_text = "a table" if isinstance(found, dict) else repr(found)
        fix = _FIXES.get(kind, "")
        if kind == "value_error" and "; found " in message:
            # Our validators phrase "EXPECTED; found FOUND; fix: FIX" themselves.
            expected, _, rest = message.partition("; found ")
            found_text, _, fix = rest.partition("; fix: ")
        elif kind == "missing":
            # pydantic gives the table that lacks the key as the input: say what is missing.
            expected, found_text = _missing_key(raw_loc), "it missing"
        elif kind == "extra_forbidden":
            expected = _EXPECTED[kind]
            if len(raw_loc) == 1:
                expected = "only the keys known at the top level of the file"
            key = raw_loc[-1] if raw_loc else "?"
            found_text = f"the unknown key {key!r}"
        else:
            expected = _EXPECTED.get(kind) or _expected_from(message)
        problems.append(Problem(f"{source}: {loc}", expected, found_text, fix))
    return problems


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """Read a TOML file; a missing file or a syntax error raises ConfigError naming the fix."""
    from replyaudit.errors import ConfigError

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(
            str(path),
            [
                Problem(
                    str(path),
                    f"a {what} file",
                    "no such file",
                    "check the path or create the file",
                )
            ],
        ) from None
    except IsADirectoryError:
        raise ConfigError(
            str(path),
            [
                Problem(
                    str(path), f"a {what} file", "a directory", "give the file's path"
                )
            ],
        ) from None
    except NotADirectoryError:
        raise ConfigError(
            str(path),
            [
                Problem(
                    str(path),
                    f"a {what} file inside a folder",
                    f"{path.parent} is a file, not a folder",
                    f"give the path of the folder holding the {what} file",
                )
            ],
        ) from None
    except OSError as exc:
        raise ConfigError(
            str(path),
            [
                Problem(
                    str(path),
                    f"a readable {what} file",
                    exc.strerror or str(exc),
                    "check the file's permissions",
                )
            ],
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            str(path),
            [
                Problem(
                    str(path),
                    "valid TOML",
                    f"a syntax error ({exc})",
                    "correct the line it names",
                )
            ],
        ) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(
            str(path),
            [
                Problem(
                    str(path),
                    "UTF-8 text",
                    f"undecodable bytes ({exc.reason})",
                    "save the file as UTF-8",
                )
            ],
        ) from None
