"""The author index saved beside its database (``NAME.author-index/``), so that it is built
once per state of the database file instead of once per process.

The production server's workers, and a server started again on an unchanged file, map the
saved arrays from disk (well under a second; the pages are shared between processes through
the page cache) instead of reading the whole graph again (~55 s and ~1.1 GB a process at
10M authorships). Numpy arrays are saved as ``.npy`` files and Arrow arrays as Arrow IPC
files, both memory-mapped when read.

A saved index is named after the marks of the database's files
(:mod:`explorer.store.file_marks`) it was built from, and only used by a store whose content
is known to be that state: one opened while the marks stayed the same, that has not written
since, and whose files were not written in the last seconds before it opened them (a later
write in the same tick of the file system's clock could leave the same marks; see
:meth:`explorer.store.base.Engine.content_marks`). Every other write changes the marks (a
read-write close too: its checkpoint touches the file), so a stale index is not used; the
next save replaces it. Builds, saves and loads of one database are serialised between
processes by a lock file, so that workers starting together build the index once.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import numpy as np
import pyarrow as pa

from .author_index import AuthorIndex
from .file_marks import Marks

log = logging.getLogger(__name__)

FORMAT = 1  # raise when the arrays of the index change: older saves are then not found
MANIFEST = "manifest.json"
LOCK = ".lock"
LOCK_POLL_SECONDS = 0.2
FAILURE_NOTE = ".unsaved-"  # + the state's name: saving it failed (its time says when)
FAILED_SAVE_SECONDS = 600.0


def index_dir(db: Path) -> Path:
    """Where the saved author index of the database at ``db`` lives."""
    return db.with_name(db.name + ".author-index")


def state_name(marks: Marks) -> str:
    """The folder name of an index built from the database files with these marks."""
    text = json.dumps([FORMAT, [list(mark) for mark in marks]])
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


@contextlib.contextmanager
def exclusive(db: Path, stop: threading.Event, *, wait_seconds: float,
              create: bool = True) -> Iterator[bool]:
    """Hold the lock of the database's saved index, waiting while another process builds,
    saves or loads one, at most ``wait_seconds`` and unless ``stop`` is set meanwhile.
    Yields False, without the lock, when it gave up or stopped, or when the folder cannot be
    made (such as in a read-only directory) or, without ``create``, does not exist, or the
    file system cannot lock files."""
    handle = _acquire(db, stop, wait_seconds, create)
    try:
        yield handle is not None
    finally:
        if handle is not None:
            handle.close()


def _acquire(db: Path, stop: threading.Event, wait_seconds: float, create: bool
             ) -> IO[str] | None:
    """The lock file, locked (see :func:`exclusive`), or None."""
    folder = index_dir(db)
    lock = folder / LOCK
    give_up = time.monotonic() + wait_seconds
    while True:
        try:
            if create:
                folder.mkdir(exist_ok=True)
            elif not folder.is_dir():
                return None
            handle = lock.open("a")
        except OSError as exc:
            log.info("the author index will not be saved beside %s: %s", db,
                     exc.strerror or exc)
            return None
        try:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if stop.wait(LOCK_POLL_SECONDS) or time.monotonic() > give_up:
                        if not stop.is_set():
                            log.warning("waited %.0f s for another process to build the "
                                        "author index of %s (%s): building it here",
                                        wait_seconds, db, lock)
                        handle.close()
                        return None
            if _same_file(handle, lock):  # not a lock whose folder was deleted meanwhile
                return handle
        except OSError as exc:  # a file system that cannot lock (some NFS or FUSE mounts)
            log.warning("cannot lock %s (%s): the author index is built in memory only",
                        lock, exc.strerror or exc)
            handle.close()
            return None
        handle.close()


def save_failed_recently(db: Path, marks: Marks) -> bool:
    """Whether saving this state's index failed in the last FAILED_SAVE_SECONDS (a full
    disk, say): other processes then build their own at once instead of one after another."""
    try:
        age = time.time() - _failure_note(db, marks).stat().st_mtime
    except OSError:
        return False
    return age < FAILED_SAVE_SECONDS


def can_save(db: Path) -> bool:
    """Whether files can be written in the saved index's folder (held by :func:`exclusive`),
    so that a build is worth making others wait for."""
    try:
        with tempfile.TemporaryFile(dir=index_dir(db)):
            return True
    except OSError as exc:
        log.warning("the author index cannot be saved in %s: %s", index_dir(db),
                    exc.strerror or exc)
        return False


def load(db: Path, marks: Marks) -> AuthorIndex | None:
    """The index saved for the database at ``db`` in the state ``marks``, memory-mapped, or
    None when there is none (or it cannot be read: it is then built again). Call while
    holding :func:`exclusive`: a save may replace the folder."""
    folder = index_dir(db) / state_name(marks)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("the saved author index %s cannot be read (%s); building it again",
                    folder, exc)
        return None
    try:
        arrays = {name: _read(folder / file) for name, file in manifest["arrays"].items()}
        index = AuthorIndex.from_arrays(arrays)
        index.check()
        return index
    except (OSError, ValueError, KeyError, TypeError, IndexError, pa.ArrowException) as exc:
        log.warning("the saved author index %s cannot be read (%s); building it again",
                    folder, exc)
        return None


def save(db: Path, marks: Marks, index: AuthorIndex) -> Path | None:
    """Save ``index`` as built from the database at ``db`` in the state ``marks``, and
    remove what was saved for earlier states; call while holding :func:`exclusive`. Returns
    the folder, or None when it could not be written (the index still serves from memory).
    Every file is flushed to disk before the folder takes its name, so a crash leaves either
    a whole save or none."""
    parent = index_dir(db)
    final = parent / state_name(marks)
    temporary = parent / f".saving-{uuid.uuid4().hex}"
    try:
        temporary.mkdir()
        files = {}
        for number, (name, value) in enumerate(index.arrays().items()):
            files[name] = _write(temporary / str(number), value)
        with (temporary / MANIFEST).open("w") as out:
            json.dump({"format": FORMAT, "marks": [list(mark) for mark in marks],
                       "arrays": files, "authors": index.size}, out)
            out.flush()
            os.fsync(out.fileno())
        _sync_folder(temporary)
        if final.exists():  # the same state saved before (then found unreadable)
            os.rename(final, parent / f".replaced-{uuid.uuid4().hex}")
        os.rename(temporary, final)
        _sync_folder(parent)
    except (OSError, ValueError, pa.ArrowException) as exc:
        log.warning("could not save the author index in %s: %s", parent, exc)
        shutil.rmtree(temporary, ignore_errors=True)
        with contextlib.suppress(OSError):
            _failure_note(db, marks).touch()
        return None
    newest = _newest_write(marks)
    for other in parent.iterdir():  # we hold the lock: nobody else is saving
        if other.is_dir() and other != final and _saved_before(other, newest):
            shutil.rmtree(other, ignore_errors=True)
        elif other.name.startswith(FAILURE_NOTE):
            other.unlink(missing_ok=True)
    return final


def remove(db: Path) -> None:
    """Remove the saved author index of the database at ``db``, if any."""
    shutil.rmtree(index_dir(db), ignore_errors=True)


def _write(stem: Path, value: np.ndarray | pa.Array) -> str:
    if isinstance(value, pa.Array):
        path = stem.with_suffix(".arrow")
        batch = pa.record_batch([value], names=["values"])
        with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, batch.schema) as writer:
            writer.write_batch(batch)
    else:
        path = stem.with_suffix(".npy")
        np.save(path, np.ascontiguousarray(value), allow_pickle=False)
    with path.open("rb") as written:
        os.fsync(written.fileno())
    return path.name


def _sync_folder(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _same_file(handle: IO[str], path: Path) -> bool:
    try:
        return os.fstat(handle.fileno()).st_ino == path.stat().st_ino
    except OSError:
        return False


def _failure_note(db: Path, marks: Marks) -> Path:
    return index_dir(db) / f"{FAILURE_NOTE}{state_name(marks)}"


def _newest_write(marks: Marks) -> int:
    return max((mtime_ns for _, _, mtime_ns in marks), default=0)


def _saved_before(folder: Path, newest: int) -> bool:
    """Whether a saved folder is of a state written before ``newest`` (or is unreadable, or
    a save cut short): kept otherwise, for a process that saved an earlier state after a
    later one was saved must not delete the later one."""
    try:
        marks = json.loads((folder / MANIFEST).read_text())["marks"]
        return _newest_write(tuple(tuple(mark) for mark in marks)) <= newest
    except (OSError, ValueError, KeyError, TypeError):
        return True


def _read(path: Path) -> np.ndarray | pa.Array:
    if path.suffix == ".arrow":
        return pa.ipc.open_file(pa.memory_map(str(path))).get_batch(0).column(0)
    return np.asarray(np.load(path, mmap_mode="r", allow_pickle=False))
