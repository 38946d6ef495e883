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


def per_query(qrels: dict[str, dict[str, int]], run: Run, measure: str = "nDCG@10") -> dict[str, float]:
    """One measure for every judged query (0 for a query without results); their mean is evaluate()'s."""
    scored = {qid: {docid: float(score) for docid, score in hits} for qid, hits in run.items() if hits}
    values = {qid: 0.0 for qid in qrels}
    if ir_measures is not None:
        for item in ir_measures.pytrec_eval.iter_calc([_MEASURES[measure]], qrels, scored):
            if item.query_id in values:
                values[item.query_id] = float(item.value)
        return values
    import pytrec_eval

    evaluator = pytrec_eval.RelevanceEvaluator(qrels, {_TREC_EVAL[measure]})
    for qid, result in evaluator.evaluate({q: h for q, h in scored.items() if q in qrels}).items():
        values[qid] = float(result.get(_TREC_EVAL[measure], 0.0))
    return values


def randomisation_test(a: dict[str, dict[str, float]], b: dict[str, dict[str, float]],
                       rounds: int = 10_000, seed: int = 1) -> tuple[float, float]:
    """Paired two-sided randomisation test of mean(a) - mean(b), where the mean is the mean over collections
    of each collection's mean over its queries (a, b: collection -> qid -> value). Returns (difference, p)."""
    import random

    collections = sorted(set(a) & set(b))
    diffs = [[a[c][q] - b[c][q] for q in sorted(a[c])] for c in collections]

    def statistic(signs_for) -> float:
        return sum(sum(s * d for s, d in zip(signs_for(i), col)) / len(col)
                   for i, col in enumerate(diffs) if col) / len(diffs)

    observed = statistic(lambda i: [1] * len(diffs[i]))
    rng = random.Random(seed)
    extreme = 0
    for _ in range(rounds):
        value = statistic(lambda i: [rng.choice((1, -1)) for _ in diffs[i]])
        if abs(value) >= abs(observed) - 1e-12:
            extreme += 1
    return observed, (extreme + 1) / (rounds + 1)


def write_trec_run(path: Path, run: Run, tag: str) -> None:
    """TREC run format: qid Q0 docid rank score tag."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as out:
        for qid, hits in run.items():
            for rank, (docid, score) in enumerate(hits, start=1):
                out.write(f"{qid} Q0 {docid} {rank} {score:.6f} {tag}\n")
