"""Settings: defaults, the generated secret, and one clear line for a wrong value."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from bedeco.config import Settings, SettingsError, load_settings
from bedeco.security.logic import Classification


def test_defaults_use_sqlite_under_var_and_restricted(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BEDECO_VAR_DIR", str(tmp_path))
    settings = load_settings()
    assert settings.resolved_database_url() == f"sqlite:///{tmp_path}/bedeco.sqlite3"
    assert settings.max_classification is Classification.RESTRICTED
    assert settings.languages == ("nl", "fr", "de", "en")


def test_secret_key_is_generated_once_and_kept_private(tmp_path: Path) -> None:
    settings = Settings(var_dir=tmp_path)
    first = settings.resolved_secret_key()
    assert Settings(var_dir=tmp_path).resolved_secret_key() == first
    mode = stat.S_IMODE((tmp_path / "secret_key").stat().st_mode)
    assert mode == 0o600 and len(first) >= 40


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("BEDECO_MAX_CLASSIFICATION", "TOP", "BEDECO_MAX_CLASSIFICATION: must be one of PUBLIC"),
        ("BEDECO_LANGUAGES", "nl,xx", "BEDECO_LANGUAGES: must be a comma-separated subset"),
        ("BEDECO_DEFAULT_LANGUAGE", "es", "BEDECO_DEFAULT_LANGUAGE: must be one of nl,fr,de,en"),
        ("BEDECO_LOGIN_ATTEMPTS_PER_MINUTE", "0", "BEDECO_LOGIN_ATTEMPTS_PER_MINUTE:"),
    ],
)
def test_wrong_value_names_the_variable_and_what_is_allowed(
    monkeypatch,
    variable: str,
    value: str,
    expected: str,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingsError) as error:
        load_settings()
    message = str(error.value)
    assert message.startswith(expected) and "\n" not in message


def test_lowercase_classification_is_accepted(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("BEDECO_MAX_CLASSIFICATION", "confidential")
    assert load_settings().max_classification is Classification.CONFIDENTIAL
