"""Quote, signature, classification and matching rules on small built messages."""

import time
from pathlib import Path

from replyaudit.campaign import Brand, Campaign, Dealer, Inquiry
from replyaudit.message import classify_message, match_message, parse_message
from replyaudit.models import Kind


def _raw(
    body, *, ctype="text/plain", headers="", frm="Paul Rivet <p.rivet@garage-test.fr>"
):
    head = (
        f"From: {frm}\r\nTo: lea.roux+q1@client-test.fr\r\nSubject: Re: Demande essai\r\n"
        f"Date: Wed, 11 Mar 2026 09:30:00 +0100\r\nMessage-ID: <r1@garage-test.fr>\r\n"
        f"{headers}MIME-Version: 1.0\r\nContent-Type: {ctype}; charset=utf-8\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
    )
    return head.encode() + body.encode("utf-8")


CAMPAIGN = Campaign(
    brand=Brand(name="Test", keywords=["test"]),
    dealers=[
        Dealer(id="g1", name="Garage test", domains=["garage-test.fr"]),
        Dealer(id="g2", name="Autre garage", domains=["autre-garage.fr"]),
    ],
    inquiries=[
        Inquiry(
            id="q1",
            dealer="g1",
            shopper="lea.roux+q1@client-test.fr",
            subject="Demande essai",
            message_id="inq1@client-test.fr",
        ),
        Inquiry(
            id="q2", dealer="g2", shopper="lea.roux+q2@client-test.fr", subject="Prix"
        ),
    ],
)


def test_message_outlook_html_separator_starts_quote():
    """Outlook's border-top separator div ends the new text of an HTML-only reply."""
    html = (
        "<p>Bonjour,</p><p>Oui, il est disponible.</p><p>Cordialement,<br>Paul Rivet</p>"
        '<div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm">'
        "<p><b>De :</b> Léa Roux<br><b>Envoyé :</b> mardi<br><b>Objet :</b> Essai</p></div>"
        "<p>Est-il disponible pour un essai samedi ?</p>"
    )
    msg = parse_message(_raw(html, ctype="text/html"))
    assert "il est disponible" in msg.body
    assert "pour un essai samedi" in msg.quoted
    assert "pour un essai samedi" not in msg.body + msg.signature


def test_message_device_line_is_not_a_signature():
    """'Envoyé de mon iPhone' alone leaves the signature absent."""
    msg = parse_message(
        _raw("Bonjour,\n\nC'est d'accord pour samedi.\n\nEnvoyé de mon iPhone\n")
    )
    assert msg.signature_status == "absent"
    assert "iPhone" not in msg.signature and "iPhone" not in msg.body


def test_message_signature_by_layout_without_sign_off():
    """Name, title, phone and e-mail lines form a signature even with no sign-off."""
    msg = parse_message(
        _raw(
            "Bonjour,\n\nLe modèle est en stock.\n\nPaul Rivet\nConseiller commercial\n"
            "Tél. : 01 99 00 12 34\np.rivet@garage-test.fr\n"
        )
    )
    assert msg.signature_status == "present"
    assert msg.signature.startswith("Paul Rivet")
    assert msg.body.endswith("Le modèle est en stock.")


def test_message_image_only_signature_is_not_verifiable():
    """A sign-off followed only by an image reference is 'image_only', not 'absent'."""
    msg = parse_message(
        _raw("Bonjour,\n\nOui.\n\nCordialement,\n[cid:image001.png@01D]\n")
    )
    assert msg.signature_status == "image_only"


def test_message_classify_content_cues_when_headers_are_silent():
    """A 'message automatique' with a form recap and no individual signing is an acknowledgement."""
    body = (
        "Bonjour,\n\nNous avons bien reçu votre demande.\nNom : Roux\nModèle : compact\n"
        "E-mail : lea.roux+q1@client-test.fr\n\nCeci est un message automatique.\n"
    )
    msg = parse_message(_raw(body, frm="Garage test <contact@garage-test.fr>"))
    result = classify_message(msg, CAMPAIGN)
    assert result.kind == Kind.AUTO_ACK
    assert any("recap" in r for r in result.reasons)


def test_message_classify_crm_template_signed_by_advisor_is_personalised():
    """A CRM-sent answer specific to the question and signed by a named advisor is personalised."""
    body = (
        "Bonjour Madame Roux,\n\nSuite à votre demande d'essai, je vous propose samedi à 10h "
        "sur notre modèle compact hybride, qui est libre ce jour-là. Le véhicule est équipé "
        "de la finition que vous citez.\n\nCordialement,\n\nPaul Rivet\nConseiller commercial\n"
        "Tél. : 01 99 00 12 34\n"
    )
    msg = parse_message(_raw(body, headers="X-Mailer: CRM Leads 2.1\r\n"))
    assert classify_message(msg, CAMPAIGN).kind == Kind.PERSONALISED


def test_message_classify_exchange_autoreply_and_x_autoreply():
    """Exchange auto-reply headers with absence wording make an out-of-office notice."""
    msg = parse_message(
        _raw(
            "Je suis absent jusqu'au 20 mars.\n",
            headers="X-Autoreply: yes\r\nX-MS-Exchange-Inbox-Rules-Loop: p.rivet@garage-test.fr\r\n",
        )
    )
    assert classify_message(msg, CAMPAIGN).kind == Kind.OUT_OF_OFFICE


def test_message_match_thread_then_address_then_none():
    """Thread headers win; the shopper address comes next; otherwise candidates are listed."""
    threaded = parse_message(
        _raw("Oui.\n", headers="In-Reply-To: <inq1@client-test.fr>\r\n")
    )
    assert match_message(threaded, CAMPAIGN, {}).basis == "thread"
    by_address = parse_message(_raw("Oui.\n"))
    result = match_message(by_address, CAMPAIGN, {})
    assert (result.inquiry_id, result.basis) == ("q1", "address")
    stray = parse_message(
        _raw("Oui.\n").replace(b"lea.roux+q1@", b"someone@"),
    )
    stray_result = match_message(stray, CAMPAIGN, {})
    assert stray_result.basis in ("domain_subject", "none")
    lost = parse_message(
        _raw("Oui.\n", frm="x@elsewhere.fr").replace(b"lea.roux+q1@", b"someone@")
    )
    lost_result = match_message(lost, CAMPAIGN, {})
    assert lost_result.inquiry_id is None and lost_result.basis == "none"


def test_message_parse_is_fast():
    """Parsing the corpus runs at hundreds of messages per second at least."""
    corpus = Path(__file__).parent.parent / "fixtures" / "corpus" / "cases"
    raws = [p.read_bytes() for p in sorted(corpus.glob("*/*.eml"))]
    start = time.perf_counter()
    for raw in raws * 5:
        parse_message(raw)
    rate = len(raws) * 5 / (time.perf_counter() - start)
    print(f"parse rate: {rate:.0f} messages/s")
    assert rate > 300
