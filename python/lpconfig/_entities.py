"""Typed views over the wire dicts the core sends and receives.

Each entity wraps its camelCase wire dict (``to_dict()`` gives a copy) and
exposes the fields as snake_case attributes that read and write that dict, so
converting 50,000 users costs one small object each. Unknown fields stay in the
dict (``extra``) and are sent back unchanged.

A listed user starts out holding the core's user (``_native.LazyUser``) instead
of its dict: the dict is built on the first access to any field, so listing
50,000 users builds no dicts at all (docs/performance.md, "Python list: lazy users").
"""

from __future__ import annotations

import gc
from contextlib import contextmanager
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    Dict,
    Generic,
    Iterator,
    List,
    Optional,
    Sequence,
    Tuple,
    Type,
    TypeVar,
    overload,
)

from . import _native

__all__ = [
    "AgentGroup",
    "Entity",
    "GroupLink",
    "Lob",
    "Profile",
    "Skill",
    "StoredAgentGroup",
    "StoredUser",
    "User",
]

T = TypeVar("T")
E = TypeVar("E", bound="Entity")

#: Write-only fields: never shown in ``repr``.
_SECRET_KEYS = frozenset({"passwordSh", "oldPassword", "confirmPassword"})


def _copy(value: Any) -> Any:
    """Copies nested dicts and lists (the wire shapes), sharing the leaves."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


@contextmanager
def _gc_paused(count: int) -> Iterator[None]:
    """Pauses the cyclic GC while ``count`` (at least 1024) new objects are made, as the native
    conversion does: a big batch would make the GC rescan the whole growing result several
    times."""
    paused = count >= 1024 and gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


class Field(Generic[T]):
    """An attribute stored in the wire dict under ``key``."""

    __slots__ = ("key", "name")

    def __init__(self, key: str) -> None:
        self.key = key
        self.name = key

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: Optional[type] = None) -> Field[T]: ...
    @overload
    def __get__(self, obj: Entity, owner: Optional[type] = None) -> T: ...
    def __get__(self, obj: Optional[Entity], owner: Optional[type] = None) -> Any:
        if obj is None:
            return self
        return obj._data.get(self.key)

    def __set__(self, obj: Entity, value: T) -> None:
        obj._data[self.key] = value


class ListField(Field[List[int]]):
    """A list attribute; reading a missing one stores an empty list, so appends stick."""

    __slots__ = ()

    @overload
    def __get__(self, obj: None, owner: Optional[type] = None) -> ListField: ...
    @overload
    def __get__(self, obj: Entity, owner: Optional[type] = None) -> List[int]: ...
    def __get__(self, obj: Optional[Entity], owner: Optional[type] = None) -> Any:
        if obj is None:
            return self
        value = obj._data.get(self.key)
        if value is None:
            value = obj._data[self.key] = []
        return value


class Entity:
    """Base of the entity classes: a typed view of one wire dict."""

    # ``_lazy``: the native user a lazily wrapped entity builds ``_data`` from.
    __slots__ = ("_data", "_lazy")
    _lazy: _native.LazyUser
    _fields: ClassVar[Dict[str, Field[Any]]] = {}
    _keys: ClassVar[frozenset[str]] = frozenset()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields: Dict[str, Field[Any]] = {}
        for klass in reversed(cls.__mro__):
            for name, attr in vars(klass).items():
                if isinstance(attr, Field):
                    fields[name] = attr
        cls._fields = fields
        cls._keys = frozenset(f.key for f in fields.values())

    def __init__(self, *, extra: Optional[Dict[str, Any]] = None, **fields: Any) -> None:
        """Sets the given fields by attribute name (``login_name=...``)."""
        self._data: Dict[str, Any] = {}
        for name, value in fields.items():
            if name not in self._fields:
                raise TypeError(f"{type(self).__name__} has no field {name!r}")
            setattr(self, name, value)
        if extra:
            self.extra = extra

    @classmethod
    def _wrap(cls: Type[E], data: Dict[str, Any]) -> E:
        obj = object.__new__(cls)
        obj._data = data
        return obj

    @classmethod
    def _wrap_all(cls: Type[E], items: Sequence[Dict[str, Any]]) -> List[E]:
        new = object.__new__
        out: List[E] = []
        append = out.append
        with _gc_paused(len(items)):
            for data in items:
                obj = new(cls)
                obj._data = data
                append(obj)
        return out

    @classmethod
    def _wrap_lazy_all(cls: Type[E], items: Sequence[_native.LazyUser]) -> List[E]:
        """Entities whose wire dicts are built on first use (see ``__getattr__``)."""
        new = object.__new__
        out: List[E] = []
        append = out.append
        with _gc_paused(len(items)):
            for lazy in items:
                obj = new(cls)
                obj._lazy = lazy
                append(obj)
        return out

    if not TYPE_CHECKING:  # a declared __getattr__ would let mypy accept any attribute name

        def __getattr__(self, name: str) -> Any:
            # Python calls this only for an attribute it did not find, i.e. an unset
            # slot: ``_data`` of a lazily wrapped entity is built here, once, and the
            # native user is let go.
            if name == "_data":
                try:
                    lazy = object.__getattribute__(self, "_lazy")
                except AttributeError:
                    pass
                else:
                    data = self._data = lazy.wire()
                    del self._lazy
                    return data
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __reduce__(self) -> Tuple[Any, ...]:
        # Pickles and copies the wire dict, whether or not it was built yet.
        return (_rebuild, (type(self), self._data))

    @classmethod
    def from_dict(cls: Type[E], data: Dict[str, Any]) -> E:
        """An entity from a camelCase wire dict (copied)."""
        if not isinstance(data, dict):
            raise TypeError(f"{cls.__name__}.from_dict needs a dict, not {type(data).__name__}")
        return cls._wrap(_copy(data))

    def to_dict(self) -> Dict[str, Any]:
        """The camelCase wire dict (a copy), unknown fields included."""
        result: Dict[str, Any] = _copy(self._data)
        return result

    @property
    def extra(self) -> Dict[str, Any]:
        """Fields this version does not know (a copy); assign to replace them."""
        return {k: _copy(v) for k, v in self._data.items() if k not in self._keys}

    @extra.setter
    def extra(self, values: Dict[str, Any]) -> None:
        for k in [k for k in self._data if k not in self._keys]:
            del self._data[k]
        for k, v in values.items():
            if k in self._keys:
                raise ValueError(f"{k!r} is a known field of {type(self).__name__}")
            self._data[k] = _copy(v)

    def __eq__(self, other: object) -> bool:
        mine, theirs = type(self), type(other)
        # A StoredUser equals the User with the same fields (one is a view of the other).
        if not (issubclass(mine, theirs) or issubclass(theirs, mine)):
            return NotImplemented
        assert isinstance(other, Entity)
        return self._data == other._data

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        parts = []
        for name, f in self._fields.items():
            if f.key in _SECRET_KEYS:
                continue
            value = self._data.get(f.key)
            if value is None or value == []:
                continue
            if isinstance(f, (_LinkField, _LinksField)):
                value = getattr(self, name)
            parts.append(f"{name}={value!r}")
        extra = {k: v for k, v in self._data.items() if k not in self._keys}
        if extra:
            parts.append(f"extra={extra!r}")
        return f"{type(self).__name__}({', '.join(parts)})"


def _rebuild(cls: Type[E], data: Dict[str, Any]) -> E:
    """Unpickles an entity (see ``Entity.__reduce__``)."""
    return cls._wrap(data)


class GroupLink(Entity):
    """A user's link to an agent group (``memberOf``, items of ``managerOf``)."""

    __slots__ = ()
    agent_group_id: Field[Optional[int]] = Field("agentGroupId")
    assignment_date: Field[Optional[str]] = Field("assignmentDate")

    @classmethod
    def to(cls, agent_group_id: int) -> GroupLink:
        """A link to ``agent_group_id``."""
        return cls(agent_group_id=agent_group_id)


class _LinkField(Field[Optional[GroupLink]]):
    __slots__ = ()

    @overload
    def __get__(self, obj: None, owner: Optional[type] = None) -> _LinkField: ...
    @overload
    def __get__(self, obj: Entity, owner: Optional[type] = None) -> Optional[GroupLink]: ...
    def __get__(self, obj: Optional[Entity], owner: Optional[type] = None) -> Any:
        if obj is None:
            return self
        data = obj._data.get(self.key)
        return None if data is None else GroupLink._wrap(data)

    def __set__(self, obj: Entity, value: Optional[GroupLink]) -> None:
        obj._data[self.key] = None if value is None else value._data


class _LinksField(Field[List[GroupLink]]):
    """A list of links; the list is rebuilt on each read, so assign to change it."""

    __slots__ = ()

    @overload
    def __get__(self, obj: None, owner: Optional[type] = None) -> _LinksField: ...
    @overload
    def __get__(self, obj: Entity, owner: Optional[type] = None) -> List[GroupLink]: ...
    def __get__(self, obj: Optional[Entity], owner: Optional[type] = None) -> Any:
        if obj is None:
            return self
        return GroupLink._wrap_all(obj._data.get(self.key) or [])

    def __set__(self, obj: Entity, value: List[GroupLink]) -> None:
        obj._data[self.key] = [link._data for link in value]


class User(Entity):
    """A user (the 33 fields of the Users API). ``password`` is write-only:
    set it to create a user or change a password; the server never returns it."""

    __slots__ = ()
    id: Field[Optional[int]] = Field("id")
    pid: Field[Optional[str]] = Field("pid")
    deleted: Field[Optional[bool]] = Field("deleted")
    login_name: Field[Optional[str]] = Field("loginName")
    full_name: Field[Optional[str]] = Field("fullName")
    nickname: Field[Optional[str]] = Field("nickname")
    is_enabled: Field[Optional[bool]] = Field("isEnabled")
    max_chats: Field[Optional[int]] = Field("maxChats")
    skill_ids: ListField = ListField("skillIds")
    email: Field[Optional[str]] = Field("email")
    member_of: _LinkField = _LinkField("memberOf")
    manager_of: _LinksField = _LinksField("managerOf")
    change_pwd_next_login: Field[Optional[bool]] = Field("changePwdNextLogin")
    password: Field[Optional[str]] = Field("passwordSh")
    old_password: Field[Optional[str]] = Field("oldPassword")
    confirm_password: Field[Optional[str]] = Field("confirmPassword")
    last_pwd_change_date: Field[Optional[str]] = Field("lastPwdChangeDate")
    date_updated: Field[Optional[str]] = Field("dateUpdated")
    permission_groups: ListField = ListField("permissionGroups")
    picture_id: Field[Optional[str]] = Field("pictureId")
    picture_url: Field[Optional[str]] = Field("pictureUrl")
    disabled_manually: Field[Optional[bool]] = Field("disabledManually")
    description: Field[Optional[str]] = Field("description")
    mobile_number: Field[Optional[str]] = Field("mobileNumber")
    employee_id: Field[Optional[str]] = Field("employeeId")
    backgnd_img_uri: Field[Optional[str]] = Field("backgndImgUri")
    pn_cert_name: Field[Optional[str]] = Field("pnCertName")
    #: ``None`` inherits the account default.
    max_async_chats: Field[Optional[int]] = Field("maxAsyncChats")
    profile_ids: ListField = ListField("profileIds")
    is_api_user: Field[Optional[bool]] = Field("isApiUser")
    user_type_id: Field[Optional[int]] = Field("userTypeId")
    allowed_app_keys: Field[Optional[str]] = Field("allowedAppKeys")
    lob_ids: ListField = ListField("lobIds")

    @classmethod
    def new(
        cls,
        login_name: str,
        full_name: str,
        nickname: str,
        email: str,
        *,
        profile_ids: Sequence[int],
        password: Optional[str] = None,
        member_of: Optional[int] = None,
    ) -> User:
        """A new user with every field a create requires: enabled, ``max_chats=0``,
        the given profiles (they define the roles; an Agent profile needs
        ``member_of``, the agent's group id) and ``password`` (required unless
        ``is_api_user`` is set)."""
        user = cls._wrap(_native.new_user(login_name, nickname, email))
        user.full_name = full_name
        user.profile_ids = [int(p) for p in profile_ids]
        if password is not None:
            user.password = password
        if member_of is not None:
            user.member_of = GroupLink.to(member_of)
        return user


class StoredUser(User):
    """A user as the server stored it (the result of a create): ``id`` is set."""

    __slots__ = ()
    #: The server id (always set on a stored user).
    id: Field[int] = Field("id")


class AgentGroup(Entity):
    """An agent group; the Main Group has id ``-1`` and no parent."""

    __slots__ = ()
    id: Field[Optional[int]] = Field("id")
    deleted: Field[Optional[bool]] = Field("deleted")
    name: Field[Optional[str]] = Field("name")
    parent_group_id: Field[Optional[int]] = Field("parentGroupId")
    is_enabled: Field[Optional[bool]] = Field("isEnabled")
    description: Field[Optional[str]] = Field("description")
    date_updated: Field[Optional[str]] = Field("dateUpdated")

    @classmethod
    def new(cls, name: str, parent_group_id: int) -> AgentGroup:
        """A new enabled group under ``parent_group_id``."""
        return cls._wrap(_native.new_agent_group(name, parent_group_id))


class StoredAgentGroup(AgentGroup):
    """An agent group as the server stored it (the result of a create): ``id`` is set."""

    __slots__ = ()
    #: The server id (always set on a stored group).
    id: Field[int] = Field("id")


class Skill(Entity):
    """A skill."""

    __slots__ = ()
    id: Field[Optional[int]] = Field("id")
    deleted: Field[Optional[bool]] = Field("deleted")
    name: Field[Optional[str]] = Field("name")
    description: Field[Optional[str]] = Field("description")
    date_updated: Field[Optional[str]] = Field("dateUpdated")
    lob_ids: ListField = ListField("lobIds")


class Profile(Entity):
    """A profile: a permission set whose ``role_type_id`` gives users their role."""

    __slots__ = ()
    id: Field[Optional[int]] = Field("id")
    deleted: Field[Optional[bool]] = Field("deleted")
    name: Field[Optional[str]] = Field("name")
    description: Field[Optional[str]] = Field("description")
    role_type_id: Field[Optional[int]] = Field("roleTypeId")
    role_type_name: Field[Optional[str]] = Field("roleTypeName")
    permissions: ListField = ListField("permissions")
    num_of_assigned_users: Field[Optional[int]] = Field("numOfAssignedUsers")
    date_updated: Field[Optional[str]] = Field("dateUpdated")


class Lob(Entity):
    """A line of business."""

    __slots__ = ()
    id: Field[Optional[int]] = Field("id")
    deleted: Field[Optional[bool]] = Field("deleted")
    name: Field[Optional[str]] = Field("name")
    description: Field[Optional[str]] = Field("description")
    date_updated: Field[Optional[str]] = Field("dateUpdated")
