"""A no-reply sender alone does not make a message automatic: CRM platforms relay advisors."""

from datetime import UTC
from pathlib import Path

from replyaudit.campaign import load_campaign
from replyaudit.message import classify_message, parse_message
from replyaudit.models import Kind

HELDOUT = Path(__file__).resolve().parents[1] / "fixtures" / "corpus-heldout"


def test_classify_crm_template_signed_by_advisor_from_no_reply_is_personalised():
    campaign = load_campaign(HELDOUT / "campaign.toml")
    path = next(HELDOUT.glob("cases/h12-*/02-*.eml"))
    result = classify_message(parse_message(path.read_bytes()), campaign)
    assert result.kind == Kind.PERSONALISED
    assert result.confidence < 0.7  # uncertain: the case is flagged for review
    assert any("no-reply" in r for r in result.reasons)


def test_classify_unsigned_acknowledgement_from_no_reply_stays_automatic():
    campaign = load_campaign(HELDOUT / "campaign.toml")
    raw = (
        "From: Concession <no-reply@crm.example-dealer.fr>\r\n"
        "To: a+1@example-shopper.fr\r\nSubject: Votre demande\r\n"
        "Date: Mon, 05 Oct 2026 10:00:00 +0200\r\nMessage-ID: <x1@crm.example-dealer.fr>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n"
        "Bonjour,\r\n\r\nNous avons bien reçu votre demande. Un conseiller vous recontactera "
        "dans les plus brefs délais.\r\n\r\nCeci est un message automatique.\r\n"
    ).encode()
    assert classify_message(parse_message(raw), campaign).kind == Kind.AUTO_ACK


def test_parse_internaldate_far_from_received_is_used_and_recorded():
    from datetime import datetime

    path = next((HELDOUT.parent / "corpus").glob("cases/c01-*/02-*.eml"))
    late = datetime(2026, 12, 3, 18, 31, tzinfo=UTC)
    parsed = parse_message(path.read_bytes(), internaldate=late)
    assert parsed.arrival == late and parsed.arrival_source == "internaldate"
    assert any(d.startswith("arrival mismatch") for d in parsed.defects)
    close = parse_message(path.read_bytes(), internaldate=datetime(2026, 3, 16, 10, 13, tzinfo=UTC))
    assert not any(d.startswith("arrival mismatch") for d in close.defects)
