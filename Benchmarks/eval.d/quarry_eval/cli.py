"""Benchmarks/eval: relevance of Quarry (through quarryd) against Xapian's defaults, tantivy, SQLite FTS5 and bm25s
on the judged collections in ../shared/corpora, and (--sweep) a grid of Quarry's ranking settings."""
from __future__ import annotations

import argparse
import itertools
import json
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from . import corpora, metrics, querytext, report
from .quarry import Binaries, Daemon, build_index, ranking_environment

ENGINES = ["quarry", "xapian-defaults", "tantivy", "fts5", "bm25s"]
#: Quarry again, sent each query exactly as the collection gives it (punctuation, capitals, hyphens): what users
#: send. Every other column, Quarry's included, gets the cleaned text (querytext.sanitise), which every peer needs.
RAW_COLUMN = "quarry (raw text)"
#: Quarry's defaults (config/quarry.yaml, quarry-index), the defaults before query stopwords, and Xapian's own.
DEFAULT_SETTING = {"k1": 1.5, "b": 0.75, "title_weight": 2, "lowercase": True, "stopwords": "english",
                   "min_normlen": 0.5, "plus_delta": 0.0, "stemming": "some", "proximity": 0.0, "window": 8, "feedback": 0.0}
PREVIOUS_SETTING = {**DEFAULT_SETTING, "k1": 1.2, "stopwords": "none"}
XAPIAN_SETTING = {"k1": 1.0, "b": 0.5, "title_weight": 1, "lowercase": False, "stopwords": "none",
                  "min_normlen": 0.5, "plus_delta": 0.0, "stemming": "some", "proximity": 0.0, "window": 8, "feedback": 0.0}
REFERENCES = (("defaults", DEFAULT_SETTING), ("previous defaults", PREVIOUS_SETTING),
              ("Xapian's defaults", XAPIAN_SETTING))
GRID = {"k1": [1.0, 1.2, 1.5], "b": [0.6, 0.75, 0.9], "title_weight": [2, 3], "lowercase": [True],
        "stopwords": ["none", "english_short", "english"], "min_normlen": [0.5], "plus_delta": [0.0],
        "stemming": ["some"], "proximity": [0.0], "window": [8], "feedback": [0.0]}


def parse_args(argv: list[str]) -> argparse.Namespace:
    root = Path(__file__).resolve().parents[3]
    parser = argparse.ArgumentParser(
        prog="Benchmarks/eval", description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--collections", help="comma-separated subset, e.g. ir-med,ir-adi (default: every judged one)")
    parser.add_argument("--sweep", action="store_true",
                        help="run Quarry over the ranking grid (k1, b, title weight, lowercase_query) instead")
    parser.add_argument("--engines", default=",".join(ENGINES), help=f"subset of {','.join(ENGINES)}")
    parser.add_argument("--corpora", type=Path, default=root.parent / "shared" / "corpora")
    parser.add_argument("--bin", type=Path, default=root / ".build-eval" / "release",
                        help="folder holding the release quarry-index and quarryd")
    parser.add_argument("--out", type=Path, default=root / "Benchmarks" / ".results" / "eval")
    parser.add_argument("--depth", type=int, default=1000, help="results per query (default 1000)")
    parser.add_argument("--lowercase-queries", action="store_true",
                        help="lower-case the whole sanitised query (default: keep case, lower-case only the "
                             "operator words, and let each engine decide)")
    parser.add_argument("--top", type=int, default=10, help="--sweep: rows to print (default 10)")
    parser.add_argument("--k1", type=_floats, default=GRID["k1"], metavar="LIST",
                        help="--sweep: bm25_k1 values (default 1.0,1.2,1.5)")
    parser.add_argument("--b", type=_floats, default=GRID["b"], metavar="LIST",
                        help="--sweep: bm25_b values (default 0.6,0.75,0.9)")
    parser.add_argument("--title-weights", type=_ints, default=GRID["title_weight"], metavar="LIST",
                        help="--sweep: quarry-index --title-weight values (default 2,3)")
    parser.add_argument("--lowercase", type=_bools, default=GRID["lowercase"], metavar="LIST",
                        help="--sweep: lowercase_query values (default on)")
    parser.add_argument("--stopwords", type=_names, default=GRID["stopwords"], metavar="LIST",
                        help="--sweep: query_stopwords values (default none,english_short,english)")
    parser.add_argument("--min-normlen", type=_floats, default=GRID["min_normlen"], metavar="LIST",
                        help="--sweep: bm25_min_normlen values (default 0.5)")
    parser.add_argument("--plus-delta", type=_floats, default=GRID["plus_delta"], metavar="LIST",
                        help="--sweep: bm25_plus_delta values, 0 = plain BM25 (default 0)")
    parser.add_argument("--stemming", type=_names, default=GRID["stemming"], metavar="LIST",
                        help="--sweep: quarry-index --stemming values (default some)")
    parser.add_argument("--proximity", type=_floats, default=GRID["proximity"], metavar="LIST",
                        help="--sweep: proximity_weight values, 0 = off (default 0)")
    parser.add_argument("--window", type=_ints, default=GRID["window"], metavar="LIST",
                        help="--sweep: proximity_window values (default 8)")
    parser.add_argument("--feedback", type=_floats, default=GRID["feedback"], metavar="LIST",
                        help="--sweep: pseudo-relevance feedback weights (feedback_weight with feedback on), "
                             "0 = off (default 0)")
    parser.add_argument("--raw", action="store_true",
                        help="--sweep: send each query as the collection gives it (what users send), not sanitised")
    parser.add_argument("--keep", action="store_true", help="keep the temporary indexes")
    args = parser.parse_args(argv)
    args.root = root
    return args


def _floats(text: str) -> list[float]:
    return [float(x) for x in text.split(",") if x.strip()]


def _ints(text: str) -> list[int]:
    return [int(x) for x in text.split(",") if x.strip()]


def _names(text: str) -> list[str]:
    return [x.strip() for x in text.split(",") if x.strip()]


def _bools(text: str) -> list[bool]:
    values = {"on": True, "true": True, "1": True, "off": False, "false": False, "0": False}
    try:
        return [values[x.strip().lower()] for x in text.split(",") if x.strip()]
    except KeyError as error:
        raise argparse.ArgumentTypeError(f"expected on/off values, got {error}") from None


@dataclass
class Query:
    qid: str
    text: str  # sanitised


def prepared_queries(collection: corpora.Collection, lowercase: bool, judged_only: bool) -> list[Query]:
    source = collection.judged_queries() if judged_only else collection.queries()
    return [Query(qid, querytext.sanitise(text, lowercase=lowercase)) for qid, text in source.items()]


def raw_queries(collection: corpora.Collection) -> list[Query]:
    """The collection's query text as it is, only white space at the ends trimmed."""
    return [Query(qid, text.strip()) for qid, text in collection.queries().items()]


def run_quarry(daemon: Daemon, queries: list[Query], depth: int) -> tuple[metrics.Run, list[dict], dict]:
    run: metrics.Run = {}
    rejected: list[dict] = []
    took: list[int] = []
    started = time.monotonic()
    for query in queries:
        if not query.text:
            run[query.qid] = []
            continue
        outcome = daemon.search(query.text, depth)
        run[query.qid] = outcome.hits
        took.append(outcome.took_us)
        if outcome.status != 200:
            rejected.append({"qid": query.qid, "status": outcome.status, "query": query.text,
                             "error": outcome.error})
    timing = {"seconds": time.monotonic() - started,
              "max_took_us": max(took, default=0),
              "median_took_us": sorted(took)[len(took) // 2] if took else 0}
    return run, rejected, timing


def select_collections(args: argparse.Namespace) -> list[corpora.Collection] | None:
    if not args.corpora.is_dir():
        print(f"eval: no corpora at {args.corpora}; nothing to evaluate (skipped).")
        return None
    found = corpora.discover(args.corpora)
    if args.collections:
        wanted = [name.strip() for name in args.collections.split(",") if name.strip()]
        by_name = {c.name: c for c in found}
        missing = [name for name in wanted if name not in by_name]
        if missing:
            print(f"eval: not a judged collection under {args.corpora}: {', '.join(missing)} "
                  f"(judged: {', '.join(by_name) or 'none'})", file=sys.stderr)
            sys.exit(2)
        found = [by_name[name] for name in wanted]
    if not found:
        print(f"eval: no collection with docs.jsonl, queries.tsv and qrels.tsv under {args.corpora}; skipped.")
        return None
    return found


def check_binaries(binaries: Binaries) -> None:
    for path in (binaries.index, binaries.daemon):
        if not path.is_file():
            print(f"eval: {path} is missing; build with "
                  "`swift build -c release --scratch-path .build-eval` (Benchmarks/eval does it unless --no-build)",
                  file=sys.stderr)
            sys.exit(1)


def evaluate_default(args, collections, binaries, workdir: Path, stamp: tuple[str, str]) -> dict:
    from .peers import PEERS

    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    unknown = [e for e in engines if e not in ENGINES]
    if unknown:
        print(f"eval: unknown engine(s) {', '.join(unknown)}; choose from {', '.join(ENGINES)}", file=sys.stderr)
        sys.exit(2)
    results: dict = {}
    columns = list(engines)
    if "quarry" in engines:
        columns.insert(engines.index("quarry") + 1, RAW_COLUMN)
    for collection in collections:
        queries = prepared_queries(collection, args.lowercase_queries, judged_only=False)
        qrels = collection.qrels()
        entry: dict = {"documents": len(collection.docs()), "queries": len(queries),
                       "judged_queries": len(collection.judged_queries()),
                       "empty_after_sanitising": [q.qid for q in queries if not q.text], "engines": {}}
        print(f"== {collection.name}: {entry['documents']} docs, {entry['queries']} queries "
              f"({entry['judged_queries']} judged)", flush=True)
        out_dir = args.out / collection.name
        (workdir / collection.name).mkdir(parents=True, exist_ok=True)
        for engine in engines:
            started = time.monotonic()
            info: dict = {}
            if engine == "quarry":
                db = workdir / collection.name / "quarry.db"
                summary = build_index(binaries, collection.docs_path, db)
                indexed = time.monotonic()
                info["index_summary"] = {k: summary.get(k) for k in
                                         ("added", "skipped", "documentsInIndex", "seconds", "wallSeconds")
                                         if k in summary}
                with Daemon(binaries, db, workdir / collection.name / "q.sock", ranking_environment(),
                            log_path=workdir / collection.name / "quarryd.log") as daemon:
                    run, rejected, timing = run_quarry(daemon, queries, args.depth)
                    raw_run, raw_rejected, raw_timing = run_quarry(daemon, raw_queries(collection), args.depth)
                info["rejected"] = rejected
                info["query_timing"] = timing
                for item in rejected:
                    print(f"   quarry: query {item['qid']} -> HTTP {item['status']}: {item['error']}", flush=True)
                # A query quarryd refuses (400) counts as one with no results, like any other query that finds nothing.
                raw_info = {"rejected": raw_rejected, "query_timing": raw_timing,
                            "judged_queries_without_results": sorted(q for q in qrels if not raw_run.get(q)),
                            "metrics": metrics.evaluate(qrels, raw_run)}
                metrics.write_trec_run(out_dir / "quarry.raw.run", raw_run, "quarry-raw")
                entry["engines"][RAW_COLUMN] = raw_info
                m = raw_info["metrics"]
                print(f"   {'quarry, raw text':16s} nDCG@10 {m['nDCG@10']:.4f}  MAP@100 {m['MAP@100']:.4f}  "
                      f"P@10 {m['P@10']:.4f}  R@100 {m['Recall@100']:.4f}   ({len(raw_rejected)} refused)", flush=True)
            else:
                peer = PEERS[engine](collection, str(workdir / collection.name))
                indexed = time.monotonic()
                run = {}
                for query in queries:
                    run[query.qid] = peer.search(query.text, args.depth) if query.text else []
                peer.close()
            finished = time.monotonic()
            info["index_seconds"] = round(indexed - started, 3)
            info["query_seconds"] = round(finished - indexed, 3)
            info["judged_queries_without_results"] = sorted(q for q in qrels if not run.get(q))
            suffix = ".lowercased" if args.lowercase_queries else ""
            metrics.write_trec_run(out_dir / f"{engine}{suffix}.run", run, engine)
            info["metrics"] = metrics.evaluate(qrels, run)
            entry["engines"][engine] = info
            m = info["metrics"]
            print(f"   {engine:16s} nDCG@10 {m['nDCG@10']:.4f}  MAP@100 {m['MAP@100']:.4f}  P@10 {m['P@10']:.4f}  "
                  f"R@100 {m['Recall@100']:.4f}   (index {info['index_seconds']:.1f}s, "
                  f"queries {info['query_seconds']:.1f}s)", flush=True)
        results[collection.name] = entry

    tables = []
    for metric in metrics.METRIC_NAMES:
        rows = {name: {e: r["engines"][e]["metrics"][metric] for e in columns} for name, r in results.items()}
        tables.append(metric_block(metric, rows, columns))
    markdown = "\n".join(tables)
    print()
    print(markdown)
    return {"mode": "default", "collections": results, "engines": columns, "markdown": markdown,
            "quarry_settings": {**DEFAULT_SETTING, "note": "quarryd/quarry-index defaults; query time limit off, "
                                "spelling off"}}


def metric_block(metric: str, rows, columns) -> str:
    return report.metric_table(metric, rows, columns)


def setting_key(s: dict) -> str:
    return (f"k1={s['k1']} b={s['b']} tw={s['title_weight']} lc={'on' if s['lowercase'] else 'off'} "
            f"stop={s['stopwords']} mn={s['min_normlen']} plus={s['plus_delta']} stem={s['stemming']}"
            + (f" prox={s['proximity']} win={s['window']}" if s['proximity'] else "")
            + (f" prf={s['feedback']}" if s['feedback'] else ""))


def sweep(args, collections, binaries, workdir: Path) -> dict:
    grid = {"k1": args.k1, "b": args.b, "title_weight": args.title_weights, "lowercase": args.lowercase,
            "stopwords": args.stopwords, "min_normlen": args.min_normlen, "plus_delta": args.plus_delta,
            "stemming": args.stemming, "proximity": args.proximity, "window": args.window,
            "feedback": args.feedback}
    names = list(grid)
    settings = [dict(zip(names, values)) for values in itertools.product(*(grid[n] for n in names))]
    for _, reference in REFERENCES:  # always ranked, grid or not
        if reference not in settings:
            settings.append(dict(reference))
    indexes = sorted({(s["title_weight"], s["stemming"]) for s in settings})
    scores: dict[str, dict[str, dict[str, float]]] = {setting_key(s): {} for s in settings}
    rejected: dict[str, list] = {}
    timing: dict[str, float] = {}
    per_query: dict[str, dict[str, dict[str, float]]] = {}
    for collection in collections:
        started = time.monotonic()
        if args.raw:
            queries = [Query(qid, text.strip()) for qid, text in collection.judged_queries().items()]
        else:
            queries = prepared_queries(collection, args.lowercase_queries, judged_only=True)
        qrels = collection.qrels()
        print(f"== {collection.name}: {len(queries)} judged queries", flush=True)
        for tw, stemming in indexes:
            db = workdir / collection.name / f"quarry-tw{tw}-{stemming}.db"
            build_index(binaries, collection.docs_path, db, title_weight=tw, stemming=stemming)
            for s in (s for s in settings if (s["title_weight"], s["stemming"]) == (tw, stemming)):
                env = ranking_environment(s["k1"], s["b"], s["lowercase"], stopwords=s["stopwords"],
                                          min_normlen=s["min_normlen"], plus_delta=s["plus_delta"],
                                          proximity=s["proximity"], window=s["window"], feedback=s["feedback"])
                with Daemon(binaries, db, workdir / collection.name / "q.sock", env,
                            log_path=workdir / collection.name / "quarryd.log") as daemon:
                    run, bad, _ = run_quarry(daemon, queries, 100)
                if bad:
                    rejected.setdefault(setting_key(s), []).extend(
                        {"collection": collection.name, **item} for item in bad)
                scores[setting_key(s)][collection.name] = metrics.evaluate(qrels, run)
                per_query.setdefault(setting_key(s), {})[collection.name] = metrics.per_query(qrels, run)
            shutil.rmtree(db, ignore_errors=True)
            done = [k for k in scores if f"tw={tw} " in k and f"stem={stemming}" in k
                    and collection.name in scores[k]]
            best = max(done, key=lambda k: scores[k][collection.name]["nDCG@10"])
            print(f"   title weight {tw}, stemming {stemming}: best {best}: "
                  f"nDCG@10 {scores[best][collection.name]['nDCG@10']:.4f}", flush=True)
        timing[collection.name] = round(time.monotonic() - started, 1)

    names = [c.name for c in collections]
    rows = []
    for s in settings:
        key = setting_key(s)
        per = scores[key]
        rows.append({"setting": s, "key": key,
                     "mean_nDCG@10": sum(per[n]["nDCG@10"] for n in names) / len(names),
                     "mean_MAP@100": sum(per[n]["MAP@100"] for n in names) / len(names),
                     "nDCG@10": {n: per[n]["nDCG@10"] for n in names},
                     "MAP@100": {n: per[n]["MAP@100"] for n in names}})
    rows.sort(key=lambda r: (-r["mean_nDCG@10"], -r["mean_MAP@100"]))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    peers = latest_peer_scores(args.out, names)
    markdown = sweep_table(rows, names, args.top) + "\n" + sweep_summary(rows, names, per_query, peers)
    print()
    print(markdown)
    return {"mode": "sweep", "grid": grid, "depth": 100, "ranked": rows, "rejected": rejected,
            "per_query_nDCG@10": per_query, "peers_from": peers.get("_from") if peers else None,
            "collection_seconds": timing, "markdown": markdown,
            "note": "ranked by mean nDCG@10 over the collections (each collection counts once); "
                    "runs cut at 100 results (enough for nDCG@10 and AP@100)"}


def sweep_table(rows: list[dict], names: list[str], top: int) -> str:
    short = {n: n.split("-", 1)[-1] for n in names}
    header = ("| rank | k1 | b | title weight | lowercase | stopwords | min_normlen | BM25+ delta | stemming | "
              "mean nDCG@10 | mean MAP@100 | " + " | ".join(short[n] for n in names) + " |")
    lines = [header, "|---:|---:|---:|---:|---|---|---:|---:|---|---:|---:|" + "---:|" * len(names)]
    shown = rows[:top]
    for _, wanted in REFERENCES:
        row = next(r for r in rows if r["setting"] == wanted)
        if row not in shown:
            shown = shown + [row]
    for row in shown:
        s = row["setting"]
        tag = next((f" ({label})" for label, wanted in REFERENCES if s == wanted), "")
        lines.append(f"| {row['rank']}{tag} | {s['k1']} | {s['b']} | {s['title_weight']} | "
                     f"{'on' if s['lowercase'] else 'off'} | {s['stopwords']} | {s['min_normlen']} | "
                     f"{s['plus_delta']} | "
                     f"{s['stemming']} | {row['mean_nDCG@10']:.4f} | {row['mean_MAP@100']:.4f} | "
                     + " | ".join(f"{row['nDCG@10'][n]:.4f}" for n in names) + " |")
    return "\n".join(lines) + "\n"


def latest_peer_scores(out: Path, names: list[str]) -> dict:
    """nDCG@10 of the peers from the newest default run in `out` that covered every collection, if any."""
    for path in sorted(out.glob("eval-*.json"), reverse=True):
        try:
            data = json.loads(path.read_text())
        except (OSError, json.JSONDecodeError):
            continue
        collections = data.get("collections", {})
        if not all(n in collections for n in names) or data.get("lowercase_queries"):
            continue
        if not all(e in collections[n].get("engines", {}) for n in names for e in ENGINES[1:]):
            continue
        scores: dict = {"_from": path.name}
        for n in names:
            engines = collections[n].get("engines", {})
            scores[n] = {e: v["metrics"]["nDCG@10"] for e, v in engines.items() if e not in ("quarry", RAW_COLUMN)}
        return scores
    return {}


def sweep_summary(rows: list[dict], names: list[str], per_query: dict, peers: dict) -> str:
    """The best setting against the current and Xapian's defaults (with a paired randomisation test over the
    per-query nDCG@10), and each collection's own best."""
    best = rows[0]
    lines = []
    for label, wanted in REFERENCES:
        other = next(r for r in rows if r["setting"] == wanted)
        if other is best:
            lines.append(f"- the {label} are the best setting")
            continue
        wins = sum(best["nDCG@10"][n] > other["nDCG@10"][n] + 1e-9 for n in names)
        losses = sum(best["nDCG@10"][n] < other["nDCG@10"][n] - 1e-9 for n in names)
        _, p = metrics.randomisation_test(per_query[best["key"]], per_query[other["key"]])
        p_text = "< 0.001" if p < 0.001 else f"= {p:.3f}"
        lines.append(f"- best ({best['key']}) vs {label} ({other['key']}, rank {other['rank']}): mean nDCG@10 "
                     f"{best['mean_nDCG@10']:.4f} vs {other['mean_nDCG@10']:.4f} "
                     f"({best['mean_nDCG@10'] - other['mean_nDCG@10']:+.4f}, paired randomisation test p {p_text}), "
                     f"mean MAP@100 {best['mean_MAP@100'] - other['mean_MAP@100']:+.4f}; nDCG@10 higher on {wins}, "
                     f"lower on {losses} of {len(names)} collections")
    current = next(r for r in rows if r["setting"] == DEFAULT_SETTING)
    peer_note = f" (peers: {peers['_from']})" if peers else ""
    lines += ["", f"Per collection, nDCG@10{peer_note}:", "",
              "| collection | its own best setting | its best | overall best | defaults | best peer |",
              "|---|---|---:|---:|---:|---:|"]
    for n in names:
        own = max(rows, key=lambda r: r["nDCG@10"][n])
        peer = ""
        if peers and peers.get(n):
            engine, value = max(peers[n].items(), key=lambda kv: kv[1])
            peer = f"{value:.4f} ({engine})"
        lines.append(f"| {n} | {own['key']} | {own['nDCG@10'][n]:.4f} | {best['nDCG@10'][n]:.4f} | "
                     f"{current['nDCG@10'][n]:.4f} | {peer} |")
    return "\n".join(lines) + "\n"


def _terminate(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    collections = select_collections(args)
    if collections is None:
        return 0
    binaries = Binaries.in_folder(args.bin)
    check_binaries(binaries)
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGHUP, _terminate)
    date, stamp = report.utc_stamp()
    workdir = Path(tempfile.mkdtemp(prefix="quarry-eval-"))
    started = time.monotonic()
    try:
        if args.sweep:
            result = sweep(args, collections, binaries, workdir)
        else:
            result = evaluate_default(args, collections, binaries, workdir, (date, stamp))
    except KeyboardInterrupt:
        print("eval: interrupted; quarryd stopped", file=sys.stderr)
        return 130
    finally:
        if args.keep:
            print(f"eval: temporary indexes kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    elapsed = time.monotonic() - started
    result.update({
        "date": date, "seconds": round(elapsed, 1), "git": report.git_facts(args.root),
        "machine": report.machine_facts(), "versions": report.versions(),
        "collections_evaluated": [c.name for c in collections], "depth": result.get("depth", args.depth),
        "lowercase_queries": args.lowercase_queries,
        "query_sanitising": ("non-alphanumeric characters -> spaces; " +
                             ("whole text lower-cased" if args.lowercase_queries else
                              "operator words (AND OR NOT XOR NEAR ADJ) lower-cased, other words keep their case")),
        "measures": "ir-measures (pytrec_eval): nDCG@10 (linear gains), AP@100 (map_cut_100), P@10, R@100; "
                    "judged queries without results count as 0",
    })
    args.out.mkdir(parents=True, exist_ok=True)
    name = f"{'sweep' if args.sweep else 'eval'}-{stamp}"
    (args.out / f"{name}.json").write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")
    (args.out / f"{name}.md").write_text(result["markdown"])
    print(f"eval: {elapsed:.0f} s; results in {args.out / (name + '.json')} and .md"
          + ("" if args.sweep else f"; run files in {args.out}/<collection>/"))
    return 0
