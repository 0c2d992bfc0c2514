"""Sentence splitting of the checks: wrapped lines joined, real line breaks kept."""

from __future__ import annotations

import pytest

from replyaudit.checks.nlp import split_sentences

WRAPPED = [
    (
        (
            "Voulez-vous que je vous garde informé de nos prochaines portes\n"
            "ouvertes et de nos offres ?"
        ),
        1,
    ),
    ("Je pourrai vous téléphoner demain si vous me dites à\nquelle heure.", 1),
    (
        (
            "Les deux versions existent en hybride et le délai de livraison est de cinq\n"
            "semaines environ pour la finition haute."
        ),
        1,
    ),
]

KEPT = [
    ("Bonjour Madame,\nMerci pour votre message.", 2),
    ("Voici les pièces à fournir :\n- la carte grise\n- le carnet", 3),
    ("Paul Martin\nConseiller commercial\n06 12 34 56 78", 3),
    ("Le prix est de 40 000 €.\nle reste suit.", 2),
]


@pytest.mark.parametrize("text,count", WRAPPED + KEPT)
def test_split_sentences_joins_wrapped_lines_only(text, count):
    """A sentence wrapped by the mail client is one sentence; lists and sign-offs stay apart."""
    sentences = split_sentences(text)
    assert len(sentences) == count, [s.text for s in sentences]


def test_split_sentences_span_is_original_text():
    """Each sentence's span points at the original text, line break included."""
    text = "Bonjour,\n\nAcceptez-vous de recevoir nos\ninvitations ? Merci."
    for sentence in split_sentences(text):
        assert text[sentence.start : sentence.end] == sentence.text
        assert "\n" not in sentence.flat and len(sentence.flat) == len(sentence.text)
