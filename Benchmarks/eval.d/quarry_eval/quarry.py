"""Quarry as a user runs it: `quarry-index` builds the index, `quarryd` serves it on a Unix socket, and every
query goes through GET /search over HTTP/1.1 keep-alive."""
from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path


class UnixHTTPConnection(http.client.HTTPConnection):
    """http.client over an AF_UNIX socket; one connection serves every request (keep-alive)."""

    def __init__(self, path: str, timeout: float = 60.0):
        super().__init__("quarry", timeout=timeout)
        self.socket_path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        sock.connect(self.socket_path)
        self.sock = sock


@dataclass
class Binaries:
    index: Path
    daemon: Path

    @staticmethod
    def in_folder(folder: Path) -> "Binaries":
        return Binaries(folder / "quarry-index", folder / "quarryd")


def build_index(binaries: Binaries, docs: Path, db: Path, title_weight: int | None = None,
                spelling: bool = False, stemming: str | None = None) -> dict:
    """Runs quarry-index into a new database; returns its JSON summary."""
    shutil.rmtree(db, ignore_errors=True)
    db.parent.mkdir(parents=True, exist_ok=True)
    command = [str(binaries.index), str(docs), "--db", str(db), "--quiet", "--json"]
    if not spelling:
        command.append("--no-spelling")
    if title_weight is not None:
        command += ["--title-weight", str(title_weight)]
    if stemming is not None:
        command += ["--stemming", stemming]
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"quarry-index failed ({done.returncode}): {done.stderr.strip()[-2000:]}")
    try:
        summary = json.loads(done.stdout)
    except json.JSONDecodeError:
        summary = {"output": done.stdout[-2000:]}
    summary["wallSeconds"] = time.monotonic() - started
    return summary


@dataclass
class SearchOutcome:
    hits: list[tuple[str, float]]
    status: int
    error: str | None = None
    took_us: int = 0


@dataclass
class Daemon:
    """A quarryd on its own socket with the given QUARRY_* settings; a context manager that always stops it."""
    binaries: Binaries
    db: Path
    socket_path: Path
    settings: dict[str, str] = field(default_factory=dict)
    log_path: Path | None = None
    process: subprocess.Popen | None = None
    connection: UnixHTTPConnection | None = None

    def __enter__(self) -> "Daemon":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self, timeout: float = 30.0) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("QUARRY_")}
        env.update(self.settings)
        try:
            self.socket_path.unlink()
        except FileNotFoundError:
            pass
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL
        try:
            self.process = subprocess.Popen(
                [str(self.binaries.daemon), "--db", str(self.db), "--socket", str(self.socket_path),
                 "--log-level", "warning"],
                env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log, preexec_fn=_die_with_parent)
        finally:
            if log is not subprocess.DEVNULL:
                log.close()
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"quarryd exited with {self.process.returncode} at start-up"
                                   + (f"; see {self.log_path}" if self.log_path else ""))
            if self.socket_path.exists():
                try:
                    status, _ = self.get("/health")
                    if status == 200:
                        return
                except OSError:
                    self._drop_connection()
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("quarryd did not answer /health in time")
            time.sleep(0.02)

    def stop(self) -> None:
        self._drop_connection()
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def _drop_connection(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def get(self, target: str) -> tuple[int, bytes]:
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = UnixHTTPConnection(str(self.socket_path))
            try:
                self.connection.request("GET", target)
                response = self.connection.getresponse()
                return response.status, response.read()
            except (http.client.HTTPException, ConnectionError):
                # The daemon closed an idle keep-alive connection: reconnect once.
                self._drop_connection()
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def search(self, text: str, limit: int) -> SearchOutcome:
        target = "/search?" + urllib.parse.urlencode({"q": text, "limit": limit, "snippets": "false"})
        status, body = self.get(target)
        try:
            payload = json.loads(body)
        except json.JSONDecodeError:
            return SearchOutcome([], status, body[:300].decode("utf-8", "replace"))
        if status != 200:
            message = payload.get("error", {}) if isinstance(payload, dict) else payload
            return SearchOutcome([], status, json.dumps(message)[:300])
        hits = [(hit["id"], float(hit["score"])) for hit in payload.get("hits", [])]
        return SearchOutcome(hits, status, None, int(payload.get("tookMicroseconds", 0)))


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM it if the evaluation dies without stopping it (Linux prctl)."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def ranking_environment(k1: float | None = None, b: float | None = None, lowercase: bool | None = None,
                        stopwords: str | None = None, min_normlen: float | None = None,
                        plus_delta: float | None = None, proximity: float | None = None,
                        window: int | None = None, feedback: float | None = None) -> dict[str, str]:
    """The QUARRY_* variables for a ranking setting (None: leave quarryd's default). Always: no per-query time
    budget (results must not depend on machine load) and no spelling lookups (the index has no spelling data)."""
    env = {"QUARRY_QUERY_TIME_LIMIT_SECONDS": "0", "QUARRY_SPELLING_SUGGESTIONS": "false",
           "QUARRY_WORKERS": "1"}
    if k1 is not None:
        env["QUARRY_BM25_K1"] = repr(float(k1))
    if b is not None:
        env["QUARRY_BM25_B"] = repr(float(b))
    if lowercase is not None:
        env["QUARRY_LOWERCASE_QUERY"] = "true" if lowercase else "false"
    if stopwords is not None:
        env["QUARRY_QUERY_STOPWORDS"] = stopwords
    if min_normlen is not None:
        env["QUARRY_BM25_MIN_NORMLEN"] = repr(float(min_normlen))
    if plus_delta is not None:
        env["QUARRY_BM25_PLUS_DELTA"] = repr(float(plus_delta))
    if proximity is not None:
        env["QUARRY_PROXIMITY_WEIGHT"] = repr(float(proximity))
    if window is not None:
        env["QUARRY_PROXIMITY_WINDOW"] = str(int(window))
    if feedback:
        env["QUARRY_FEEDBACK_DEFAULT"] = "true"
        env["QUARRY_FEEDBACK_WEIGHT"] = repr(float(feedback))
    return env
