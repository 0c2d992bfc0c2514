"""Settings: one pydantic model holds every default; a TOML file overrides them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from replyaudit.errors import ConfigError
from replyaudit.validation import problems_from_validation, read_toml

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CONFIG_ENV = "REPLYAUDIT_CONFIG"
DATA_ENV = "REPLYAUDIT_DATA_DIR"


def default_rules_dir() -> Path:
    """The rules/ folder of a source checkout, else the copy installed with the package."""
    checkout = PROJECT_ROOT / "rules"
    if (checkout / "scorecard.toml").is_file():
        return checkout
    return Path(__file__).resolve().parent / "defaults" / "rules"


def default_data_dir() -> Path:
    if os.environ.get(DATA_ENV):
        return Path(os.environ[DATA_ENV]).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "replyaudit"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class StorageSettings(_Section):
    data_dir: Path = Field(default_factory=default_data_dir)
    database: Path | None = None  # default: data_dir / "replyaudit.sqlite3"

    @property
    def database_path(self) -> Path:
        return (self.database or self.data_dir / "replyaudit.sqlite3").expanduser()


class MailboxSettings(_Section):
    host: str = ""
    port: int | None = Field(default=None, ge=1, le=65535)
    security: Literal["imaps", "starttls", "plain"] = "imaps"
    allow_insecure: bool = False
    ca_file: Path | None = None
    username: str = ""
    auth: Literal["password", "oauth2"] = "password"
    password_env: str = "REPLYAUDIT_IMAP_PASSWORD"
    password_command: str = ""
    oauth2_token_command: str = ""
    folders: list[str] = Field(default_factory=lambda: ["INBOX"], min_length=1)
    sent_folder: str = ""
    batch_size: int = Field(default=200, ge=1, le=5000)
    timeout_seconds: float = Field(default=30.0, gt=0)

    @model_validator(mode="after")
    def _plain_needs_consent(self) -> MailboxSettings:
        if self.security == "plain" and not self.allow_insecure:
            raise ValueError(
                'security = "imaps" or "starttls"; found "plain" without allow_insecure = true; '
                "fix: use TLS, or set allow_insecure = true for a local test server only"
            )
        return self

    @model_validator(mode="after")
    def _sent_apart(self) -> MailboxSettings:
        if self.sent_folder and self.sent_folder in self.folders:
            raise ValueError(
                f"a sent_folder that is not also in folders; found {self.sent_folder!r} in both; "
                "fix: list the replies' folders in folders and the shopper's Sent folder in sent_folder only"
            )
        return self

    @property
    def effective_port(self) -> int:
        return self.port or (993 if self.security == "imaps" else 143)


class ScanSettings(_Section):
    lock_file: Path | None = None  # default: data_dir / "scan.lock"
    poll_seconds: int = Field(default=300, ge=10)
    idle_renew_minutes: int = Field(default=25, ge=1, le=28)


class TimingSettings(_Section):
    policy: Literal["open-hours", "calendar"] = "open-hours"
    working_windows: int = Field(default=2, ge=1)


class ReviewSettings(_Section):
    host: str = "127.0.0.1"
    port: int = Field(default=8765, ge=1, le=65535)
    require_login: bool = False
    secret_key_file: Path | None = None  # default: data_dir / "review-secret.key"

    @field_validator("host")
    @classmethod
    def _host(cls, value: str) -> str:
        if not value.strip():
            raise ValueError(
                'an address to listen on such as "127.0.0.1"; found a blank one (it would '
                "listen on every interface); fix: write the address, or remove the key"
            )
        return value.strip()


class Settings(_Section):
    """Every setting of replyaudit with its default; config.example.toml documents each one."""

    campaign: Path | None = None
    rules_dir: Path = Field(default_factory=default_rules_dir)
    storage: StorageSettings = Field(default_factory=StorageSettings)
    mailbox: MailboxSettings = Field(default_factory=MailboxSettings)
    scan: ScanSettings = Field(default_factory=ScanSettings)
    timing: TimingSettings = Field(default_factory=TimingSettings)
    review: ReviewSettings = Field(default_factory=ReviewSettings)

    @field_validator("rules_dir", "campaign")
    @classmethod
    def _expand(cls, value: Path | None) -> Path | None:
        return value.expanduser() if value is not None else None


def _resolve_relative(settings: Settings, base: Path) -> Settings:
    """Paths in a config file are relative to that file's folder."""

    def fix(path: Path | None) -> Path | None:
        if path is None or path.is_absolute():
            return path
        return (base / path).resolve()

    settings.campaign = fix(settings.campaign)
    settings.rules_dir = fix(settings.rules_dir) or settings.rules_dir
    settings.storage.data_dir = (
        fix(settings.storage.data_dir) or settings.storage.data_dir
    )
    settings.storage.database = fix(settings.storage.database)
    settings.mailbox.ca_file = fix(settings.mailbox.ca_file)
    settings.scan.lock_file = fix(settings.scan.lock_file)
    settings.review.secret_key_file = fix(settings.review.secret_key_file)
    return settings


def load_settings(path: Path | None = None) -> Settings:
    """Settings from `path`, else $REPLYAUDIT_CONFIG, else the embedded defaults."""
    if path is None and os.environ.get(CONFIG_ENV):
        path = Path(os.environ[CONFIG_ENV])
    if path is None:
        return Settings()
    data = read_toml(path, "settings")
    try:
        settings = Settings.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(
            str(path), problems_from_validation(exc, data, str(path))
        ) from None
    return _resolve_relative(settings, path.resolve().parent)


def scan_readiness(settings: Settings) -> list[str]:
    """What `scan` would refuse, said before it runs (the settings are otherwise valid)."""
    mailbox = settings.mailbox
    notes = []
    if settings.campaign is None:
        notes.append(
            "campaign is not set: scan needs the live campaign file (brand, dealers, [[inquiries]])"
        )
    if not mailbox.host:
        notes.append("[mailbox] host is empty: scan needs the IMAP server's name")
    if not mailbox.username:
        notes.append("[mailbox] username is empty: scan needs the mailbox login")
    if mailbox.auth == "oauth2" and not mailbox.oauth2_token_command:
        notes.append(
            '[mailbox] auth = "oauth2" needs oauth2_token_command (a command printing a fresh token)'
        )
    if (
        mailbox.auth == "password"
        and not mailbox.password_command
        and not os.environ.get(mailbox.password_env)
    ):
        notes.append(
            f"the environment variable {mailbox.password_env} ([mailbox] password_env) is not set here, "
            "and no password_command is given"
        )
    if mailbox.ca_file is not None and not mailbox.ca_file.is_file():
        notes.append(f"[mailbox] ca_file {mailbox.ca_file} does not exist")
    return notes
