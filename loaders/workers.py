"""Worker processes for loaders that parse big files in blocks (OpenAlex JSON Lines,
PubMed XML): a pool, and its results in file order with bounded memory."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")


def workers_default() -> int:
    """One worker per core, at most four."""
    return max(1, min(4, os.cpu_count() or 1))


def _ignore_interrupts() -> None:
    """In a worker: Ctrl-C is the loading process's to handle (it stops the pool); a worker
    that took it too would print its own traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def process_pool(count: int) -> Iterator[ProcessPoolExecutor]:
    """``count`` worker processes (forked where the platform can: nothing to re-import).
    Leaving on an error or Ctrl-C drops the blocks not yet started instead of parsing them."""
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    pool = ProcessPoolExecutor(count, mp_context=context, initializer=_ignore_interrupts)
    try:
        yield pool
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


def in_order(tasks: Iterator[Future[T]], ahead: int) -> Iterator[T]:
    """Results in submission order, keeping ``ahead`` tasks in flight (bounded memory);
    when the input fails, the blocks submitted before come out first."""
    pending: list[Future[T]] = []
    try:
        for task in tasks:
            pending.append(task)
            if len(pending) > ahead:
                yield pending.pop(0).result()
    except Exception:
        while pending:
            yield pending.pop(0).result()
        raise
    while pending:
        yield pending.pop(0).result()
