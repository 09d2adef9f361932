"""Turns the native module's plain results into the typed results of the API.

Shared by the sync and async clients; conversion only.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, List, Optional, Tuple, Type, TypeVar, Union

from . import _native
from ._entities import AgentGroup, Entity, User
from ._results import GroupNode, NotModified, Versioned

E = TypeVar("E", bound=Entity)


def one(cls: Type[E], reply: Tuple[Dict[str, Any], Optional[int]]) -> Versioned[E]:
    value, revision = reply
    return Versioned(cls._wrap(value), revision)


def maybe_one(cls: Type[E], reply: Tuple[Optional[Dict[str, Any]], Optional[int]]) -> Versioned[Optional[E]]:
    value, revision = reply
    return Versioned(None if value is None else cls._wrap(value), revision)


def many(cls: Type[E], reply: Tuple[List[Dict[str, Any]], Optional[int]]) -> Versioned[List[E]]:
    values, revision = reply
    return Versioned(cls._wrap_all(values), revision)


def lazy_many(cls: Type[E], reply: Tuple[List[_native.LazyUser], Optional[int]]) -> Versioned[List[E]]:
    values, revision = reply
    return Versioned(cls._wrap_lazy_all(values), revision)


def fetched_lazy_many(
    cls: Type[E], reply: Tuple[Optional[List[_native.LazyUser]], Optional[int], bool]
) -> Union[Versioned[List[E]], NotModified]:
    values, revision, modified = reply
    if not modified or values is None:
        return NotModified(revision)
    return Versioned(cls._wrap_lazy_all(values), revision)


def fetched_one(
    cls: Type[E], reply: Tuple[Optional[Dict[str, Any]], Optional[int], bool]
) -> Union[Versioned[E], NotModified]:
    value, revision, modified = reply
    if not modified or value is None:
        return NotModified(revision)
    return Versioned(cls._wrap(value), revision)


def fetched_many(
    cls: Type[E], reply: Tuple[Optional[List[Dict[str, Any]]], Optional[int], bool]
) -> Union[Versioned[List[E]], NotModified]:
    values, revision, modified = reply
    if not modified or values is None:
        return NotModified(revision)
    return Versioned(cls._wrap_all(values), revision)


def optional(cls: Type[E], value: Optional[Dict[str, Any]]) -> Optional[E]:
    return None if value is None else cls._wrap(value)


def tree(nodes: List[Tuple[Any, Any]]) -> List[GroupNode]:
    return [GroupNode._from_native(n) for n in nodes]


def wire(entity: Union[Entity, Dict[str, Any]], cls: Type[Entity]) -> Dict[str, Any]:
    """The wire dict of an entity argument (a dict is accepted as is)."""
    if isinstance(entity, cls):
        return entity._data
    if isinstance(entity, dict):
        return entity
    # Named as the parameter of the API (``user``, ``group``).
    name = "group" if issubclass(cls, AgentGroup) else cls.__name__.lower()
    raise TypeError(f"{name} must be a {cls.__name__} (or its wire dict), not {type(entity).__name__}")


def wires(entities: Any, cls: Type[Entity]) -> List[Dict[str, Any]]:
    return [wire(e, cls) for e in entities]


def ids(values: Any, what: str) -> List[int]:
    """A list of ids from any iterable of ints (a single int is refused, not iterated)."""
    if isinstance(values, (int, str, bytes)):
        raise TypeError(f"{what} must be a list of ids, not {type(values).__name__}")
    return list(values)


def change_callback(change: Callable[[User], Optional[User]]) -> Callable[[Dict[str, Any]], Dict[str, Any]]:
    """Adapts ``change(user)`` (in place, or returning a replacement) to wire dicts."""

    def on_wire(data: Dict[str, Any]) -> Dict[str, Any]:
        user = User._wrap(data)
        replaced = change(user)
        return (replaced if replaced is not None else user)._data

    return on_wire


class Unset:
    """The type of ``UNSET``: an argument left out (as opposed to ``None``)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNSET"


UNSET = Unset()
