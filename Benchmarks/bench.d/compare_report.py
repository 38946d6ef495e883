"""Markdown tables of compare.py results: one set per corpus size, then the growth curve across sizes.

    compare_report.py [--growth-only] RESULT.json...

Results of one corpus (same label, documents, bytes, queries and settings) are merged first: each engine's
figures come from the first file that has them (a --peers-only run beside a run of the reference and Quarry,
or engines added in another sitting), and the tables say which runs they came from.

Ratios are to the reference (raw C++ Xapian with Quarry's schema and query path): "× ref" above 1 means more
docs/s, MB/s or QPS than the reference; for latency, above 1 means slower.
"""
from __future__ import annotations

import argparse
import json
import sys

MB = 1024 * 1024
ORDER = ("reference", "quarry", "tantivy", "fts5", "py-xapian")


def fmt(v, spec=",.0f") -> str:
    return "–" if v is None else format(v, spec)


def ratio(a, b) -> str:
    return "–" if a is None or not b else f"{a / b:.2f}×"


def engines(result: dict) -> list[str]:
    names = set(result["index"]) | {e for c in result["inprocess"].values() for e in c}
    return [e for e in ORDER if e in names] + sorted(names - set(ORDER))


def tables(r: dict) -> str:
    out = []
    corpus = r["corpus"]
    machine = r.get("machine", {})
    out.append(f"\n### {r['label']}: {corpus['docs']:,} articles, {corpus['bytes'] / MB:,.1f} MB "
               f"({r['date']}, commit {r.get('git', {}).get('commit', '?')[:10]}, {machine.get('nproc', '?')} cores, "
               f"load average at the start {machine.get('loadavg', '?')}; bench took {r['duration_s']:,.0f} s"
               f"{'' if r.get('complete', True) else '; INCOMPLETE: stopped early'})\n")
    for m in r.get("merged", []):
        out.append(f"Merged: {', '.join(m['engines'])} from the run of {m['date']} (commit {m['commit']}, "
                   f"{m['duration_s']:,.0f} s{'' if m['complete'] else ', INCOMPLETE'}).\n")
    ref = r["index"].get("reference")
    out.append("| indexing | docs/s | × ref | MB/s | CPU s | index MB | index / corpus | compacted / corpus |")
    out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for e in engines(r):
        x = r["index"].get(e)
        if not x:
            out.append(f"| {e} | failed | | | | | | |")
            continue
        compacted = x.get("compacted_bytes")
        out.append(f"| {e} | {fmt(x['docs_per_sec'])} | {ratio(x['docs_per_sec'], ref and ref['docs_per_sec'])} | "
                   f"{x['mb_per_sec']:.2f} | {x['cpu_seconds']:,.1f} | {x['index_bytes'] / MB:,.1f} | "
                   f"{x['index_bytes'] / corpus['bytes']:.2f} | "
                   f"{fmt(compacted and compacted / corpus['bytes'], '.2f')} |")

    out.append(f"\nIn-process queries (top 10, {r['settings']['passes']} pass(es) after a warm-up, 1 thread; "
               "Quarry = `quarry-bench-queries`, snippets off):\n")
    out.append("| class | engine | p50 µs | p95 µs | p99 µs | QPS | p50 × ref | QPS × ref |")
    out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for klass, by_engine in r["inprocess"].items():
        base = by_engine.get("reference")
        for e in engines(r):
            x = by_engine.get(e)
            if not x:
                continue
            out.append(f"| {klass} | {e} | {fmt(x['p50_us'])} | {fmt(x['p95_us'])} | {fmt(x['p99_us'])} | "
                       f"{fmt(x['qps'])} | {ratio(x['p50_us'], base and base['p50_us'])} | "
                       f"{ratio(x['qps'], base and base['qps'])} |")

    if any(r["socket"].values()):
        out.append(f"\nquarryd over its Unix socket (ref-load: keep-alive clients, GET /search, top 10, snippets off; "
                   f"{r['settings']['warmup_s']} s warm-up + {r['settings']['duration_s']} s per run; "
                   f"{r['settings']['workers']} workers; took = quarryd's own time in its search, from the responses, so "
                   "p50 − took is what the socket round trip, the hop to a worker and the JSON add):\n")
        out.append("| class | clients | p50 µs | p95 µs | p99 µs | QPS | p50 − ref in-process p50 | "
                   "took p50 µs | p50 − took p50 | QPS × ref in-process (1 thread) | errors |")
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for klass, by_clients in r["socket"].items():
            base = r["inprocess"].get(klass, {}).get("reference")
            for clients, x in by_clients.items():
                delta = x["p50_us"] - base["p50_us"] if base else None
                took = x.get("took_p50_us")
                outside = x["p50_us"] - took if took else None
                out.append(f"| {klass} | {clients} | {fmt(x['p50_us'])} | {fmt(x['p95_us'])} | {fmt(x['p99_us'])} | "
                           f"{fmt(x['qps'])} | {fmt(delta, '+,.0f')} µs | {fmt(took)} | {fmt(outside, '+,.0f')} µs | "
                           f"{ratio(x['qps'], base and base['qps'])} | {x.get('errors', 0)} |")
    mem = r.get("quarryd_memory", {})
    if mem.get("after_runs"):
        m, s = mem["after_runs"], mem.get("started", {})
        out.append(f"\nquarryd memory: RSS {s.get('VmRSS', 0) / 1024:,.1f} MB at start, "
                   f"{m.get('VmRSS', 0) / 1024:,.1f} MB after the socket runs (peak {m.get('VmHWM', 0) / 1024:,.1f} MB), "
                   f"{m.get('Threads', '?')} threads; exit status {mem.get('exit_status')}")
    return "\n".join(out) + "\n"


def growth(results: list[dict]) -> str:
    """One row per corpus size: how each figure grows from the smallest corpus to the largest."""
    results = sorted(results, key=lambda r: r["corpus"]["docs"])
    names = [e for e in ORDER if any(e in r["index"] for r in results)]
    out = ["\n### Growth curve\n"]
    head = "| articles | MB | " + " | ".join(f"{e} docs/s" for e in names) + " | " + \
        " | ".join(f"{e} index/corpus" for e in names) + " |"
    out.append(head)
    out.append("| " + " | ".join(["---:"] * (2 + 2 * len(names))) + " |")
    for r in results:
        cells = [f"{r['corpus']['docs']:,}", f"{r['corpus']['bytes'] / MB:,.0f}"]
        cells += [fmt(r["index"].get(e, {}).get("docs_per_sec")) for e in names]
        cells += [fmt(r["index"][e]["index_bytes"] / r["corpus"]["bytes"], ".2f") if e in r["index"] else "–"
                  for e in names]
        out.append("| " + " | ".join(cells) + " |")
    out.append("")
    out.append("| articles | class | " + " | ".join(f"{e} p50 µs" for e in names) +
               " | quarryd 1 client p50 µs | quarryd 8 clients QPS | quarryd RSS MB |")
    out.append("| " + " | ".join(["---:", "---"] + ["---:"] * (len(names) + 3)) + " |")
    for r in results:
        for klass, by_engine in r["inprocess"].items():
            sock = r["socket"].get(klass, {})
            top = sock.get(max(sock, key=int)) if sock else None
            rss = r.get("quarryd_memory", {}).get("after_runs", {}).get("VmRSS")
            cells = [f"{r['corpus']['docs']:,}", klass] + [fmt(by_engine.get(e, {}).get("p50_us")) for e in names]
            cells += [fmt(sock.get("1", {}).get("p50_us")), fmt(top and top["qps"]), fmt(rss and rss / 1024, ",.1f")]
            out.append("| " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def comparable_settings(result: dict) -> dict:
    """A result's settings, less the engines: runs that differ only in their engines measure alike (results
    saved before session 5 list the engines among their settings)."""
    return {k: v for k, v in result.get("settings", {}).items() if k != "engines"}


def same_measure(a: dict, b: dict) -> bool:
    """Two results measured the same corpus, queries and settings (the engines may differ)."""
    return (a.get("label") == b.get("label") and a["corpus"]["docs"] == b["corpus"]["docs"]
            and a["corpus"]["bytes"] == b["corpus"]["bytes"] and a["corpus"].get("queries") == b["corpus"].get("queries")
            and comparable_settings(a) == comparable_settings(b))


def merge(results: list[dict]) -> list[dict]:
    """One result per corpus: engines missing from the first run of a corpus are taken from the later ones."""
    merged: list[dict] = []
    for r in results:
        base = next((m for m in merged if same_measure(m, r)), None)
        if base is None:
            merged.append(json.loads(json.dumps(r)))
            continue
        added = [e for e in r["index"] if e not in base["index"]]
        for e in added:
            base["index"][e] = r["index"][e]
            for klass, by_engine in r["inprocess"].items():
                if e in by_engine:
                    base["inprocess"].setdefault(klass, {})[e] = by_engine[e]
        if "quarry" in added:
            base["socket"], base["quarryd_memory"] = r["socket"], r.get("quarryd_memory", {})
        if added:
            base.setdefault("merged", []).append(
                {"engines": added, "date": r["date"], "commit": r.get("git", {}).get("commit", "?")[:10],
                 "duration_s": r["duration_s"], "complete": r.get("complete", True)})
            base["duration_s"] += r["duration_s"]
            base["complete"] = base.get("complete", True) and r.get("complete", True)
    return merged


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0],
                                     epilog="e.g. compare_report.py Benchmarks/results/bench-compare-synth-1m-*.json "
                                            "Benchmarks/.results/bench-compare-synth-*.json")
    parser.add_argument("results", nargs="+", metavar="RESULT.json", help="result files written by compare.py")
    parser.add_argument("--growth-only", action="store_true",
                        help="print only the growth curve across sizes (compare.py has printed each size already)")
    args = parser.parse_args()
    loaded = []
    for path in args.results:
        try:
            with open(path) as f:
                loaded.append(json.load(f))
        except (OSError, ValueError) as error:
            parser.exit(66, f"compare_report.py: {path}: cannot read a result: {error}\n")
        if not isinstance(loaded[-1], dict) or loaded[-1].get("benchmark") != "compare":
            kind = loaded[-1].get("benchmark", "?") if isinstance(loaded[-1], dict) else type(loaded[-1]).__name__
            parser.exit(66, f"compare_report.py: {path}: not a compare bench result (benchmark: {kind})\n")
    results = merge(loaded)
    if not args.growth_only:
        for r in results:
            print(tables(r))
    if len(results) > 1:
        print(growth(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
