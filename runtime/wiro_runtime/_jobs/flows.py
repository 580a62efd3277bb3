"""One row of a job taken as far as it will go, and rows whose Run answer was lost found
again: flows (see `_running.steps`), written once for any driver, with every fact that
money depends on committed to the ledger at the moment it becomes true."""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import Mapping, MutableMapping, Sequence
from pathlib import Path
from typing import Any

from .._protocol import errors
from .._protocol.files import upload_of
from .._protocol.metering import Meter
from .._protocol.polling import WaitPolicy
from .._protocol.pricing import Quote, checked_amount
from .._protocol.wire import PreparedRequest, TaskRef
from .._running import flows, steps
from .._running.core import ClientCore, WaitCallbacks
from .._running.steps import Flow
from .._running.task import (
    StoppedAtCapError,
    Task,
    TaskCancelledError,
    TaskError,
    TaskHandle,
    TaskState,
    WaitTimeoutError,
)
from .ledger import BudgetReached, Guard, Ledger, LedgerRow
from .pace import Pace
from .rows import FILE, SHA256, file_sha256, is_local_file
from .stores import OutputStore

#: How far apart this machine's clock and Wiro's may be when a task's creation time is
#: compared with the moment its intent was written.
CLOCK_SKEW = 300.0
#: How many tasks are read back from `/Task/List` at most when looking for lost ones.
LIST_PAGE = 100
LIST_PAGES = 50


class Gate:
    """Whether a job may still submit, shared by its threads: a Run its budget cannot take,
    or Wiro refusing to bill (the balance, a spend limit, a tool the team may not run),
    closes it for the rest of the run. `why` says what closed it; `cause` is "budget",
    "billing" or "not allowed"."""

    def __init__(self, budget: float | None = None) -> None:
        self.budget = checked_amount("budget", budget) if budget is not None else None
        self.why: str | None = None
        self.cause: str | None = None

    @property
    def open(self) -> bool:
        return self.why is None

    def close(self, cause: str, why: str) -> None:
        if self.why is None:
            self.why, self.cause = why, cause


#: Wiro's refusals to bill a Run, by what closes the gate: no row after it would be billed.
REFUSALS_TO_BILL: tuple[tuple[type[errors.APIError], str], ...] = (
    (errors.InsufficientBalanceError, "billing"),
    (errors.SpendLimitError, "billing"),
    (errors.ModelNotAllowedError, "not allowed"),
)


def row_flow(
    core: ClientCore[Any],
    ledger: Ledger,
    row: LedgerRow,
    owner: str,
    outputs: OutputStore,
    policy: WaitPolicy,
    uploads: MutableMapping[str, Any] | None = None,
    pace: Pace | None = None,
    gate: Gate | None = None,
) -> Flow[LedgerRow]:
    """A planned row (claimed by `owner`) submitted, a submitted one followed, and its
    outputs saved; the row as the ledger then holds it. A Run whose answer is lost leaves the
    row `submitting`, to be found by `reconcile`; a wait that ends early leaves it
    `submitted`, to be followed again; a row that moved on (another runner took it when this
    one's lease ran out) is let go, and nothing more is sent for it."""
    task_id, token = row.task_id, row.token
    gate = gate or Gate()
    if row.state == "planned":
        shared = {} if uploads is None else uploads
        submitted = yield from _submit(core, ledger, row, owner, shared, pace, gate)
        if submitted is None:
            return _reread(ledger, row)
        task_id, token = submitted
    if task_id is None:
        return row
    meter = yield from _meter(core, ledger, row.key, task_id, gate)
    task = yield from _follow(core, ledger, row, task_id, token, policy, meter, gate)
    if task is not None:
        try:
            saved = yield from outputs.save(task, row.key, core.retry, owner)
        except OSError as exc:  # a full disk, a store refusing: the whole job stops
            folder = outputs.place(row.key)
            raise errors.OutputSaveError(
                f"cannot save the outputs of task {task.id} into {folder}: "
                f"{exc.strerror or exc}; the row stays submitted: resume once this is fixed",
                folder=folder,
            ) from exc
        ledger.record_succeeded(row.key, task_id, saved, task.total_cost)
    return _reread(ledger, row)


def _reread(ledger: Ledger, row: LedgerRow) -> LedgerRow:
    return ledger.row(row.key) or row


def _submit(
    core: ClientCore[Any],
    ledger: Ledger,
    row: LedgerRow,
    owner: str,
    uploads: MutableMapping[str, Any],
    pace: Pace | None,
    gate: Gate,
) -> Flow[tuple[str, str | None] | None]:
    """Local files uploaded (free), the intent committed, the Run sent, its task committed.
    None: refused (the row failed, nothing was billed), Wiro too busy (code 96: the row is
    planned again and rests, given back to the job), the answer was lost, the row is no
    longer this runner's, or the gate closed (nothing was sent; the row stays planned)."""
    try:
        values = yield from _with_uploads(core, row.inputs, uploads)
        request = core.prepare_run(values)
    except errors.WiroError as exc:
        ledger.record_failed(row.key, Guard.held(owner), describe(exc))
        return None
    found = yield from _quoted(core, request, gate)
    quoted = None if found is None else found.high
    if not gate.open:
        return None
    try:
        intent = ledger.record_intent(
            row.key, owner, request.body, quoted=quoted, budget=gate.budget
        )
    except BudgetReached as exc:
        gate.close("budget", str(exc))
        return None  # stays planned: nothing was sent
    if intent is None:
        return None  # its lease ran out and another runner has it: not sent
    sent_at = time.time()
    sent = yield from _send(core, ledger, row.key, request, intent, gate)
    if isinstance(sent, TaskHandle):
        if pace is not None:
            pace.accepted()
        if not ledger.record_submitted(row.key, intent, sent.task_id, sent.socket_token):
            return None  # judged by another runner meanwhile: it follows the row from here
        return sent.task_id, sent.socket_token
    if isinstance(sent, errors.RateLimitError):
        # too many tasks at once on the account: no task was made. The job runs fewer, and
        # the row, planned again, waits a while, then for a slot the pace allows
        retry_after = sent.retry_after

        def rest(refusals: int) -> float:
            return core.retry.delay(min(refusals - 1, 6), retry_after)

        ledger.release(row.key, owner, retry_after=pace.busy(sent_at, rest) if pace else rest(1))
    return None


def _send(
    core: ClientCore[Any],
    ledger: Ledger,
    key: str,
    request: PreparedRequest,
    intent: str,
    gate: Gate,
) -> Flow[TaskHandle | errors.RateLimitError | None]:
    """The Run, sent once, its intent written: the task's handle; Wiro's code 96 (the row
    planned again, to be sent after a wait); or None, with the row as the refusal left it
    (failed, planned with the gate closed, or `submitting` when the answer was lost)."""
    sent = Guard.at_intent(intent)
    try:
        return (yield from flows.submit(core, request, busy_retries=0))
    except KeyboardInterrupt:
        # a job's blocking driver throws its interrupt in between steps, never during one:
        # out of the Run's step, it means the Run was not sent
        ledger.record_planned(key, sent, "interrupted before its Run was sent")
        raise
    except errors.UncertainSubmitError:
        return None  # stays `submitting`: a task may exist, and `reconcile` will look for it
    except errors.RateLimitError as exc:
        if exc.code != "96":
            ledger.record_failed(key, sent, describe(exc))
            return None
        ledger.record_planned(key, sent, "Wiro was busy (code 96): sent again")
        return exc
    except errors.APIError as exc:
        cause = next((c for kind, c in REFUSALS_TO_BILL if isinstance(exc, kind)), None)
        if cause is None:
            ledger.record_failed(key, sent, describe(exc))  # refused: no task, no charge
        else:  # no row would be billed now: it waits, planned, and the job stops sending
            ledger.record_planned(key, sent, f"not sent: {exc}")
            gate.close(cause, str(exc))
        return None
    except errors.WiroError as exc:
        ledger.record_failed(key, sent, describe(exc))  # refused: no task, no charge
        return None


def _quoted(core: ClientCore[Any], request: PreparedRequest, gate: Gate) -> Flow[Quote | None]:
    """Under a budget, the Run's quote (its high end None: unbounded); a job whose rows
    cannot be priced, or bounded, cannot hold a budget, and stops submitting."""
    if gate.budget is None:
        return None
    try:
        found = yield from flows.quote_request(core, request)
    except errors.WiroError as exc:
        gate.close("budget", f"the rows cannot be priced, so the budget cannot be held: {exc}")
        return None
    if found.high is None:
        gate.close(
            "budget",
            f"a row's cost cannot be bounded before it runs ({found.describe()}), so the "
            f"budget of ${gate.budget:.4f} cannot be held",
        )
    return found


class _HeldInLedger:
    """A running task's allowance: its row's reservation in the ledger, grown under the
    job's lock while the budget (shared by every runner of the job) can take it."""

    def __init__(self, ledger: Ledger, key: str, task_id: str, budget: float) -> None:
        self.ledger, self.key, self.task_id, self.budget = ledger, key, task_id, budget

    def reserved(self) -> float:
        return self.ledger.reservation(self.key) or 0.0

    def grow(self, to: float) -> bool:
        return self.ledger.grow_reservation(self.key, self.task_id, to, self.budget)


def _meter(
    core: ClientCore[Any], ledger: Ledger, key: str, task_id: str, gate: Gate
) -> Flow[Meter | None]:
    """Under a budget, the meter of a row's task billed by the second, from what its Run
    sent (a resumed job's rows too)."""
    row = ledger.row(key)
    if gate.budget is None or row is None or row.sent is None:
        return None
    try:
        found = yield from flows.quote_body(core, row.sent)
    except errors.WiroError:
        return None  # priced when it was sent; its reservation still counts against the budget
    allowance = _HeldInLedger(ledger, key, task_id, gate.budget)
    return flows.meter_of(found, allowance, f"the job's budget of ${gate.budget:.4f}")


def _with_uploads(
    core: ClientCore[Any], inputs: Mapping[str, Any], uploads: MutableMapping[str, Any]
) -> Flow[dict[str, Any]]:
    """The row's values with each local file uploaded and replaced by its URL, after checking
    that it is still the file the row was planned with."""
    values: dict[str, Any] = {}
    for name, value in inputs.items():
        if isinstance(value, list):
            urls: list[Any] = []
            for entry in value:
                urls.append((yield from _uploaded(core, name, entry, uploads)))
            values[name] = urls
        else:
            values[name] = yield from _uploaded(core, name, value, uploads)
    return values


def _uploaded(
    core: ClientCore[Any], name: str, value: Any, uploads: MutableMapping[str, Any]
) -> Flow[Any]:
    if not is_local_file(value):
        return value
    path = Path(value[FILE])
    if file_sha256(path, name) != value[SHA256]:
        raise errors.InputError(
            f"{name}: {path} changed since the row was planned; put the file back, or plan "
            "the row again in a new job",
            input_name=name,
        )
    return (yield from _shared_upload(core, name, path, value[SHA256], uploads))


def _shared_upload(
    core: ClientCore[Any], name: str, path: Path, digest: str, uploads: MutableMapping[str, Any]
) -> Flow[str]:
    """The file's URL, uploaded once per content however many rows (and threads) give it:
    the first to claim it uploads, the others wait for its URL (or take over if it failed)."""
    mine = object()
    while True:
        held = uploads.setdefault(digest, mine)  # atomic: one claim wins
        if isinstance(held, str):
            return held
        if held is mine:
            break
        yield from steps.sleep(0.02)
    try:
        upload = upload_of(path, core.max_upload_bytes, name)
        url: str = (yield from flows.upload(core, upload)).url
    except BaseException:
        del uploads[digest]  # the next row to need it uploads it
        raise
    uploads[digest] = url
    return url


def _follow(
    core: ClientCore[Any],
    ledger: Ledger,
    row: LedgerRow,
    task_id: str,
    token: str | None,
    policy: WaitPolicy,
    meter: Meter | None,
    gate: Gate,
) -> Flow[Task | None]:
    """The task followed to its end: returned when it succeeded; a failed or cancelled one
    is recorded; None too when the wait ended early (the row stays `submitted`). One
    stopped at the budget closes the gate: nothing more is sent."""
    ref = TaskRef("taskid", task_id)
    on_task = Guard.on_task(task_id)
    try:
        return (
            yield from flows.follow_metered(
                core, ref, WaitCallbacks(), policy=policy, socket_token=token, meter=meter
            )
        )
    except TaskError as exc:
        if isinstance(exc, WaitTimeoutError):
            return None
        if isinstance(exc, StoppedAtCapError):
            gate.close("budget", str(exc))
        if isinstance(exc, TaskCancelledError):  # stopped (by a Ctrl-C, by hand, at the budget)
            ledger.record_planned(row.key, on_task, f"{exc}: planned again")
            return None
        cost = exc.task.total_cost if exc.task else None
        ledger.record_failed(row.key, on_task, describe(exc), cost)
        return None
    except errors.WiroError:
        return None  # Wiro could not be asked: the task is followed again on resume
    except steps.INTERRUPTS:
        with contextlib.suppress(errors.WiroError):
            yield from stop_row(core, ledger, row.key, task_id, "stopped by an interrupt")
        raise


def stop_row(core: ClientCore[Any], ledger: Ledger, key: str, task_id: str, why: str) -> Flow[Task]:
    """The row's task stopped; a task stopped before it finished is free, and its row is
    planned again (the task kept in the history). One that ended first stays to be followed."""
    stopped = yield from flows.stop(core, TaskRef("taskid", task_id))
    if stopped.state is TaskState.CANCELLED:
        ledger.record_planned(key, Guard.on_task(task_id), f"task {task_id} was {why}")
    return stopped


def describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def reconcile(
    core: ClientCore[Any],
    ledger: Ledger,
    rows: Sequence[LedgerRow],
    *,
    settle_after: float,
    resubmit_uncertain: bool = False,
) -> Flow[list[LedgerRow]]:
    """Rows whose Run answer was lost (`submitting`), and with `resubmit_uncertain` the
    `uncertain` ones, claimed by the caller, looked for among the caller's tasks
    (`/Task/List`): one task of this tool, created after the row's intent, with exactly the
    inputs sent and held by no other row, is adopted. A row none matches is `uncertain` once
    `settle_after` seconds have passed since its intent (sent again only with
    `resubmit_uncertain`); several matching is `uncertain` too. Each judgement lands only if
    the row still waits on the same intent. Returns the rows still too recent to judge."""
    if not rows:
        return []
    since = min(row.submitting_at or 0.0 for row in rows) - CLOCK_SKEW
    tasks = yield from _tasks_since(core, since)
    taken = ledger.task_ids()
    waiting: list[LedgerRow] = []
    for row in rows:
        found = [task for task in tasks if task.id not in taken and _made_by(core, row, task)]
        lost = Guard.at_intent(row.intent, "submitting", "uncertain")
        if len(found) == 1:
            ledger.record_submitted(row.key, row.intent, found[0].id, found[0].socket_token)
            taken.add(found[0].id)
        elif len(found) > 1:
            ids = ", ".join(task.id for task in found)
            ledger.record_uncertain(row.key, lost, f"tasks {ids} all match its inputs; check them")
        elif time.time() - (row.submitting_at or 0.0) < settle_after:
            waiting.append(row)
        elif resubmit_uncertain:
            ledger.record_planned(row.key, lost, "no task of it was found: sent again, as asked")
        else:
            ledger.record_uncertain(
                row.key,
                lost,
                "its Run's answer was lost and no task of it was found; resume with "
                "resubmit_uncertain (--resubmit-uncertain) to send it again",
            )
    return waiting


def _tasks_since(core: ClientCore[Any], since: float) -> Flow[list[Task]]:
    """This tool's tasks created after `since`, newest first, a page at a time."""
    found: list[Task] = []
    for page in range(LIST_PAGES):
        listed = yield from flows.list_tasks(
            core, start=page * LIST_PAGE, limit=LIST_PAGE, model_name=core.tool.slug
        )
        found.extend(listed)
        if len(listed) < LIST_PAGE or any(_created(task) < since for task in listed):
            break
    return found


def _created(task: Task) -> float:
    try:
        return float(task.raw.get("createtime") or 0)
    except (TypeError, ValueError):
        return 0.0


def _made_by(core: ClientCore[Any], row: LedgerRow, task: Task) -> bool:
    """Whether `task` is the one this row's Run made: this tool's, created after the intent,
    with every input the row sent."""
    owner, slug = task.raw.get("modelslugowner"), task.raw.get("modelslugproject")
    if isinstance(owner, str) and owner.lower() != core.tool.owner.lower():
        return False
    if isinstance(slug, str) and slug.lower() != core.tool.slug.lower():
        return False
    if _created(task) < (row.submitting_at or 0.0) - CLOCK_SKEW:
        return False
    sent = row.sent or {}
    return all(
        name in task.parameters and _text(task.parameters[name]) == _text(value)
        for name, value in sent.items()
    )


def _text(value: object) -> str:
    """A parameter as text, the way Wiro may hand it back (numbers and lists as strings)."""
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True, separators=(",", ":"))
