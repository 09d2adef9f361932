"""The asyncio client: the same API as ``Client`` with ``async def`` methods.
Calls run on the shared Rust runtime; many can be in flight at once
(``asyncio.gather`` is safe)."""

from __future__ import annotations

import os
from types import TracebackType
from typing import (
    Any,
    Callable,
    Dict,
    Generic,
    Iterable,
    List,
    Mapping,
    Optional,
    Sequence,
    Type,
    TypeVar,
    Union,
    overload,
)

from . import _native
from . import _wrap as w
from ._config import Credentials, RetryEvent, RetryPolicy, client_args, from_env, merge_env_options
from ._entities import AgentGroup, Lob, Profile, Skill, StoredAgentGroup, StoredUser, User
from ._results import GroupNode, IfMatch, NotModified, Versioned, _revision
from .sync import AsyncSync

__all__ = ["AsyncAgentGroups", "AsyncCatalog", "AsyncClient", "AsyncUsers"]

C = TypeVar("C", Skill, Profile, Lob)
_UserLike = Union[User, Dict[str, Any]]
_GroupLike = Union[AgentGroup, Dict[str, Any]]


class AsyncUsers:
    """The Users API of one account (``client.users``)."""

    __slots__ = ("_allow_masked_blank", "_n")

    def __init__(self, native: _native.NativeClient, allow_masked_blank: bool = False) -> None:
        self._n = native
        self._allow_masked_blank = allow_masked_blank

    def allow_masked_blank(self, yes: bool = True) -> AsyncUsers:
        """A view whose read-modify-write helpers may send back a masked (``""``)
        ``fullName``; off by default, since on most servers that blanks the name."""
        return AsyncUsers(self._n, yes)

    @overload
    async def list(
        self, *, select: None = None, include_deleted: bool = False
    ) -> Versioned[List[StoredUser]]: ...
    @overload
    async def list(self, *, select: str, include_deleted: bool = False) -> Versioned[List[User]]: ...
    async def list(
        self, *, select: Optional[str] = None, include_deleted: bool = False
    ) -> Union[Versioned[List[StoredUser]], Versioned[List[User]]]:
        """All users (every field unless ``select`` names some)."""
        return w.lazy_many(
            StoredUser if select is None else User, await self._n.users_list_async(select, include_deleted)
        )

    @overload
    async def list_if_modified(
        self, since: int, *, select: None = None, include_deleted: bool = False
    ) -> Union[Versioned[List[StoredUser]], NotModified]: ...
    @overload
    async def list_if_modified(
        self, since: int, *, select: str, include_deleted: bool = False
    ) -> Union[Versioned[List[User]], NotModified]: ...
    async def list_if_modified(
        self, since: int, *, select: Optional[str] = None, include_deleted: bool = False
    ) -> Union[Union[Versioned[List[StoredUser]], NotModified], Union[Versioned[List[User]], NotModified]]:
        """All users, or ``NotModified`` when the collection is still at revision ``since``."""
        return w.fetched_lazy_many(
            StoredUser if select is None else User,
            await self._n.users_list_if_modified_async(select, include_deleted, since),
        )

    async def get(self, id: int) -> Versioned[StoredUser]:
        """One user; ``NotFoundError`` when there is none."""
        return w.one(StoredUser, await self._n.users_get_async(id))

    async def get_if_modified(self, id: int, since: int) -> Union[Versioned[StoredUser], NotModified]:
        """One user, or ``NotModified``."""
        return w.fetched_one(StoredUser, await self._n.users_get_if_modified_async(id, since))

    async def create(self, user: _UserLike) -> Versioned[StoredUser]:
        """Creates a user and returns it as stored (with its id)."""
        return w.one(StoredUser, await self._n.users_create_async(w.wire(user, User)))

    async def create_many(self, users: Iterable[_UserLike]) -> Versioned[List[StoredUser]]:
        """Creates users in chunked batches."""
        return w.many(StoredUser, await self._n.users_create_many_async(w.wires(users, User)))

    async def update(self, user: _UserLike, if_match: IfMatch) -> Versioned[StoredUser]:
        """Replaces a user (full replacement); ``ConflictError`` if the revision moved."""
        return w.one(StoredUser, await self._n.users_update_async(w.wire(user, User), _revision(if_match)))

    async def update_many(self, users: Iterable[_UserLike], if_match: IfMatch) -> Versioned[List[StoredUser]]:
        """Replaces users in chunked batches."""
        return w.many(
            StoredUser, await self._n.users_update_many_async(w.wires(users, User), _revision(if_match))
        )

    async def delete(self, id: int, if_match: IfMatch) -> Versioned[Optional[StoredUser]]:
        """Soft-deletes a user."""
        return w.maybe_one(StoredUser, await self._n.users_delete_async(id, _revision(if_match)))

    async def delete_many(self, ids: Iterable[int], if_match: IfMatch) -> Versioned[List[StoredUser]]:
        """Soft-deletes users in chunked batches."""
        return w.many(
            StoredUser, await self._n.users_delete_many_async(w.ids(ids, "ids"), _revision(if_match))
        )

    async def reset_password(self, id: int, new_password: str) -> Versioned[StoredUser]:
        """An administrator sets a new password."""
        return w.one(StoredUser, await self._n.users_reset_password_async(id, new_password))

    async def change_password(self, id: int, old_password: str, new_password: str) -> Versioned[StoredUser]:
        """A user changes their own password."""
        return w.one(StoredUser, await self._n.users_change_password_async(id, old_password, new_password))

    async def find_by_login_name(self, login_name: str) -> Optional[StoredUser]:
        """The non-deleted user with this login name (case-insensitive), or ``None``."""
        return w.optional(StoredUser, await self._n.users_find_by_login_name_async(login_name))

    async def in_group(self, agent_group_id: int) -> List[StoredUser]:
        """Non-deleted members of a group."""
        return StoredUser._wrap_all(await self._n.users_in_group_async(agent_group_id))

    async def managing(self, agent_group_id: int) -> List[StoredUser]:
        """Non-deleted users managing a group."""
        return StoredUser._wrap_all(await self._n.users_managing_async(agent_group_id))

    async def with_skill(self, skill_id: int) -> List[StoredUser]:
        """Non-deleted users that have a skill."""
        return StoredUser._wrap_all(await self._n.users_with_skill_async(skill_id))

    async def add_skills(
        self, user_ids: Iterable[int], skill_ids: Iterable[int]
    ) -> Versioned[List[StoredUser]]:
        """Adds skills to users (one guarded batch, re-read and retried on conflict)."""
        reply = await self._n.users_add_skills_async(
            w.ids(user_ids, "user_ids"), w.ids(skill_ids, "skill_ids"), self._allow_masked_blank
        )
        return w.many(StoredUser, reply)

    async def remove_skills(
        self, user_ids: Iterable[int], skill_ids: Iterable[int]
    ) -> Versioned[List[StoredUser]]:
        """Removes skills from users."""
        reply = await self._n.users_remove_skills_async(
            w.ids(user_ids, "user_ids"), w.ids(skill_ids, "skill_ids"), self._allow_masked_blank
        )
        return w.many(StoredUser, reply)

    async def move_to_group(
        self, user_ids: Iterable[int], agent_group_id: int
    ) -> Versioned[List[StoredUser]]:
        """Makes users members of a group."""
        reply = await self._n.users_move_to_group_async(
            w.ids(user_ids, "user_ids"), agent_group_id, self._allow_masked_blank
        )
        return w.many(StoredUser, reply)

    async def set_concurrency(
        self, user_ids: Iterable[int], max_chats: int, max_async_chats: Union[int, w.Unset, None] = w.UNSET
    ) -> Versioned[List[StoredUser]]:
        """Sets ``max_chats`` and, when given, ``max_async_chats`` (``None``: account default)."""
        given = not isinstance(max_async_chats, w.Unset)
        value = None if isinstance(max_async_chats, w.Unset) else max_async_chats
        reply = await self._n.users_set_concurrency_async(
            w.ids(user_ids, "user_ids"), max_chats, given, value, self._allow_masked_blank
        )
        return w.many(StoredUser, reply)

    async def modify(
        self, user_ids: Iterable[int], change: Callable[[User], Optional[User]]
    ) -> Versioned[List[StoredUser]]:
        """Read-modify-write: reads the users, calls ``change(user)`` on each (edit in
        place or return a replacement), writes them back in one guarded batch, and on
        a conflict re-reads and retries. If ``change`` raises, nothing is written and
        the exception propagates."""
        reply = await self._n.users_modify_async(
            w.ids(user_ids, "user_ids"), w.change_callback(change), self._allow_masked_blank
        )
        return w.many(StoredUser, reply)


class AsyncAgentGroups:
    """The Agent Groups API of one account (``client.agent_groups``)."""

    __slots__ = ("_n",)

    def __init__(self, native: _native.NativeClient) -> None:
        self._n = native

    @overload
    async def list(
        self, *, select: None = None, include_deleted: bool = False
    ) -> Versioned[List[StoredAgentGroup]]: ...
    @overload
    async def list(self, *, select: str, include_deleted: bool = False) -> Versioned[List[AgentGroup]]: ...
    async def list(
        self, *, select: Optional[str] = None, include_deleted: bool = False
    ) -> Union[Versioned[List[StoredAgentGroup]], Versioned[List[AgentGroup]]]:
        """All groups."""
        return w.many(
            StoredAgentGroup if select is None else AgentGroup,
            await self._n.groups_list_async(select, include_deleted),
        )

    @overload
    async def list_if_modified(
        self, since: int, *, select: None = None, include_deleted: bool = False
    ) -> Union[Versioned[List[StoredAgentGroup]], NotModified]: ...
    @overload
    async def list_if_modified(
        self, since: int, *, select: str, include_deleted: bool = False
    ) -> Union[Versioned[List[AgentGroup]], NotModified]: ...
    async def list_if_modified(
        self, since: int, *, select: Optional[str] = None, include_deleted: bool = False
    ) -> Union[
        Union[Versioned[List[StoredAgentGroup]], NotModified], Union[Versioned[List[AgentGroup]], NotModified]
    ]:
        """All groups, or ``NotModified``."""
        return w.fetched_many(
            StoredAgentGroup if select is None else AgentGroup,
            await self._n.groups_list_if_modified_async(select, include_deleted, since),
        )

    async def get(self, id: int) -> Versioned[StoredAgentGroup]:
        """One group."""
        return w.one(StoredAgentGroup, await self._n.groups_get_async(id))

    async def get_if_modified(self, id: int, since: int) -> Union[Versioned[StoredAgentGroup], NotModified]:
        """One group, or ``NotModified``."""
        return w.fetched_one(StoredAgentGroup, await self._n.groups_get_if_modified_async(id, since))

    async def create(self, group: _GroupLike) -> Versioned[StoredAgentGroup]:
        """Creates a group."""
        return w.one(StoredAgentGroup, await self._n.groups_create_async(w.wire(group, AgentGroup)))

    async def create_many(self, groups: Iterable[_GroupLike]) -> Versioned[List[StoredAgentGroup]]:
        """Creates groups in chunked batches."""
        return w.many(StoredAgentGroup, await self._n.groups_create_many_async(w.wires(groups, AgentGroup)))

    async def update(self, group: _GroupLike, if_match: IfMatch) -> Versioned[StoredAgentGroup]:
        """Replaces a group."""
        return w.one(
            StoredAgentGroup,
            await self._n.groups_update_async(w.wire(group, AgentGroup), _revision(if_match)),
        )

    async def update_many(
        self, groups: Iterable[_GroupLike], if_match: IfMatch
    ) -> Versioned[List[StoredAgentGroup]]:
        """Replaces groups in chunked batches."""
        return w.many(
            StoredAgentGroup,
            await self._n.groups_update_many_async(w.wires(groups, AgentGroup), _revision(if_match)),
        )

    async def delete(self, id: int, if_match: IfMatch) -> Versioned[Optional[StoredAgentGroup]]:
        """Soft-deletes a group."""
        return w.maybe_one(StoredAgentGroup, await self._n.groups_delete_async(id, _revision(if_match)))

    async def delete_many(self, ids: Iterable[int], if_match: IfMatch) -> Versioned[List[StoredAgentGroup]]:
        """Soft-deletes groups in chunked batches."""
        return w.many(
            StoredAgentGroup, await self._n.groups_delete_many_async(w.ids(ids, "ids"), _revision(if_match))
        )

    async def tree(self) -> List[GroupNode]:
        """The hierarchy of non-deleted groups (normally one root, the Main Group)."""
        return w.tree(await self._n.groups_tree_async())

    async def children(self, id: int) -> List[StoredAgentGroup]:
        """The direct, non-deleted sub-groups of a group."""
        return StoredAgentGroup._wrap_all(await self._n.groups_children_async(id))

    async def members(self, id: int) -> List[StoredUser]:
        """Users whose ``member_of`` is the group."""
        return StoredUser._wrap_all(await self._n.groups_members_async(id))

    async def managers(self, id: int) -> List[StoredUser]:
        """Users who manage the group."""
        return StoredUser._wrap_all(await self._n.groups_managers_async(id))


class AsyncCatalog(Generic[C]):
    """Skills, profiles or lines of business: read and write (docs/catalogs.md)."""

    __slots__ = ("_cls", "_kind", "_n")

    def __init__(self, native: _native.NativeClient, kind: str, cls: Type[C]) -> None:
        self._n = native
        self._kind = kind
        self._cls: Type[C] = cls

    async def list(
        self, *, select: Optional[str] = None, include_deleted: bool = False
    ) -> Versioned[List[C]]:
        """All entries."""
        return w.many(self._cls, await self._n.catalog_list_async(self._kind, select, include_deleted))

    async def list_if_modified(
        self, since: int, *, select: Optional[str] = None, include_deleted: bool = False
    ) -> Union[Versioned[List[C]], NotModified]:
        """All entries, or ``NotModified``."""
        return w.fetched_many(
            self._cls,
            await self._n.catalog_list_if_modified_async(self._kind, select, include_deleted, since),
        )

    async def get(self, id: int) -> Versioned[C]:
        """One entry."""
        return w.one(self._cls, await self._n.catalog_get_async(self._kind, id))

    async def find_by_name(self, name: str) -> Optional[C]:
        """The non-deleted entry with exactly this name, or ``None``."""
        return w.optional(self._cls, await self._n.catalog_find_by_name_async(self._kind, name))

    async def create(self, entry: Union[C, Dict[str, Any]]) -> Versioned[C]:
        """Creates an entry and returns it as stored (with its id)."""
        return w.one(self._cls, await self._n.catalog_create_async(self._kind, w.wire(entry, self._cls)))

    async def create_many(self, entries: Iterable[Union[C, Dict[str, Any]]]) -> Versioned[List[C]]:
        """Creates entries in chunked batches (each chunk all or nothing)."""
        return w.many(
            self._cls, await self._n.catalog_create_many_async(self._kind, w.wires(entries, self._cls))
        )

    async def update(self, entry: Union[C, Dict[str, Any]], if_match: IfMatch) -> Versioned[C]:
        """Replaces an entry (full replacement); ``ConflictError`` if the revision moved."""
        return w.one(
            self._cls,
            await self._n.catalog_update_async(self._kind, w.wire(entry, self._cls), _revision(if_match)),
        )

    async def update_many(
        self, entries: Iterable[Union[C, Dict[str, Any]]], if_match: IfMatch
    ) -> Versioned[List[C]]:
        """Replaces entries in chunked batches."""
        return w.many(
            self._cls,
            await self._n.catalog_update_many_async(
                self._kind, w.wires(entries, self._cls), _revision(if_match)
            ),
        )

    async def delete(self, id: int, if_match: IfMatch) -> Versioned[Optional[C]]:
        """Soft-deletes an entry."""
        return w.maybe_one(self._cls, await self._n.catalog_delete_async(self._kind, id, _revision(if_match)))

    async def delete_many(self, ids: Iterable[int], if_match: IfMatch) -> Versioned[List[C]]:
        """Soft-deletes entries in chunked batches."""
        return w.many(
            self._cls,
            await self._n.catalog_delete_many_async(self._kind, w.ids(ids, "ids"), _revision(if_match)),
        )


class AsyncClient:
    """A LivePerson account-config client for asyncio.

    No I/O happens until the first call; use it as a context manager to log out
    at the end::

        async with lpconfig.AsyncClient(account="12345678", credentials=lpconfig.Password("me", pw)) as c:
            for user in (await c.users.list()).value:
                print(user.login_name)
    """

    def __init__(
        self,
        account: str,
        credentials: Credentials,
        *,
        csds_url: Optional[str] = None,
        api_version: Optional[str] = None,
        retry: Optional[RetryPolicy] = None,
        connect_timeout: Optional[float] = None,
        request_timeout: Optional[float] = None,
        refresh_interval: Optional[float] = None,
        csds_ttl: Optional[float] = None,
        batch_size: Optional[int] = None,
        force_read_write: bool = False,
        method_override: bool = False,
        retry_delays: Optional[Sequence[float]] = None,
        ca_bundle: Union[str, os.PathLike[str], None] = None,
        proxy: Optional[str] = None,
        legacy: bool = False,
        on_retry: Optional[Callable[[RetryEvent], object]] = None,
    ) -> None:
        self._native = _native.NativeClient(
            client_args(
                account,
                credentials,
                csds_url=csds_url,
                api_version=api_version,
                retry=retry,
                connect_timeout=connect_timeout,
                request_timeout=request_timeout,
                refresh_interval=refresh_interval,
                csds_ttl=csds_ttl,
                batch_size=batch_size,
                force_read_write=force_read_write,
                method_override=method_override,
                retry_delays=retry_delays,
                ca_bundle=ca_bundle,
                proxy=proxy,
                legacy=legacy,
                on_retry=on_retry,
            )
        )
        self._credentials = credentials
        #: The Users API.
        self.users = AsyncUsers(self._native)
        #: The Agent Groups API.
        self.agent_groups = AsyncAgentGroups(self._native)
        #: Skills (read access).
        self.skills: AsyncCatalog[Skill] = AsyncCatalog(self._native, "skills", Skill)
        #: Profiles (read access).
        self.profiles: AsyncCatalog[Profile] = AsyncCatalog(self._native, "profiles", Profile)
        #: Lines of business (read access).
        self.lobs: AsyncCatalog[Lob] = AsyncCatalog(self._native, "lobs", Lob)
        #: HR sync: plan and apply (``lpconfig.sync``).
        self.sync = AsyncSync(self._native)

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None, **options: Any) -> AsyncClient:
        """A client from the ``LP_*`` environment variables, read by the core's
        rule as in every language: ``LP_ACCOUNT``; ``LP_USERNAME``/``LP_PASSWORD``,
        the four API-key variables (``LP_APP_KEY``, ``LP_SECRET``,
        ``LP_ACCESS_TOKEN``, ``LP_ACCESS_TOKEN_SECRET``) or
        ``LP_CLIENT_ID``/``LP_CLIENT_SECRET``; and when set ``LP_CSDS_URL``,
        ``LP_TIMEOUT``, ``LP_CONNECT_TIMEOUT``, ``LP_RETRY_DELAYS``,
        ``LP_CA_BUNDLE`` (else ``SSL_CERT_FILE``) and ``LP_PROXY``. Keyword
        ``options`` win over the environment."""
        account, credentials, env_options = from_env(os.environ if environ is None else environ)
        options = merge_env_options(env_options, options)
        return cls(account, credentials, **options)

    @property
    def account(self) -> str:
        """The account id."""
        return self._native.account

    async def login(self) -> None:
        """Opens the Login Service session now (otherwise the first call does)."""
        await self._native.login_async()

    async def close(self) -> None:
        """Logs out (when a session is open) and stops the refresh timer."""
        await self._native.close_async()

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(
        self,
        exc_type: Optional[Type[BaseException]],
        exc: Optional[BaseException],
        tb: Optional[TracebackType],
    ) -> None:
        try:
            await self.close()
        except Exception:
            # Never hide the exception that ended the block.
            if exc is None:
                raise

    def __repr__(self) -> str:
        return f"AsyncClient(account={self.account!r}, credentials={self._credentials!r})"
