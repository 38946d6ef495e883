"""The peers, each given the same documents and the same sanitised query text, returning up to `depth` ids.

- xapian-defaults: Xapian 1.4 through its Python bindings with Xapian's defaults: TermGenerator with the
  English stemmer (STEM_SOME), the title indexed unprefixed and with prefix S, the text unprefixed, a Q id
  term; QueryParser with the English stemmer, STEM_SOME and its default flags; BM25Weight() (k1 1, b 0.5).
- tantivy: tantivy-py, fields title and text with the en_stem tokenizer, BM25 (k1 1.2, b 0.75) over both.
- fts5: SQLite FTS5, tokenize='porter unicode61', bm25() ranking, the query an OR of its (quoted) terms.
- bm25s: bm25s with PyStemmer's English stemmer and bm25s's English stopwords, title and text as one field,
  its default BM25 (method "lucene", k1 1.5, b 0.75), in RAM.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from typing import Callable

from .corpora import Collection

Run = dict[str, list[tuple[str, float]]]  # qid -> [(docid, score)] best first


class XapianDefaults:
    name = "xapian-defaults"

    def __init__(self, collection: Collection, workdir: str):
        import xapian

        self.xapian = xapian
        path = os.path.join(workdir, "xapian-defaults.db")
        shutil.rmtree(path, ignore_errors=True)
        db = xapian.WritableDatabase(path, xapian.DB_CREATE_OR_OVERWRITE)
        stemmer = xapian.Stem("english")
        generator = xapian.TermGenerator()
        generator.set_stemmer(stemmer)  # default strategy: STEM_SOME
        for record in collection.docs():
            doc = xapian.Document()
            generator.set_document(doc)
            generator.index_text(record["title"], 1, "S")
            generator.index_text(record["title"])
            generator.increase_termpos()
            generator.index_text(record["text"])
            doc.add_boolean_term("Q" + record["id"])
            doc.set_data(record["id"])
            db.add_document(doc)
        db.commit()
        db.close()
        self.db = xapian.Database(path)
        self.parser = xapian.QueryParser()
        self.parser.set_stemmer(stemmer)
        self.parser.set_stemming_strategy(xapian.QueryParser.STEM_SOME)
        self.parser.set_database(self.db)
        self.parser.add_prefix("title", "S")

    def search(self, text: str, depth: int) -> list[tuple[str, float]]:
        xapian = self.xapian
        query = self.parser.parse_query(text) if text.strip() else xapian.Query()
        enquire = xapian.Enquire(self.db)
        enquire.set_query(query)
        enquire.set_weighting_scheme(xapian.BM25Weight())
        mset = enquire.get_mset(0, depth)
        return [(m.document.get_data().decode("utf-8"), m.weight) for m in mset]

    def close(self) -> None:
        self.db.close()


class Tantivy:
    name = "tantivy"

    def __init__(self, collection: Collection, workdir: str):
        import tantivy

        builder = tantivy.SchemaBuilder()
        builder.add_text_field("id", stored=True, tokenizer_name="raw")
        builder.add_text_field("title", stored=False, tokenizer_name="en_stem")
        builder.add_text_field("text", stored=False, tokenizer_name="en_stem")
        schema = builder.build()
        self.index = tantivy.Index(schema)  # in RAM
        writer = self.index.writer(heap_size=128_000_000, num_threads=1)
        for record in collection.docs():
            writer.add_document(tantivy.Document(id=record["id"], title=record["title"], text=record["text"]))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()

    def search(self, text: str, depth: int) -> list[tuple[str, float]]:
        if not text.strip():
            return []
        # The sanitised text holds letters, digits and spaces only; lower-cased so that AND/OR/NOT are words.
        query = self.index.parse_query(text.lower(), ["title", "text"])
        result = self.searcher.search(query, depth)
        return [(self.searcher.doc(address)["id"][0], score) for score, address in result.hits]

    def close(self) -> None:
        pass


class FTS5:
    name = "fts5"

    def __init__(self, collection: Collection, workdir: str):
        self.conn = sqlite3.connect(":memory:")
        self.conn.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(docid UNINDEXED, title, text, tokenize='porter unicode61')")
        self.conn.executemany("INSERT INTO docs(docid, title, text) VALUES (?, ?, ?)",
                              ((r["id"], r["title"], r["text"]) for r in collection.docs()))
        self.conn.commit()

    def search(self, text: str, depth: int) -> list[tuple[str, float]]:
        terms = [t for t in text.split() if t]
        if not terms:
            return []
        match = " OR ".join('"' + t.replace('"', '""') + '"' for t in terms)
        rows = self.conn.execute(
            "SELECT docid, bm25(docs) AS score FROM docs WHERE docs MATCH ? ORDER BY score LIMIT ?",
            (match, depth)).fetchall()
        return [(docid, -score) for docid, score in rows]

    def close(self) -> None:
        self.conn.close()


class BM25S:
    name = "bm25s"

    def __init__(self, collection: Collection, workdir: str):
        import bm25s
        import Stemmer

        self.bm25s = bm25s
        self.stemmer = Stemmer.Stemmer("english")
        docs = collection.docs()
        self.ids = [record["id"] for record in docs]
        corpus = [f"{record['title']}\n{record['text']}" for record in docs]
        tokens = bm25s.tokenize(corpus, stopwords="en", stemmer=self.stemmer, show_progress=False)
        self.retriever = bm25s.BM25()  # method "lucene", k1 1.5, b 0.75
        self.retriever.index(tokens, show_progress=False)

    def search(self, text: str, depth: int) -> list[tuple[str, float]]:
        tokens = self.bm25s.tokenize([text], stopwords="en", stemmer=self.stemmer, show_progress=False,
                                     return_ids=False)[0]
        if not tokens:
            return []
        k = min(depth, len(self.ids))
        results, scores = self.retriever.retrieve([tokens], k=k, show_progress=False, n_threads=1)
        # bm25s returns k documents even when fewer match; a zero score means no query word matched.
        return [(self.ids[int(i)], float(s)) for i, s in zip(results[0], scores[0]) if s > 0]

    def close(self) -> None:
        pass


PEERS: dict[str, Callable[[Collection, str], object]] = {
    XapianDefaults.name: XapianDefaults,
    Tantivy.name: Tantivy,
    FTS5.name: FTS5,
    BM25S.name: BM25S,
}
