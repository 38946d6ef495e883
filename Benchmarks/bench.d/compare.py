"""The side-by-side bench on one corpus: the reference, Quarry and the peers index the same docs.jsonl and run
the same query classes; quarryd is loaded over its socket. Writes one JSON result and prints markdown tables.

    compare.py --label NAME --docs DOCS.jsonl --classes DIR --work DIR --bin DIR --result FILE
               [--quarry-bin DIR] [--vpy PYTHON] [--engines tantivy,fts5,py-xapian] [--clients "1 2 4 8"]
               [--duration 5] [--warmup 1] [--passes 3] [--workers N] [--machine JSON] [--keep] [--resume]
               [--jobs 1] [--peers-only]

Order of work (one engine at a time, so that each has the machine to itself, as far as a shared machine
allows), engine by engine, the quickest first: index; compact a Xapian index (xapian-compact, to measure its
size); in-process latency per query class; for Quarry, quarryd over its socket per class at each client
count (ref-load) and its memory afterwards; then the engine's index is deleted (unless --keep), so that a
1M-article run needs the disk of one index at a time, not of five. --jobs N lets N engines index at the same time
(on N cores: their CPU seconds stay their own, their wall times share the machine); their queries still run
one engine at a time. Every figure is also given as a ratio to the reference (raw C++ Xapian with Quarry's
schema and query path: Benchmarks/reference). CPU seconds are each command's own user + system time (wait4):
steadier than wall time when other processes compete for the cores.

--peers-only runs the peers alone, so that they can index beside (or after) a run of the reference and Quarry on
the same corpus; compare_report.py merges the two results.

--resume continues the run recorded in --result (same corpus, queries and settings; else it starts afresh):
engines it finished (index and every figure) are not run again, an engine it left half done is run again from
its indexing, and engines it never ran (--engines may name others than the first sitting did) are added. A
1M-article corpus needs more hours of Xapian indexing than one sitting may have; each resumed run adds what it
finishes.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import compare_report  # noqa: E402
CLASSES = ("free", "phrase", "filtered", "sorted")
# The order engines are run in: quickest to index first, so that a run stopped early has the most engines done.
COST_ORDER = ("fts5", "tantivy", "reference", "quarry", "py-xapian")
MB = 1024 * 1024


LOG_LOCK = threading.Lock()  # engines indexing at once (--jobs) log from their own threads


def log(message: str) -> None:
    with LOG_LOCK:
        print(f"bench: {message}", file=sys.stderr, flush=True)


def run_json(argv: list[str], what: str) -> tuple[dict | None, float, float]:
    """Runs a command that prints one JSON line; returns (its JSON or None, wall seconds, CPU seconds).
    The CPU seconds are the command's own (wait4), so that commands run at the same time are told apart."""
    t0 = time.monotonic()
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        proc = subprocess.Popen(argv, stdout=stdout, stderr=stderr, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall, cpu = time.monotonic() - t0, usage.ru_utime + usage.ru_stime
        stdout.seek(0)
        stderr.seek(0)
        text, errors = stdout.read(), stderr.read()
    try:  # one JSON value: a line, or pretty-printed (quarry-index --json)
        out = json.loads(text[text.index("{"):]) if proc.returncode == 0 else None
    except ValueError:
        out = None
    if out is None:
        log(f"{what} failed (exit {proc.returncode}): {errors.strip()[-600:]}")
    return out, wall, cpu


def folder_bytes(path: str) -> int:
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def health(sock: str) -> bool:
    try:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(2)
        s.connect(sock)
        s.sendall(b"GET /health HTTP/1.1\r\nHost: quarry\r\nConnection: close\r\n\r\n")
        data = s.recv(64)
        s.close()
        return data.startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def proc_status(pid: int) -> dict:
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmRSS", "VmHWM", "Threads"):
                    out[key] = int(value.split()[0])
    except OSError:
        pass
    return out


class Bench:
    def __init__(self, args: argparse.Namespace):
        self.a = args
        self.docs_bytes = os.path.getsize(args.docs)
        with open(args.docs, "rb") as f:
            self.docs_count = sum(1 for line in f if line.strip())
        core = [] if args.peers_only else ["reference"] + (["quarry"] if args.quarry_bin else [])
        self.engines = core + [e for e in args.engines.split(",") if e]
        self.classes = [c for c in CLASSES if os.path.isfile(os.path.join(args.classes, f"{c}.tsv"))]
        self.db = {e: os.path.join(args.work, f"{e}.idx") for e in self.engines}
        self.index: dict[str, dict] = {}
        self.inprocess: dict[str, dict[str, dict]] = {c: {} for c in self.classes}
        self.socket: dict[str, dict[str, dict]] = {c: {} for c in self.classes}
        self.memory: dict = {}
        self.earlier_seconds = 0.0
        if args.resume:
            self.restore()

    def restore(self) -> None:
        """Takes up the figures of the unfinished run in --result, if it measured this same corpus."""
        try:
            with open(self.a.result) as f:
                prior = json.load(f)
        except (OSError, ValueError):
            log(f"{self.a.label}: nothing to resume in {self.a.result}: starting afresh")
            return
        corpus = prior.get("corpus", {})
        if (corpus.get("docs"), corpus.get("bytes")) != (self.docs_count, self.docs_bytes):
            log(f"{self.a.label}: {self.a.result} measured another corpus: starting afresh")
            return
        # The engines are not a setting: a resumed run may add engines to those measured before.
        if corpus.get("queries") != self.query_counts() or compare_report.comparable_settings(prior) != self.settings():
            log(f"{self.a.label}: {self.a.result} was measured with other queries or settings: starting afresh")
            return
        self.index = prior.get("index", {})
        for engine in self.index:
            if engine not in self.engines:
                self.engines.append(engine)
                self.db[engine] = os.path.join(self.a.work, f"{engine}.idx")
        for klass in self.classes:
            self.inprocess[klass] = {e: v for e, v in prior.get("inprocess", {}).get(klass, {}).items()
                                     if e in self.index}
            self.socket[klass] = prior.get("socket", {}).get(klass, {})
        self.memory = prior.get("quarryd_memory", {})
        self.earlier_seconds = prior.get("duration_s", 0.0)
        log(f"{self.a.label}: resuming: {', '.join(e for e in self.engines if self.finished(e)) or 'no engine'} "
            "finished before")

    # ---- indexing ----

    def index_engine(self, engine: str, at_once: int = 1) -> None:
        a, db = self.a, self.db[engine]
        shutil.rmtree(db, ignore_errors=True)
        log(f"{a.label}: indexing with {engine}")
        if engine == "reference":
            out, wall, cpu = run_json([os.path.join(a.bin, "ref-index"), a.docs, db], engine)
            docs = out and out["docs"]
        elif engine == "quarry":
            out, wall, cpu = run_json([os.path.join(a.quarry_bin, "quarry-index"), a.docs, "--db", db, "--json",
                                       "--quiet", "--max-file-size", str(self.docs_bytes + 1)], engine)
            docs = out and out["added"] + out["updated"]
        else:
            out, wall, cpu = run_json([a.vpy, os.path.join(HERE, "peers.py"), engine, "index", a.docs, db], engine)
            docs = out and out["docs"]
        if not out:
            return
        seconds = out["seconds"]
        result = {"docs": docs, "seconds": seconds, "wall_seconds": round(wall, 3), "cpu_seconds": round(cpu, 3),
                  "docs_per_sec": docs / seconds, "mb_per_sec": self.docs_bytes / MB / seconds,
                  "index_bytes": folder_bytes(db), "indexed_at_once": at_once}
        if engine in ("reference", "quarry", "py-xapian") and shutil.which("xapian-compact"):
            compact = db + ".compact"
            shutil.rmtree(compact, ignore_errors=True)
            proc = subprocess.run(["xapian-compact", db, compact], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  text=True)
            if proc.returncode == 0:
                result["compacted_bytes"] = folder_bytes(compact)
            shutil.rmtree(compact, ignore_errors=True)
        self.index[engine] = result

    # ---- queries in-process ----

    def query_engine(self, engine: str, klass: str) -> None:
        a, db = self.a, self.db[engine]
        queries = os.path.join(a.classes, f"{klass}.tsv")
        passes = str(a.passes)
        log(f"{a.label}: {klass} queries in-process, {engine}")
        if engine == "reference":
            argv = [os.path.join(a.bin, "ref-query"), db, queries, "--passes", passes, "--k", "10"]
        elif engine == "quarry":
            argv = [os.path.join(a.quarry_bin, "quarry-bench-queries"), "--db", db, "--queries", queries,
                    "--passes", passes, "--limit", "10"]
        else:
            argv = [a.vpy, os.path.join(HERE, "peers.py"), engine, "query", db, queries, "--passes", passes]
        out, _, _ = run_json(argv, f"{engine} {klass}")
        if out:
            self.inprocess[klass][engine] = out

    # ---- quarryd over its socket ----

    def socket_runs(self) -> None:
        a = self.a
        sock = os.path.join(a.work, "quarryd.sock")
        env = {k: v for k, v in os.environ.items() if not k.startswith("QUARRY_")}
        logfile = open(os.path.join(a.work, "quarryd.log"), "w")
        daemon = subprocess.Popen([os.path.join(a.quarry_bin, "quarryd"), "--db", self.db["quarry"], "--socket", sock,
                                   "--workers", str(a.workers), "--log-level", "warning"],
                                  stdout=logfile, stderr=subprocess.STDOUT, env=env)
        try:
            for _ in range(600):
                if health(sock) or daemon.poll() is not None:
                    break
                time.sleep(0.1)
            if not health(sock):
                log("quarryd did not become healthy; socket runs skipped")
                return
            self.memory["started"] = proc_status(daemon.pid)
            for klass in self.classes:
                queries = os.path.join(a.classes, f"{klass}.tsv")
                for clients in a.clients.split():
                    log(f"{a.label}: {klass} queries over the socket, {clients} client(s), {a.warmup} s + {a.duration} s")
                    out, _, _ = run_json([os.path.join(a.bin, "ref-load"), sock, queries, "--clients", clients,
                                          "--duration", str(a.duration), "--warmup", str(a.warmup), "--limit", "10",
                                          "--snippets", "false", "--pid", str(daemon.pid)], f"ref-load {klass} {clients}")
                    if out:
                        self.socket[klass][clients] = out
            self.memory["after_runs"] = proc_status(daemon.pid)
        finally:
            daemon.send_signal(signal.SIGTERM)
            try:
                self.memory["exit_status"] = daemon.wait(timeout=15)
            except subprocess.TimeoutExpired:
                daemon.kill()
                self.memory["exit_status"] = daemon.wait()
            logfile.close()

    # ---- the run ----

    def finished(self, engine: str) -> bool:
        """Indexed, and every figure of the engine taken (by an earlier run, when resuming)."""
        done = engine in self.index and all(engine in self.inprocess[c] for c in self.classes)
        return done and (engine != "quarry" or self.memory.get("exit_status") is not None)

    def forget(self, engine: str) -> None:
        """Drops whatever figures an earlier, unfinished run left for the engine: it is run again whole."""
        self.index.pop(engine, None)
        for klass in self.classes:
            self.inprocess[klass].pop(engine, None)
        if engine == "quarry":
            self.socket = {c: {} for c in self.classes}
            self.memory = {}

    def measure(self, engine: str) -> None:
        """Queries an indexed engine (alone on the machine), then deletes its index unless --keep."""
        for klass in self.classes:
            self.query_engine(engine, klass)
            self.save(self.result(False))
        if engine == "quarry":
            self.socket_runs()
            self.save(self.result(False))
        if not self.a.keep:
            db = self.db[engine]
            shutil.rmtree(db, ignore_errors=True) if os.path.isdir(db) else (os.path.exists(db) and os.remove(db))

    def run(self) -> dict:
        self.started = time.monotonic()
        # The result file is rewritten after every step ("complete": false until the end), so that a long run
        # stopped early (a 1M-article corpus on a busy machine) still leaves its figures so far.
        order = sorted(self.engines, key=lambda e: COST_ORDER.index(e) if e in COST_ORDER else len(COST_ORDER))
        for engine in order:
            if self.finished(engine):
                log(f"{self.a.label}: {engine}: figures kept from the earlier run")
        pending = [e for e in order if not self.finished(e)]
        # --jobs N: N engines index at once (each its own CPU seconds); queries always run one engine at a time.
        for start in range(0, len(pending), self.a.jobs):
            group = pending[start:start + self.a.jobs]
            for engine in group:
                self.forget(engine)
            threads = [threading.Thread(target=self.index_engine, args=(engine, len(group))) for engine in group]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            self.save(self.result(False))
            for engine in group:
                if engine in self.index:
                    self.measure(engine)
        result = self.result(True)
        self.save(result)
        return result

    def save(self, result: dict) -> None:
        os.makedirs(os.path.dirname(os.path.abspath(self.a.result)), exist_ok=True)
        with open(self.a.result + ".part", "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")
        os.replace(self.a.result + ".part", self.a.result)

    def query_counts(self) -> dict[str, int]:
        counts = {}
        for klass in self.classes:
            with open(os.path.join(self.a.classes, f"{klass}.tsv")) as f:
                counts[klass] = sum(1 for _ in f)
        return counts

    def settings(self) -> dict:
        """What the figures depend on besides the corpus: a resumed run must have the same."""
        return {"k": 10, "passes": self.a.passes, "clients": self.a.clients.split(), "duration_s": self.a.duration,
                "warmup_s": self.a.warmup, "workers": self.a.workers}

    def result(self, complete: bool) -> dict:
        return {
            "benchmark": "compare",
            "label": self.a.label,
            "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            **json.loads(self.a.machine or "{}"),
            "corpus": {"path": self.a.docs, "docs": self.docs_count, "bytes": self.docs_bytes,
                       "queries": self.query_counts()},
            "settings": self.settings(),
            "engines": self.engines,
            "index": self.index, "inprocess": self.inprocess, "socket": self.socket, "quarryd_memory": self.memory,
            "duration_s": round(self.earlier_seconds + time.monotonic() - self.started, 1),
            "complete": complete,
        }


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--label", required=True)
    p.add_argument("--docs", required=True)
    p.add_argument("--classes", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--bin", required=True)
    p.add_argument("--result", required=True)
    p.add_argument("--quarry-bin", default="",
                   help="folder with quarry-index, quarryd and quarry-bench-queries (empty: no Quarry)")
    p.add_argument("--vpy", default=sys.executable)
    p.add_argument("--engines", default="tantivy,fts5,py-xapian")
    p.add_argument("--clients", default="1 2 4 8")
    p.add_argument("--duration", type=float, default=5)
    p.add_argument("--warmup", type=float, default=1)
    p.add_argument("--passes", type=int, default=3)
    p.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    p.add_argument("--machine", default="", help="JSON object merged into the result (machine, git)")
    p.add_argument("--keep", action="store_true")
    p.add_argument("--jobs", type=int, default=1, help="engines indexing at the same time (queries: one at a time)")
    p.add_argument("--resume", action="store_true",
                   help="continue the unfinished run in --result, skipping the engines it finished")
    p.add_argument("--peers-only", action="store_true",
                   help="run only the --engines peers, not the reference and Quarry (compare_report.py merges this "
                        "result with a run of the same corpus that has them)")
    args = p.parse_args()
    os.makedirs(args.work, exist_ok=True)
    result = Bench(args).run()
    print(compare_report.tables(result))
    print(f"Figures written to {os.path.relpath(args.result)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
