"""The peers' side of the bench: each engine indexes docs.jsonl on disk, then times the query classes in-process.

    peers.py ENGINE index DOCS.jsonl DIR                 -> {"docs", "seconds", "index_bytes"}
    peers.py ENGINE query DIR CLASS.tsv [--passes 3]     -> {"queries", "p50_us", "p95_us", "p99_us", "qps", ...}

Engines (one thread each; every one single-writer, committed once at the end):
- tantivy: tantivy-py, title and text with en_stem (positions kept: phrases), BM25 over both; category a raw
  term, the date a u64 YYYYMMDD fast field. Filters are constant-score (they narrow, not rank); sort by the
  date fast field.
- fts5: SQLite FTS5, tokenize='porter unicode61', bm25(); id, category and date UNINDEXED columns. Free text is
  an OR of the quoted words (the eval's convention), a phrase a quoted FTS5 phrase; filters and sort in SQL.
- py-xapian: the Xapian Python bindings with Xapian's defaults (TermGenerator with the English stemmer,
  STEM_SOME, title unprefixed and with S, Q id term, XC category term, value 0 YYYYMMDD); QueryParser with
  its default flags + PHRASE|BOOLEAN|LOVEHATE, BM25Weight(); filters with OP_FILTER, sort by value 0 then
  relevance.
Each query asks for the top 10 and reads each hit's id (as Quarry's result list does). Queries are
qid<TAB>q[<TAB>category=..&from=..&to=..&sort=-date] lines (query_sets.py); latency per query after one
warm-up pass.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import sqlite3
import sys
import time
import urllib.parse

K = 10
_NON_WORD = re.compile(r"[\W_]+")


def documents(path: str):
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if not line.strip():
                continue
            try:
                d = json.loads(line)
            except ValueError:
                continue
            if not isinstance(d, dict) or "id" not in d:
                continue
            title = d.get("title") if isinstance(d.get("title"), str) else ""
            text = d.get("text") if isinstance(d.get("text"), str) else ""
            category = d.get("category") if isinstance(d.get("category"), str) else ""
            date = str(d.get("date") or "")[:10].replace("-", "")
            yield str(d["id"]), title, text, category, date if len(date) == 8 and date.isdigit() else ""


def folder_bytes(path: str) -> int:
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def words(text: str) -> list[str]:
    return _NON_WORD.sub(" ", text).lower().split()


class Request:
    def __init__(self, q: str, params: str):
        p = urllib.parse.parse_qs(params)
        self.q = q
        self.phrase = q.startswith('"') and q.endswith('"') and len(q) > 1
        self.categories = [c for v in p.get("category", []) for c in v.split(",") if c]
        self.date_from = p.get("from", [""])[0].replace("-", "")
        self.date_to = p.get("to", [""])[0].replace("-", "")
        self.sort = p.get("sort", ["relevance"])[0]


class Tantivy:
    def index(self, docs: str, path: str) -> int:
        import tantivy
        shutil.rmtree(path, ignore_errors=True)
        os.makedirs(path)
        index = tantivy.Index(self.schema(), path=path)
        writer = index.writer(heap_size=128_000_000, num_threads=1)
        n = 0
        for id_, title, text, category, date in documents(docs):
            doc = tantivy.Document(id=id_, title=title, text=text, category=category.lower())
            if date:
                doc.add_unsigned("day", int(date))
            writer.add_document(doc)
            n += 1
        writer.commit()
        writer.wait_merging_threads()
        return n

    def schema(self):
        import tantivy
        b = tantivy.SchemaBuilder()
        b.add_text_field("id", stored=True, tokenizer_name="raw")
        b.add_text_field("title", stored=False, tokenizer_name="en_stem")
        b.add_text_field("text", stored=False, tokenizer_name="en_stem")
        b.add_text_field("category", stored=False, tokenizer_name="raw")
        b.add_unsigned_field("day", stored=False, indexed=True, fast=True)
        return b.build()

    def open(self, path: str) -> None:
        import tantivy
        self.tantivy = tantivy
        self.index_ = tantivy.Index.open(path)
        self.schema_ = self.index_.schema
        self.searcher = self.index_.searcher()

    def search(self, r: Request) -> list[str]:
        t = self.tantivy
        text = f'"{" ".join(words(r.q))}"' if r.phrase else " ".join(words(r.q))
        query = self.index_.parse_query(text, ["title", "text"]) if text.strip('"') else t.Query.all_query()
        filters = []
        if r.categories:
            terms = [(t.Occur.Should, t.Query.term_query(self.schema_, "category", c.lower())) for c in r.categories]
            filters.append(t.Query.boolean_query(terms))
        if r.date_from or r.date_to:
            filters.append(t.Query.range_query(self.schema_, "day", t.FieldType.Unsigned,
                                               int(r.date_from or 0), int(r.date_to or 99999999)))
        if filters:
            query = t.Query.boolean_query([(t.Occur.Must, query)] + [
                (t.Occur.Must, t.Query.const_score_query(f, 0.0)) for f in filters])
        if r.sort in ("-date", "date"):
            result = self.searcher.search(query, K, order_by_field="day",
                                          order=t.Order.Desc if r.sort == "-date" else t.Order.Asc)
        else:
            result = self.searcher.search(query, K)
        return [self.searcher.doc(address)["id"][0] for _, address in result.hits]


class FTS5:
    def index(self, docs: str, path: str) -> int:
        if os.path.exists(path):
            os.remove(path)
        conn = sqlite3.connect(path)
        conn.execute("CREATE VIRTUAL TABLE docs USING fts5(docid UNINDEXED, category UNINDEXED, day UNINDEXED, "
                     "title, text, tokenize='porter unicode61')")
        n = 0

        def rows():
            nonlocal n
            for id_, title, text, category, date in documents(docs):
                n += 1
                yield id_, category.lower(), int(date) if date else None, title, text
        conn.executemany("INSERT INTO docs(docid, category, day, title, text) VALUES (?, ?, ?, ?, ?)", rows())
        conn.commit()
        conn.close()
        return n

    def open(self, path: str) -> None:
        self.conn = sqlite3.connect(path)

    def search(self, r: Request) -> list[str]:
        terms = words(r.q)
        where, args = [], []
        if terms:
            match = ('"' + " ".join(terms) + '"') if r.phrase else " OR ".join(f'"{w}"' for w in terms)
            where.append("docs MATCH ?")
            args.append(match)
        if r.categories:
            where.append(f"category IN ({','.join('?' * len(r.categories))})")
            args += [c.lower() for c in r.categories]
        if r.date_from or r.date_to:
            where.append("day BETWEEN ? AND ?")
            args += [int(r.date_from or 0), int(r.date_to or 99999999)]
        order = {"-date": "day DESC", "date": "day ASC"}.get(r.sort, "bm25(docs)" if terms else "rowid")
        sql = f"SELECT docid FROM docs WHERE {' AND '.join(where) or '1'} ORDER BY {order} LIMIT {K}"
        return [row[0] for row in self.conn.execute(sql, args)]


class PyXapian:
    def index(self, docs: str, path: str) -> int:
        import xapian
        shutil.rmtree(path, ignore_errors=True)
        db = xapian.WritableDatabase(path, xapian.DB_CREATE_OR_OVERWRITE)
        generator = xapian.TermGenerator()
        generator.set_stemmer(xapian.Stem("english"))  # default strategy: STEM_SOME
        n = 0
        for id_, title, text, category, date in documents(docs):
            doc = xapian.Document()
            generator.set_document(doc)
            generator.index_text(title, 1, "S")
            generator.index_text(title)
            generator.increase_termpos()
            generator.index_text(text)
            doc.add_boolean_term("Q" + id_)
            if category:
                doc.add_boolean_term("XC" + category.lower())
            if date:
                doc.add_value(0, date)
            doc.set_data(id_)
            db.add_document(doc)
            n += 1
        db.commit()
        db.close()
        return n

    def open(self, path: str) -> None:
        import xapian
        self.xapian = xapian
        self.db = xapian.Database(path)
        self.parser = xapian.QueryParser()
        self.parser.set_stemmer(xapian.Stem("english"))
        self.parser.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
        self.parser.set_database(self.db)
        self.parser.add_prefix("title", "S")
        self.flags = (xapian.QueryParser.FLAG_DEFAULT | xapian.QueryParser.FLAG_PHRASE
                      | xapian.QueryParser.FLAG_BOOLEAN | xapian.QueryParser.FLAG_LOVEHATE)

    def search(self, r: Request) -> list[str]:
        x = self.xapian
        query = self.parser.parse_query(r.q, self.flags) if r.q.strip() else x.Query.MatchAll
        filters = []
        if r.categories:
            filters.append(x.Query(x.Query.OP_OR, [x.Query("XC" + c.lower()) for c in r.categories]))
        if r.date_from or r.date_to:
            filters.append(x.Query(x.Query.OP_VALUE_RANGE, 0, r.date_from or "00000000", r.date_to or "99999999"))
        if filters:
            query = x.Query(x.Query.OP_FILTER, [query] + filters)
        enquire = x.Enquire(self.db)
        enquire.set_query(query)
        enquire.set_weighting_scheme(x.BM25Weight())
        if r.sort in ("-date", "date"):
            enquire.set_sort_by_value_then_relevance(0, r.sort == "-date")
        return [m.document.get_data().decode("utf-8") for m in enquire.get_mset(0, K)]


ENGINES = {"tantivy": Tantivy, "fts5": FTS5, "py-xapian": PyXapian}


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest rank, as ref-query computes it."""
    rank = max(1, math.ceil(p / 100 * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def time_queries(engine, path: str, queries_path: str, passes: int) -> dict:
    requests = []
    with open(queries_path, encoding="utf-8") as f:
        for line in f:
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 2:
                requests.append(Request(cols[1], cols[2] if len(cols) > 2 else ""))
    engine.open(path)
    errors = 0
    for r in requests:  # warm-up, not measured
        try:
            engine.search(r)
        except Exception:  # noqa: BLE001 - a query an engine rejects is counted, not fatal
            errors += 1
    latencies = []
    clock = time.perf_counter
    started, cpu = clock(), time.process_time()
    for _ in range(passes):
        for r in requests:
            t0 = clock()
            try:
                engine.search(r)
            except Exception:  # noqa: BLE001
                pass
            latencies.append((clock() - t0) * 1e6)
    seconds, cpu = clock() - started, time.process_time() - cpu
    latencies.sort()
    return {"queries": len(requests), "passes": passes, "errors": errors,
            "p50_us": round(percentile(latencies, 50), 1), "p95_us": round(percentile(latencies, 95), 1),
            "p99_us": round(percentile(latencies, 99), 1), "mean_us": round(sum(latencies) / len(latencies), 1),
            "qps": round(len(latencies) / seconds, 1), "cpu_us_per_query": round(cpu * 1e6 / len(latencies), 1)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("engine", choices=sorted(ENGINES))
    parser.add_argument("action", choices=("index", "query"))
    parser.add_argument("paths", nargs=2)
    parser.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()
    engine = ENGINES[args.engine]()
    if args.action == "index":
        docs, path = args.paths
        t0, cpu = time.perf_counter(), time.process_time()
        n = engine.index(docs, path)
        seconds = time.perf_counter() - t0
        print(json.dumps({"docs": n, "seconds": round(seconds, 3), "cpu_seconds": round(time.process_time() - cpu, 3),
                          "index_bytes": folder_bytes(path)}))
    else:
        path, queries = args.paths
        print(json.dumps(time_queries(engine, path, queries, args.passes)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
