"""Settings from ``BEDECO_*`` environment variables (pydantic-settings).

Settings are read when asked for (``get_settings()``), never at import time,
so tests and commands can set the environment first.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path
from typing import Annotated

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from pydantic_settings import SettingsError as SourceError

from bedeco.security.logic import Classification

SUPPORTED_LANGUAGES = ("nl", "fr", "de", "en")


def default_var_dir() -> Path:
    """``var/`` beside the working directory: where the database and secrets live."""
    return Path(os.environ.get("BEDECO_VAR_DIR", "var")).resolve()


class Settings(BaseSettings):
    """Everything a deployment may configure; each field is a ``BEDECO_<NAME>`` variable."""

    model_config = SettingsConfigDict(env_prefix="BEDECO_", extra="ignore")

    var_dir: Path = Field(default_factory=default_var_dir)
    database_url: str = ""
    secret_key: str = ""
    max_classification: Classification = Classification.RESTRICTED
    languages: Annotated[tuple[str, ...], NoDecode] = SUPPORTED_LANGUAGES
    default_language: str = "en"
    login_attempts_per_minute: int = Field(default=5, ge=1, le=1000)
    session_max_age_seconds: int = Field(default=8 * 3600, ge=60)
    planning_worker: bool = True

    @field_validator("max_classification", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("languages", mode="before")
    @classmethod
    def _split_languages(cls, value: object) -> object:
        if isinstance(value, str):
            value = tuple(part.strip() for part in value.split(",") if part.strip())
        if isinstance(value, (tuple, list)):
            unknown = [lang for lang in value if lang not in SUPPORTED_LANGUAGES]
            if unknown or not value:
                raise ValueError(
                    "must be a comma-separated subset of " + ",".join(SUPPORTED_LANGUAGES)
                )
        return value

    @field_validator("default_language")
    @classmethod
    def _known_language(cls, value: str) -> str:
        if value not in SUPPORTED_LANGUAGES:
            raise ValueError("must be one of " + ",".join(SUPPORTED_LANGUAGES))
        return value

    def resolved_database_url(self) -> str:
        """The configured URL, or an SQLite file under ``var/``."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.var_dir / 'bedeco.sqlite3'}"

    def resolved_secret_key(self) -> str:
        """The configured key, or one generated once and kept in ``var/secret_key`` (0600)."""
        if self.secret_key:
            return self.secret_key
        path = self.var_dir / "secret_key"
        if path.exists():
            return path.read_text().strip()
        self.var_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(key)
        return key


class SettingsError(Exception):
    """A setting has a wrong value: the message names the variable and what is allowed."""


def load_settings() -> Settings:
    """Read the settings, turning pydantic's report into one line per wrong variable."""
    try:
        return Settings()
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "?"
            message = error["msg"]
            if field == "max_classification":
                message = "must be one of " + ", ".join(c.value for c in Classification)
            lines.append(f"BEDECO_{field.upper()}: {message.removeprefix('Value error, ')}")
        raise SettingsError("; ".join(lines)) from None
    except SourceError as exc:
        field = str(exc).split('"')[1] if '"' in str(exc) else "?"
        raise SettingsError(f"BEDECO_{field.upper()}: cannot be read ({exc})") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (cached; tests clear the cache after changing the environment)."""
    return load_settings()
