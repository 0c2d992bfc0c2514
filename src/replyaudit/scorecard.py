"""The scorecard as data: questions, options and points loaded from rules/ and validated."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    model_validator,
)

from replyaudit.errors import Problem, ScorecardError
from replyaudit.models import AnswerValue
from replyaudit.validation import problems_from_validation, read_toml


class Option(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    label: str
    points: int = Field(ge=0)


class Question(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    number: int = Field(ge=1)
    key: str
    section: str
    text: str
    kind: Literal["single", "multi"]
    max_points: int = Field(ge=0)
    options: list[Option]
    empty_label: str = "Aucun"

    @model_validator(mode="after")
    def _options(self) -> Question:
        ids = [o.id for o in self.options]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(
                f"unique option ids in question {self.key}; found {dupes} twice; fix: rename one"
            )
        reachable = max((o.points for o in self.options), default=0)
        if self.kind == "multi":
            reachable = min(sum(o.points for o in self.options), self.max_points)
        if reachable != self.max_points:
            raise ValueError(
                f"options of question {self.key} that reach its max_points {self.max_points}; "
                f"found at most {reachable}; fix: correct the points or max_points"
            )
        return self

    def option_ids(self) -> list[str]:
        return [o.id for o in self.options]

    def points_for(self, value: AnswerValue) -> int:
        """Points of a value; raises ValueError naming the allowed options when it is not one."""
        points = {o.id: o.points for o in self.options}
        if self.kind == "single":
            if not isinstance(value, str) or value not in points:
                raise ValueError(
                    f"one of {self.option_ids()} for {self.key}, found {value!r}"
                )
            return points[value]
        if isinstance(value, str) or not all(v in points for v in value):
            raise ValueError(
                f"a list drawn from {self.option_ids()} for {self.key}, found {value!r}"
            )
        return min(sum(points[v] for v in set(value)), self.max_points)

    def label_for(self, value: AnswerValue) -> str:
        labels = {o.id: o.label for o in self.options}
        if isinstance(value, list):
            return (
                " ; ".join(labels.get(v, v) for v in value)
                if value
                else self.empty_label
            )
        return labels.get(value, value)

    def zero_value(self) -> AnswerValue:
        """The value that scores nothing: the empty list, or the option worth 0."""
        if self.kind == "multi":
            return []
        return next(o.id for o in self.options if o.points == 0)


class Scorecard(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    programme: str = ""
    max_points: int
    questions: list[Question]

    @model_validator(mode="after")
    def _totals(self, info: ValidationInfo) -> Scorecard:
        if info.context and info.context.get("totals_checked"):
            return self  # load_scorecard checked them on the raw data, with the rest
        found = total_problems(
            self.max_points,
            [(q.key, q.number, q.max_points) for q in self.questions],
        )
        if found:
            expected, value, fix = found[0]
            raise ValueError(f"{expected}; found {value}; fix: {fix}")
        return self

    @property
    def keys(self) -> list[str]:
        return [q.key for q in self.questions]

    def question(self, key: str) -> Question:
        for question in self.questions:
            if question.key == key:
                return question
        raise KeyError(key)

    def check_value(self, key: str, value: object) -> str | None:
        """None when `value` is a valid answer to `key`, else why not."""
        try:
            question = self.question(key)
        except KeyError:
            return f"a question key among {self.keys}, found {key!r}"
        if question.kind == "multi" and not isinstance(value, list):
            return (
                f"a list drawn from {question.option_ids()} for {key}, found {value!r}"
            )
        try:
            question.points_for(value)  # type: ignore[arg-type]
        except ValueError as exc:
            return str(exc)
        return None


RULES_FOLDER = "a folder holding scorecard.toml, messages.toml and the rule files"


def rules_folder_problem(rules_dir: Path) -> Problem | None:
    """The problem of a rules folder given as a file (e.g. rules/scorecard.toml), else None.

    A missing folder is left to the readers of its files, which name each missing file.
    """
    rules_dir = Path(rules_dir)
    if not rules_dir.exists() or rules_dir.is_dir():
        return None
    return Problem(
        str(rules_dir),
        RULES_FOLDER,
        "a file",
        f"point at its folder ({rules_dir.parent}), in the command or in rules_dir",
    )


def shipped_rules_hint(what: str) -> str:
    """Where a half-copied rules folder can take its missing files from."""
    from replyaudit.config import default_rules_dir

    return f"copy {what} from the shipped rules folder {default_rules_dir()}"


def total_problems(
    max_points: Any, questions: list[tuple[Any, Any, Any]]
) -> list[tuple[str, str, str]]:
    """(expected, found, fix) of the scorecard-wide rules: unique keys and numbers, total.

    `questions` holds each question's (key, number, max_points) as written.
    """
    found: list[tuple[str, str, str]] = []
    keys = [q[0] for q in questions]
    dupes = sorted({str(k) for k in keys if keys.count(k) > 1})
    if dupes:
        found.append(("unique question keys", f"{dupes} more than once", "rename one"))
    numbers = [q[1] for q in questions]
    if len(set(map(str, numbers))) != len(numbers):
        found.append(("unique question numbers", f"{numbers}", "renumber"))
    points = [q[2] for q in questions]
    if isinstance(max_points, int) and all(isinstance(p, int) for p in points):
        total = sum(points)
        if total != max_points:
            found.append(
                (
                    f"questions whose max_points add up to {max_points}",
                    f"{total}",
                    "correct the points",
                )
            )
    return found


def _raw_total_problems(data: dict[str, Any], source: str) -> list[Problem]:
    questions = data.get("questions")
    rows = (
        [q for q in questions if isinstance(q, dict)]
        if isinstance(questions, list)
        else []
    )
    found = total_problems(
        data.get("max_points"),
        [(q.get("key"), q.get("number"), q.get("max_points")) for q in rows],
    )
    return [Problem(f"{source}: questions", e, v, f) for e, v, f in found]


def load_scorecard(rules_dir: Path) -> Scorecard:
    """Load and validate rules_dir/scorecard.toml; every problem reported at once."""
    rules_dir = Path(rules_dir)
    wrong = rules_folder_problem(rules_dir)
    if wrong is not None:
        raise ScorecardError(str(rules_dir), [wrong])
    path = rules_dir / "scorecard.toml"
    data = read_toml(path, "scorecard")
    problems = _raw_total_problems(data, str(path))
    scorecard = None
    try:
        scorecard = Scorecard.model_validate(data, context={"totals_checked": True})
    except ValidationError as exc:
        problems += problems_from_validation(exc, data, str(path))
    if problems or scorecard is None:
        raise ScorecardError(str(path), problems)
    return scorecard
