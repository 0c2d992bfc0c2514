"""Signature split for short replies signed 'Name - Company' on one line (phone mail)."""

from __future__ import annotations

import pytest

from replyaudit.message.signature import split_signature

SIGNED = [
    "Bonjour,\nLe prix est de 41 000 €.\nJe reste dispo.\nJulie Morand - Lexus Exempleville\n06 12 34 56 78",
    "Bonjour,\nOui il est en stock.\nMarc Dubreuil | Conseiller commercial\nm.dubreuil@lexus-exempleville.fr",
]
UNSIGNED = [
    "Bonjour,\nLe NX Luxe - hybride, est à 58 000 €.\nVoici le lien : www.exemple.fr",
    "Bonjour Madame,\nVotre Clio, à 61 000 km, vaut environ 11 000 €.",
]


@pytest.mark.parametrize("text", SIGNED)
def test_signature_name_lead_line_starts_signature(text):
    """A name followed by a separator and a company or title opens the signature."""
    split = split_signature(text)
    assert split.status == "present"
    assert split.signature.splitlines()[0].split()[0] in ("Julie", "Marc")
    assert "Bonjour" in split.body


@pytest.mark.parametrize("text", UNSIGNED)
def test_signature_sentence_with_dash_is_not_a_name(text):
    """Body lines starting with capitalised words and a dash stay in the body."""
    assert split_signature(text).status == "absent"
