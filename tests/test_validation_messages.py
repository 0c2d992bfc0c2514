"""pydantic's errors read as 'where: expected X, found Y. Fix: Z', never as pydantic's own prose."""

from datetime import datetime
from pathlib import Path
from typing import Literal

import pytest
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from replyaudit.campaign import parse_campaign
from replyaudit.config import load_settings
from replyaudit.errors import ConfigError
from replyaudit.validation import problems_from_validation


class Inner(BaseModel):
    model_config = ConfigDict(extra="forbid")

    dealer: str
    when: AwareDatetime | None = None


class Sample(BaseModel):
    model_config = ConfigDict(extra="forbid")

    inner: Inner
    folder: Path = Path(".")
    name: str = Field(default="x", min_length=1)
    items: list[str] = Field(default_factory=lambda: ["a"], min_length=1)
    kind: Literal["a", "b"] = "a"


def _problems(data):
    with pytest.raises(ValidationError) as caught:
        Sample.model_validate(data)
    return {
        p.where.split(": ", 1)[1]: p
        for p in problems_from_validation(caught.value, data, "f.toml")
    }


def test_a_missing_key_is_named_as_the_key_expected():
    """It read 'expected field required, found a table'."""
    problem = _problems({"inner": {}})["inner.dealer"]
    assert problem.expected == "the key 'dealer' (required)"
    assert problem.found == "it missing"
    assert problem.fix == "add the key"


def test_a_path_of_the_wrong_type_reads_as_a_file_path_not_a_python_class():
    """It read "expected input is not a valid path for <class 'pathlib.Path'>"."""
    problem = _problems({"inner": {"dealer": "d"}, "folder": 5})["folder"]
    assert problem.expected == "a file path (a quoted string)"
    assert problem.found == "5" and problem.fix


def test_other_pydantic_prose_reads_as_an_expectation():
    problems = _problems(
        {
            "inner": {
                "dealer": "d",
                "when": datetime(2026, 3, 16, 10, 5),
                "colour": "red",
            },
            "name": "",
            "items": [],
            "kind": "c",
        }
    )
    assert problems["inner.when"].expected == "a date-time with its UTC offset"
    assert problems["inner.colour"].expected == "only the keys known in this table"
    assert problems["inner.colour"].found == "the unknown key 'colour'"
    assert problems["name"].expected == "a string with at least 1 character"
    assert problems["items"].expected == "a list with at least 1 item"
    assert problems["kind"].expected == "'a' or 'b'"
    for problem in problems.values():
        text = str(problem)
        assert "<class" not in text and "Input " not in text and "input " not in text
        assert "should" not in problem.expected and problem.fix


def test_settings_with_a_number_as_a_path_say_a_file_path(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text("rules_dir = 5\n[storage]\ndatabase = 3\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(path)
    text = str(caught.value)
    assert "rules_dir: expected a file path (a quoted string), found 5" in text
    assert "<class" not in text


def test_campaign_without_brand_names_the_missing_key():
    data = {"dealers": [{"id": "a", "name": "A", "hours": {"mon": ["09:00-12:00"]}}]}
    with pytest.raises(ConfigError) as caught:
        parse_campaign(data, "c.toml")
    assert (
        "c.toml: brand: expected the key 'brand' (required), found it missing. Fix: add the key"
        in str(caught.value)
    )
