"""The process pool: independent work on every core, by ``fork`` (see ``in_parallel``)."""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, Callable, Iterable, TypeVar

if TYPE_CHECKING:
    from .state import LocaleState


Job = TypeVar("Job")
Result = TypeVar("Result")


def workers() -> int:
    """Processes for independent work: every core, or ``L10N_JOBS``."""
    try:
        return max(1, int(os.environ.get("L10N_JOBS", "")))
    except ValueError:
        return os.cpu_count() or 1


def in_parallel(
    work: Callable[[Job], Result], jobs: Iterable[Job], parallel: bool = True,
    meanwhile: Callable[[], object] | None = None,
) -> list[Result]:
    """``[work(job) for job in jobs]``, in worker processes when ``parallel`` and there are
    several cores; ``work`` must be a module-level function and jobs and results picklable.
    ``meanwhile`` (run once in any case) is work of this process's own: the workers then take
    every job while it runs."""
    jobs = list(jobs)
    count = min(workers(), len(jobs)) if parallel else 1
    # fork copies only the calling thread: with other threads about (``l10n serve``) stay in one.
    if count <= 1 or threading.active_count() > 1:
        if meanwhile is not None:
            meanwhile()
        return [work(job) for job in jobs]
    # fork: the workers start with the modules already imported (forkserver/spawn re-import)
    # and the data this process holds, shared until written to. Every object a worker reads has
    # its reference count written, so each worker ends up with its own copy of much of it: this
    # process takes a share of the jobs itself, one worker fewer and one copy fewer (at 1,000
    # pages, 100 MB): every ``count``-th job, so that with jobs ordered largest first its share
    # weighs about as much as a worker's. Frozen, the garbage collector leaves that data alone.
    mine = set() if meanwhile is not None else set(range(0, len(jobs), count))
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(count if meanwhile is not None else count - 1, mp_context=context) as pool:
            theirs = {i: pool.submit(work, job) for i, job in enumerate(jobs) if i not in mine}
            if meanwhile is not None:
                meanwhile()
            done = {i: work(jobs[i]) for i in sorted(mine)}
            return [done[i] if i in mine else theirs[i].result() for i in range(len(jobs))]
    finally:
        gc.unfreeze()


def share_strings(states: Iterable[LocaleState]) -> None:
    """One string object for each msgid across the locales' approved tables (each came from its
    own process with its own copies): at 1,000 pages, tens of megabytes less, and less for a
    forked worker to copy. The tables are changed in place: lookups made on them stay valid."""
    shared: dict[str, str] = {}
    for state in states:
        table = state.approved()
        for key, msgstr in list(table.items()):
            msgid = shared.setdefault(key[1], key[1])
            if msgid is not key[1]:
                del table[key]
                table[(key[0], msgid)] = msgstr
