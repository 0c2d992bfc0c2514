"""The labelled corpus: every message is classified and matched as its labels imply."""

import re
import tomllib
from pathlib import Path

import pytest

from replyaudit.campaign import Campaign, Inquiry, load_campaign
from replyaudit.message import classify_message, match_message, parse_message
from replyaudit.models import Kind

CORPUS = Path(__file__).parent.parent / "fixtures" / "corpus"
CASES = sorted(p for p in (CORPUS / "cases").iterdir() if p.is_dir())

# What each received file is, from the case.toml comments and the issue text; every file
# not listed is a personalised reply, and the shopper's own message is the inquiry.
NOT_PERSONALISED = {
    "c02-montverac-dispo-rx/02-accuse-reception.eml": Kind.AUTO_ACK,
    "c05-valbreze-loa-nx/02-confirmation-automatique.eml": Kind.AUTO_ACK,
    "c06-portaurele-prix-lbx/02-fermeture-estivale.eml": Kind.OUT_OF_OFFICE,
    "c07-portaurele-delai-rz/02-non-remis.eml": Kind.BOUNCE,
    "c10-corvignac-gamme/02-accuse-reception.eml": Kind.AUTO_ACK,
    "c10-corvignac-gamme/05-enquete-satisfaction.eml": Kind.OTHER,
    "c12-montverac-reprise-a3/02-absence.eml": Kind.OUT_OF_OFFICE,
    "c12-montverac-reprise-a3/03-accuse-reception.eml": Kind.AUTO_ACK,
    "c16-corvignac-options-nx/03-enquete-satisfaction.eml": Kind.OTHER,
    "c17-valbreze-dispo-ux/02-confirmation-automatique.eml": Kind.AUTO_ACK,
    "c20-saintormel-prix-nx/02-accuse-reception.eml": Kind.AUTO_ACK,
    "c20-saintormel-prix-nx/03-newsletter.eml": Kind.OTHER,
    "c23-montverac-options-lbx/02-accuse-reception.eml": Kind.AUTO_ACK,
}


def _case(folder: Path) -> dict:
    with (folder / "case.toml").open("rb") as handle:
        return tomllib.load(handle)


@pytest.fixture(scope="module")
def corpus():
    """The campaign with one inquiry per case, and each case's parsed messages."""
    base = load_campaign(CORPUS / "campaign.toml")
    inquiries, sent, parsed = [], {}, {}
    for folder in CASES:
        case = _case(folder)
        messages = {
            p.name: parse_message(p.read_bytes(), source=str(p))
            for p in sorted(folder.glob("*.eml"))
        }
        parsed[folder.name] = messages
        mine = [m for m in messages.values() if m.from_addr == case["shopper"]]
        assert len(mine) == 1, f"{folder.name}: one message from the shopper expected"
        sent[folder.name] = mine[0]
        inquiries.append(
            Inquiry(
                id=folder.name,
                dealer=case["dealer"],
                shopper=case["shopper"],
                question=case.get("question", ""),
                subject=mine[0].subject,
                message_id=mine[0].message_id,
                sent_at=mine[0].arrival,
            )
        )
    campaign = Campaign(brand=base.brand, dealers=base.dealers, inquiries=inquiries)
    return campaign, sent, parsed


@pytest.mark.parametrize("folder", CASES, ids=[p.name[:3] for p in CASES])
def test_message_corpus_kinds_and_matches(folder, corpus):
    """Each file gets the kind its labels imply; each received one matches its case."""
    campaign, sent, parsed = corpus
    inquiry = campaign.inquiry(folder.name)
    for name, msg in parsed[folder.name].items():
        key = f"{folder.name}/{name}"
        result = classify_message(msg, campaign, inquiry)
        if msg.from_addr == inquiry.shopper:
            assert result.kind == Kind.INQUIRY, key
            continue
        expected = NOT_PERSONALISED.get(key, Kind.PERSONALISED)
        assert result.kind == expected, f"{key}: {result.kind} {result.reasons}"
        assert result.reasons, key
        match = match_message(msg, campaign, sent)
        assert match.inquiry_id == folder.name, f"{key}: {match}"


@pytest.mark.parametrize("folder", CASES, ids=[p.name[:3] for p in CASES])
def test_message_corpus_quoted_inquiry_never_in_body(folder, corpus):
    """The shopper's question sentences are never credited to the dealer's body or signature."""
    campaign, sent, parsed = corpus
    sentences = re.split(r"(?<=[?.!])\s+", sent[folder.name].body)
    question_lines = [s.strip() for s in sentences if len(s.strip()) > 40]
    assert question_lines, f"{folder.name}: the inquiry body has long sentences"
    for name, msg in parsed[folder.name].items():
        if msg.from_addr == campaign.inquiry(folder.name).shopper:
            continue
        for sentence in question_lines:
            assert sentence[:60] not in msg.body, f"{name}: question in body"
            assert sentence[:60] not in msg.signature, f"{name}: question in signature"


def test_message_corpus_signatures(corpus):
    """Replies with a sign-off keep it apart; the phone reply has no signature block."""
    _, _, parsed = corpus
    phone = parsed["c13-brumelsheim-prix-lbx"]["02-reponse.eml"]
    assert phone.signature_status == "absent"
    assert "iPhone" not in phone.signature
    assert "06 39 98 44 26" in phone.body
    brochure = parsed["c16-corvignac-options-nx"]["02-reponse-brochure.eml"]
    assert [a.content_type for a in brochure.attachments] == ["application/pdf"]
    reply = parsed["c01-montverac-prix-nx"]["02-reponse-conseiller.eml"]
    assert reply.signature_status == "present"
    assert "Conseiller commercial" in reply.signature
    assert "Conseiller commercial" not in reply.body
    assert "Je reste à votre disposition." in reply.body
