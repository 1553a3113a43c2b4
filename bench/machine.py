"""A one-line description of this machine and a RESULTS.md appender, shared by benchmarks."""

from __future__ import annotations

import datetime as dt
import os
import platform
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def describe_machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text()
                          .splitlines() if line.startswith("MemTotal")))
        memory = f"{mem_kb / 1024 / 1024:.0f} GiB"
    except OSError:
        memory = "?"
    return f"{os.cpu_count()} cores ({cpu}), {memory}, Python {platform.python_version()}"


def append_results(title: str, lines: list[str]) -> None:
    """Add one dated section to bench/RESULTS.md."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = [f"## {title}", "", f"- date: {stamp}", f"- machine: {describe_machine()}",
               *lines, ""]
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write("\n".join(section) + "\n")
