"""lpconfig: manage a LivePerson Conversational Cloud account's users and agent groups.

A thin Python layer over the Rust core (``lpconfig._native``)::

    import lpconfig

    with lpconfig.Client(account="12345678", credentials=lpconfig.Password("admin", pw)) as client:
        users = client.users.list()
        jane = lpconfig.User.new("jane.doe", "Jane", "jane@example.com")
        jane.password = "Str0ng-Passw0rd"
        created = client.users.create(jane).value
        client.users.add_skills([created.id], [11])

``lpconfig.AsyncClient`` offers the same API for asyncio. Retries and session events
are logged to the ``lpconfig`` logger; secrets never are.
"""

from ._async_client import AsyncAgentGroups, AsyncCatalog, AsyncClient, AsyncUsers
from ._client import AgentGroups, Catalog, Client, Users
from ._config import ApiKey, AppKeyLogin, Bearer, Credentials, Password, RetryPolicy
from ._entities import AgentGroup, Entity, GroupLink, Lob, Profile, Skill, User
from ._native import __version__
from ._results import ANY, AnyRevision, GroupNode, IfMatch, NotModified, Versioned
from ._wrap import UNSET
from .errors import (
    AuthError,
    BatchProgress,
    ConfigError,
    ConflictError,
    DecodeError,
    ForbiddenError,
    InvalidError,
    LpError,
    NotFoundError,
    RateLimitedError,
    ServerError,
    TransportError,
)
from .sync import Plan, SyncError, SyncInputError, SyncReport

__all__ = [
    "ANY",
    "UNSET",
    "AgentGroup",
    "AgentGroups",
    "AnyRevision",
    "ApiKey",
    "AppKeyLogin",
    "AsyncAgentGroups",
    "AsyncCatalog",
    "AsyncClient",
    "AsyncUsers",
    "AuthError",
    "BatchProgress",
    "Bearer",
    "Catalog",
    "Client",
    "ConfigError",
    "ConflictError",
    "Credentials",
    "DecodeError",
    "Entity",
    "ForbiddenError",
    "GroupLink",
    "GroupNode",
    "IfMatch",
    "InvalidError",
    "Lob",
    "LpError",
    "NotFoundError",
    "NotModified",
    "Password",
    "Plan",
    "Profile",
    "RateLimitedError",
    "RetryPolicy",
    "ServerError",
    "Skill",
    "SyncError",
    "SyncInputError",
    "SyncReport",
    "TransportError",
    "User",
    "Users",
    "Versioned",
    "__version__",
]
