"""Unit tests of the compare bench's bookkeeping: resuming a run with more engines, merging result files.

    python3 -m unittest discover -s Benchmarks/bench.d -p 'test_*.py'

(scripts/test runs them.) No engine is run: the figures are made up, the logic that files them is not.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import compare  # noqa: E402
import compare_report  # noqa: E402


def figures(engine: str) -> dict:
    return {"docs": 2, "seconds": 1.0, "wall_seconds": 1.0, "cpu_seconds": 1.0, "docs_per_sec": 2.0,
            "mb_per_sec": 0.1, "index_bytes": 1000, "indexed_at_once": 1, "engine": engine}


def latency(p50: float) -> dict:
    return {"p50_us": p50, "p95_us": p50, "p99_us": p50, "qps": 1e6 / p50}


class Corpus:
    """A two-document docs.jsonl and a free-text query class in a temporary folder."""

    def __init__(self) -> None:
        self.dir = tempfile.TemporaryDirectory()
        root = self.dir.name
        self.docs = os.path.join(root, "docs.jsonl")
        with open(self.docs, "w") as f:
            f.write('{"id":"a","title":"A","text":"x"}\n{"id":"b","title":"B","text":"y"}\n')
        self.classes = os.path.join(root, "classes")
        os.makedirs(self.classes)
        with open(os.path.join(self.classes, "free.tsv"), "w") as f:
            f.write("1\tx\n2\ty\n")
        self.result = os.path.join(root, "result.json")

    def args(self, engines: str, peers_only: bool = False, passes: int = 1) -> argparse.Namespace:
        return argparse.Namespace(docs=self.docs, classes=self.classes, result=self.result, label="t",
                                  work=os.path.join(self.dir.name, "work"), engines=engines, quarry_bin="/bin",
                                  peers_only=peers_only, passes=passes, clients="1", duration=1.0, warmup=0.1,
                                  workers=2, machine="", resume=True, jobs=1, bin="/bin", vpy="python3",
                                  keep=False)


class ResumeTests(unittest.TestCase):
    def setUp(self) -> None:
        self.corpus = Corpus()
        self.log, compare.log = compare.log, lambda message: None  # the bench's progress lines

    def tearDown(self) -> None:
        compare.log = self.log
        self.corpus.dir.cleanup()

    def save_finished_run(self, bench: compare.Bench) -> None:
        for engine in bench.engines:
            bench.index[engine] = figures(engine)
            bench.inprocess["free"][engine] = latency(100)
        bench.memory = {"exit_status": 0}
        bench.started = 0.0
        bench.save(bench.result(True))

    def test_a_resumed_run_adds_engines_and_keeps_the_finished_ones(self) -> None:
        first = compare.Bench(self.corpus.args(engines=""))
        self.assertEqual(first.engines, ["reference", "quarry"])
        self.save_finished_run(first)

        second = compare.Bench(self.corpus.args(engines="tantivy"))
        self.assertEqual(sorted(second.engines), ["quarry", "reference", "tantivy"])
        self.assertTrue(second.finished("reference"))
        self.assertTrue(second.finished("quarry"))
        self.assertFalse(second.finished("tantivy"))

    def test_a_run_saved_when_the_engines_were_a_setting_is_resumed(self) -> None:
        self.save_finished_run(compare.Bench(self.corpus.args(engines="")))
        with open(self.corpus.result) as f:
            saved = json.load(f)
        saved["settings"]["engines"] = ["reference", "quarry"]  # how session 4's bench saved its runs
        with open(self.corpus.result, "w") as f:
            json.dump(saved, f)
        self.assertTrue(compare.Bench(self.corpus.args(engines="py-xapian")).finished("reference"))

    def test_a_run_with_other_settings_starts_afresh(self) -> None:
        self.save_finished_run(compare.Bench(self.corpus.args(engines="")))
        other = compare.Bench(self.corpus.args(engines="", passes=3))
        self.assertFalse(other.finished("reference"))
        self.assertEqual(other.index, {})

    def test_peers_only_runs_no_reference_and_no_quarry(self) -> None:
        bench = compare.Bench(self.corpus.args(engines="fts5,tantivy", peers_only=True))
        self.assertEqual(bench.engines, ["fts5", "tantivy"])


class MergeTests(unittest.TestCase):
    def result(self, engines: list[str], passes: int = 1, docs: int = 1000) -> dict:
        return {"benchmark": "compare", "label": "synth", "date": "2026-12-03T08:00:00+00:00",
                "git": {"commit": "0123456789abcdef"},
                "corpus": {"docs": docs, "bytes": 10_000, "queries": {"free": 2}},
                "settings": {"k": 10, "passes": passes, "clients": ["1"], "duration_s": 1.0, "warmup_s": 0.1,
                             "workers": 2},
                "index": {e: figures(e) for e in engines},
                "inprocess": {"free": {e: latency(100 + i) for i, e in enumerate(engines)}},
                "socket": {"free": {"1": latency(300)}} if "quarry" in engines else {"free": {}},
                "quarryd_memory": {"exit_status": 0} if "quarry" in engines else {},
                "duration_s": 10.0, "complete": True}

    def test_results_of_one_corpus_merge_engine_by_engine(self) -> None:
        core, peers = self.result(["reference", "quarry"]), self.result(["fts5", "tantivy"])
        merged = compare_report.merge([core, peers])
        self.assertEqual(len(merged), 1)
        one = merged[0]
        self.assertEqual(set(one["index"]), {"reference", "quarry", "fts5", "tantivy"})
        self.assertEqual(set(one["inprocess"]["free"]), {"reference", "quarry", "fts5", "tantivy"})
        self.assertEqual(one["socket"], core["socket"])
        self.assertEqual(one["merged"][0]["engines"], ["fts5", "tantivy"])
        self.assertEqual(one["duration_s"], 20.0)
        self.assertIn("Merged: fts5, tantivy", compare_report.tables(one))

    def test_the_socket_table_splits_the_latency_at_quarryds_took(self) -> None:
        result = self.result(["reference", "quarry"])
        result["socket"]["free"]["1"]["took_p50_us"] = 180.0
        row = next(line for line in compare_report.tables(result).splitlines() if line.startswith("| free | 1 |"))
        self.assertIn("| 180 | +120 µs |", row)
        del result["socket"]["free"]["1"]["took_p50_us"]  # results of ref-loads that did not report it
        row = next(line for line in compare_report.tables(result).splitlines() if line.startswith("| free | 1 |"))
        self.assertIn("| – | – µs |", row)

    def test_the_first_file_wins_for_an_engine_in_both(self) -> None:
        first, second = self.result(["reference", "quarry"]), self.result(["reference", "tantivy"])
        second["index"]["reference"]["cpu_seconds"] = 99.0
        one = compare_report.merge([first, second])[0]
        self.assertEqual(one["index"]["reference"]["cpu_seconds"], 1.0)
        self.assertEqual(one["merged"][0]["engines"], ["tantivy"])

    def test_other_settings_or_corpora_stay_apart(self) -> None:
        base = self.result(["reference", "quarry"])
        self.assertEqual(len(compare_report.merge([base, self.result(["fts5"], passes=3)])), 2)
        self.assertEqual(len(compare_report.merge([base, self.result(["fts5"], docs=2000)])), 2)

    def test_merging_leaves_the_inputs_alone(self) -> None:
        core, peers = self.result(["reference", "quarry"]), self.result(["fts5"])
        before = json.dumps(core, sort_keys=True)
        compare_report.merge([core, peers])
        self.assertEqual(json.dumps(core, sort_keys=True), before)

    def report(self, *args: str) -> subprocess.CompletedProcess:
        script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "compare_report.py")
        return subprocess.run([sys.executable, script, *args], capture_output=True, text=True)

    def test_the_command_merges_the_files_it_is_given(self) -> None:
        with tempfile.TemporaryDirectory() as root:
            paths = []
            for name, engines in (("core", ["reference", "quarry"]), ("peers", ["fts5"])):
                paths.append(os.path.join(root, f"{name}.json"))
                with open(paths[-1], "w") as f:
                    json.dump(self.result(engines), f)
            done = self.report(*paths)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("| fts5 |", done.stdout)
        self.assertIn("| quarry |", done.stdout)
        self.assertIn("Merged: fts5", done.stdout)

    def test_the_command_refuses_a_file_it_cannot_read(self) -> None:
        with tempfile.TemporaryDirectory() as root:
            bad = os.path.join(root, "bad.json")
            with open(bad, "w") as f:
                f.write("{not json")
            for path in (bad, os.path.join(root, "missing.json")):
                done = self.report(path)
                self.assertEqual(done.returncode, 66)
                self.assertIn(f"{path}: cannot read a result", done.stderr)
                self.assertEqual(done.stdout, "")

    def test_the_command_refuses_a_result_of_another_bench(self) -> None:
        with tempfile.TemporaryDirectory() as root:
            for name, content in (("query.json", {"benchmark": "query", "date": "2026-12-03"}), ("list.json", [])):
                path = os.path.join(root, name)
                with open(path, "w") as f:
                    json.dump(content, f)
                done = self.report(path)
                self.assertEqual(done.returncode, 66)
                self.assertIn(f"{path}: not a compare bench result", done.stderr)
                self.assertEqual(done.stdout, "")


if __name__ == "__main__":
    unittest.main()
