"""What each outcome of a command exits with, and the message it prints."""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

#: Every exit code of a generated CLI (and of `wiro`) with what it means: the one table that
#: the constants below, `--help` and the generated READMEs are all made from.
EXIT_CODES = (
    (0, "success"),
    (1, "internal error (a bug: please report it)"),
    (2, "usage error: bad flag or value, missing credentials"),
    (3, "API error: Wiro refused the request or could not be reached"),
    (4, "authentication error"),
    (5, 'the task failed (`pexit` not "0"), or a chat answer was cut off'),
    (6, "the task was cancelled or killed"),
    (7, "the wait deadline passed"),
    (8, "the task succeeded but its outputs could not be saved (see `download`)"),
    (9, "over --max-cost (a job: --budget): refused before sending, or stopped unbilled"),
    (10, "Wiro refused to bill it: balance too low, or a team or personal spend limit reached"),
    (11, "this tool is not available to your team"),
    (12, "too many tasks at once for the balance (code 96), or too many requests: retry later"),
    (130, "interrupted"),
    (141, "the reader of the output went away (`| head`)"),  # 128 + SIGPIPE, as Unix tools
)
(
    EXIT_OK,
    EXIT_INTERNAL,
    EXIT_USAGE,
    EXIT_API,
    EXIT_AUTH,
    EXIT_TASK_FAILED,
    EXIT_TASK_CANCELLED,
    EXIT_WAIT_TIMEOUT,
    EXIT_NOT_SAVED,
    EXIT_OVER_BUDGET,
    EXIT_NOT_BILLABLE,
    EXIT_NOT_ALLOWED,
    EXIT_BUSY,
    EXIT_INTERRUPTED,
    EXIT_BROKEN_PIPE,
) = (code for code, _ in EXIT_CODES)

EXIT_CODES_HELP = "exit codes:\n" + "\n".join(
    f"  {code:<4} {meaning}" for code, meaning in EXIT_CODES
)


def exit_code(exc: BaseException) -> tuple[int, str]:
    """Map an exception to an exit code and the message to print."""
    from .._protocol import errors as errors
    from .._running.task import (
        StoppedAtCapError,
        TaskCancelledError,
        TaskFailedError,
        WaitTimeoutError,
    )

    hint = ""
    if isinstance(exc, errors.ConfigurationError | errors.InputError):
        return EXIT_USAGE, str(exc)
    if isinstance(exc, errors.AuthenticationError):
        return EXIT_AUTH, f"authentication failed: {exc}\n  {_credentials_hint()}"
    if isinstance(exc, WaitTimeoutError):
        hint = "" if exc.action != "left" else f"\n  resume with: wait {exc.task.id}"
        return EXIT_WAIT_TIMEOUT, f"{exc}{hint}"
    if isinstance(exc, StoppedAtCapError):
        return EXIT_OVER_BUDGET, str(exc)
    if isinstance(exc, TaskCancelledError):
        return EXIT_TASK_CANCELLED, str(exc)
    if isinstance(exc, TaskFailedError):
        return EXIT_TASK_FAILED, str(exc)
    if isinstance(exc, errors.CostLimitError):
        return EXIT_OVER_BUDGET, str(exc)
    if isinstance(exc, errors.InsufficientBalanceError | errors.SpendLimitError):
        return (
            EXIT_NOT_BILLABLE,
            f"{exc}\n  add credit, or ask your team's admin to raise the limit",
        )
    if isinstance(exc, errors.ModelNotAllowedError):
        return EXIT_NOT_ALLOWED, f"{exc}\n  ask your team's admin to allow this tool"
    if isinstance(exc, errors.RateLimitError):
        return EXIT_BUSY, f"{exc}\n  wait for your running tasks to end, or add credit"
    if isinstance(exc, errors.OutputSaveError):
        hint = "\n  the task is done and paid for: free the space or pick another -o folder, then"
        hint += f" fetch its outputs with: download {exc.task_id} -o FOLDER" if exc.task_id else ""
        return EXIT_NOT_SAVED, f"the task succeeded, but {exc}{hint}"
    if isinstance(exc, errors.APIError | errors.TransportError | errors.ProtocolError):
        return EXIT_API, f"{type(exc).__name__}: {exc}"
    return EXIT_INTERNAL, f"internal error ({type(exc).__name__}: {exc}); please report it"


def _credentials_hint() -> str:
    """Where the refused key came from, as the client looked for it: an option, the
    environment, or a profile stored by `wiro auth login` (named with its file)."""
    from .._protocol.auth import API_KEY_ENV, API_SECRET_ENV
    from .._protocol.profiles import load_profile, profile_name, store_path

    if os.environ.get(API_KEY_ENV):
        return f"check {API_KEY_ENV} and {API_SECRET_ENV} (or --api-key/--api-secret)"
    try:
        stored = load_profile()
    except Exception:  # an unreadable store says so when it is read for real
        stored = None
    if stored is not None:
        return (
            f"check --api-key/--api-secret if you gave them, else the key stored for profile "
            f"{profile_name()!r} in {store_path()}: run `wiro auth login` again"
        )
    return f"check --api-key/--api-secret (or {API_KEY_ENV} and {API_SECRET_ENV})"


def quiet_on_broken_pipe(command: Callable[[], int]) -> int:
    """Run a command; if its reader goes away (`| head`), stop quietly as Unix tools do."""
    try:
        code = command()
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # nothing more can be written, and Python's own flush at exit must not complain
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
