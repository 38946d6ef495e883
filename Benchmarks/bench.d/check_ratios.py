"""Benchmarks/check's measuring half: Quarry against the raw C++ reference on one small corpus, as ratios
with pass/fail margins. Run by Benchmarks/check (which builds the programs and makes the corpus); see its
--help for what is measured and why the margins are what they are.

    check_ratios.py --ref-bin DIR --quarry-bin DIR --docs DOCS.jsonl --classes DIR --work DIR
                    [--rounds 3] [--passes 3] [--min-index 0.80] [--max-size 1.05] [--max-query 1.50]
                    [--result FILE] [--machine JSON]

Each round indexes the corpus with ref-index and quarry-index (order alternating by round) and times each
query class in-process with ref-query and quarry-bench-queries on the index just built. Indexing is counted
in CPU seconds of the indexing process (user + system, from wait4), not wall time, so that other work on a
shared machine moves the figures less; latency is each tool's own p50 per class. Per engine the best round
counts (the least CPU, the lowest p50): on a shared machine noise only ever adds time.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import subprocess
import sys
import tempfile
import time

CLASSES = ("free", "phrase", "filtered", "sorted")


def run_json(argv: list[str]) -> tuple[dict, float]:
    """Runs a command that prints one JSON value; returns (it, the command's CPU seconds from wait4)."""
    with tempfile.TemporaryFile("w+") as stdout, tempfile.TemporaryFile("w+") as stderr:
        proc = subprocess.Popen(argv, stdout=stdout, stderr=stderr, text=True)
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own CPU time, not all children's
        proc.returncode = os.waitstatus_to_exitcode(status)
        stdout.seek(0)
        stderr.seek(0)
        out, err = stdout.read(), stderr.read()
    if proc.returncode != 0:
        raise SystemExit(f"check: {' '.join(argv[:2])} failed (exit {proc.returncode}): {err.strip()[-600:]}")
    try:
        return json.loads(out[out.index("{"):]), usage.ru_utime + usage.ru_stime
    except ValueError:
        raise SystemExit(f"check: {argv[0]} printed no JSON: {out[-300:]!r}")


def folder_bytes(path: str) -> int:
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def measure(a: argparse.Namespace) -> dict:
    docs_bytes = os.path.getsize(a.docs)
    index = {"reference": [], "quarry": []}
    query = {k: {"reference": [], "quarry": []} for k in CLASSES}
    for rnd in range(1, a.rounds + 1):
        engines = ("reference", "quarry") if rnd % 2 else ("quarry", "reference")
        for engine in engines:
            db = os.path.join(a.work, f"{engine}.idx")
            subprocess.run(["rm", "-rf", db], check=True)
            if engine == "reference":
                out, cpu = run_json([os.path.join(a.ref_bin, "ref-index"), a.docs, db])
                docs = out["docs"]
            else:
                # One writer, as the reference: the wrapper's cost, like for like (a parallel build's figures
                # are docs/performance.md's "A new index on every core").
                out, cpu = run_json([os.path.join(a.quarry_bin, "quarry-index"), a.docs, "--db", db, "--json",
                                     "--quiet", "--jobs", "1", "--max-file-size", str(docs_bytes + 1)])
                docs = out["added"] + out["updated"]
            index[engine].append({"docs": docs, "cpu_seconds": cpu, "index_bytes": folder_bytes(db)})
        for klass in CLASSES:
            queries = os.path.join(a.classes, f"{klass}.tsv")
            for engine in engines:
                db = os.path.join(a.work, f"{engine}.idx")
                if engine == "reference":
                    argv = [os.path.join(a.ref_bin, "ref-query"), db, queries, "--passes", str(a.passes),
                            "--k", "10"]
                else:
                    argv = [os.path.join(a.quarry_bin, "quarry-bench-queries"), "--db", db, "--queries",
                            queries, "--passes", str(a.passes), "--limit", "10"]
                out, _ = run_json(argv)
                query[klass][engine].append(out["p50_us"])
        print(f"check: round {rnd} of {a.rounds} done", file=sys.stderr)
    return {"index": index, "query": query}


def verdicts(m: dict, a: argparse.Namespace) -> list[dict]:
    """One row per ratio: name, reference and Quarry figures, the ratio, the margin, passed or not."""
    ref, qry = m["index"]["reference"], m["index"]["quarry"]
    rows = []
    if ref[0]["docs"] != qry[0]["docs"]:
        rows.append({"name": "documents indexed", "reference": ref[0]["docs"], "quarry": qry[0]["docs"],
                     "ratio": qry[0]["docs"] / max(1, ref[0]["docs"]), "margin": "= 1", "passed": False})
    ref_cpu, qry_cpu = min(r["cpu_seconds"] for r in ref), min(r["cpu_seconds"] for r in qry)
    docs = ref[0]["docs"]
    ratio = (docs / qry_cpu) / (docs / ref_cpu) if qry_cpu and ref_cpu else 0.0
    rows.append({"name": "indexing docs per CPU second", "reference": docs / ref_cpu, "quarry": docs / qry_cpu,
                 "unit": "docs/CPU-s", "ratio": ratio, "margin": f">= {a.min_index:.2f}",
                 "passed": ratio >= a.min_index})
    ref_size, qry_size = min(r["index_bytes"] for r in ref), min(r["index_bytes"] for r in qry)
    ratio = qry_size / ref_size
    rows.append({"name": "index size", "reference": ref_size / 2**20, "quarry": qry_size / 2**20, "unit": "MB",
                 "ratio": ratio, "margin": f"<= {a.max_size:.2f}", "passed": ratio <= a.max_size})
    for klass in CLASSES:
        r, q = min(m["query"][klass]["reference"]), min(m["query"][klass]["quarry"])
        ratio = q / r if r else float("inf")
        rows.append({"name": f"query p50, {klass}", "reference": r, "quarry": q, "unit": "µs", "ratio": ratio,
                     "margin": f"<= {a.max_query:.2f}", "passed": ratio <= a.max_query})
    return rows


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--ref-bin", required=True, help="folder with ref-index and ref-query")
    p.add_argument("--quarry-bin", required=True, help="folder with quarry-index and quarry-bench-queries")
    p.add_argument("--docs", required=True)
    p.add_argument("--classes", required=True, help="query_sets.py's output folder (free, phrase, ... .tsv)")
    p.add_argument("--work", required=True)
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--passes", type=int, default=3)
    p.add_argument("--min-index", type=float, default=0.80)
    p.add_argument("--max-size", type=float, default=1.05)
    p.add_argument("--max-query", type=float, default=1.50)
    p.add_argument("--result", default="", help="also write the figures and verdicts as JSON here")
    p.add_argument("--machine", default="{}", help="JSON object merged into the result (machine, git)")
    a = p.parse_args()
    started = time.monotonic()
    m = measure(a)
    rows = verdicts(m, a)
    docs = m["index"]["reference"][0]["docs"]
    print(f"\nQuarry against the raw C++ reference: {docs:,} synthetic articles, {a.rounds} rounds, best round per "
          f"engine\n")
    print("| ratio | reference | Quarry | Quarry / reference | margin | |")
    print("| --- | ---: | ---: | ---: | ---: | --- |")
    for r in rows:
        unit = f" {r['unit']}" if r.get("unit") else ""
        print(f"| {r['name']} | {r['reference']:,.1f}{unit} | {r['quarry']:,.1f}{unit} | {r['ratio']:.3f} | "
              f"{r['margin']} | {'ok' if r['passed'] else '**REGRESSED**'} |")
    failed = [r for r in rows if not r["passed"]]
    print()
    for r in failed:
        print(f"check: REGRESSED: {r['name']}: Quarry/reference {r['ratio']:.3f}, margin {r['margin']}")
    if a.result:
        os.makedirs(os.path.dirname(os.path.abspath(a.result)), exist_ok=True)
        with open(a.result, "w") as f:
            json.dump({"benchmark": "check",
                       "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
                       **json.loads(a.machine),
                       "settings": {"rounds": a.rounds, "passes": a.passes, "docs": docs,
                                    "margins": {"min_index": a.min_index, "max_size": a.max_size,
                                                "max_query": a.max_query}},
                       "measured": m, "ratios": rows, "seconds": round(time.monotonic() - started, 1)}, f, indent=2)
            f.write("\n")
        print(f"check: figures written to {os.path.relpath(a.result)}")
    print(f"check: {len(rows) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
