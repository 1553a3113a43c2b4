"""Marks of an embedded database's files, to notice that another process changed them.

LadybugDB keeps a database in one file and, while it is open for writing, a write-ahead log
beside it (``NAME.wal``). A process that opened the file read-only does not see writes made
after it opened, so readers that must follow a writer (the console's worker processes, the
production server's workers) compare these marks and reopen when they differ.
"""

from __future__ import annotations

from pathlib import Path

Marks = tuple[tuple[int, int, int], ...]


def database_files(path: Path) -> tuple[Path, Path]:
    """The database file and its write-ahead log."""
    return path, path.with_name(path.name + ".wal")


def file_marks(path: Path) -> Marks:
    """(inode, size, modification time in ns) of the database file and its write-ahead log,
    for those that exist: changes whenever either is written, replaced or removed. Opening
    the file read-only leaves them as they are."""
    marks = []
    for file in database_files(path):
        try:
            stat = file.stat()
        except FileNotFoundError:
            continue
        marks.append((stat.st_ino, stat.st_size, stat.st_mtime_ns))
    return tuple(marks)


SETTLE_SECONDS = 2.0


def settled(marks: Marks, taken_at: float) -> bool:
    """Whether marks taken at ``taken_at`` (``time.time()``) tell the files' content apart
    from any later state's: a write in the same tick of the file system's clock as the last
    one (a few ms on Linux, up to 2 s on some file systems) could leave the same size and
    modification time, so files written less than SETTLE_SECONDS before are not (as git's
    "racily clean" rule)."""
    return bool(marks) and all(taken_at - mtime_ns / 1e9 >= SETTLE_SECONDS
                               for _, _, mtime_ns in marks)
