"""HR sync: make an account's users and agent groups match a list of people.

``client.sync.plan(source)`` reads the rows (a CSV/JSON/YAML file, or an iterable of
mappings keyed by staff-file column names such as ``login_name``, ``group``,
``skills``), reads the account and returns a :class:`Plan`; nothing is written.
``client.sync.apply(plan)`` executes it and returns a :class:`SyncReport` saying
exactly which changes were applied. The engine is the Rust crate ``lpconfig-sync``;
the columns, the rules and the plan's JSON form are described in ``docs/sync.md``.

Example (runs as written against the bundled emulator)::

    from lpconfig.testing import Emulator

    with Emulator() as emu, emu.client() as client:
        plan = client.sync.plan([{"login_name": "ana", "email": "ana@example.com"}])
        report = client.sync.apply(plan)
        assert report.verified
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass, field
from typing import (
    Any,
    Callable,
    Dict,
    Iterable,
    List,
    Literal,
    Mapping,
    NamedTuple,
    Optional,
    Sequence,
    Tuple,
    Union,
)

from . import _native
from .errors import LpError

__all__ = [
    "AppliedCounts",
    "AsyncSync",
    "CancelToken",
    "Change",
    "ChangeKind",
    "ChangeResult",
    "FieldChange",
    "GroupsSource",
    "InputProblem",
    "Phase",
    "Plan",
    "PlanSummary",
    "Prune",
    "Source",
    "Sync",
    "SyncError",
    "SyncFailure",
    "SyncInputError",
    "SyncOptionsError",
    "SyncPlanFormatError",
    "SyncProgress",
    "SyncReport",
    "SyncStaleError",
    "SyncUnsupportedError",
]

#: What happens to users the rows do not name: left alone (``None``), disabled or deleted.
Prune = Literal["disable", "delete"]
#: The kind of one change (the engine's ``ChangeKind``, snake_case).
ChangeKind = Literal[
    "create_skill",
    "create_lob",
    "create_group",
    "update_group",
    "move_group",
    "create_user",
    "update_user",
    "disable_user",
    "delete_user",
]
#: The step an apply is in (the engine's ``Phase``).
Phase = Literal[
    "checking",
    "create_catalog_entries",
    "create_groups",
    "update_groups",
    "move_groups",
    "create_users",
    "update_users",
    "delete_users",
    "done",
]
#: The desired rows: a path to a ``.csv``/``.json``/``.yaml`` file, or records.
Source = Union[str, "os.PathLike[str]", Iterable[Mapping[str, Any]]]
#: The groups section (``id``, ``name``, ``parent``, ``description``, ``enabled``): a
#: path to a ``.csv``/``.json``/``.yaml`` file, or records.
GroupsSource = Union[str, "os.PathLike[str]", Iterable[Mapping[str, Any]]]


# ---- errors ---------------------------------------------------------------------


class SyncError(LpError):
    """Base of the errors of planning or applying a sync (API errors keep their own
    classes, such as ``AuthError``)."""


class InputProblem(NamedTuple):
    """One problem of the input: ``path:line:column: message`` (``rows:3:0`` is the third record)."""

    #: The file (or ``rows`` for records).
    path: str
    #: 1-based line or record number (0 when unknown).
    line: int
    #: 1-based column (0 when unknown).
    column: int
    #: What is wrong.
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


class SyncInputError(SyncError, ValueError):
    """The rows have problems; ``errors`` lists every one found (up to 100). Nothing was
    contacted (for problems found while reading) and nothing was applied."""

    code = "ERR_INVALID"

    def __init__(self, message: str, errors: Sequence[Mapping[str, Any]] = ()) -> None:
        super().__init__(message)
        #: Every problem found, in input order.
        self.errors: List[InputProblem] = [
            InputProblem(str(e["path"]), int(e["line"]), int(e["column"]), str(e["message"])) for e in errors
        ]


class SyncStaleError(SyncError):
    """The account changed since the plan was made; nothing applied: make a new plan."""

    code = "ERR_CONFLICT"


class SyncPlanFormatError(SyncError, ValueError):
    """A saved plan that cannot be read (not a plan, or another version)."""

    code = "ERR_DECODE"


class SyncUnsupportedError(SyncError, NotImplementedError):
    """An option the engine cannot honour yet."""

    code = "ERR_CONFIG"


class SyncOptionsError(SyncError, ValueError):
    """Sync options the engine does not accept."""

    code = "ERR_CONFIG"


# ---- the plan ---------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    """One field's change, as staff-file text."""

    field: str
    before: str
    after: str


@dataclass(frozen=True)
class Change:
    """One change of a plan (same ``kind``, ``name`` and order as the report's changes)."""

    kind: ChangeKind
    #: Login name or group path.
    name: str
    #: Where the change comes from (``staff.csv:12``, ``rows:3``).
    at: str
    #: The fields that change (updates and disables; a group move shows ``path``).
    fields: Tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class PlanSummary:
    """How many changes of each kind a plan holds; ``str()`` gives the one-line text."""

    groups_to_create: int
    groups_to_move: int
    groups_to_update: int
    users_to_create: int
    users_to_update: int
    users_to_disable: int
    users_to_delete: int
    unchanged: int
    #: Skills and lines of business to create (``create_missing_catalog_entries=True``).
    skills_to_create: int = 0
    lobs_to_create: int = 0
    text: str = field(default="", compare=False)

    @property
    def changes(self) -> int:
        """The number of changes."""
        return (
            self.skills_to_create
            + self.lobs_to_create
            + self.groups_to_create
            + self.groups_to_move
            + self.groups_to_update
            + self.users_to_create
            + self.users_to_update
            + self.users_to_disable
            + self.users_to_delete
        )

    def __str__(self) -> str:
        return self.text


class Plan:
    """What must change for the account to match the rows. ``len(plan)`` is the number of
    changes, and a plan is true when it has any. Save it with :meth:`to_json` and read
    it back with :meth:`from_json` (a plan read back has no initial passwords: apply then
    generates random ones, see :attr:`SyncReport.initial_passwords`)."""

    __slots__ = ("_changes", "_n")

    def __init__(self, native: _native.NativePlan) -> None:
        self._n = native
        self._changes: Optional[Tuple[Change, ...]] = None

    @classmethod
    def from_json(cls, text: str) -> Plan:
        """Reads a plan saved with :meth:`to_json`; ``SyncPlanFormatError`` when it is not one."""
        return cls(_native.NativePlan.from_json(text))

    def to_json(self) -> str:
        """The plan's versioned JSON form (``docs/sync.md``); never contains passwords."""
        return self._n.to_json()

    def __len__(self) -> int:
        return len(self._n)

    def __bool__(self) -> bool:
        return len(self._n) > 0

    @property
    def changes(self) -> Tuple[Change, ...]:
        """Every change, in the order apply runs them."""
        if self._changes is None:
            self._changes = tuple(
                Change(
                    kind=c["kind"],
                    name=c["name"],
                    at=c["at"],
                    fields=tuple(FieldChange(f["field"], f["before"], f["after"]) for f in c["fields"]),
                )
                for c in self._n.changes()
            )
        return self._changes

    @property
    def warnings(self) -> List[str]:
        """Things worth knowing that are not errors (e.g. a new group one edit away from an existing one)."""
        return self._n.warnings()

    def summary(self) -> PlanSummary:
        """The counts of the plan, by kind."""
        return PlanSummary(**self._n.summary(), text=self._n.summary_text())

    def __repr__(self) -> str:
        return f"<Plan {self._n.summary_text()}>"


# ---- cancellation -------------------------------------------------------------------


class CancelToken:
    """Stops a running apply after its current batch: pass it as ``apply(plan,
    cancel=token)`` and call :meth:`cancel` from anywhere (another thread, a signal
    handler, the progress callback). The apply then returns a report with ``outcome ==
    "cancelled"`` whose ``changes`` say exactly which were applied.

    Cancelling the asyncio task that awaits ``AsyncSync.apply`` does the same (the batch
    in flight is finished, never cut off mid-request) and then raises
    ``CancelledError``; use a token to get the report."""

    __slots__ = ("_n",)

    def __init__(self) -> None:
        self._n = _native.NativeCancelToken()

    def cancel(self) -> None:
        """Requests the stop (idempotent)."""
        self._n.cancel()

    @property
    def cancelled(self) -> bool:
        """Whether a stop was requested."""
        return self._n.is_cancelled()

    def __repr__(self) -> str:
        return f"<CancelToken cancelled={self.cancelled}>"


# ---- the report -------------------------------------------------------------------


@dataclass(frozen=True)
class SyncProgress:
    """One progress report of an apply: ``done`` of ``total`` changes, ``elapsed`` seconds."""

    phase: Phase
    done: int
    total: int
    elapsed: float


@dataclass(frozen=True)
class ChangeResult:
    """One change of the plan and whether the account holds it: ``"applied"``,
    ``"not_applied"`` (known), or ``"unknown"`` (the answer was lost and re-reading
    failed: it may or may not be applied)."""

    kind: ChangeKind
    name: str
    at: str
    status: Literal["applied", "not_applied", "unknown"]

    @property
    def applied(self) -> bool:
        """Whether the change was applied."""
        return self.status == "applied"


@dataclass(frozen=True)
class AppliedCounts:
    """Counts of what was applied."""

    groups_created: int = 0
    groups_moved: int = 0
    groups_updated: int = 0
    users_created: int = 0
    users_updated: int = 0
    users_disabled: int = 0
    users_deleted: int = 0
    skills_created: int = 0
    lobs_created: int = 0


@dataclass(frozen=True)
class SyncFailure:
    """The batch that failed (nothing after it was tried): ``rows`` are its changes,
    ``applied`` those the account holds, ``unknown`` those that may or may not be applied;
    the rest were not applied."""

    step: str
    message: str
    hint: Optional[str]
    rows: Tuple[str, ...]
    suspects: Tuple[str, ...]
    applied: Tuple[str, ...] = ()
    unknown: Tuple[str, ...] = ()


@dataclass(frozen=True)
class SyncReport:
    """What an apply did. ``outcome`` is ``"done"``, ``"cancelled"`` or ``"failed"``;
    ``changes`` lists every change of the plan with its status."""

    applied: AppliedCounts
    changes: Tuple[ChangeResult, ...]
    outcome: Literal["done", "cancelled", "failed"]
    #: Set when ``outcome == "failed"``.
    failure: Optional[SyncFailure]
    #: ``True`` when a new plan after the apply found nothing left (checked only for plans
    #: made in this process, which know their rows); ``None`` when not checked.
    verified: Optional[bool]
    #: The new plan when it was not empty (the server adjusted some values).
    leftover: Optional[Plan]
    #: Login name -> initial password of each created user (kept out of ``repr``).
    initial_passwords: Dict[str, str] = field(default_factory=dict, repr=False)

    @property
    def ok(self) -> bool:
        """Everything applied (and, when checked, verified)."""
        return self.outcome == "done" and self.verified is not False


def _report(native: Tuple[Dict[str, Any], Optional[_native.NativePlan], List[Tuple[str, str]]]) -> SyncReport:
    d, leftover, passwords = native
    out = d["outcome"]
    failure = None
    if out["status"] == "failed":
        failure = SyncFailure(
            out["step"],
            out["message"],
            out.get("hint"),
            tuple(out["rows"]),
            tuple(out["suspects"]),
            tuple(out.get("applied", ())),
            tuple(out.get("unknown", ())),
        )
    return SyncReport(
        applied=AppliedCounts(**d["applied"]),
        changes=tuple(ChangeResult(c["kind"], c["name"], c["at"], c["status"]) for c in d["changes"]),
        outcome=out["status"],
        failure=failure,
        verified=d["verified"],
        leftover=Plan(leftover) if leftover is not None else None,
        initial_passwords=dict(passwords),
    )


def _progress(on_progress: Callable[[SyncProgress], object]) -> Callable[[str, int, int, int], None]:
    def call(phase: str, done: int, total: int, elapsed_ms: int) -> None:
        on_progress(SyncProgress(phase, done, total, elapsed_ms / 1000))  # type: ignore[arg-type]

    return call


def _source(source: Source, what: str = "source") -> Union[str, List[Dict[str, Any]]]:
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    if isinstance(source, (bytes, Mapping)):
        raise TypeError(f"{what} must be a path or an iterable of mappings (one per row)")
    return [dict(row) for row in source]


def _groups(groups: Optional[GroupsSource]) -> Union[str, List[Dict[str, Any]], None]:
    return None if groups is None else _source(groups, "groups")


def _options(
    prune: Optional[Prune],
    allow_masked_blank: bool,
    protected: Iterable[str],
    initial_password: Optional[str],
    create_missing_catalog_entries: bool,
) -> Dict[str, Any]:
    if isinstance(protected, str):
        raise TypeError("protected must be a list of login names, not a str")
    return {
        "prune": prune or "off",
        "allow_masked_blank": allow_masked_blank,
        "protected_logins": list(protected),
        "initial_password": initial_password,
        "create_missing_catalog_entries": create_missing_catalog_entries,
    }


class Sync:
    """HR sync for one account (``client.sync``)."""

    __slots__ = ("_n",)

    def __init__(self, native: _native.NativeClient) -> None:
        self._n = native

    def plan(
        self,
        source: Source,
        *,
        prune: Optional[Prune] = None,
        allow_masked_blank: bool = False,
        protected: Iterable[str] = (),
        initial_password: Optional[str] = None,
        create_missing_catalog_entries: bool = False,
        groups: Optional[GroupsSource] = None,
    ) -> Plan:
        """Reads the rows and the account and returns what would make the account match.
        Writes nothing.

        ``source``: a ``.csv``/``.json``/``.yaml`` path, or an iterable of mappings keyed
        by column name (``login_name``, ``full_name``, ``email``, ``roles``, ``group``,
        ``manager_of``, ``skills``, ``lobs``, ``max_chats``, ``enabled``, ``password``, ...).
        ``prune``: what to do with users the rows do not name (``"disable"`` or
        ``"delete"``; ``None`` leaves them alone); ``protected``: logins never pruned;
        ``allow_masked_blank``: may send back a masked full name; ``initial_password``:
        for new users whose row has none (default: a random one each);
        ``create_missing_catalog_entries``: create the skills and lines of business the
        rows name but the account lacks (listed in the plan, created before the users;
        otherwise an unknown name is an input error); ``groups``: the
        groups section (a path or mappings with ``id``, ``name``, ``parent``,
        ``description``, ``enabled``), which renames, re-parents and creates groups.

        Raises ``SyncInputError`` (every bad row, with line and column) before anything
        is contacted or written.
        """
        opts = _options(
            prune, allow_masked_blank, protected, initial_password, create_missing_catalog_entries
        )
        return Plan(_native.sync_plan(self._n, _source(source), opts, _groups(groups)))

    def apply(
        self,
        plan: Plan,
        *,
        on_progress: Optional[Callable[[SyncProgress], object]] = None,
        batch_size: Optional[int] = None,
        cancel: Optional[CancelToken] = None,
    ) -> SyncReport:
        """Applies ``plan``: groups first, then users, in batches; ``on_progress`` is called
        at every batch and at least every 250 ms while a request runs. A plan made in this
        process is verified by a new plan afterwards (``report.verified``).

        API failures during the apply do not raise: ``report.outcome == "failed"`` and
        ``report.changes`` say what was applied. Raises ``SyncStaleError`` (nothing
        applied) when the account moved since the plan was made. ``cancel`` (a
        :class:`CancelToken`) stops it after the current batch: ``report.outcome ==
        "cancelled"``, and ``report.changes`` say which changes were applied.
        """
        cb = _progress(on_progress) if on_progress is not None else None
        token = cancel._n if cancel is not None else None
        return _report(_native.sync_apply(self._n, plan._n, cb, batch_size, token))


class AsyncSync:
    """HR sync for one account, for asyncio (``async_client.sync``)."""

    __slots__ = ("_n",)

    def __init__(self, native: _native.NativeClient) -> None:
        self._n = native

    async def plan(
        self,
        source: Source,
        *,
        prune: Optional[Prune] = None,
        allow_masked_blank: bool = False,
        protected: Iterable[str] = (),
        initial_password: Optional[str] = None,
        create_missing_catalog_entries: bool = False,
        groups: Optional[GroupsSource] = None,
    ) -> Plan:
        """Like :meth:`Sync.plan`, awaitable."""
        opts = _options(
            prune, allow_masked_blank, protected, initial_password, create_missing_catalog_entries
        )
        return Plan(await _native.sync_plan_async(self._n, _source(source), opts, _groups(groups)))

    async def apply(
        self,
        plan: Plan,
        *,
        on_progress: Optional[Callable[[SyncProgress], object]] = None,
        batch_size: Optional[int] = None,
        cancel: Optional[CancelToken] = None,
    ) -> SyncReport:
        """Like :meth:`Sync.apply`, awaitable; ``on_progress`` runs on the event loop.

        Cancelling the awaiting task stops the apply after its current batch (waiting
        for that batch, so nothing is left half-sent) and re-raises ``CancelledError``.
        """
        cb = None
        if on_progress is not None:
            loop = asyncio.get_running_loop()
            call = _progress(on_progress)

            def cb(phase: str, done: int, total: int, elapsed_ms: int) -> None:
                loop.call_soon_threadsafe(call, phase, done, total, elapsed_ms)

        token = cancel if cancel is not None else CancelToken()
        running = asyncio.ensure_future(_native.sync_apply_async(self._n, plan._n, cb, batch_size, token._n))
        try:
            # Shielded: a cancelled caller must not abort the native task mid-batch.
            return _report(await asyncio.shield(running))
        except asyncio.CancelledError:
            token.cancel()
            # Wait for the batch in flight to end (even if cancelled again meanwhile).
            while not running.done():
                try:
                    await asyncio.shield(running)
                except asyncio.CancelledError:
                    continue
                except Exception:  # the caller was cancelled: its outcome wins
                    break
            raise
