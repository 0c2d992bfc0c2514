"""A reply of megabytes (a pasted log, an inlined attachment) is analysed bounded."""

from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

from replyaudit.message.limits import MAX_NEW_TEXT_CHARS, OMITTED_LINE
from replyaudit.message.parse import parse_message
from replyaudit.message.text import MAX_HTML_CHARS

REPLY = Path(__file__).parent.parent / (
    "fixtures/corpus/cases/c01-montverac-prix-nx/02-reponse-conseiller.eml"
)
_MIME_HEADERS = ("content-type", "mime-version", "content-transfer-encoding")
MARKER = "Je reste à votre disposition."
LOG_LINE = (
    "Contrôle du véhicule : pneumatiques, freins et niveaux vérifiés, état correct"
)


def _rebuilt(kind: str, content: str) -> bytes:
    source = message_from_bytes(REPLY.read_bytes(), policy=policy.default)
    new = EmailMessage()
    for key, value in source.items():
        if key.lower() not in _MIME_HEADERS:
            new[key] = value
    new.set_content(content, subtype=kind, cte="quoted-printable")
    return new.as_bytes()


def _huge_plain(size: int) -> bytes:
    source = message_from_bytes(REPLY.read_bytes(), policy=policy.default)
    text = source.get_body(("plain",)).get_content()
    log = "\n".join(f"{LOG_LINE} {i}." for i in range(size // len(LOG_LINE)))
    return _rebuilt("plain", text.replace(MARKER, f"{log}\n\n{MARKER}"))


def _huge_html(size: int) -> bytes:
    source = message_from_bytes(REPLY.read_bytes(), policy=policy.default)
    html = source.get_body(("html",)).get_content()
    row = "<tr>" + f"<td>{LOG_LINE}</td>" * 4 + "</tr>"
    table = "<table>" + row * (size // len(row)) + "</table>"
    return _rebuilt("html", html.replace("<div>Je reste", table + "<div>Je reste", 1))


def test_parse_huge_plain_body_truncated_signature_kept(tmp_path):
    """10 MB of text in the new text: body bounded, defect recorded, signature found."""
    path = tmp_path / "huge.eml"
    path.write_bytes(_huge_plain(10_000_000))

    msg = parse_message(path.read_bytes())

    assert len(path.read_bytes()) > 10_000_000
    assert any(d.startswith("body truncated for analysis after") for d in msg.defects)
    assert len(msg.body) + len(msg.signature) <= MAX_NEW_TEXT_CHARS + 10
    assert OMITTED_LINE in msg.body
    assert msg.body.startswith("Bonjour Madame Morel,")
    assert MARKER in msg.body
    assert msg.signature_status == "present"
    assert "Conseiller commercial" in msg.signature
    assert msg.quoted.lstrip().startswith("Le lun. 16 mars 2026")


def test_parse_huge_html_table_truncated_signature_kept(tmp_path):
    """An HTML-only reply holding a 10 MB <table>: HTML and body bounded, defects."""
    path = tmp_path / "huge.eml"
    path.write_bytes(_huge_html(10_000_000))

    msg = parse_message(path.read_bytes())

    assert msg.text_source == "html"
    assert any(d.startswith("html truncated for analysis after") for d in msg.defects)
    assert any(d.startswith("body truncated for analysis after") for d in msg.defects)
    assert len(msg.text) <= MAX_HTML_CHARS
    assert len(msg.body) + len(msg.signature) <= MAX_NEW_TEXT_CHARS + 10
    assert msg.signature_status == "present"
    assert "Conseiller commercial" in msg.signature
    assert "Claire Morel" in msg.quoted


def test_parse_short_reply_has_no_truncation_defect():
    """An ordinary reply is read whole: no truncation defect, no omitted line."""
    msg = parse_message(REPLY.read_bytes())

    assert not [d for d in msg.defects if "truncated" in d]
    assert OMITTED_LINE not in msg.body


def test_run_checks_flags_every_answer_of_a_truncated_reply(tmp_path):
    """When a reply was cut for analysis, every answer of its case needs review."""
    from replyaudit.checks import run_checks
    from replyaudit.context import CaseContext
    from replyaudit.corpus import load_corpus
    from replyaudit.scorecard import load_scorecard

    root = REPLY.parents[3]
    scorecard = load_scorecard(root.parent / "rules")
    corpus = load_corpus(root / "corpus", scorecard)
    case = next(c for c in corpus.cases if c.files[0].parent == REPLY.parent)
    reply = parse_message(_huge_plain(1_000_000))
    dealer = corpus.campaign.dealer(case.inquiry.dealer)
    ctx = CaseContext(corpus.campaign, case.inquiry, dealer, None, [reply])

    answers = run_checks(ctx, scorecard)

    assert answers and all(a.needs_review for a in answers.values())
    assert all("body truncated for analysis" in a.note for a in answers.values())
