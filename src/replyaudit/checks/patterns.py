"""The token language of phrase rules, compiled to spaCy Matcher patterns.

A pattern is a space-separated list of tokens, matched over accent-folded forms and
lemmas:

``word``       the token, lower-case without accents (``appelle``)
``a|b``        any of those forms
``stem*``      a form starting with ``stem`` (``appel*`` = appelle, appeler...)
``~lemma``     the token's lemma (``~appeler``), also ``~a|b``
``{0,3}``      from 0 to 3 tokens of anything
``#num``       a number ('12', 'douze')
``X?``         the token ``X`` is optional
"""

from __future__ import annotations

import re
from typing import Any

from replyaudit.checks.nlp import fold

_WILDCARD = re.compile(r"^\{(\d+),(\d+)\}$")
_FORM = re.compile(r"^[a-z0-9'+\-€%.:/]+\*?$")


class PatternError(ValueError):
    """A pattern of the token language that cannot be compiled."""


def _token(spec: str) -> dict[str, Any]:
    optional = spec.endswith("?") and len(spec) > 1
    if optional:
        spec = spec[:-1]
    wildcard = _WILDCARD.match(spec)
    if wildcard:
        low, high = int(wildcard.group(1)), int(wildcard.group(2))
        if low > high or high > 12:
            raise PatternError(f"a wildcard {{m,n}} with m <= n <= 12, found {spec!r}")
        return {"OP": f"{{{low},{high}}}"}
    if spec == "#num":
        return {"LIKE_NUM": True, **({"OP": "?"} if optional else {})}
    attr = "fold"
    if spec.startswith("~"):
        attr, spec = "flemma", spec[1:]
    alternatives = [fold(a).removeprefix("-") or "-" for a in spec.split("|")]
    if not alternatives or any(not _FORM.match(a) for a in alternatives):
        raise PatternError(
            f"forms of letters, digits and ' + - (optionally ending in *), found {spec!r}"
        )
    stems = [a[:-1] for a in alternatives if a.endswith("*")]
    exact = [a for a in alternatives if not a.endswith("*")]
    if stems:
        parts = [re.escape(s) + ".*" for s in stems] + [re.escape(e) for e in exact]
        value: Any = {"REGEX": "^(?:" + "|".join(parts) + ")$"}
    elif len(exact) == 1:
        value = exact[0]
    else:
        value = {"IN": exact}
    token: dict[str, Any] = {"_": {attr: value}}
    if optional:
        token["OP"] = "?"
    return token


def compile_pattern(pattern: str) -> list[dict[str, Any]]:
    """Compile one pattern of the token language to a spaCy Matcher pattern."""
    specs = pattern.split()
    if not specs:
        raise PatternError("a non-empty pattern, found an empty string")
    tokens = [_token(s) for s in specs]
    if (
        "OP" in tokens[0]
        and len(tokens[0]) == 1
        or "OP" in tokens[-1]
        and len(tokens[-1]) == 1
    ):
        raise PatternError(
            f"a pattern that starts and ends with a word, found {pattern!r}"
        )
    return tokens


# Where the fold component (nlp.fold_tokens) stores each extension's value natively.
_NATIVE = {"fold": "NORM", "flemma": "LEMMA"}


def native_pattern(tokens: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The same pattern over NORM and LEMMA, which the Matcher reads in C.

    compile_pattern() names the token language's attributes (``_.fold``,
    ``_.flemma``); a Doc from load_nlp() carries the same values in NORM and LEMMA,
    and matching those is an order of magnitude faster than calling a getter for
    every token and every pattern.
    """
    native: list[dict[str, Any]] = []
    for token in tokens:
        token = dict(token)
        extension = token.pop("_", None)
        if extension:
            for name, value in extension.items():
                token[_NATIVE[name]] = value
        native.append(token)
    return native
