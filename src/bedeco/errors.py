"""Domain errors raised by services; the web layer maps them to HTTP in one place."""

from __future__ import annotations

from collections.abc import Mapping


class DomainError(Exception):
    """Base of every error a user can cause; carries an HTTP status, a code and a field.

    ``message`` may be a template marked with ``N_`` and filled from ``values``:
    the API answers the English text, a page shows the template translated into the
    reader's language (``bedeco.i18n.error_text``) and then filled.
    """

    status_code = 400
    code = "bad_request"

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        values: Mapping[str, object] | None = None,
    ) -> None:
        self.template = message
        self.values = dict(values or {})
        self.message = message.format(**self.values) if self.values else message
        super().__init__(self.message)
        self.field = field


class NotFound(DomainError):
    """No such record, or one the principal may not see (the two are not told apart)."""

    status_code = 404
    code = "not_found"


class NotAuthenticated(DomainError):
    """The action needs a signed-in principal."""

    status_code = 401
    code = "not_authenticated"


class NotPermitted(DomainError):
    """The principal may see the record but lacks the role to do this."""

    status_code = 403
    code = "forbidden"


class InvalidInput(DomainError):
    """A value is wrong; ``field`` names it."""

    status_code = 422
    code = "invalid"


class Conflict(DomainError):
    """The change clashes with the stored state (duplicate, state machine, version)."""

    status_code = 409
    code = "conflict"


class IllegalTransition(Conflict):
    """A status change the workflow does not allow."""

    code = "illegal_transition"


class StaleVersion(Conflict):
    """The record changed since the editor loaded it."""

    code = "stale_version"


class ClassificationAboveDeployment(InvalidInput):
    """A record marked above the highest level this deployment may hold."""

    code = "classification_above_deployment"


class TooManyAttempts(DomainError):
    """Login attempts exceeded the limit; ``retry_after`` seconds to wait."""

    status_code = 429
    code = "too_many_attempts"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
