"""A thread or address match that other evidence contradicts is lowered and explained."""

from pathlib import Path

from replyaudit.campaign import Inquiry
from replyaudit.corpus import load_corpus
from replyaudit.message import match_message, parse_message
from replyaudit.scorecard import load_scorecard

ROOT = Path(__file__).resolve().parents[1]


def _campaign():
    return load_corpus(ROOT / "fixtures" / "corpus", load_scorecard(ROOT / "rules")).campaign


def _message(sender: str, to: str, references: str = "") -> bytes:
    extra = f"References: <{references}>\r\n" if references else ""
    return (
        f"From: Conseiller <{sender}>\r\nTo: {to}\r\nSubject: Votre demande\r\n{extra}"
        "Date: Mon, 16 Mar 2026 11:00:00 +0100\r\nMessage-ID: <m1@example.fr>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\nBonjour,\r\nVoici notre offre.\r\n"
    ).encode()


def test_match_address_of_one_dealer_signed_from_another_is_uncertain():
    campaign = _campaign()
    result = match_message(
        parse_message(_message("p.roche@lexus-valbreze.fr", "thomas.reynaud+mv02@example-shopper.fr")),
        campaign,
        {},
    )
    assert result.inquiry_id == "c02-montverac-dispo-rx"
    assert result.confidence < 0.7
    assert any("valbreze" in reason for reason in result.reasons)
    assert any(qid.startswith("c0") and "valbreze" in qid for qid, _ in result.candidates)


def test_match_thread_naming_one_inquiry_sent_to_another_address_is_uncertain():
    campaign = _campaign()
    target: Inquiry = campaign.inquiry("c02-montverac-dispo-rx")
    sent = {target.id: parse_message(_message(target.shopper, "contact@lexus-montverac.fr").replace(b"m1@", b"q2@"))}
    raw = _message("g.x@lexus-montverac.fr", "claire.morel+mv01@example-shopper.fr", references="q2@example.fr")
    result = match_message(parse_message(raw), campaign, sent)
    assert result.inquiry_id == target.id and result.basis == "thread"
    assert result.confidence < 0.7
    assert any("c01-montverac-prix-nx" in reason for reason in result.reasons)


def test_match_plain_address_match_from_its_own_dealer_stays_sure():
    campaign = _campaign()
    result = match_message(
        parse_message(_message("g.x@lexus-montverac.fr", "thomas.reynaud+mv02@example-shopper.fr")), campaign, {}
    )
    assert result.inquiry_id == "c02-montverac-dispo-rx" and result.confidence >= 0.9
