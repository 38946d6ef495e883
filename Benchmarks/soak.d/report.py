"""Benchmarks/soak: the summary table and Benchmarks/.results/soak-<stamp>.json.

report.py WORK_DIR RESULT_JSON   (settings come from the environment: see Benchmarks/soak)
Reads WORK_DIR/load-warmup.json and load-main.json (ref-load's JSON lines), rss.tsv (seconds<TAB>quarryd KiB
<TAB>quarry-index KiB) and rss-after-warmup.tsv (the point taken when the warm-up ended), check.json (check.py)
and writer.count; prints the table and the RSS curve, writes the JSON and exits 1 when anything failed: a
failed request, a lost or wrong document, a count mismatch, or a process that did not stop cleanly.
"""
import datetime
import json
import os
import sys


def machine() -> dict:
    """The machine the soak ran on: cores, memory, CPU model, kernel."""
    def first(path: str, key: str) -> str | None:
        try:
            return next((l.split(":", 1)[1].strip() for l in open(path) if l.startswith(key)), None)
        except OSError:
            return None
    memory = first("/proc/meminfo", "MemTotal")
    return {"nproc": os.cpu_count(), "memory_kb": int(memory.split()[0]) if memory else None,
            "cpu": first("/proc/cpuinfo", "model name") or "unknown", "kernel": os.uname().release}

def load(path, default=None):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.loads(handle.read().strip().splitlines()[-1])
    except (OSError, ValueError, IndexError):
        return default


def main():
    work, result_path = sys.argv[1], sys.argv[2]
    env = os.environ
    warm = load(os.path.join(work, "load-warmup.json"), {})
    main_load = load(os.path.join(work, "load-main.json"), {})
    check = load(os.path.join(work, "check.json"), {})
    samples = []
    for line in open(os.path.join(work, "rss.tsv"), encoding="utf-8"):
        parts = line.split()
        if len(parts) == 3:
            samples.append((float(parts[0]), int(parts[1]), int(parts[2])))
    samples.sort()
    warmup = float(env["WARMUP"])

    def rss_at(seconds):
        """The last sample at or before `seconds` (the first one if none)."""
        before = [s for s in samples if s[0] <= seconds + 0.5]
        return (before[-1] if before else samples[0]) if samples else (0, 0, 0)

    marked = open(os.path.join(work, "rss-after-warmup.tsv"), encoding="utf-8").read().split()
    after_warmup = (float(marked[0]), int(marked[1]), int(marked[2])) if len(marked) == 3 else rss_at(warmup)
    start, end = rss_at(0), samples[-1] if samples else (0, 0, 0)
    peak = max((s[1] for s in samples), default=0)
    requests = warm.get("requests", 0) + main_load.get("requests", 0)
    failed = warm.get("errors", 0) + main_load.get("errors", 0) + check.get("failed_requests", 0)
    written = int(open(os.path.join(work, "writer.count")).read().strip() or 0)
    problems = []
    if not warm or not main_load:
        problems.append("the load generator did not report")
    if failed:
        problems.append(f"{failed} failed requests")
    if check.get("missing"):
        problems.append(f"{len(check['missing'])} articles not searchable: {check['missing'][:5]}")
    if check.get("wrong"):
        problems.append(f"{len(check['wrong'])} tokens found the wrong article: {check['wrong'][:3]}")
    if check.get("documents") != check.get("expected"):
        problems.append(f"document count {check.get('documents')} != expected {check.get('expected')}")
    if check.get("checked", -1) != written:
        problems.append(f"checked {check.get('checked')} of {written} written articles")
    if env.get("INDEX_CHECK") == "failed":
        problems.append("xapian-check found the index damaged")
    for name in ("QUARRYD_EXIT", "WATCH_EXIT"):
        if env.get(name) != "0":
            problems.append(f"{name.lower().replace('_', ' ')}: {env.get(name)}")

    mb = lambda kb: kb / 1024
    rows = [
        ("duration (measured + warm-up)", f"{main_load.get('seconds', 0):.0f} s + {warm.get('seconds', 0):.0f} s"),
        ("clients (keep-alive)", env["CLIENTS"]),
        ("requests served", f"{requests:,}"),
        ("failed requests", str(failed)),
        ("QPS (measured)", f"{main_load.get('qps', 0):,.0f}"),
        ("latency p50 / p99 / max", f"{main_load.get('p50_us', 0):,.0f} / {main_load.get('p99_us', 0):,.0f} / "
                                    f"{main_load.get('max_us', 0):,.0f} µs"),
        ("articles written while serving", str(written)),
        ("documents checked (searchable by token)", f"{check.get('checked', 0) - len(check.get('missing', []))}"
                                                     f" of {written}"),
        ("documents in index / expected", f"{check.get('documents')} / {check.get('expected')}"),
        ("quarryd RSS start / after warm-up / end", f"{mb(start[1]):.1f} / {mb(after_warmup[1]):.1f} / "
                                                    f"{mb(end[1]):.1f} MiB (peak {mb(peak):.1f})"),
        ("xapian-check of the final index", env.get("INDEX_CHECK", "skipped")),
        ("quarry-index --watch RSS start / end", f"{mb(start[2]):.1f} / {mb(end[2]):.1f} MiB"),
    ]
    width = max(len(r[0]) for r in rows)
    print("\n| what | value |\n| --- | --- |")
    for name, value in rows:
        print(f"| {name.ljust(width)} | {value} |")
    step = max(1, len(samples) // 12)
    curve = samples[::step] + ([samples[-1]] if samples and samples[-1] not in samples[::step] else [])
    print("\nquarryd RSS curve (s: MiB): " + ", ".join(f"{s[0]:.0f}: {mb(s[1]):.1f}" for s in curve))

    result = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "commit": env.get("COMMIT"), "machine": machine(),
        "settings": {"duration": float(env["DURATION"]), "warmup": warmup, "clients": int(env["CLIENTS"]),
                     "workers": int(env["WORKERS"]), "write_interval": float(env["WRITE_INTERVAL"]),
                     "start_documents": int(env["START_DOCS"]), "build": env.get("BUILD_KIND")},
        "requests": requests, "failed_requests": failed, "load_warmup": warm, "load_measured": main_load,
        "articles_written": written, "check": check, "xapian_check": env.get("INDEX_CHECK"),
        "rss_kib": {"start": start[1], "after_warmup": after_warmup[1], "end": end[1], "peak": peak,
                    "samples": [{"seconds": s[0], "quarryd": s[1], "quarry_index": s[2]} for s in samples]},
        "problems": problems, "passed": not problems,
    }
    with open(result_path, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=2)
    print(f"\nresults: {result_path}")
    if problems:
        print("SOAK FAILED: " + "; ".join(problems), file=sys.stderr)
        return 1
    print("soak passed: no failed request, no lost document")
    return 0


if __name__ == "__main__":
    sys.exit(main())
