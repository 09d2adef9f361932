"""Results that carry a revision, and the ``If-Match`` of writes."""

from __future__ import annotations

from typing import Any, Generic, List, Optional, Tuple, TypeVar, Union

from ._entities import AgentGroup

__all__ = ["ANY", "AnyRevision", "GroupNode", "IfMatch", "NotModified", "Versioned"]

T = TypeVar("T")


class AnyRevision:
    """``If-Match: -1``: apply the write whatever the current revision is."""

    __slots__ = ()
    _instance: Optional[AnyRevision] = None

    def __new__(cls) -> AnyRevision:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "lpconfig.ANY"

    def __reduce__(self) -> str:
        return "ANY"


#: Write without a revision check.
ANY = AnyRevision()

#: What writes accept: the revision a read returned, or ``ANY``.
IfMatch = Union[int, AnyRevision]


def _revision(if_match: IfMatch) -> Optional[int]:
    """The native form: ``None`` for ``ANY``."""
    if isinstance(if_match, AnyRevision):
        return None
    if isinstance(if_match, bool) or not isinstance(if_match, int):
        raise TypeError(f"if_match must be a revision (int) or lpconfig.ANY, not {type(if_match).__name__}")
    return if_match


class Versioned(Generic[T]):
    """A value with the collection revision it was read or written at."""

    __slots__ = ("revision", "value")

    def __init__(self, value: T, revision: Optional[int]) -> None:
        #: The value.
        self.value = value
        #: The revision the server reported (``None`` only if it sent none).
        self.revision = revision

    @property
    def if_match(self) -> IfMatch:
        """``If-Match`` for a write based on this read (``ANY`` when no revision was sent)."""
        return ANY if self.revision is None else self.revision

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Versioned):
            return NotImplemented
        return bool(self.value == other.value and self.revision == other.revision)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Versioned(revision={self.revision!r}, value={self.value!r})"


class NotModified:
    """A conditional read's answer when nothing changed since the given revision."""

    __slots__ = ("revision",)

    def __init__(self, revision: Optional[int]) -> None:
        #: The revision the server confirmed.
        self.revision = revision

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NotModified) and other.revision == self.revision

    __hash__ = None  # type: ignore[assignment]

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return f"NotModified(revision={self.revision!r})"


class GroupNode:
    """One group of ``agent_groups.tree()`` with its sub-groups, ordered by name."""

    __slots__ = ("children", "group")

    def __init__(self, group: AgentGroup, children: List[GroupNode]) -> None:
        self.group = group
        self.children = children

    @classmethod
    def _from_native(cls, node: Tuple[Any, Any]) -> GroupNode:
        group, children = node
        return cls(AgentGroup._wrap(group), [cls._from_native(c) for c in children])

    def walk(self) -> List[GroupNode]:
        """This node and all its descendants, depth first."""
        out = [self]
        for c in self.children:
            out.extend(c.walk())
        return out

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, GroupNode):
            return NotImplemented
        return self.group == other.group and self.children == other.children

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"GroupNode({self.group.name!r}, children={len(self.children)})"
