"""Keeps raw messages first, then parses them: the store's door for replay and scan."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from replyaudit.errors import MessageError
from replyaudit.message import parse_message
from replyaudit.models import ParsedMessage
from replyaudit.store import Store

log = logging.getLogger(__name__)


@dataclass
class Ingested:
    sha256: str
    new: bool
    parsed: ParsedMessage | None
    error: str | None = None


def ingest(
    store: Store,
    raw: bytes,
    *,
    campaign: str,
    origin: str,
    location: str,
    uidvalidity: int | None = None,
    uid: int | None = None,
    internaldate: datetime | None = None,
) -> Ingested:
    """Keep the raw bytes first, then parse them; a parse failure is recorded, never fatal."""
    digest, new = store.put_raw(raw)
    store.add_source(
        digest,
        campaign=campaign,
        origin=origin,
        location=location,
        uidvalidity=uidvalidity,
        uid=uid,
        internaldate=internaldate,
    )
    existing = store.get_parsed(digest)
    if existing is not None and existing["parsed"] and not new:
        return Ingested(
            digest, new, ParsedMessage.model_validate_json(existing["parsed"])
        )
    try:
        parsed = parse_message(raw, source=location, internaldate=internaldate)
    except MessageError as exc:
        store.put_parsed(digest, None, str(exc))
        store.add_reject(digest, location, str(exc))
        log.warning("rejected message %s from %s: %s", digest[:12], location, exc)
        return Ingested(digest, new, None, str(exc))
    store.put_parsed(digest, parsed.model_dump_json(), None)
    log.info(
        "kept message %s from %s: %s, %d bytes, arrival %s (%s)",
        digest[:12],
        location,
        "new" if new else "known",
        len(raw),
        parsed.arrival.isoformat() if parsed.arrival else "unknown",
        parsed.arrival_source,
    )
    return Ingested(digest, new, parsed)


def load_parsed(store: Store, digest: str) -> ParsedMessage | None:
    row = store.get_parsed(digest)
    if row is None or not row["parsed"]:
        return None
    return ParsedMessage.model_validate_json(row["parsed"])
