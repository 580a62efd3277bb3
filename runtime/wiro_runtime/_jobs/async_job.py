"""A job for asyncio code: the same durable runner (`Job`), run in a worker thread so the
event loop is never blocked by its ledger or its threads; cancelling the awaiting task
stops the job as Ctrl-C would (its tasks stopped, their rows planned again)."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, Unpack

from .job import Job, JobSummary, RowT, RunOptions
from .ledger import LedgerRow

if TYPE_CHECKING:
    from .._running.core import ClientCore


class AsyncJob(Generic[RowT]):
    """A durable batch of one tool's inputs (see `AsyncClient.job` and `Job`)."""

    def __init__(
        self,
        client: ClientCore[Any],
        ledger: str | os.PathLike[str],
        *,
        out_dir: str | os.PathLike[str] | None = None,
    ) -> None:
        self.job: Job[RowT] = Job(client, ledger, out_dir=out_dir)

    async def __aenter__(self) -> AsyncJob[RowT]:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await asyncio.to_thread(self.job.close)

    @property
    def out_dir(self) -> Path | str:
        return self.job.out_dir

    async def add(self, rows: Iterable[RowT], **options: Any) -> int:
        """Plan rows (see `Job.add`)."""
        return await asyncio.to_thread(functools.partial(self.job.add, rows, **options))

    async def summary(self) -> JobSummary:
        return await asyncio.to_thread(self.job.summary)

    async def retry_failed(self) -> int:
        """Failed rows planned again (see `Job.retry_failed`)."""
        return await asyncio.to_thread(self.job.retry_failed)

    async def cancel(self) -> tuple[JobSummary, list[str]]:
        """Stop the job wherever it runs (see `Job.cancel`)."""
        return await asyncio.to_thread(self.job.cancel)

    async def write_manifest(self, target: str | os.PathLike[str]) -> Path:
        return await asyncio.to_thread(self.job.write_manifest, target)

    def rows(self, *states: str) -> Iterator[LedgerRow]:
        """The job's rows in input order (a page at a time from the ledger)."""
        return self.job.rows(*states)

    async def run(
        self, rows: Iterable[RowT] | None = None, **options: Unpack[RunOptions]
    ) -> JobSummary:
        """Run the job to its end (see `Job.run`). Cancelled, it stops its tasks before the
        cancellation goes on, however many times it is cancelled meanwhile."""
        stop = threading.Event()
        running = asyncio.ensure_future(
            asyncio.to_thread(functools.partial(self.job.run, rows, stop=stop, **options))
        )
        try:
            return await asyncio.shield(running)
        except asyncio.CancelledError:
            stop.set()
            while not running.done():
                with contextlib.suppress(asyncio.CancelledError):
                    await asyncio.shield(running)
            raise
