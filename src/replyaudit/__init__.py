"""replyaudit: audits how car dealerships answer e-mail inquiries."""

__version__ = "0.1.0"
