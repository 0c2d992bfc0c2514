"""The typed records that flow through the pipeline: parsed messages, matches, timings, answers."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

AnswerValue = str | list[str]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Attachment(_Record):
    filename: str | None
    content_type: str
    size: int
    inline: bool = False


class ParsedMessage(_Record):
    """One raw message as understood: decoded headers, arrival time, and its text split in parts.

    `body` is the author's own new text without its signature, `signature` the signature
    block, `quoted` the quoted history (never credited to the author). Character spans in
    evidence refer to `body` or `signature`.
    """

    sha256: str
    source: str = ""
    message_id: str | None = None
    in_reply_to: list[str] = Field(default_factory=list)
    references: list[str] = Field(default_factory=list)
    from_name: str = ""
    from_addr: str = ""
    sender_addr: str = ""
    reply_to: list[str] = Field(default_factory=list)
    to: list[str] = Field(default_factory=list)
    cc: list[str] = Field(default_factory=list)
    delivered_to: list[str] = Field(default_factory=list)
    subject: str = ""
    date: datetime | None = None
    arrival: datetime | None = None
    arrival_source: Literal["internaldate", "received", "date", "none"] = "none"
    headers: dict[str, str] = Field(default_factory=dict)
    content_type: str = "text/plain"
    text_source: Literal["plain", "html", "none"] = "none"
    text: str = ""
    html: str | None = None
    body: str = ""
    signature: str = ""
    signature_status: Literal["present", "absent", "image_only"] = "absent"
    quoted: str = ""
    attachments: list[Attachment] = Field(default_factory=list)
    inline_images: int = 0
    defects: list[str] = Field(default_factory=list)

    @property
    def new_text(self) -> str:
        """The author's own text: body then signature."""
        return f"{self.body}\n{self.signature}".strip() if self.signature else self.body


class Kind(StrEnum):
    """What a received message is, for the scorecard."""

    INQUIRY = "inquiry"
    PERSONALISED = "personalised"
    AUTO_ACK = "auto_ack"
    OUT_OF_OFFICE = "out_of_office"
    BOUNCE = "bounce"
    OTHER = "other"


class Classification(_Record):
    kind: Kind
    reasons: list[str] = Field(default_factory=list)
    confidence: float = 1.0


MatchBasis = Literal["thread", "address", "domain_subject", "manual", "corpus", "none"]


class MatchResult(_Record):
    """Which inquiry a received message belongs to, on what basis, how sure."""

    inquiry_id: str | None
    basis: MatchBasis
    confidence: float
    reasons: list[str] = Field(default_factory=list)
    candidates: list[tuple[str, float]] = Field(default_factory=list)


Bucket = Literal[
    "within_2h",
    "within_1_working_day",
    "within_2_working_days",
    "none_within_2_working_days",
]
Policy = Literal["open-hours", "calendar"]


class Interval(_Record):
    """A stretch of time the clock counted, in the dealer's local time."""

    start: datetime
    end: datetime
    minutes: float


class Timing(_Record):
    """A delay measured in a dealer's opening hours, with how it was counted."""

    start: datetime
    end: datetime
    open_minutes: float
    working_day_minutes: int
    bucket: Bucket | None
    policy: Policy
    intervals: list[Interval] = Field(default_factory=list)
    flags: list[str] = Field(default_factory=list)
    explanation: str = ""


class Evidence(_Record):
    """Where an answer comes from: a message, the part, the quoted sentence and its span."""

    message: str
    role: Literal["inquiry", "initial", "follow_up", "other"] = "initial"
    part: Literal["body", "signature", "headers", "timing", "attachments"] = "body"
    sentence: str
    start: int = 0
    end: int = 0


class Answer(_Record):
    """One pre-filled answer of the scorecard, with its evidence and how sure the tool is."""

    key: str
    value: AnswerValue
    points: int
    evidence: list[Evidence] = Field(default_factory=list)
    rule: str
    confidence: float
    needs_review: bool = False
    note: str = ""


class CaseMessage(_Record):
    """One message of a case as the pipeline saw it."""

    sha256: str
    source: str
    from_addr: str
    subject: str
    arrival: datetime | None
    classification: Classification
    match: MatchResult | None
    role: Literal["inquiry", "initial", "follow_up", "other"]


CaseStatus = Literal["waiting", "to_review", "approved"]


class CaseResult(_Record):
    """The pre-filled scorecard of one inquiry and everything it was computed from."""

    inquiry_id: str
    dealer_id: str
    status: CaseStatus
    messages: list[CaseMessage]
    response_timing: Timing | None = None
    follow_up_timing: Timing | None = None
    answers: dict[str, Answer]
    total: int
    flags: list[str] = Field(default_factory=list)
    analysed_at: datetime
