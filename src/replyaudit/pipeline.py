"""The one analysis path shared by replay and scan: keep, parse, match, time, check, pre-fill."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from replyaudit.campaign import Campaign, Dealer, Inquiry
from replyaudit.checks import RuleSet, prepare_docs, run_checks
from replyaudit.clock import DealerClock
from replyaudit.context import CaseContext
from replyaudit.doubts import mark_doubts
from replyaudit.errors import ClockError, StoreError
from replyaudit.ingest import Ingested, ingest, load_parsed
from replyaudit.message import classify_message, match_message
from replyaudit.message.cues import Cues, load_cues
from replyaudit.models import (
    Answer,
    CaseMessage,
    CaseResult,
    CaseStatus,
    Classification,
    Kind,
    MatchResult,
    ParsedMessage,
)
from replyaudit.scorecard import Scorecard
from replyaudit.store import Store, now_text, utcnow
from replyaudit.timing import (
    UNDETERMINED,
    answer_timing,
    arrival_key,
    resolve_sent,
    timing_answer,
)
from replyaudit.triage import (
    concerned_inquiries,
    set_aside_implausible,
    without_duplicates,
)

log = logging.getLogger(__name__)


__all__ = [
    "AnalysisSummary",
    "Analyzer",
    "Ingested",
    "ingest",
    "load_parsed",
    "reanalyse",
]


@dataclass
class AnalysisSummary:
    results: list[CaseResult] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)


def _shoppers(campaign: Campaign) -> dict[str, Inquiry]:
    return {inquiry.shopper: inquiry for inquiry in campaign.inquiries}


@dataclass
class Analyzer:
    """Runs the analysis of one campaign over what the store holds."""

    store: Store
    campaign_name: str
    campaign: Campaign
    scorecard: Scorecard
    rules: RuleSet | None = None
    # The classifier's cues, from the same rules folder as `rules` (shipped ones if None).
    cues: Cues | None = None
    policy: str = "open-hours"
    working_windows: int = 2
    now: datetime = field(default_factory=utcnow)
    # A saved corpus: every window is closed, nothing is still waiting.
    complete: bool = False
    # A saved corpus files each message in its case's folder: that filing is the match,
    # and the matcher's own opinion is kept beside it for calibration.
    filed: dict[str, str] = field(default_factory=dict)
    matcher_disagreements: list[str] = field(default_factory=list)
    _clocks: dict[str, DealerClock] = field(default_factory=dict)

    def clock(self, dealer: Dealer) -> DealerClock:
        if dealer.id not in self._clocks:
            self._clocks[dealer.id] = DealerClock(dealer, policy=self.policy)  # type: ignore[arg-type]
        return self._clocks[dealer.id]

    def register_inquiries(self) -> None:
        self.store.put_campaign(self.campaign_name, self.campaign.model_dump_json())
        for inquiry in self.campaign.inquiries:
            self.store.put_inquiry(
                self.campaign_name,
                inquiry.id,
                inquiry.dealer,
                inquiry.model_dump_json(),
            )

    def run(self, only: set[str] | None = None) -> AnalysisSummary:
        """Match every message of the campaign, then pre-fill every inquiry's scorecard."""
        self.register_inquiries()
        shoppers = _shoppers(self.campaign)
        messages: dict[str, ParsedMessage] = {}
        for digest in self.store.campaign_messages(self.campaign_name):
            parsed = load_parsed(self.store, digest)
            if parsed is not None:
                messages[digest] = parsed
        messages, duplicate_of = without_duplicates(messages)

        sent: dict[str, ParsedMessage | None] = {
            inquiry.id: None for inquiry in self.campaign.inquiries
        }
        for message in sorted(messages.values(), key=arrival_key):
            inquiry = shoppers.get(message.from_addr)
            if inquiry is not None and sent[inquiry.id] is None:
                sent[inquiry.id] = message

        by_inquiry: dict[
            str, list[tuple[ParsedMessage, Classification, MatchResult]]
        ] = {inquiry.id: [] for inquiry in self.campaign.inquiries}
        summary = AnalysisSummary()
        unmatched_for: set[str] = set()  # cases an unmatched message may belong to
        inquiries = {inquiry.id: inquiry for inquiry in self.campaign.inquiries}
        for digest, message in messages.items():
            if message.from_addr in shoppers:
                continue
            match = self._match(digest, message, sent)
            if match.inquiry_id is None and match.basis == "manual":
                continue  # an analyst marked it irrelevant: neither a case's nor unmatched
            if match.inquiry_id is None or match.inquiry_id not in by_inquiry:
                summary.unmatched.append(digest)
                unmatched_for.update(concerned_inquiries(self.campaign, message, match))
                continue
            classification = classify_message(
                message, self.campaign, inquiries[match.inquiry_id], self.cues
            )
            by_inquiry[match.inquiry_id].append((message, classification, match))

        copies: dict[str, list[ParsedMessage]] = {}
        for inquiry_id, items in by_inquiry.items():
            kept = {m.sha256 for m, _, _ in items}
            copies[inquiry_id] = [
                d for d, original in duplicate_of.values() if original in kept
            ]

        # Hook for speed (checks.prepare_docs): spaCy reads every personalised reply
        # of the run in one batch; run_checks takes these Docs instead of one per case.
        prepare_docs(
            m
            for inquiry_id, items in by_inquiry.items()
            if only is None or inquiry_id in only
            for m, c, _ in items
            if c.kind == Kind.PERSONALISED
        )
        for inquiry in self.campaign.inquiries:
            if only is not None and inquiry.id not in only:
                continue
            result = self.analyse_case(
                inquiry,
                sent[inquiry.id],
                by_inquiry[inquiry.id],
                inquiry.id in unmatched_for,
                copies[inquiry.id],
            )
            summary.results.append(result)
        return summary

    def _match(
        self, digest: str, message: ParsedMessage, sent: dict[str, ParsedMessage | None]
    ) -> MatchResult:
        row = self.store.get_match(self.campaign_name, digest)
        if row is not None and row["manual"]:
            if row["irrelevant"]:
                return MatchResult(
                    inquiry_id=None,
                    basis="manual",
                    confidence=1.0,
                    reasons=["marked irrelevant"],
                )
            return MatchResult.model_validate_json(row["detail"])
        match = match_message(message, self.campaign, sent)
        folder_case = self.filed.get(digest)
        if folder_case is not None:
            opinion = f"the matcher alone says {match.inquiry_id or 'unmatched'} ({match.basis})"
            if match.inquiry_id != folder_case:
                self.matcher_disagreements.append(
                    f"{message.source or digest[:12]}: filed in {folder_case}, {opinion}"
                )
            match = MatchResult(
                inquiry_id=folder_case,
                basis="corpus",
                confidence=1.0,
                reasons=["filed in the case's folder of the corpus", opinion],
                candidates=[(match.inquiry_id, match.confidence)]
                if match.inquiry_id
                else [],
            )
        self.store.put_match(
            self.campaign_name,
            digest,
            match.inquiry_id,
            match.basis,
            match.confidence,
            match.model_dump_json(),
        )
        return match

    def analyse_case(
        self,
        inquiry: Inquiry,
        sent_message: ParsedMessage | None,
        received: list[tuple[ParsedMessage, Classification, MatchResult]],
        campaign_has_unmatched: bool = False,
        copies: list[ParsedMessage] | None = None,
    ) -> CaseResult:
        dealer = self.campaign.dealer(inquiry.dealer)
        clock = self.clock(dealer)
        sent_at, sent_basis = resolve_sent(inquiry, sent_message)
        received = sorted(received, key=lambda item: arrival_key(item[0]))
        flags: list[str] = []
        received, implausible = set_aside_implausible(received, sent_at)
        if implausible:
            flags.append("implausible_date")
        replies = [m for m, c, _ in received if c.kind == Kind.PERSONALISED]
        others = [m for m, c, _ in received if c.kind != Kind.PERSONALISED]
        others += [m for m, _, _ in implausible]

        try:
            q1, q8, response, follow, waiting = answer_timing(
                self.scorecard, clock, sent_at, replies, self.now, self.working_windows
            )
            waiting = waiting and not self.complete
        except ClockError as exc:
            log.warning("case %s: clock error: %s", inquiry.id, exc)
            flags.append("clock_error")
            q1 = timing_answer(
                "response_time",
                UNDETERMINED,
                self.scorecard,
                None,
                None,
                "q1.clock_error",
                str(exc),
                0.0,
            )
            q8 = timing_answer(
                "follow_up",
                UNDETERMINED,
                self.scorecard,
                None,
                None,
                "q8.clock_error",
                str(exc),
                0.0,
            )
            response = follow = None
            waiting = False

        ctx = CaseContext(
            campaign=self.campaign,
            inquiry=inquiry,
            dealer=dealer,
            inquiry_message=sent_message,
            replies=replies,
            other_messages=others,
            response_timing=response,
            follow_up_timing=follow,
            now=self.now,
        )
        answers = {"response_time": q1, "follow_up": q8}
        try:
            answers.update(run_checks(ctx, self.scorecard, self.rules))
        except Exception as exc:
            # A defect in a check must not stop a scan or a replay: the case is kept, its
            # answers left for a person, and the traceback logged for the developers.
            log.exception("case %s: the checks failed on its messages", inquiry.id)
            flags.append("analysis_error")
            answers.update(
                self._unanswered(f"the checks failed: {type(exc).__name__}: {exc}")
            )
        answers = {key: answers[key] for key in self.scorecard.keys}

        answers, doubt_flags = mark_doubts(answers, received, [*replies, *others])
        flags += doubt_flags
        if any(a.rule.endswith("clock_skew") for a in answers.values()):
            flags.append("clock_skew")
        if sent_at is None:
            flags.append("no_sent_time")
        if any(a.rule.endswith("no_arrival_time") for a in answers.values()):
            flags.append("no_arrival_time")
        if any(a.needs_review for a in answers.values()):
            flags.append("low_confidence")
        if campaign_has_unmatched:
            flags.append("unmatched_mail")
        status: CaseStatus = "waiting" if waiting else "to_review"

        existing = self.store.get_case(self.campaign_name, inquiry.id)
        if (
            existing is not None
            and existing["status"] == "approved"
            and existing["approved_at"]
        ):
            approved_at = datetime.fromisoformat(existing["approved_at"])
            if any(self._first_seen(m.sha256) > approved_at for m, _, _ in received):
                flags.append("new_mail_after_approval")

        case_messages = []
        if sent_message is not None:
            case_messages.append(
                self._case_message(
                    sent_message,
                    Classification(
                        kind=Kind.INQUIRY,
                        reasons=[f"sent from the shopper address {inquiry.shopper}"],
                    ),
                    None,
                    "inquiry",
                )
            )
        first_personal = replies[0].sha256 if replies else None
        for message, classification, match in received:
            if message.sha256 == first_personal:
                role = "initial"
            elif classification.kind == Kind.PERSONALISED:
                role = "follow_up"
            else:
                role = "other"
            case_messages.append(
                self._case_message(message, classification, match, role)
            )
        for message, classification, match in implausible:
            reason = (
                "dated long before the inquiry was sent: its date is wrong, set aside"
            )
            aside = classification.model_copy(
                update={"reasons": [*classification.reasons, reason]}
            )
            case_messages.append(self._case_message(message, aside, match, "other"))
        for copy in copies or []:
            reason = f"a copy of the message {copy.message_id} already counted (same Message-ID)"
            case_messages.append(
                self._case_message(
                    copy,
                    Classification(kind=Kind.OTHER, reasons=[reason]),
                    None,
                    "other",
                )
            )
        if copies:
            flags.append("duplicate_message")

        total = sum(a.points for a in answers.values())
        result = CaseResult(
            inquiry_id=inquiry.id,
            dealer_id=dealer.id,
            status=status,
            messages=case_messages,
            response_timing=response,
            follow_up_timing=follow,
            answers=answers,
            total=total,
            flags=flags,
            analysed_at=self.now,
        )
        kept = self.store.save_case(
            self.campaign_name,
            inquiry.id,
            status=status,
            result_json=result.model_dump_json(),
            flags=flags,
            answers={
                k: (a.value, a.points, a.model_dump_json()) for k, a in answers.items()
            },
            analysed_at=now_text(),
        )
        log.info(
            "case %s dealer %s: %d message(s), %d personalised, total %d/%d, status %s, flags %s (sent time: %s)",
            inquiry.id,
            dealer.id,
            len(received),
            len(replies),
            total,
            self.scorecard.max_points,
            kept,
            ",".join(flags) or "-",
            sent_basis,
        )
        if kept == "approved":
            # An approved scorecard is the reviewer's: report it, not this fresh pre-fill.
            answers = self._stored_answers(inquiry.id, answers)
            return result.model_copy(
                update={
                    "status": kept,
                    "answers": answers,
                    "total": sum(a.points for a in answers.values()),
                }
            )
        return result.model_copy(update={"status": kept})

    def _unanswered(self, note: str) -> dict[str, Answer]:
        """Zero answers flagged for a person, for questions the checks could not answer."""
        return {
            q.key: Answer(
                key=q.key,
                value=q.zero_value(),
                points=0,
                rule="analysis_error",
                confidence=0.0,
                needs_review=True,
                note=note,
            )
            for q in self.scorecard.questions
            if q.key not in ("response_time", "follow_up")
        }

    def _stored_answers(
        self, inquiry_id: str, fresh: dict[str, Answer]
    ) -> dict[str, Answer]:
        rows = self.store.answers(self.campaign_name, inquiry_id)
        merged = dict(fresh)
        for key, row in rows.items():
            if key in merged:
                merged[key] = merged[key].model_copy(
                    update={
                        "value": json.loads(row["value"]),
                        "points": int(row["points"]),
                    }
                )
        return merged

    def _first_seen(self, digest: str) -> datetime:
        row = self.store.db.execute(
            "SELECT first_seen_at FROM raw_messages WHERE sha256 = ?", (digest,)
        ).fetchone()
        return datetime.fromisoformat(row["first_seen_at"])

    @staticmethod
    def _case_message(
        message: ParsedMessage,
        classification: Classification,
        match: MatchResult | None,
        role: str,
    ) -> CaseMessage:
        return CaseMessage(
            sha256=message.sha256,
            source=message.source,
            from_addr=message.from_addr,
            subject=message.subject,
            arrival=message.arrival,
            classification=classification,
            match=match,
            role=role,  # type: ignore[arg-type]
        )


def reanalyse(
    store: Store,
    campaign_name: str,
    rules_dir: Path,
    *,
    policy: str = "open-hours",
    working_windows: int = 2,
    now: datetime | None = None,
    complete: bool | None = None,
    only: set[str] | None = None,
) -> AnalysisSummary:
    """Analyse again a campaign the store knows (after a manual match, new rules...)."""
    from replyaudit.checks import load_rules
    from replyaudit.scorecard import load_scorecard

    data = store.get_campaign(campaign_name)
    if data is None:
        raise StoreError(
            f"{store.path}: expected a campaign named {campaign_name!r}, found {store.campaigns() or 'none'}. "
            "Fix: run replay or scan for it first"
        )
    campaign = Campaign.model_validate_json(data)
    if complete is None:
        complete = campaign_name.startswith("corpus:")
    analyzer = Analyzer(
        store,
        campaign_name,
        campaign,
        load_scorecard(rules_dir),
        load_rules(rules_dir),
        cues=load_cues(rules_dir),
        policy=policy,
        working_windows=working_windows,
        now=now or utcnow(),
        complete=complete,
    )
    return analyzer.run(only=only)
