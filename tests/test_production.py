"""The production server for real: `coauthor-explorer gunicorn` as a separate process on
loopback, pages and API under concurrent load, 503s while the database is away and recovery
without a restart, a graceful stop, and bad settings stopping it with one line."""

from __future__ import annotations

import http.client
import json
import os
import select
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

import ladybug
import pytest

from explorer.settings import load_config

SIMONYAN = quote("name:karen simonyan")
PATH = f"from={quote('name:jean baptiste alayrac')}&to={quote('name:jack w rae')}"
REQUESTS = 2000
CLIENTS = 16


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log: Path

    def get(self, path: str, timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def log_lines(self) -> list[dict]:
        """Every line the server wrote, each one a JSON object (the default log format)."""
        return [json.loads(line) for line in self.log.read_text().splitlines() if line]

    def stop(self, timeout: float = 30) -> int:
        """SIGTERM, as `docker stop` sends it; the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout)


def server_env(**settings: str) -> dict[str, str]:
    """This environment without any database or explorer settings, plus ``settings``."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("NEO4J_", "COAUTHOR_EXPLORER_"))}
    return {**env, **settings}


@contextmanager
def gunicorn(tmp_path: Path, **settings: str) -> Iterator[Server]:
    """`coauthor-explorer gunicorn` on a free loopback port, up and answering /healthz."""
    port = free_port()
    log = tmp_path / f"server-{port}.log"
    env = server_env(COAUTHOR_EXPLORER_BIND=f"127.0.0.1:{port}", **settings)
    with log.open("w") as out:
        process = subprocess.Popen([sys.executable, "-m", "explorer", "gunicorn"], env=env,
                                   stdout=out, stderr=subprocess.STDOUT)
    server = Server(process, port, log)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, f"the server stopped:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"no answer on /healthz:\n{log.read_text()}"
            try:
                if server.get("/healthz", timeout=5)[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(30)


def test_gunicorn_serves_pages_and_api_concurrently_without_an_error(demo_db, tmp_path):
    with gunicorn(tmp_path, COAUTHOR_EXPLORER_DB=demo_db, COAUTHOR_EXPLORER_THREADS="8") \
            as server:
        paper = json.loads(server.get("/api/search?q=gopher&kind=papers")[2])[0]["id"]
        urls = [
            "/api/stats", "/api/search?q=simony", "/api/search?q=gopher&kind=papers",
            f"/api/authors/{SIMONYAN}", f"/api/authors/{SIMONYAN}/works?limit=5",
            f"/api/authors/{SIMONYAN}/slice?limit=10&min_weight=2", f"/api/path?{PATH}",
            f"/api/papers/{quote(paper)}", "/", "/?q=simonyan", f"/authors/{SIMONYAN}",
            f"/papers/{quote(paper)}", f"/path?{PATH}", "/readyz",
            "/assets/vis-network.min.js",
        ]
        expected = {}
        for url in urls:  # one at a time first: the answers the load must reproduce
            status, _, body = server.get(url)
            assert status == 200, (url, body[:300])
            expected[url] = body
        assert b"Karen Simonyan" in expected[f"/authors/{SIMONYAN}"]
        assert json.loads(expected["/api/stats"])["papers"] == 5

        def client(worker: int) -> list[tuple[str, int, bool]]:
            """One keep-alive connection sending its share of the requests."""
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            answers = []
            for n in range(worker, REQUESTS, CLIENTS):
                url = urls[n % len(urls)]
                connection.request("GET", url)
                response = connection.getresponse()
                body = response.read()
                answers.append((url, response.status, body == expected[url]))
            connection.close()
            return answers

        started = time.monotonic()
        with ThreadPoolExecutor(CLIENTS) as pool:
            answers = [a for share in pool.map(client, range(CLIENTS)) for a in share]
        elapsed = time.monotonic() - started
        assert len(answers) == REQUESTS
        wrong = [a for a in answers if a[1] != 200 or not a[2]]
        assert not wrong, f"{len(wrong)} wrong answers, first {wrong[:3]}"
        assert server.stop() == 0
    lines = server.log_lines()  # every line parsed as JSON
    logged = [line for line in lines if line["logger"] == "explorer.request"]
    probes = sum(url == "/readyz" for url, _, _ in answers)  # logged at DEBUG only
    assert sum(line["status"] == 200 for line in logged) >= REQUESTS - probes
    assert not [line for line in lines if line["level"] in ("ERROR", "CRITICAL")]
    assert any(line["message"] == "closed the database" for line in lines)
    print(f"{REQUESTS} requests from {CLIENTS} clients in {elapsed:.1f} s")
    ladybug.Database(demo_db).close()  # the stopped server let go of the file


def test_an_unreachable_neo4j_is_a_503_with_a_message_within_two_seconds(tmp_path):
    """Nothing listens at NEO4J_URI: the server starts (two workers) and answers."""
    uri = f"bolt://127.0.0.1:{free_port()}"
    with gunicorn(tmp_path, NEO4J_URI=uri, NEO4J_PASSWORD="secret",
                  COAUTHOR_EXPLORER_WORKERS="2") as server:
        for url in ("/api/stats", f"/api/authors/{SIMONYAN}", "/", f"/authors/{SIMONYAN}",
                    "/readyz") * 3:
            started = time.monotonic()
            status, headers, body = server.get(url)
            assert time.monotonic() - started < 2, url
            assert status == 503, url
            assert (f"cannot reach Neo4j at {uri}" in body.decode()) == (url == "/readyz"), \
                "the address in the operator's probe and log, not in what visitors see"
            if url.startswith("/api/"):
                assert json.loads(body)["error"]["status"] == 503
                assert headers["Retry-After"]
        assert server.get("/healthz")[0] == 200
        assert server.stop() == 0
    booted = [line for line in server.log_lines() if line["message"].startswith("Booting")]
    assert len(booted) == 2
    assert sum(f"cannot reach Neo4j at {uri}" in line["message"]
               for line in server.log_lines()) >= 12, "each 503's reason, in the log"


def test_the_server_recovers_when_the_embedded_database_is_freed(demo_db, tmp_path):
    """Another process holds the database file (a load, say): 503 saying so; once it lets
    go the same server process and worker answer, with no restart. (One worker opens the
    file for writing; several open it read-only beside a writer: test_production_workers.)"""
    database = ladybug.Database(demo_db)
    connection = ladybug.Connection(database)
    try:
        with gunicorn(tmp_path, COAUTHOR_EXPLORER_DB=demo_db,
                      COAUTHOR_EXPLORER_WORKERS="1") as server:
            status, _, body = server.get("/api/stats")
            assert status == 503 and b"unavailable just now" in body
            assert any("in use by another process" in line["message"]
                       for line in server.log_lines())
            assert server.get("/readyz")[0] == 503
            connection.close()
            database.close()
            deadline = time.monotonic() + 10
            while (answer := server.get("/api/stats"))[0] != 200:
                assert time.monotonic() < deadline, answer
                time.sleep(0.2)
            assert json.loads(answer[2])["papers"] == 5
            assert server.get("/readyz")[0] == 200
            assert server.stop() == 0
    finally:
        connection.close()
        database.close()
    booted = [line for line in server.log_lines() if line["message"].startswith("Booting")]
    assert len(booted) == 1


class Forwarder:
    """A loopback TCP port relaying to another address, which can be cut and restored: a
    Neo4j server going down and coming back, as the app sees it."""

    def __init__(self, port: int, target: tuple[str, int]) -> None:
        self.port, self.target = port, target
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self._acceptor: threading.Thread | None = None

    def start(self) -> None:
        listener = socket.create_server(("127.0.0.1", self.port))
        listener.settimeout(0.05)
        self._stopped.clear()
        self._acceptor = threading.Thread(target=self._accept, args=(listener,), daemon=True)
        self._acceptor.start()

    def stop(self) -> None:
        """Refuse new connections and cut every open one."""
        self._stopped.set()
        if self._acceptor is not None:
            self._acceptor.join()
            self._acceptor = None
        with self._lock:
            for sock in self._sockets:
                sock.close()
            self._sockets.clear()

    def _accept(self, listener: socket.socket) -> None:
        with listener:
            while not self._stopped.is_set():
                try:
                    client, _ = listener.accept()
                except TimeoutError:
                    continue
                client.settimeout(None)
                upstream = socket.create_connection(self.target, timeout=10)
                upstream.settimeout(None)
                with self._lock:
                    self._sockets += [client, upstream]
                threading.Thread(target=self._relay, args=(client, upstream),
                                 daemon=True).start()

    def _relay(self, a: socket.socket, b: socket.socket) -> None:
        peers = {a: b, b: a}
        try:
            while True:
                for ready in select.select([a, b], [], [], 60)[0]:
                    data = ready.recv(65536)
                    if not data:
                        return
                    peers[ready].sendall(data)
        except (OSError, ValueError):
            return
        finally:
            a.close()
            b.close()


@pytest.mark.neo4j
def test_the_server_recovers_when_neo4j_comes_back(tmp_path):
    """Through a relay to the real server at NEO4J_URI: down at start (503), up (answers),
    cut (503 within two seconds), back (answers), all in one server process."""
    real = os.environ.get("NEO4J_URI")
    if not real:
        pytest.skip("set NEO4J_URI (and NEO4J_PASSWORD) to a Neo4j 5 server")
    parts = urlsplit(real)
    if parts.scheme not in ("bolt", "neo4j"):
        pytest.skip("the relay passes plain Bolt only (not +s / +ssc)")
    relay = Forwarder(free_port(), (parts.hostname or "localhost", parts.port or 7687))
    settings = {k: os.environ[k] for k in ("NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE")
                if os.environ.get(k)}
    with gunicorn(tmp_path, NEO4J_URI=f"bolt://127.0.0.1:{relay.port}", **settings) as server:
        assert server.get("/api/stats")[0] == 503

        def answers_within(seconds: float) -> bool:
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                if server.get("/api/stats")[0] == 200:
                    return True
                time.sleep(0.2)
            return False

        try:
            relay.start()
            assert answers_within(10)
            assert server.get("/readyz")[0] == 200
            relay.stop()
            started = time.monotonic()
            status, _, body = server.get("/api/stats")
            assert status == 503 and time.monotonic() - started < 2.5
            assert b"cannot reach Neo4j" in body
            relay.start()
            assert answers_within(10)
        finally:
            relay.stop()
        assert server.stop() == 0


@pytest.mark.parametrize(("graceful", "hang", "finishes"), [("10", "1.5", True),
                                                           ("1", "3", False)])
def test_a_running_request_finishes_within_the_graceful_timeout(tmp_path, graceful, hang,
                                                                finishes):
    """SIGTERM while a request waits on a hung Neo4j (it accepts connections and never
    answers): the request still gets its whole answer if it ends within graceful_timeout,
    and is cut off if not; the server exits cleanly either way."""
    with socket.socket() as hung:
        hung.bind(("127.0.0.1", 0))
        hung.listen(64)
        uri = f"bolt://127.0.0.1:{hung.getsockname()[1]}"
        with gunicorn(tmp_path, NEO4J_URI=uri, NEO4J_PASSWORD="secret",
                      NEO4J_CONNECT_TIMEOUT=hang,
                      COAUTHOR_EXPLORER_GRACEFUL_TIMEOUT=graceful) as server:
            time.sleep(1.2)  # past the retry pause of the worker's first attempt
            with ThreadPoolExecutor(1) as pool:
                running = pool.submit(server.get, "/api/stats")
                time.sleep(0.5)
                server.process.send_signal(signal.SIGTERM)
                if finishes:
                    status, _, body = running.result(timeout=30)
                    assert status == 503 and b"unavailable just now" in body
                else:
                    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
                        running.result(timeout=30)
            assert server.process.wait(30) == 0


def run_command(*args: str, **settings: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "explorer", *args], env=server_env(**settings),
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(("args", "settings", "words"), [
    (("gunicorn",), {"COAUTHOR_EXPLORER_THREADS": "0"},
     "setting threads (environment variable COAUTHOR_EXPLORER_THREADS) has the value '0'"),
    (("gunicorn", "--bind", "8000"), {}, "setting bind (option) has the value '8000'"),
    (("gunicorn",), {"COAUTHOR_EXPLORER_REOPEN_CHECK_SECONDS": "0"},
     "setting reopen_check_seconds (environment variable COAUTHOR_EXPLORER_REOPEN_CHECK_"),
    (("serve",), {"COAUTHOR_EXPLORER_MAX_ROWS": "many"},
     "setting max_rows (environment variable COAUTHOR_EXPLORER_MAX_ROWS) has the value"),
    (("serve",), {"NEO4J_CONNECT_TIMEOUT": "-1"}, "setting neo4j_connect_timeout"),
])
def test_a_bad_setting_stops_the_server_with_one_line(tmp_path, args, settings, words):
    result = run_command("--db", str(tmp_path / "x.lbdb"), *args, **settings)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("Error: setting ")
    assert words in result.stderr


def test_gunicorn_leaves_request_logging_to_the_app(tmp_path):
    """The app logs each request (explorer.request); gunicorn must not also build an access
    line per request (it would, because the logging is configured by dictionary)."""
    from gunicorn.config import Config as GunicornConfig

    from explorer.wsgi import gunicorn_options

    options = gunicorn_options(load_config({"db_path": str(tmp_path / "db")}, environ={}))
    cfg = GunicornConfig()
    for name, value in options.items():
        if name in cfg.settings:
            cfg.set(name, value)
    logger = cfg.logger_class(cfg)

    class Untouchable:
        def __getattr__(self, name: str) -> None:
            raise AssertionError(f"gunicorn read {name} to log a request")

    logger.access(Untouchable(), Untouchable(), {}, Untouchable())
