"""The exceptions of lpconfig: one base, one class per error kind (design.md, "Errors").

Every exception carries what is known about the failure: ``status``, ``method``,
``url`` (never with secrets), ``attempts``, ``field``, ``code`` (``ERR_*``), the
server's ``internal_code`` and raw ``body`` when it sent one, and for a chunked
batch, ``batch`` (what was applied before the failing chunk).
"""

from __future__ import annotations

from typing import NamedTuple, Optional, Sequence, Tuple, Union

__all__ = [
    "AuthError",
    "BatchProgress",
    "ConfigError",
    "ConflictError",
    "DecodeError",
    "ForbiddenError",
    "InvalidError",
    "LpError",
    "NotFoundError",
    "RateLimitedError",
    "ServerError",
    "TransportError",
]


class BatchProgress(NamedTuple):
    """How far a chunked batch got: everything listed was applied, nothing else."""

    applied_chunks: int
    total_chunks: int
    applied_items: int
    applied_ids: Tuple[int, ...]


class LpError(Exception):
    """Base of every lpconfig error."""

    code = "ERR_UNKNOWN"

    def __init__(
        self,
        message: str,
        *,
        status: Optional[int] = None,
        method: Optional[str] = None,
        url: Optional[str] = None,
        attempts: int = 0,
        field: Optional[str] = None,
        code: Optional[str] = None,
        internal_code: Optional[int] = None,
        body: Optional[str] = None,
        server_message: Optional[str] = None,
        batch: Union[BatchProgress, Sequence[object], None] = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        #: Final HTTP status, when a response was received.
        self.status = status
        #: HTTP method of the failed call.
        self.method = method
        #: URL of the failed call.
        self.url = url
        #: How many times the request was sent (1 = no retry).
        self.attempts = attempts
        #: The offending field, when known (``loginName``, ``account``...).
        self.field = field
        if code is not None:
            self.code = code
        #: The server's ``internalCode``.
        self.internal_code = internal_code
        #: The server's raw (truncated) body.
        self.body = body
        #: The server's ``message`` (or the core's description).
        self.server_message = server_message if server_message is not None else message
        self.batch: Optional[BatchProgress] = None
        if batch is not None:
            chunks, total, items, ids = batch
            self.batch = BatchProgress(int(chunks), int(total), int(items), tuple(ids))  # type: ignore[call-overload,arg-type]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, status={self.status!r}, code={self.code!r})"


class ConfigError(LpError, ValueError):
    """Bad input caught before any I/O (empty account, bad URL, bad id, missing field)."""

    code = "ERR_CONFIG"


class AuthError(LpError):
    """401 after one re-login, or login refused."""

    code = "ERR_AUTH"


class ForbiddenError(LpError):
    """403."""

    code = "ERR_FORBIDDEN"


class NotFoundError(LpError, LookupError):
    """404."""

    code = "ERR_NOT_FOUND"


class ConflictError(LpError):
    """409 or 412: stale revision, duplicate name."""

    code = "ERR_CONFLICT"


class InvalidError(LpError, ValueError):
    """400 (or another 4xx) from the server; ``field`` names the field when known."""

    code = "ERR_INVALID"


class RateLimitedError(LpError):
    """429 after the retries ran out."""

    code = "ERR_RATE_LIMITED"


class ServerError(LpError):
    """5xx after the retries ran out."""

    code = "ERR_SERVER"


class TransportError(LpError, ConnectionError):
    """Connect, timeout or TLS failure after the retries ran out."""

    code = "ERR_TRANSPORT"


class DecodeError(LpError):
    """A response body that is not the documented shape."""

    code = "ERR_DECODE"
