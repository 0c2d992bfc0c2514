"""What the checks of one case can see: the campaign, the inquiry and the dealer's messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from replyaudit.campaign import Brand, Campaign, Dealer, Inquiry
from replyaudit.models import ParsedMessage, Timing


@dataclass(frozen=True)
class CaseContext:
    """The input of the checks for one inquiry.

    `replies` are the dealer's personalised messages in arrival order: replies[0] is the
    first personalised reply ("initial"), the rest are follow-up messages ("follow_up"),
    whatever their delay. Automatic acknowledgements, out-of-office notices and bounces
    are in `other_messages`, never in `replies`.
    """

    campaign: Campaign
    inquiry: Inquiry
    dealer: Dealer
    inquiry_message: ParsedMessage | None
    replies: list[ParsedMessage]
    other_messages: list[ParsedMessage] = field(default_factory=list)
    response_timing: Timing | None = None
    follow_up_timing: Timing | None = None
    now: datetime | None = None

    @property
    def brand(self) -> Brand:
        return self.campaign.brand

    @property
    def initial(self) -> ParsedMessage | None:
        return self.replies[0] if self.replies else None

    @property
    def follow_ups(self) -> list[ParsedMessage]:
        return self.replies[1:]

    def role_of(self, message: ParsedMessage) -> str:
        return (
            "initial"
            if self.replies and message.sha256 == self.replies[0].sha256
            else "follow_up"
        )
