"""Automatic replies signed by a team, or sent under a team's name, are not personal answers."""

from replyaudit.campaign import Brand, Campaign, Dealer, Inquiry
from replyaudit.message import classify_message, parse_message
from replyaudit.models import Kind

CAMPAIGN = Campaign(
    brand=Brand(name="Lexus"),
    dealers=[
        Dealer(id="brumelsheim", name="Lexus Brumelsheim", hours={"mon": ["09:00-18:00"]})
    ],
    inquiries=[
        Inquiry(id="n04", dealer="brumelsheim", shopper="nadia+n04@example-shopper.fr")
    ],
)


def _message(subject: str, body: str, sender: str = "Lexus Brumelsheim") -> bytes:
    return (
        f"From: {sender} <contact@lexus-brumelsheim.fr>\r\n"
        "To: nadia+n04@example-shopper.fr\r\n"
        f"Subject: {subject}\r\n"
        "Date: Thu, 26 Nov 2026 16:01:00 +0100\r\n"
        "Message-ID: <n04-auto@lexus-brumelsheim.fr>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body
    ).encode()


def _kind(raw: bytes) -> Kind:
    return classify_message(parse_message(raw), CAMPAIGN, CAMPAIGN.inquiries[0]).kind


def test_automatic_subject_with_acknowledgement_is_an_auto_ack_even_when_signed():
    # From a new user's corpus: no Auto-Submitted header, 'Réponse automatique' subject,
    # 'nous avons bien reçu' body, signed by the team. It was read as a personalised
    # reply one minute after the inquiry: Q1 6 points, and the real reply a follow-up.
    body = (
        "Bonjour,\r\n\r\nNous avons bien reçu votre message et nous vous répondrons "
        "dans les meilleurs délais.\r\n\r\nL'équipe Lexus Brumelsheim\r\n"
    )
    assert _kind(_message("Réponse automatique : Reprise de ma Yaris", body)) == Kind.AUTO_ACK
    # The same words under a plain subject, signed by the team: still automatic.
    assert _kind(_message("Re: Reprise de ma Yaris", body)) == Kind.AUTO_ACK


def test_acknowledgement_signed_by_a_named_advisor_stays_personal():
    body = (
        "Bonjour Madame,\r\n\r\nNous avons bien reçu votre message : votre Yaris est "
        "reprise 9 800 €, sous réserve d'expertise.\r\n\r\nCordialement,\r\n"
        "Paul Girard\r\nConseiller commercial\r\n"
    )
    assert _kind(_message("Re: Reprise de ma Yaris", body, "Paul Girard")) == Kind.PERSONALISED
