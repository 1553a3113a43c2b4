"""Machine description, RESULTS.md appender and measured subprocess runs, shared by benchmarks."""

from __future__ import annotations

import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
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


def typed_command(script: str, argv: list[str] | None) -> str:
    """The command line that ran a benchmark (``argv`` as main() got it, else the real
    one), for its RESULTS.md section."""
    return " ".join(["python", f"bench/{script}", *(sys.argv[1:] if argv is None else argv)])


def append_results(title: str, lines: list[str]) -> None:
    """Add one dated section to bench/RESULTS.md."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = [f"## {title}", "", f"- date: {stamp}", f"- machine: {describe_machine()}",
               *lines, ""]
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write("\n".join(section) + "\n")


def load_average() -> float:
    """The 1-minute load average (other work on the machine slows every figure)."""
    return os.getloadavg()[0]


def _tree(pid: int) -> list[int]:
    """A process and all its descendants (Linux /proc)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children(current))
    return found


def children(pid: int) -> list[int]:
    """The child processes of a process (Linux /proc), such as a server's workers; a thread
    that ends while it is read has none."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found.extend(int(child) for child in task.read_text().split())
        except OSError:
            continue
    return found


def memory_mib(pid: int) -> tuple[float, float]:
    """(RSS, PSS) of one process in MiB (Linux /proc/PID/smaps_rollup): PSS counts a page
    shared by n processes, such as a memory-mapped file's, as 1/n in each."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("Rss", "Pss"):
            values[name] = int(rest.split()[0]) / 1024
    return values["Rss"], values["Pss"]


def tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and its descendants, summed, in MiB."""
    total = 0
    for member in _tree(pid):
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
                    break
        except OSError:
            continue
    return total / 1024


@dataclass
class Measured:
    """One measured subprocess run."""

    status: int
    wall: float
    peak_rss: float        # the process's own peak (os.wait4), MiB
    peak_tree_rss: float   # process + workers, summed, sampled every 0.1 s, MiB
    output: str


def run_measured(command: list[str], env: dict[str, str], log: Path,
                 cwd: Path | None = None) -> Measured:
    """Run a command with its output in ``log``; wall time and peak memory."""
    with log.open("w+", encoding="utf-8") as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env,
                                 cwd=cwd)
        peak = 0.0
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.wait(0.1):
                peak = max(peak, tree_rss_mib(child.pid))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        done.set()
        sampler.join()
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        own = usage.ru_maxrss / 1024
        return Measured(child.returncode, wall, own, max(peak, own), out.read())


def remove_db(db: Path) -> None:
    """Delete a LadybugDB database (a file or a directory), its write-ahead log, the
    marker of a bulk copy that stopped part way (explorer.store.copy_marker) and its saved
    author index (explorer.store.index_files)."""
    from explorer.store.copy_marker import marker_path
    from explorer.store.file_marks import database_files
    from explorer.store.index_files import index_dir

    for path in (*database_files(db), marker_path(db), index_dir(db)):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


def neo4j_ready(clear: bool) -> str | None:
    """None when the Neo4j of the environment (NEO4J_URI) is empty — emptied first with
    ``clear`` — else why the Neo4j runs are skipped."""
    if not os.environ.get("NEO4J_URI"):
        return "NEO4J_URI not set"
    from explorer.settings import load_config
    from explorer.store import open_store

    with open_store(load_config({})) as store:
        if clear:
            engine = store.engine
            # Deleted in transactions of 10,000 nodes (one transaction could outgrow the
            # server's transaction memory); CALL … IN TRANSACTIONS needs an auto-commit run.
            with engine.driver.session(database=engine.database) as session:
                session.run("MATCH (n) CALL { WITH n DETACH DELETE n } "
                            "IN TRANSACTIONS OF 10000 ROWS").consume()
        left = store.engine.read("MATCH (n) RETURN count(*) AS n", {}).rows[0][0]
    return None if not left else f"database not empty ({left:,} nodes; --neo4j-clear)"
