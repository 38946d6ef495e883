"""Quarry's relevance evaluation (Benchmarks/eval): Quarry over its daemon vs Xapian's defaults, tantivy, FTS5
and bm25s."""
