"""Every evidence of the corpus replay quotes its part exactly, in whole words."""

import pytest

from checks_corpus import CORPUS, ROOT, replay
from replyaudit.message import parse_message

CORPORA = [CORPUS, ROOT / "fixtures" / "corpus-heldout"]


def _messages(root):
    return {
        msg.sha256: msg
        for msg in (parse_message(p.read_bytes()) for p in root.glob("cases/*/*.eml"))
    }


@pytest.mark.parametrize("root", CORPORA, ids=lambda p: p.name)
def test_evidence_span_indexes_the_quoted_text_in_whole_words(root):
    """part[start:end] == sentence for body and signature evidence, never mid-word."""
    messages = _messages(root)
    checked = 0
    for case_id, _, answers in replay(root):
        for key, answer in answers.items():
            for ev in answer.evidence:
                if ev.part not in ("body", "signature"):
                    continue
                msg = messages[ev.message]
                part = msg.body if ev.part == "body" else msg.signature
                where = f"{case_id} {key} ({answer.rule})"
                assert part[ev.start : ev.end] == ev.sentence, where
                cut_inside = 0 < ev.end < len(part) and (
                    part[ev.end - 1].isalnum() and part[ev.end].isalnum()
                )
                cut_before = 0 < ev.start < len(part) and (
                    part[ev.start - 1].isalnum() and part[ev.start].isalnum()
                )
                assert not cut_inside and not cut_before, where
                checked += 1
    assert checked > 50


def test_line_excerpt_long_signature_keeps_whole_lines_and_the_brand_line():
    """A signature over the cap is quoted in whole lines, brand line included."""
    from replyaudit.checks.excerpt import MAX_EXCERPT_CHARS, line_excerpt

    footer = "\n".join(["Ce message et ses pièces jointes sont confidentiels."] * 10)
    signature = f"--\nJeanne Martin\nConseillère\n{footer}\nMarque Ville\n"

    excerpt, start, end = line_excerpt(signature, lambda t: "Marque" in t)

    assert signature[start:end] == excerpt == "Marque Ville"
    head, start, end = line_excerpt(signature)
    assert signature[start:end] == head and len(head) <= MAX_EXCERPT_CHARS
    assert head.endswith("confidentiels.") and head.startswith("--\nJeanne")
