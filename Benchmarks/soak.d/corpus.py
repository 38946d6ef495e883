"""Benchmarks/soak: the starting corpus and the query list.

corpus.py SAMPLES OUT_DIR COUNT QUERIES_TSV
Copies nothing: writes COUNT generated articles (OUT_DIR/generated/<topic>/NNNNN.txt) from the samples'
vocabulary, deterministically, and QUERIES_TSV (qid<TAB>query) of one- to three-word queries and phrases
drawn from the same vocabulary, so queries find something in both the samples and the generated articles.
"""
import os
import random
import re
import sys


def vocabulary(samples):
    words = []
    for folder, _, files in os.walk(samples):
        for name in sorted(files):
            if name.endswith((".txt", ".jsonl")):
                with open(os.path.join(folder, name), encoding="utf-8") as handle:
                    words += re.findall(r"[a-z]{4,}", handle.read().lower())
    return sorted(set(words))


def main():
    samples, out_dir, count, queries_path = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    rng = random.Random(20261125)
    words = vocabulary(samples)
    topics = ["world", "business", "science", "sport", "culture"]
    for index in range(count):
        topic = topics[index % len(topics)]
        folder = os.path.join(out_dir, "generated", topic)
        os.makedirs(folder, exist_ok=True)
        title = " ".join(rng.choice(words) for _ in range(6)).capitalize()
        paragraphs = [" ".join(rng.choice(words) for _ in range(40)).capitalize() + "." for _ in range(4)]
        day = index % 28 + 1
        text = f"{title}\n\n" + "\n\n".join(paragraphs) + f"\n\nPublished: {day} March 2024\n"
        with open(os.path.join(folder, f"{index:05d}.txt"), "w", encoding="utf-8") as handle:
            handle.write(text)
    with open(queries_path, "w", encoding="utf-8") as handle:
        for qid in range(500):
            size = rng.choice([1, 1, 2, 2, 3])
            query = " ".join(rng.choice(words) for _ in range(size))
            if qid % 7 == 0 and size > 1:
                query = f'"{query}"'
            handle.write(f"q{qid}\t{query}\n")


if __name__ == "__main__":
    main()
