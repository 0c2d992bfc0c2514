"""Message understanding: parse, split, classify and match one received message."""

from replyaudit.message.parse import parse_message

__all__ = ["parse_message"]
