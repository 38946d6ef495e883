"""The bench's query classes, written as qid<TAB>q<TAB>parameters files every engine reads.

    query_sets.py DOCS.jsonl FREE.tsv OUT_DIR [--max N] [--seed 1]

From a corpus and its free-text queries (qid<TAB>text), writes into OUT_DIR:
- free.tsv      the free-text queries (at most --max);
- phrase.tsv    "w1 w2": two adjacent words of a document's text (each a run of 3+ letters, no punctuation
                between them), from documents spread evenly over the corpus;
- filtered.tsv  the free-text queries, each with a category and a date range of 1-5 years drawn from the
                corpus (third column: category=..&from=YYYY-MM-DD&to=YYYY-MM-DD; only what the corpus has);
- sorted.tsv    the free-text queries sorted newest first (sort=-date), when the corpus has dates.
The third column is URL-encoded as quarryd's GET /search takes it. Prints the classes written as JSON.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import re
import sys
import urllib.parse

WORD_PAIR = re.compile(r"\b([^\W\d_]{3,}) ([^\W\d_]{3,})\b")
SAMPLE = 20_000  # documents read for categories, dates and phrases (evenly spread)


def sample_documents(path: str, wanted: int) -> list[dict]:
    with open(path, "rb") as f:
        lines = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 24), b""))
    step = max(1, lines // wanted)
    docs = []
    with open(path, encoding="utf-8", errors="replace") as f:
        for i, line in enumerate(f):
            if i % step or not line.strip():
                continue
            try:
                doc = json.loads(line)
            except ValueError:
                continue
            if isinstance(doc, dict):
                docs.append(doc)
    return docs


def read_queries(path: str) -> list[tuple[str, str]]:
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            qid, _, text = line.rstrip("\n").partition("\t")
            text = text.split("\t")[0].strip()
            if text:
                out.append((qid, text))
    return out


def valid_date(value) -> str | None:
    try:
        return datetime.date.fromisoformat(str(value)[:10]).isoformat()
    except ValueError:
        return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("docs")
    parser.add_argument("free")
    parser.add_argument("out")
    parser.add_argument("--max", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    os.makedirs(args.out, exist_ok=True)

    free = read_queries(args.free)[:args.max]
    docs = sample_documents(args.docs, SAMPLE)
    categories = [d["category"] for d in docs if isinstance(d.get("category"), str) and d["category"].strip()]
    dates = sorted(filter(None, (valid_date(d["date"]) for d in docs if d.get("date"))))
    written = {}

    def write(name: str, rows: list[tuple[str, str, str]]) -> None:
        if not rows:
            return
        with open(os.path.join(args.out, f"{name}.tsv"), "w", encoding="utf-8") as f:
            for qid, q, params in rows:
                f.write(f"{qid}\t{q}\t{params}\n" if params else f"{qid}\t{q}\n")
        written[name] = len(rows)

    write("free", [(qid, q, "") for qid, q in free])

    phrases = []
    for doc in rng.sample(docs, len(docs)):
        pairs = WORD_PAIR.findall(doc.get("text") or "") if isinstance(doc.get("text"), str) else []
        if pairs:
            first, second = rng.choice(pairs)
            phrases.append((f"p{len(phrases) + 1}", f'"{first.lower()} {second.lower()}"', ""))
        if len(phrases) >= min(args.max, len(free) or args.max):
            break
    write("phrase", phrases)

    if categories or dates:
        rows = []
        for qid, q in free:
            params = {}
            if categories:
                params["category"] = rng.choice(categories)  # as often as the corpus has it
            if dates:
                start = datetime.date.fromisoformat(rng.choice(dates))
                end = start + datetime.timedelta(days=365 * rng.randint(1, 5))
                params["from"], params["to"] = start.isoformat(), end.isoformat()
            rows.append((f"f{qid}", q, urllib.parse.urlencode(params)))
        write("filtered", rows)
    if dates:
        write("sorted", [(f"d{qid}", q, "sort=-date") for qid, q in free])
    json.dump(written, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
