"""The export core: rows of approved scorecards, per-dealer summary, score bins."""

from __future__ import annotations

from test_web_support import CAMPAIGN, CASE

pytest_plugins = ["test_web_support"]


def test_export_rows_only_approved_unless_all(db, scorecard):
    """Only approved scorecards are exported by default, with French option labels."""
    from replyaudit.export import export_rows
    from replyaudit.review import approve
    from replyaudit.store import Store

    with Store(db) as store:
        assert export_rows(store, scorecard) == []
        approve(store, CAMPAIGN, CASE, "ana")
        rows = export_rows(store, scorecard)
        assert len(export_rows(store, scorecard, include_all=True)) == 24
    assert [r.inquiry_id for r in rows] == [CASE]
    assert rows[0].approved_by == "ana"
    assert set(rows[0].values) == set(scorecard.keys)
    assert sum(rows[0].points.values()) == rows[0].total


def test_export_unknown_campaign_names_the_known_ones(db, scorecard):
    """Asking for a campaign the store lacks says which ones exist."""
    import pytest

    from replyaudit.export import ExportError, export_rows
    from replyaudit.store import Store

    with Store(db) as store, pytest.raises(ExportError, match=CAMPAIGN):
        export_rows(store, scorecard, "nope")


def test_export_score_bins_cover_every_total(db, scorecard):
    """Score bins count every exported scorecard exactly once."""
    from replyaudit.export import dealer_summary, export_rows, score_distribution
    from replyaudit.store import Store

    with Store(db) as store:
        rows = export_rows(store, scorecard, include_all=True)
    assert sum(
        count for _, count in score_distribution(rows, scorecard.max_points)
    ) == len(rows)
    assert sum(item.inquiries for item in dealer_summary(rows)) == len(rows)
