"""lpconfig: manage a LivePerson Conversational Cloud account's users and agent groups.

A thin Python layer over the Rust core (``lpconfig._native``)::

    import lpconfig

    with lpconfig.Client(account="12345678", credentials=lpconfig.Password("admin", pw)) as client:
        users = client.users.list()
        kim = lpconfig.User.new("kim.new", "Kim New", "Kim", "kim@example.com",
                                profile_ids=[agent_profile], member_of=group_id, password=pw)
        created = client.users.create(kim).value
        client.users.allow_masked_blank().add_skills([created.id], [skill_id])

``lpconfig.AsyncClient`` offers the same API for asyncio. Retries and session events
are logged to the ``lpconfig`` logger; secrets never are.
"""

from ._async_client import AsyncAgentGroups, AsyncCatalog, AsyncClient, AsyncUsers
from ._client import AgentGroups, Catalog, Client, Users
from ._config import (
    ApiKey,
    AppKeyLogin,
    Bearer,
    ClientCredentials,
    Credentials,
    Password,
    RetryEvent,
    RetryPolicy,
)
from ._entities import (
    AgentGroup,
    Entity,
    GroupLink,
    Lob,
    Profile,
    Skill,
    StoredAgentGroup,
    StoredUser,
    User,
)
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
    "ClientCredentials",
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
    "RetryEvent",
    "RetryPolicy",
    "ServerError",
    "Skill",
    "StoredAgentGroup",
    "StoredUser",
    "SyncError",
    "SyncInputError",
    "SyncReport",
    "TransportError",
    "User",
    "Users",
    "Versioned",
    "__version__",
]
