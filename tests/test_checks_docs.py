"""Docs prepared for a run are handed out once, and parts beyond the budget still work."""

from replyaudit.checks import docs
from replyaudit.models import ParsedMessage


def _message(n, body, signature=""):
    return ParsedMessage(sha256=f"{n:064d}", body=body, signature=signature)


def test_prepare_docs_hands_each_doc_out_once_then_makes_it_again():
    """A prepared Doc is reused by docs_for, then dropped from the cache."""
    message = _message(1, "Je vous rappelle demain.", "Paul Martin")
    assert docs.prepare_docs([message]) == 2
    texts = docs.part_texts(message)
    first = docs.docs_for(texts)
    assert [d.text for d in first] == texts
    assert not docs._prepared
    again = docs.docs_for(texts)
    assert [d.text for d in again] == texts and again[0] is not first[0]


def test_prepare_docs_holds_no_more_than_its_budget(monkeypatch):
    """Parts past MAX_PREPARED_CHARS are left to docs_for, which still analyses them."""
    monkeypatch.setattr(docs, "MAX_PREPARED_CHARS", 30)
    messages = [_message(n, f"Bonjour, message numéro {n}.") for n in range(3)]
    docs.prepare_docs(messages)
    assert sum(len(t) for t in docs._prepared) <= 30
    texts = [t for m in messages for t in docs.part_texts(m)]
    assert [d.text for d in docs.docs_for(texts)] == texts
