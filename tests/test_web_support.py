"""Shared fixtures of the review page tests: a replayed corpus database and settings."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import CORPUS, FIXTURES, RULES

CAMPAIGN = "corpus:corpus"
CASE = "c01-montverac-prix-nx"
WEB_FIXTURES = FIXTURES / "web"


@pytest.fixture(scope="session")
def replayed_db(tmp_path_factory) -> Path:
    """The bundled corpus replayed once per session; tests work on copies."""
    from replyaudit.replay import replay
    from replyaudit.store import Store

    path = tmp_path_factory.mktemp("web-corpus") / "corpus.sqlite3"
    with Store(path) as store:
        replay(CORPUS, store, RULES)
    return path


@pytest.fixture
def db(replayed_db, tmp_path) -> Path:
    target = tmp_path / "review.sqlite3"
    shutil.copyfile(replayed_db, target)
    return target


def make_settings(db: Path, tmp_path: Path, **review):
    from replyaudit.config import Settings

    settings = Settings()
    settings.rules_dir = RULES
    settings.storage.data_dir = tmp_path / "data"
    settings.storage.database = db
    for key, value in review.items():
        setattr(settings.review, key, value)
    return settings


@pytest.fixture
def settings(db, tmp_path):
    return make_settings(db, tmp_path)


@pytest.fixture
def client(settings):
    from replyaudit.web.app import create_app

    app = create_app(settings)
    return app.test_client()


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def post_form(client, page: str, action: str, data: dict, follow: bool = True):
    """Post a form the way a browser would: with the token of the page it sits on."""
    token = csrf_token(client.get(page).get_data(as_text=True))
    return client.post(
        action, data={"csrf_token": token, **data}, follow_redirects=follow
    )


def ingest_fixture(db: Path, name: str) -> str:
    """Add one .eml of fixtures/web to the corpus campaign and analyse the campaign again."""
    from replyaudit.pipeline import ingest, reanalyse
    from replyaudit.store import Store

    with Store(db) as store:
        ingested = ingest(
            store,
            (WEB_FIXTURES / name).read_bytes(),
            campaign=CAMPAIGN,
            origin="file",
            location=name,
        )
        reanalyse(store, CAMPAIGN, RULES)
    return ingested.sha256


def case_url(inquiry_id: str = CASE) -> str:
    return f"/cas/{CAMPAIGN}/{inquiry_id}"


def test_web_support_token_found_in_a_form():
    """The helper finds the hidden CSRF field of a form."""
    assert (
        csrf_token('<input type="hidden" name="csrf_token" value="abc.def">')
        == "abc.def"
    )
