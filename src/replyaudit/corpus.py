"""Reads a labelled corpus folder: campaign.toml, cases/<id>/case.toml and their .eml files."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from replyaudit.campaign import Campaign, Inquiry, load_campaign
from replyaudit.errors import ConfigError, CorpusError, Problem
from replyaudit.models import AnswerValue
from replyaudit.scorecard import Scorecard
from replyaudit.validation import problems_from_validation, read_toml

_INQUIRY_KEYS = {
    "dealer",
    "shopper",
    "topic",
    "question",
    "subject",
    "sent_at",
    "message_id",
    "wave",
}


@dataclass
class CorpusCase:
    id: str
    folder: Path
    inquiry: Inquiry
    expected: dict[str, AnswerValue]
    files: list[Path]


@dataclass
class Corpus:
    """A corpus read as far as it could be: the good cases, and a problem per skipped one."""

    root: Path
    campaign: Campaign
    cases: list[CorpusCase]
    skipped: list[Problem] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"corpus:{self.root.name}"


def read_case(folder: Path, campaign: Campaign, scorecard: Scorecard) -> CorpusCase:
    """One case folder; raises ConfigError listing every problem of its case.toml."""
    path = folder / "case.toml"
    if not path.is_file():
        raise ConfigError(
            str(path),
            [
                Problem(
                    str(path),
                    "a case.toml beside the .eml files",
                    "no such file",
                    "add case.toml (see FORMAT.md)",
                )
            ],
        )
    data: dict[str, Any] = read_toml(path, "case")
    problems: list[Problem] = []
    unknown = sorted(set(data) - _INQUIRY_KEYS - {"expected", "id"})
    for key in unknown:
        problems.append(
            Problem(
                f"{path}: {key}",
                f"one of {sorted(_INQUIRY_KEYS | {'expected'})}",
                repr(key),
                "remove or rename the key",
            )
        )
    fields = {k: v for k, v in data.items() if k in _INQUIRY_KEYS}
    fields["id"] = str(data.get("id", folder.name))
    inquiry = None
    try:
        inquiry = Inquiry.model_validate(fields)
    except ValidationError as exc:
        problems += problems_from_validation(exc, fields, str(path))
    dealers = [d.id for d in campaign.dealers]
    if inquiry is not None and inquiry.dealer not in dealers:
        problems.append(
            Problem(
                f"{path}: dealer",
                f"a dealer id of campaign.toml ({', '.join(dealers)})",
                repr(inquiry.dealer),
                "correct the dealer id or add the dealer",
            )
        )
    expected = data.get("expected", {})
    if not isinstance(expected, dict):
        problems.append(
            Problem(
                f"{path}: expected",
                "a table [expected]",
                repr(expected),
                "write the approved answers under [expected]",
            )
        )
        expected = {}
    for key, value in expected.items():
        if key not in scorecard.keys:
            problems.append(
                Problem(
                    f"{path}: expected.{key}",
                    f"a question key of the scorecard ({', '.join(scorecard.keys)})",
                    repr(key),
                    "remove the key or correct its name",
                )
            )
            continue
        why = scorecard.check_value(key, value)
        if why:
            problems.append(
                Problem(
                    f"{path}: expected.{key}",
                    why.split(", found ")[0],
                    repr(value),
                    "use an option listed in FORMAT.md",
                )
            )
    if problems or inquiry is None:
        raise ConfigError(str(path), problems)
    files = sorted(
        p for p in folder.iterdir() if p.suffix.lower() == ".eml" and p.is_file()
    )
    return CorpusCase(folder.name, folder, inquiry, dict(expected), files)


def load_corpus(root: Path, scorecard: Scorecard) -> Corpus:
    """Read a corpus; a bad case is skipped with its problems, a bad campaign stops everything."""
    if root.exists() and not root.is_dir():
        hint = ""
        if root.name == "campaign.toml" or (root.parent / "cases").is_dir():
            hint = f" (its folder {root.parent} looks like the corpus)"
        raise CorpusError(
            f"{root}: expected a corpus folder (campaign.toml and cases/), found a file. "
            f"Fix: give the corpus folder instead{hint}"
        )
    if not root.is_dir():
        raise CorpusError(
            f"{root}: expected a corpus folder (campaign.toml and cases/), found no such folder. Fix: check the path"
        )
    campaign = load_campaign(root / "campaign.toml")
    cases_dir = root / "cases"
    if not cases_dir.is_dir():
        raise CorpusError(
            f"{cases_dir}: expected a cases/ folder with one sub-folder per case, found none. Fix: see FORMAT.md"
        )
    cases: list[CorpusCase] = []
    skipped: list[Problem] = []
    for folder in sorted(p for p in cases_dir.iterdir() if p.is_dir()):
        try:
            cases.append(read_case(folder, campaign, scorecard))
        except ConfigError as exc:
            skipped += exc.problems
    cases = _unique_shoppers(cases, skipped)
    inquiries = [case.inquiry for case in cases]
    full = campaign.model_copy(
        update={"inquiries": list(campaign.inquiries) + inquiries}
    )
    return Corpus(root, full, cases, skipped)


def _unique_shoppers(
    cases: list[CorpusCase], skipped: list[Problem]
) -> list[CorpusCase]:
    """Replies are matched by shopper address: two cases cannot share one."""
    owner: dict[str, str] = {}
    kept = []
    for case in cases:
        first = owner.get(case.inquiry.shopper)
        if first is not None:
            skipped.append(
                Problem(
                    f"{case.folder / 'case.toml'}: shopper",
                    f"a shopper address of its own (case {first} already uses it)",
                    repr(case.inquiry.shopper),
                    "give each inquiry its own address (a plus-address such as name+id@...)",
                )
            )
            continue
        owner[case.inquiry.shopper] = case.id
        kept.append(case)
    return kept
