"""The campaigns a store holds: what each one counts, and removing one of them whole."""

from __future__ import annotations

from dataclasses import dataclass, field

from replyaudit.errors import UsageError
from replyaudit.store import Store

# Every table with rows of one campaign, and its column naming the campaign. Raw and
# parsed messages are kept (another campaign may share them), and so is the audit trail.
CAMPAIGN_TABLES = (
    ("answers", "campaign"),
    ("cases", "campaign"),
    ("matches", "campaign"),
    ("inquiries", "campaign"),
    ("message_sources", "campaign"),
    ("campaigns", "name"),
)
STATUSES = ("waiting", "to_review", "approved")


@dataclass
class CampaignSummary:
    """One campaign of the store: its inquiries, its cases by status and its messages."""

    name: str
    inquiries: int = 0
    cases: dict[str, int] = field(default_factory=dict)
    messages: int = 0


def campaign_names(store: Store) -> list[str]:
    """Every campaign with a row in any of its tables, sorted."""
    union = " UNION ".join(
        f"SELECT {column} AS name FROM {table}" for table, column in CAMPAIGN_TABLES
    )
    rows = store.db.execute(f"SELECT name FROM ({union}) ORDER BY name").fetchall()
    return [row["name"] for row in rows]


def campaign_summaries(store: Store) -> list[CampaignSummary]:
    """A summary of each campaign the store holds."""
    summaries = []
    for name in campaign_names(store):
        summary = CampaignSummary(name)
        summary.inquiries = _count(store, "inquiries", name)
        summary.messages = int(
            store.db.execute(
                "SELECT COUNT(DISTINCT sha256) FROM message_sources WHERE campaign = ?",
                (name,),
            ).fetchone()[0]
        )
        for row in store.db.execute(
            "SELECT status, COUNT(*) AS n FROM cases WHERE campaign = ? GROUP BY status",
            (name,),
        ):
            summary.cases[row["status"]] = int(row["n"])
        summaries.append(summary)
    return summaries


def remove_campaign(store: Store, name: str, *, force: bool = False) -> dict[str, int]:
    """Delete every row of one campaign in one transaction; rows deleted per table.

    Refuses (UsageError) a name the store does not hold, and a campaign with approved
    cases unless `force`.
    """
    known = campaign_names(store)
    if name not in known:
        raise UsageError(
            f"campaign {name!r}: expected one of the campaigns in {store.path} "
            f"({', '.join(known) or 'none'}), found no such campaign. "
            "Fix: give a name as `replyaudit campaigns list` prints it"
        )
    with store.transaction() as db:
        approved = int(
            db.execute(
                "SELECT COUNT(*) FROM cases WHERE campaign = ? AND status = 'approved'",
                (name,),
            ).fetchone()[0]
        )
        if approved and not force:
            raise UsageError(
                f"campaign {name!r}: expected a campaign without approved results, found "
                f"{approved} approved case(s), whose reviewed answers would be lost. "
                "Fix: export them first (replyaudit export), then add --force"
            )
        return {
            table: db.execute(
                f"DELETE FROM {table} WHERE {column} = ?", (name,)
            ).rowcount
            for table, column in CAMPAIGN_TABLES
        }


def _count(store: Store, table: str, name: str) -> int:
    return int(
        store.db.execute(
            f"SELECT COUNT(*) FROM {table} WHERE campaign = ?", (name,)
        ).fetchone()[0]
    )
