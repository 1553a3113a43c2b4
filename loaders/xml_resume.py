"""Reading on after an XML error: a document made of the file's prolog (up to the start tag
that holds the records) and the file from the first record that starts after the error's
line, with its lines mapped back to the file's."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol

_CHUNK = 1 << 20

PARSER_POSITION = re.compile(r", line \d+, column \d+$")
"""The position lxml appends to a message (the document's, not the file's)."""


class ByteReader(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


@dataclass(frozen=True)
class Lines:
    """File line = document line + ``shift``, after the document's first ``prolog`` lines,
    which are the file's own."""

    shift: int = 0
    prolog: int = 0

    def __call__(self, line: int) -> int:
        return line if line <= self.prolog else line + self.shift

    def in_message(self, message: str) -> str:
        """A parser's message with the lines it names ('tag mismatch: title line 12 …')
        moved to the file's."""
        return re.sub(r"\bline (\d+)", lambda m: f"line {self(int(m[1]))}", message)


class ResumedDocument:
    """The prolog, then the rest of the file from a record's start tag."""

    def __init__(self, first: bytes, stream: ByteReader) -> None:
        self._first, self._stream = first, stream

    @classmethod
    def after(cls, stream: ByteReader, line: int, prolog_end: re.Pattern[bytes],
              record_start: re.Pattern[bytes]) -> tuple[ResumedDocument, int, Lines] | None:
        """The document read from ``stream`` (the file from its start) on from the first
        ``record_start`` after ``line``, the file line of that record, and how the
        document's lines map to the file's; None when no record starts after ``line``.
        The prolog ends with the start tag that ``prolog_end`` finds."""
        buffer, lines_before = b"", 0  # lines_before: newlines before the buffer
        prolog = None
        while True:
            chunk = stream.read(_CHUNK)
            if not chunk:
                return None
            buffer += chunk
            if prolog is None:
                found = prolog_end.search(buffer)
                close = buffer.find(b">", found.start()) if found else -1
                if close < 0:
                    continue
                prolog = buffer[:close + 1]
            if lines_before + buffer.count(b"\n") < line:  # not yet at the line after it
                lines_before += buffer.count(b"\n")
                buffer = b""
                continue
            after = 0
            for _ in range(line - lines_before):
                after = buffer.index(b"\n", after) + 1
            found = record_start.search(buffer, after)
            if found is None:  # keep the end: a start tag may straddle two chunks
                keep = max(after, len(buffer) - 256)
                lines_before += buffer.count(b"\n", 0, keep)
                buffer, line = buffer[keep:], lines_before
                continue
            first_line = lines_before + buffer.count(b"\n", 0, found.start()) + 1
            document = prolog + b"\n" + buffer[found.start():]
            prolog_lines = prolog.count(b"\n") + 1
            return cls(document, stream), first_line, Lines(first_line - prolog_lines - 1,
                                                             prolog_lines)

    def read(self, size: int = _CHUNK) -> bytes:
        if self._first:
            first, self._first = self._first, b""
            return first
        return self._stream.read(size)
