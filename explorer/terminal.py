"""Text for a terminal: what the data holds is shown, never obeyed."""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """``text`` with control characters other than newline and tab written as ``\\xNN``: a
    name holding an escape sequence cannot clear the screen, set the window's title or
    change colours when the CLI prints it."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", text)
