"""Every error the runtime raises, so callers can catch one base class.

WiroError
├── ConfigurationError        missing credentials or settings
│   └── ClientClosedError     a request through a client that was closed
├── InputError (ValueError)   an input value the tool does not accept
├── TransportError            the request did not get an answer (network, timeout)
│   └── UncertainSubmitError  a Run that may have created a (billed) task: look before retrying
├── ProtocolError             the answer is not Wiro's envelope
├── OutputSaveError           a finished task's file could not be written here (disk, folder)
├── CostLimitError            refused here, nothing sent: the run may cost more than its cap
├── APIError                  Wiro answered `result: false` or an HTTP error
│   ├── UploadError           Wiro refused the upload of a local file for a URL input
│   ├── AuthenticationError   bad key, secret, signature or nonce
│   ├── ValidationError       Wiro rejected a parameter
│   ├── NotFoundError         unknown tool or task
│   ├── RateLimitError        HTTP 429 or too many concurrent tasks (code 96)
│   ├── InsufficientBalanceError  code 97
│   ├── SpendLimitError       a team's, or your own in a team, spend limit is reached
│   └── ModelNotAllowedError  the tool is not available to your team
└── TaskError                 the task ran but did not succeed
    ├── TaskFailedError       ended with pexit other than "0", or task_error
    ├── TaskCancelledError    ended as task_cancel
    │   └── StoppedAtCapError  stopped here before its seconds cost more than its cap or budget
    └── WaitTimeoutError      did not end before the wait deadline

TaskError and its subclasses live in `_task`, beside the Task they carry.
"""

from __future__ import annotations


class WiroError(Exception):
    """Base class of every error raised by Wiro clients.

    `task_id` is set on every error raised once a task exists (while waiting, stopping or
    downloading), so the task is never lost: follow it with `wait`, stop it with `stop`.
    """

    task_id: str | None = None


class ConfigurationError(WiroError):
    """Credentials or settings are missing or malformed."""


class ClientClosedError(ConfigurationError):
    """The client's connections were closed (`close()`, or the end of its `with` block):
    the caller's mistake, said at once and never retried as network trouble."""

    def __init__(self) -> None:
        super().__init__(
            "this client is closed (by close(), or at the end of its `with` block); make a "
            "new one to send more requests"
        )


class InputError(WiroError, ValueError):
    """An input value the tool does not accept; names the input."""

    def __init__(self, message: str, *, input_name: str | None = None) -> None:
        super().__init__(message)
        self.input_name = input_name


class TransportError(WiroError):
    """The request got no answer: connection refused, reset or timed out."""


class UncertainSubmitError(TransportError):
    """The Run may have reached Wiro and created a task that is billed, but no usable answer
    came back (a reset or timeout after sending, an HTTP 5xx, an empty or truncated body, no
    task id). It is never sent again on its own."""


class ProtocolError(WiroError):
    """The answer was not the JSON envelope Wiro sends."""


class OutputSaveError(WiroError):
    """A task's output could not be saved on this machine (a full disk, a folder that cannot
    be written): the task is done and paid for, so fetch its outputs again once fixed.
    `folder` is where they were to go."""

    def __init__(self, message: str, *, folder: str) -> None:
        super().__init__(message)
        self.folder = folder


class CostLimitError(WiroError):
    """A run refused before anything was sent: its quote may pass the cap it was given
    (`max_cost`), or cannot be bounded before the run. `quote` is the `Quote`, `cap` the cap."""

    def __init__(self, message: str, *, quote: object, cap: float) -> None:
        super().__init__(message)
        self.quote = quote
        self.cap = cap


class APIError(WiroError):
    """Wiro reported an error, with its code and messages."""

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        status_code: int | None = None,
        messages: tuple[str, ...] = (),
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.status_code = status_code
        self.messages = messages or (message,)
        self.retry_after = retry_after

    def __str__(self) -> str:
        details = []
        if self.status_code is not None:
            details.append(f"HTTP {self.status_code}")
        if self.code is not None:
            details.append(f"code {self.code}")
        suffix = f" ({', '.join(details)})" if details else ""
        return f"{self.message}{suffix}"


class UploadError(APIError):
    """Wiro refused a local file's upload (/File/Upload) for a URL input; names the input."""


class AuthenticationError(APIError):
    """Wiro refused the credentials."""


class ValidationError(APIError):
    """Wiro rejected a request parameter."""


class NotFoundError(APIError):
    """The tool or task does not exist."""


class RateLimitError(APIError):
    """Too many requests, or too many concurrent tasks for the balance."""


class SpendLimitError(APIError):
    """Wiro refused to bill the Run: the team's spend limit, or your own limit in the team,
    is reached (they never reset: a team admin raises them)."""


class ModelNotAllowedError(APIError):
    """The team's allow or block list keeps this tool from your team's key."""


class InsufficientBalanceError(APIError):
    """The account balance is too low to run the task."""
