"""The judged collections in ../shared/corpora: documents, queries and TREC qrels."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Collection:
    name: str
    path: Path
    _docs: list[dict] | None = field(default=None, repr=False)
    _queries: dict[str, str] | None = field(default=None, repr=False)
    _qrels: dict[str, dict[str, int]] | None = field(default=None, repr=False)

    @property
    def docs_path(self) -> Path:
        return self.path / "docs.jsonl"

    @property
    def qrels_path(self) -> Path:
        return self.path / "qrels.tsv"

    def docs(self) -> list[dict]:
        """Every document as {id, title, text}; ids are strings, missing fields are empty."""
        if self._docs is None:
            docs = []
            with open(self.docs_path, encoding="utf-8") as handle:
                for line in handle:
                    if not line.strip():
                        continue
                    record = json.loads(line)
                    docs.append({
                        "id": str(record["id"]),
                        "title": record.get("title") or "",
                        "text": record.get("text") or "",
                    })
            self._docs = docs
        return self._docs

    def queries(self) -> dict[str, str]:
        """qid -> text, in file order."""
        if self._queries is None:
            queries: dict[str, str] = {}
            with open(self.path / "queries.tsv", encoding="utf-8") as handle:
                for line in handle:
                    line = line.rstrip("\n")
                    if not line.strip():
                        continue
                    qid, _, text = line.partition("\t")
                    queries[qid.strip()] = text
            self._queries = queries
        return self._queries

    def qrels(self) -> dict[str, dict[str, int]]:
        """qid -> {docid: relevance} from the TREC qrels file."""
        if self._qrels is None:
            qrels: dict[str, dict[str, int]] = {}
            with open(self.qrels_path, encoding="utf-8") as handle:
                for line in handle:
                    parts = line.split()
                    if len(parts) < 4:
                        continue
                    qid, _, docid, rel = parts[:4]
                    qrels.setdefault(qid, {})[docid] = int(rel)
            self._qrels = qrels
        return self._qrels

    def judged_queries(self) -> dict[str, str]:
        """The queries that have at least one judgement (the only ones trec_eval averages over)."""
        judged = self.qrels()
        return {qid: text for qid, text in self.queries().items() if qid in judged}


def discover(root: Path) -> list[Collection]:
    """Every folder of `root` that has docs.jsonl, queries.tsv and qrels.tsv, by name."""
    found = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if all((folder / name).is_file() for name in ("docs.jsonl", "queries.tsv", "qrels.tsv")):
            found.append(Collection(folder.name, folder))
    return found
