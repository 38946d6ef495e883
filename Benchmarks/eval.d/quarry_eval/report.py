"""Markdown tables and the machine/commit facts that go with every result."""
from __future__ import annotations

import datetime
import os
import platform
import subprocess
from pathlib import Path


def metric_table(metric: str, rows: dict[str, dict[str, float]], columns: list[str], mean_row: bool = True) -> str:
    """rows: collection -> engine -> value. The best value of each row is in bold."""
    lines = [f"| collection | {' | '.join(columns)} |", "|---|" + "---:|" * len(columns)]
    table = dict(rows)
    if mean_row and len(rows) > 1:
        table["**mean**"] = {c: sum(r[c] for r in rows.values() if c in r) / len(rows)
                             for c in columns if all(c in r for r in rows.values())}
    for name, values in table.items():
        best = max((values[c] for c in columns if c in values), default=None)
        cells = []
        for c in columns:
            if c not in values:
                cells.append("–")
                continue
            text = f"{values[c]:.4f}"
            cells.append(f"**{text}**" if best is not None and round(values[c], 4) == round(best, 4) else text)
        lines.append(f"| {name} | {' | '.join(cells)} |")
    return f"### {metric}\n\n" + "\n".join(lines) + "\n"


def git_facts(root: Path) -> dict:
    def git(*args: str) -> str:
        try:
            return subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                                  check=True).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return ""
    status = git("status", "--porcelain")
    return {
        "commit": git("rev-parse", "HEAD") or "unknown",
        "dirty": bool(status),
        "modified_sources": sorted(line[3:] for line in status.splitlines()
                                   if line[3:].startswith(("Sources/", "CXapian/"))),
    }


def machine_facts() -> dict:
    cpu = "unknown"
    try:
        for line in open("/proc/cpuinfo", encoding="utf-8"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gib = None
    try:
        for line in open("/proc/meminfo", encoding="utf-8"):
            if line.startswith("MemTotal:"):
                memory_gib = round(int(line.split()[1]) / 1024 / 1024, 1)
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "arch": platform.machine(), "cpu": cpu, "kernel": platform.release(),
            "memory_gib": memory_gib, "python": platform.python_version()}


def versions() -> dict:
    facts: dict[str, str] = {}
    try:
        import xapian
        facts["xapian"] = xapian.version_string()
    except ImportError:
        pass
    import sqlite3
    facts["sqlite"] = sqlite3.sqlite_version
    from importlib import metadata
    for package in ("tantivy", "bm25s", "PyStemmer", "ir-measures", "pytrec-eval-terrier", "pytrec-eval"):
        try:
            facts[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            pass
    return facts


def utc_stamp() -> tuple[str, str]:
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    return now.isoformat(), now.strftime("%Y%m%dT%H%M%SZ")
