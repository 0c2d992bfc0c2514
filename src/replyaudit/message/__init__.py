"""Message understanding: parse, split, classify and match one received message."""

from replyaudit.message.classify import classify_message
from replyaudit.message.inspect import inspect_message
from replyaudit.message.match import match_message
from replyaudit.message.parse import parse_message

__all__ = ["classify_message", "inspect_message", "match_message", "parse_message"]
