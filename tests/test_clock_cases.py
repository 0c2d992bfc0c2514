"""The clock against the reference cases (fixtures/clock) and the corpus timing notes."""

import json
import tomllib
from datetime import datetime
from pathlib import Path

import pytest

from replyaudit.campaign import Dealer, load_campaign
from replyaudit.clock import DealerClock

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
REFERENCE = json.loads((FIXTURES / "clock" / "cases.json").read_text(encoding="utf-8"))
CORPUS = FIXTURES / "corpus"


def _reference_dealer(case):
    return Dealer(id=case["id"], name=case["id"], **case["dealer"])


@pytest.mark.parametrize("case", REFERENCE, ids=[c["id"] for c in REFERENCE])
def test_clock_reference_case_matches_expected(case):
    """Each reference case gives its exact open minutes, working day and bucket."""
    clock = DealerClock(_reference_dealer(case))
    start = datetime.fromisoformat(case["start"])
    end = datetime.fromisoformat(case["end"])
    expected = case["expected"]

    timing = clock.measure(start, end)

    assert clock.open_minutes(start, end) == expected["open_minutes"]
    assert timing.open_minutes == expected["open_minutes"]
    assert timing.working_day_minutes == expected["working_day_minutes"]
    if expected["bucket"] == "error":
        assert timing.bucket is None
        assert timing.flags == ["clock_skew"]
        assert start.isoformat() in timing.explanation
        assert end.isoformat() in timing.explanation
    else:
        assert timing.bucket == expected["bucket"]
        assert timing.flags == []
        assert sum(i.minutes for i in timing.intervals) == pytest.approx(
            expected["open_minutes"]
        )
    assert timing.policy == "open-hours"


# Instants read by hand from the .eml files of fixtures/corpus/cases: the time of a
# message is the date of its topmost Received header, else its Date header (FORMAT.md).
# (case, start, end, minutes from the case.toml note, question measured)
# "response_time": inquiry -> first personalised reply;
# "follow_up": first personalised reply -> next personalised dealer message.
CORPUS_TIMINGS = [
    # 01-demande Received; 02-reponse-conseiller Received (no minutes in the note)
    ("c01-montverac-prix-nx", "2026-03-16T10:05:10+01:00", "2026-03-16T11:12:47+01:00", None, "response_time"),
    # 01-demande has no Received: Date; 03-reponse Received
    ("c02-montverac-dispo-rx", "2026-04-03T17:40:12+02:00", "2026-04-04T10:15:03+02:00", None, "response_time"),
    ("c03-brumelsheim-delai-ux", "2026-04-02T16:20:31+02:00", "2026-04-07T09:40:15+02:00", 410, "response_time"),
    ("c03-brumelsheim-delai-ux", "2026-04-07T09:40:15+02:00", "2026-04-10T11:00:02+02:00", None, "follow_up"),
    ("c04-valbreze-reprise-chr", "2026-05-12T15:30:05+02:00", "2026-05-15T11:00:21+02:00", 840, "response_time"),
    ("c04-valbreze-reprise-chr", "2026-05-15T11:00:21+02:00", "2026-05-18T16:10:08+02:00", None, "follow_up"),
    ("c05-valbreze-loa-nx", "2026-05-24T21:15:03+02:00", "2026-05-26T09:50:12+02:00", 80, "response_time"),
    ("c06-portaurele-prix-lbx", "2026-08-07T17:30:11+02:00", "2026-08-24T09:55:01+02:00", 85, "response_time"),
    ("c07-portaurele-delai-rz", "2026-05-19T09:12:01+02:00", "2026-05-20T16:30:00+02:00", 798, "response_time"),
    ("c08-saintormel-options-es", "2026-06-13T13:20:19+02:00", "2026-06-13T15:05:00+02:00", 65, "response_time"),
    ("c09-saintormel-lld-ux", "2026-07-01T11:40:06+02:00", "2026-07-01T16:55:10+02:00", None, "response_time"),
    ("c09-saintormel-lld-ux", "2026-07-01T16:55:10+02:00", "2026-07-03T10:00:05+02:00", None, "follow_up"),
    ("c10-corvignac-gamme", "2026-07-13T17:45:21+02:00", "2026-07-15T10:40:04+02:00", 175, "response_time"),
    ("c10-corvignac-gamme", "2026-07-15T10:40:04+02:00", "2026-07-17T09:00:02+02:00", None, "follow_up"),
    ("c12-montverac-reprise-a3", "2026-11-09T16:00:08+01:00", "2026-11-13T11:10:00+01:00", 1270, "response_time"),
    ("c13-brumelsheim-prix-lbx", "2026-12-24T18:05:41+01:00", "2026-12-28T09:00:03+01:00", 85, "response_time"),
    # DST starts Sun 29 Mar: the inquiry is +0100, the reply +0200
    ("c14-montverac-dispo-nx", "2026-03-28T11:30:01+01:00", "2026-03-30T10:00:41+02:00", 91, "response_time"),
    ("c15-saintormel-gamme-ux-nx", "2026-09-22T09:20:12+02:00", "2026-09-22T14:45:03+02:00", None, "response_time"),
    ("c15-saintormel-gamme-ux-nx", "2026-09-22T14:45:03+02:00", "2026-09-24T11:00:01+02:00", 855, "follow_up"),
    ("c16-corvignac-options-nx", "2026-03-04T12:10:46+01:00", "2026-03-04T16:40:02+01:00", None, "response_time"),
    ("c17-valbreze-dispo-ux", "2026-09-10T10:30:27+02:00", "2026-09-11T09:15:02+02:00", 435, "response_time"),
    ("c18-portaurele-credit-rx", "2026-11-02T11:50:38+01:00", "2026-11-03T15:20:06+01:00", None, "response_time"),
    ("c18-portaurele-credit-rx", "2026-11-03T15:20:06+01:00", "2026-11-06T10:00:04+01:00", 1120, "follow_up"),
    ("c19-brumelsheim-reprise-yaris", "2026-08-14T17:50:01+02:00", "2026-08-17T08:45:10+02:00", 85, "response_time"),
    # 01-demande has no Received: Date 12:40:00; 02-reponse Received 10:10:00
    ("c21-corvignac-delai-es", "2026-12-05T12:40:00+01:00", "2026-12-07T10:10:00+01:00", 120, "response_time"),
    ("c22-saintormel-gamme-rx", "2026-10-23T10:05:27+02:00", "2026-10-23T17:00:00+02:00", None, "response_time"),
    # DST ends Sun 25 Oct: the reply is +0200, the follow-up +0100
    ("c22-saintormel-gamme-rx", "2026-10-23T17:00:00+02:00", "2026-10-26T18:01:00+01:00", 961, "follow_up"),
    ("c23-montverac-options-lbx", "2026-05-13T18:20:11+02:00", "2026-05-16T10:55:02+02:00", 155, "response_time"),
    ("c24-valbreze-delai-nx", "2026-09-14T09:00:16+02:00", "2026-09-16T10:00:04+02:00", 870, "response_time"),
]  # fmt: skip


@pytest.fixture(scope="module")
def campaign():
    return load_campaign(CORPUS / "campaign.toml")


def _expected(case_id):
    with open(CORPUS / "cases" / case_id / "case.toml", "rb") as handle:
        return tomllib.load(handle)


@pytest.mark.parametrize(
    ("case_id", "start", "end", "minutes", "question"),
    CORPUS_TIMINGS,
    ids=[f"{row[0]}-{row[4]}" for row in CORPUS_TIMINGS],
)
def test_clock_corpus_case_matches_note_and_answer(
    campaign, case_id, start, end, minutes, question
):
    """Corpus delays give the minutes of the case note and the approved answer."""
    case = _expected(case_id)
    clock = DealerClock(campaign.dealer(case["dealer"]))

    timing = clock.measure(datetime.fromisoformat(start), datetime.fromisoformat(end))

    if minutes is not None:  # the notes count whole minutes from HH:MM (c13: 84.37)
        assert abs(timing.open_minutes - minutes) < 1
    approved = case["expected"][question]
    if question == "response_time":
        assert timing.bucket == approved
    else:  # a follow-up counts when it comes within 2 working days of the reply
        within = timing.bucket != "none_within_2_working_days"
        assert within == (approved == "yes")


def test_clock_corpus_working_days_match_notes(campaign):
    """The working days the notes rely on: 510 (Valbrèze), 450 (Port-Aurèle), 480."""
    days = {d.id: DealerClock(d).working_day_minutes for d in campaign.dealers}

    assert days["valbreze"] == 510
    assert days["port-aurele"] == 450
    assert days["saint-ormel"] == 480
    assert days["montverac"] == 480


def test_clock_corpus_exact_boundaries(campaign):
    """c21 is exactly 120 open minutes and c22 exactly 961: no rounding hides them."""
    corvignac = DealerClock(campaign.dealer("corvignac"))
    saint_ormel = DealerClock(campaign.dealer("saint-ormel"))

    c21 = corvignac.open_minutes(
        datetime.fromisoformat("2026-12-05T12:40:00+01:00"),
        datetime.fromisoformat("2026-12-07T10:10:00+01:00"),
    )
    c22 = saint_ormel.open_minutes(
        datetime.fromisoformat("2026-10-23T17:00:00+02:00"),
        datetime.fromisoformat("2026-10-26T18:01:00+01:00"),
    )

    assert c21 == 120.0
    assert c22 == 961.0
