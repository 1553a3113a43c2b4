"""Stable digests of identifiers: the same in every process and every run, unlike ``hash()``
(randomised per process), so that they can be written to files and compared later."""

from __future__ import annotations

import hashlib


def id_hash(identifier: str) -> int:
    """A stable 63-bit digest of an id (non-negative, so it fits an int64)."""
    return int.from_bytes(hashlib.blake2b(identifier.encode(), digest_size=8).digest(),
                          "little") >> 1
