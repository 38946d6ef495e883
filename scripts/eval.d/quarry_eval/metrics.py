"""Scoring runs with trec_eval's own code: ir-measures over pytrec_eval (or pytrec_eval directly when
ir-measures is not installed). nDCG@10 with linear gains, AP@100 (trec_eval's map_cut_100, the anchors'
"MAP over the top 100"), P@10 and Recall@100; a judged query without results counts as 0."""
from __future__ import annotations

from pathlib import Path

Run = dict[str, list[tuple[str, float]]]
METRIC_NAMES = ["nDCG@10", "MAP@100", "P@10", "Recall@100"]
_TREC_EVAL = {"nDCG@10": "ndcg_cut_10", "MAP@100": "map_cut_100", "P@10": "P_10", "Recall@100": "recall_100"}

try:
    import ir_measures
    from ir_measures import AP, P, R, nDCG

    _MEASURES = {"nDCG@10": nDCG @ 10, "MAP@100": AP @ 100, "P@10": P @ 10, "Recall@100": R @ 100}
    BACKEND = "ir-measures (pytrec_eval provider)"
except ImportError:  # pragma: no cover - the fallback install
    ir_measures = None
    BACKEND = "pytrec_eval"


def evaluate(qrels: dict[str, dict[str, int]], run: Run) -> dict[str, float]:
    """Mean of each measure over every judged query (queries missing from the run count as 0)."""
    scored = {qid: {docid: float(score) for docid, score in hits} for qid, hits in run.items() if hits}
    if ir_measures is not None:
        # The pytrec_eval provider already averages over every judged query, zeros for those without results.
        aggregate = ir_measures.pytrec_eval.calc_aggregate(list(_MEASURES.values()), qrels, scored)
        return {name: float(aggregate.get(measure, 0.0)) for name, measure in _MEASURES.items()}
    import pytrec_eval

    evaluator = pytrec_eval.RelevanceEvaluator(qrels, set(_TREC_EVAL.values()))
    per_query = evaluator.evaluate({qid: hits for qid, hits in scored.items() if qid in qrels})
    return {name: sum(q.get(key, 0.0) for q in per_query.values()) / len(qrels)
            for name, key in _TREC_EVAL.items()}


def write_trec_run(path: Path, run: Run, tag: str) -> None:
    """TREC run format: qid Q0 docid rank score tag."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as out:
        for qid, hits in run.items():
            for rank, (docid, score) in enumerate(hits, start=1):
                out.write(f"{qid} Q0 {docid} {rank} {score:.6f} {tag}\n")
