"""The campaign: brand profile, dealers with their calendars, and seeded inquiries (validated)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays as holidays_lib
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from replyaudit.errors import ConfigError, Problem
from replyaudit.validation import problems_from_validation, read_toml

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Topic = Literal[
    "price",
    "availability",
    "delivery",
    "trade_in",
    "financing",
    "range",
    "options",
    "other",
]
TOPICS: tuple[str, ...] = get_args(Topic)

_INTERVAL = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")
# French département numbers that the `holidays` package files under another code.
_DEPARTEMENT_ALIASES = {"67": "6AE", "68": "6AE"}
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def parse_interval(text: str) -> tuple[time, time]:
    """'09:00-12:00' -> (09:00, 12:00); '24:00' is allowed as an end (midnight)."""
    match = _INTERVAL.match(text) if isinstance(text, str) else None
    if not match:
        raise ValueError(
            f'an interval "HH:MM-HH:MM" such as "09:00-12:00"; found {text!r}; fix: write it in that form'
        )
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or m1 > 59 or h2 > 24 or m2 > 59 or (h2 == 24 and m2):
        raise ValueError(
            f"hours from 00:00 to 24:00; found {text!r}; fix: correct the hour or minute"
        )
    start = time(h1, m1)
    end = time.max if h2 == 24 else time(h2, m2)
    if end <= start:
        raise ValueError(
            f"an interval that ends after it starts; found {text!r}; fix: swap or correct the times"
        )
    return start, end


def _check_intervals(items: list[str], where: str) -> list[str]:
    _all_or_nothing(parse_interval, items)  # every bad interval, not just the first
    parsed = sorted(parse_interval(item) for item in items)
    for (_, end), (start, _) in itertools.pairwise(parsed):
        if start < end:
            raise ValueError(
                f"non-overlapping intervals on {where}; found {items}; fix: merge or separate them"
            )
    return items


def _all_or_nothing(check: Callable[[Any], object], items: list[Any]) -> None:
    """Run `check` on every item; one ValueError listing every failure, so all are fixed at once."""
    failures = []
    for item in items:
        try:
            check(item)
        except ValueError as exc:
            failures.append(str(exc))
    if len(failures) == 1:
        raise ValueError(failures[0])
    if failures:
        details = " | ".join(
            f"{f.split('; found ', 1)[-1].split('; fix: ')[0]} (expected {f.split('; found ')[0]})"
            for f in failures
        )
        raise ValueError(
            f"valid values; found {len(failures)} bad ones: {details}; fix: correct each of them"
        )


def resolve_holiday_region(code: str) -> tuple[str, str | None]:
    """'FR' -> ('FR', None); 'FR-67' -> ('FR', '6AE'); raises ValueError with the fix otherwise."""
    country, _, subdiv = code.strip().partition("-")
    country = country.upper()
    try:
        cls = holidays_lib.country_holidays(country).__class__
    except NotImplementedError:
        raise ValueError(
            f'a country code known to the holidays package such as "FR"; found {code!r}; fix: use an ISO 3166 code'
        ) from None
    if not subdiv:
        return country, None
    subdiv = _DEPARTEMENT_ALIASES.get(subdiv, subdiv) if country == "FR" else subdiv
    known = set(getattr(cls, "subdivisions", ())) | set(
        getattr(cls, "subdivisions_aliases", {})
    )
    if subdiv not in known:
        choices = ", ".join(f"{country}-{s}" for s in getattr(cls, "subdivisions", ()))
        raise ValueError(
            f"a subdivision of {country} ({choices}, or FR-67/FR-68 for Alsace); found {code!r}; fix: use one of those"
        )
    return country, subdiv


def parse_closure(text: str) -> tuple[date, date]:
    """'2026-08-10' or '2026-08-10/2026-08-21' (inclusive) -> (first, last)."""
    first_text, _, last_text = str(text).partition("/")
    try:
        first = date.fromisoformat(first_text.strip())
        last = date.fromisoformat(last_text.strip()) if last_text else first
    except ValueError:
        raise ValueError(
            f'an ISO date or interval such as "2026-08-10/2026-08-21"; found {text!r}; fix: write it in that form'
        ) from None
    if last < first:
        raise ValueError(
            f"an interval whose end is not before its start; found {text!r}; fix: swap the dates"
        )
    return first, last


class Brand(_Strict):
    name: str
    keywords: list[str] = Field(default_factory=list)
    domains: list[str] = Field(default_factory=list)

    @field_validator("keywords", "domains")
    @classmethod
    def _lower(cls, value: list[str]) -> list[str]:
        return [v.strip().lower() for v in value]


class Dealer(_Strict):
    """One dealership: identity, sending domains and the calendar its clock runs on."""

    id: str
    name: str
    domains: list[str] = Field(default_factory=list)
    timezone: str = "Europe/Paris"
    holidays: str = "FR"
    closures: list[str] = Field(default_factory=list)
    open_on_holidays: list[date] = Field(default_factory=list)
    hours: dict[str, list[str]] = Field(default_factory=dict)
    special_hours: dict[date, list[str]] = Field(default_factory=dict)
    working_day_minutes: int | None = Field(default=None, gt=0, le=1440)
    region_names: list[str] = Field(default_factory=list)

    @field_validator("domains")
    @classmethod
    def _lower_domains(cls, value: list[str]) -> list[str]:
        return [v.strip().lower() for v in value]

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f'an IANA time zone such as "Europe/Paris" or "America/Martinique"; found {value!r}; fix: correct the name'
            ) from None
        return value

    @field_validator("holidays")
    @classmethod
    def _region(cls, value: str) -> str:
        resolve_holiday_region(value)
        return value

    @field_validator("closures")
    @classmethod
    def _closures(cls, value: list[str]) -> list[str]:
        _all_or_nothing(parse_closure, value)
        return value

    @field_validator("hours")
    @classmethod
    def _hours(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        def check(item: tuple[str, list[str]]) -> None:
            day, intervals = item
            if day not in WEEKDAYS:
                raise ValueError(
                    f"weekday keys {', '.join(WEEKDAYS)}; found {day!r}; fix: rename the key"
                )
            _check_intervals(intervals, day)

        _all_or_nothing(check, list(value.items()))
        return value

    @field_validator("special_hours")
    @classmethod
    def _special(cls, value: dict[date, list[str]]) -> dict[date, list[str]]:
        _all_or_nothing(
            lambda item: _check_intervals(item[1], item[0].isoformat()),
            list(value.items()),
        )
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def closure_ranges(self) -> list[tuple[date, date]]:
        return [parse_closure(item) for item in self.closures]


class Inquiry(_Strict):
    """One seeded inquiry: sent by a mystery shopper from its own address to one dealer."""

    id: str
    dealer: str
    shopper: str
    topic: Topic = "other"
    question: str = ""
    subject: str | None = None
    sent_at: datetime | None = None
    message_id: str | None = None
    wave: str | None = None

    @field_validator("shopper")
    @classmethod
    def _email(cls, value: str) -> str:
        if not _EMAIL.match(value.strip()):
            raise ValueError(
                f"an e-mail address; found {value!r}; fix: write the shopper's full address"
            )
        return value.strip().lower()

    @field_validator("sent_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError(
                f"a date-time with its UTC offset; found {value.isoformat()}; fix: add the offset, e.g. +01:00"
            )
        return value

    @field_validator("message_id")
    @classmethod
    def _msgid(cls, value: str | None) -> str | None:
        return value.strip().strip("<>").strip() if value else value


class Campaign(_Strict):
    brand: Brand
    dealers: list[Dealer]
    inquiries: list[Inquiry] = Field(default_factory=list)

    @model_validator(mode="after")
    def _references(self, info: ValidationInfo) -> Campaign:
        if info.context and info.context.get("references_checked"):
            return self  # parse_campaign checked them on the raw data, with the rest
        found = reference_problems(
            [d.id for d in self.dealers],
            [(q.id, q.dealer, q.shopper) for q in self.inquiries],
        )
        if found:
            where, expected, value, fix = found[0]
            raise ValueError(f"{expected}; found {value} at {where}; fix: {fix}")
        return self

    def dealer(self, dealer_id: str) -> Dealer:
        for dealer in self.dealers:
            if dealer.id == dealer_id:
                return dealer
        raise KeyError(dealer_id)

    def inquiry(self, inquiry_id: str) -> Inquiry:
        for inquiry in self.inquiries:
            if inquiry.id == inquiry_id:
                return inquiry
        raise KeyError(inquiry_id)


def _repeated(values: list[Any]) -> list[str]:
    """The values found more than once, sorted."""
    return sorted({str(v) for v in values if values.count(v) > 1})


def reference_problems(
    dealer_ids: list[Any], inquiries: list[tuple[Any, Any, Any]]
) -> list[tuple[str, str, str, str]]:
    """(where, expected, found, fix) of every reference between dealers and inquiries.

    Unique dealer ids, unique inquiry ids, known dealers, one shopper address per
    inquiry. `inquiries` holds (id, dealer, shopper) in file order.
    """
    found: list[tuple[str, str, str, str]] = []
    for where, what, values in (
        ("dealers", "dealer ids", dealer_ids),
        ("inquiries", "inquiry ids", [q[0] for q in inquiries]),
    ):
        repeated = _repeated(values)
        if repeated:
            found.append(
                (
                    where,
                    f"unique {what}",
                    f"{repeated} more than once",
                    "rename one of them",
                )
            )
    known = sorted(str(i) for i in set(dealer_ids))
    for index, (qid, dealer, _) in enumerate(inquiries):
        if dealer not in dealer_ids:
            found.append(
                (
                    f"inquiries[{index}](id={qid!r}).dealer",
                    f"the id of a dealer of this file ({', '.join(known) or 'none'})",
                    repr(dealer),
                    "correct the dealer id",
                )
            )
    shared = _repeated([str(q[2]).strip().lower() for q in inquiries if q[2]])
    if shared:
        found.append(
            (
                "inquiries",
                "a shopper address of its own for each inquiry",
                f"{shared} used more than once",
                "give each inquiry its own (plus-)address, replies are matched by it",
            )
        )
    return found


def _raw_reference_problems(data: dict[str, Any], source: str) -> list[Problem]:
    """reference_problems on the file's data as read, so they come with field errors."""

    def rows(key: str) -> list[dict[str, Any]]:
        value = data.get(key)
        return (
            [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []
        )

    found = reference_problems(
        [d.get("id") for d in rows("dealers")],
        [(q.get("id"), q.get("dealer"), q.get("shopper")) for q in rows("inquiries")],
    )
    return [Problem(f"{source}: {w}", e, v, f) for w, e, v, f in found]


def parse_campaign(data: dict[str, Any], source: str) -> Campaign:
    """Validate campaign data; every problem is reported at once in one ConfigError."""
    problems = _raw_reference_problems(data, source)
    campaign = None
    try:
        campaign = Campaign.model_validate(data, context={"references_checked": True})
    except ValidationError as exc:
        problems += problems_from_validation(exc, data, source)
    for index, dealer in enumerate(
        data.get("dealers", []) if isinstance(data.get("dealers"), list) else []
    ):
        if (
            isinstance(dealer, dict)
            and not dealer.get("hours")
            and not dealer.get("special_hours")
        ):
            problems.append(
                Problem(
                    f"{source}: dealers[{index}](id={dealer.get('id')!r}).hours",
                    'weekly opening hours (a [dealers.hours] table, e.g. mon = ["09:00-12:00"])',
                    "none",
                    "add the dealer's opening hours: the clock counts delays in them",
                )
            )
    if problems or campaign is None:
        raise ConfigError(source, problems)
    return campaign


def load_campaign(path: Path) -> Campaign:
    """Read and validate a campaign TOML file (brand, dealers, inquiries)."""
    return parse_campaign(read_toml(path, "campaign"), str(path))
