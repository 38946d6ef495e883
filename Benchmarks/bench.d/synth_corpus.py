"""Deterministic synthetic news corpus for scale benchmarks: docs.jsonl + queries.tsv.

    synth_corpus.py OUT_DIR --docs N [--seed 1] [--queries 1000]

English-like text without any real text in it:
- the vocabulary: ~130 English function words at the top ranks, then pseudo-words built from syllables, as
  lemma families (lemma, lemma+s, +ed, +ing, +er, +ly, +tion...) so that stemming has work to do; frequent words
  are short and the tail is long (a Zipf-Mandelbrot law over ~150,000 surface forms, as in news text, where a
  few thousand words make most of the tokens and most distinct words are rare);
- each of 12 categories has its own topic words (5% of its body tokens), so a category filter narrows a query
  rather than cutting a random sample;
- dates spread over 2000-2025 with more articles in later years; titles of 5-12 words; 5-10 paragraphs of 2-4
  sentences (~390 words, ~2.4 kB per article: news-article length).
queries.tsv holds free-text queries: two thirds of 2-3 mid-frequency vocabulary words, one third 2-4 words of
a random article's title. The same seed and size give byte-identical files.
"""
from __future__ import annotations

import argparse
import bisect
import datetime
import itertools
import json
import os
import random
import sys
import time

import numpy

FUNCTION_WORDS = (
    "the of and to a in is that for it was on with as he be by at from his an have are this or which not had "
    "but were they their been has one you all we she there her would more will who also its can when said into "
    "than other no some could them after only what about two these new over first may any so if like most out "
    "up our then time made years those between should before where such many while under last even being back "
    "just three since much because both through each well down still against own during around however where "
    "how against without another again few same those few told people year week government city country state "
    "says say us now here"
).split()
ONSETS = ("b bl br c ch cl cr d dr f fl fr g gl gr h j k l m n p pl pr qu r s sc sh sl sm sn sp st str t th tr "
          "v w wh z").split() + [""] * 6
VOWELS = "a e i o u a e i o ea ai ou oo ie".split()
CODAS = "n r s t l m nd nt st rd ck ng rn ll ss sk mp ct".split() + [""] * 10
SUFFIXES = ("", "s", "ed", "ing", "er", "ers", "ly", "tion", "ment", "ness", "al", "ity")
CATEGORIES = ("world", "politics", "business", "sport", "technology", "science", "health", "culture",
              "opinion", "local", "environment", "education")
CATEGORY_WEIGHTS = (20, 16, 14, 14, 8, 5, 6, 5, 4, 4, 2, 2)
FIRST_DAY = datetime.date(2000, 1, 1).toordinal()
LAST_DAY = datetime.date(2025, 12, 31).toordinal()
TOPIC_SHARE = 0.05
BATCH = 1000  # articles per vectorised draw


def syllable(rng: random.Random) -> str:
    return rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS)


def make_vocabulary(rng: random.Random, lemmas: int) -> list[str]:
    """Surface forms, most frequent first: function words, then lemma families in order of lemma rank.

    A lemma's syllable count grows with its rank (frequent words are short); each family has 1-6 forms.
    """
    seen = set(FUNCTION_WORDS)
    words = list(dict.fromkeys(FUNCTION_WORDS))
    for rank in range(lemmas):
        # Frequent lemmas have 1-2 syllables, the tail 1-3 (English types average ~8 letters, tokens ~5).
        max_syllables = 1 + (rank > 300) + (rank > 6_000 and rng.random() < 0.5)
        for _ in range(20):
            lemma = "".join(syllable(rng) for _ in range(rng.randint(1, max_syllables)))
            if len(lemma) >= 3 and lemma not in seen:
                break
        else:
            continue
        forms = [lemma] + rng.sample(SUFFIXES[1:], rng.randint(0, 5))
        for form in forms:
            word = form if form == lemma else lemma + form
            if word not in seen:
                seen.add(word)
                words.append(word)
    return words


def zipf_cumulative(n: int, exponent: float = 1.07, shift: float = 2.7) -> list[float]:
    return list(itertools.accumulate(1.0 / (rank + shift) ** exponent for rank in range(1, n + 1)))


class Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.np_rng = numpy.random.default_rng(seed)  # PCG64: the same stream on every numpy version
        self.words = make_vocabulary(self.rng, 40_000)
        self.vocabulary = numpy.array(self.words, dtype=object)
        self.cum = numpy.array(zipf_cumulative(len(self.words)))
        # Topic words: mid-frequency content words, 300 per category, disjoint (as indices into the vocabulary).
        pool = list(range(2_000, 2_000 + 300 * len(CATEGORIES)))
        self.rng.shuffle(pool)
        self.topics = numpy.array([pool[i * 300:(i + 1) * 300] for i in range(len(CATEGORIES))])
        self.topic_cum = numpy.array(zipf_cumulative(300, exponent=0.8))
        self.category_cum = list(itertools.accumulate(CATEGORY_WEIGHTS))
        # Later years hold more articles (an archive that grows): density rises linearly 1 -> 3.
        span = LAST_DAY - FIRST_DAY
        self.day_cum = list(itertools.accumulate(1 + 2 * d / span for d in range(span + 1)))

    def words_for(self, categories: list[int], counts: list[int]) -> list[str]:
        """All the words of a batch of articles in one vectorised draw: the global Zipf law, with each word
        replaced by one of its article's category topic words with probability TOPIC_SHARE."""
        rng, total = self.np_rng, sum(counts)
        index = numpy.searchsorted(self.cum, rng.random(total) * self.cum[-1], side="right")
        topical = rng.random(total) < TOPIC_SHARE
        category = numpy.repeat(numpy.array(categories), counts)[topical]
        rank = numpy.searchsorted(self.topic_cum, rng.random(int(topical.sum())) * self.topic_cum[-1], side="right")
        index[topical] = self.topics[category, rank]
        return self.vocabulary[index].tolist()

    def articles(self, first: int, count: int) -> list[dict]:
        """Articles first..first+count-1 (their structure from the Python generator, their words from numpy)."""
        rng = self.rng
        plans = []
        for n in range(first, first + count):
            category = bisect.bisect(self.category_cum, rng.random() * self.category_cum[-1])
            day = FIRST_DAY + bisect.bisect(self.day_cum, rng.random() * self.day_cum[-1])
            title_length = rng.randint(5, 12)
            shape = [[rng.randint(10, 24) for _ in range(rng.randint(2, 4))] for _ in range(rng.randint(5, 10))]
            plans.append((n, category, day, title_length, shape))
        counts = [p[3] + sum(map(sum, p[4])) for p in plans]
        words = self.words_for([p[1] for p in plans], counts)
        at = 0
        out = []
        for n, category, day, title_length, shape in plans:
            title = " ".join(words[at:at + title_length])
            at += title_length
            paragraphs = []
            for lengths in shape:
                sentences = []
                for length in lengths:
                    sentence_words = words[at:at + length]
                    at += length
                    if length > 12 and rng.random() < 0.4:
                        sentence_words[rng.randint(4, length - 5)] += ","
                    sentence = " ".join(sentence_words)
                    sentences.append(sentence[0].upper() + sentence[1:] + ".")
                paragraphs.append(" ".join(sentences))
            out.append({"id": f"synth-{n:07d}", "title": title[0].upper() + title[1:],
                        "text": "\n\n".join(paragraphs), "date": datetime.date.fromordinal(day).isoformat(),
                        "category": CATEGORIES[category]})
        return out

    def vocabulary_query(self) -> str:
        # 2-3 words of ranks 200-20,000: content words that match tens to thousands of documents.
        k = self.rng.randint(2, 3)
        return " ".join(self.words[self.rng.randint(200, 20_000)] for _ in range(k))

    def title_query(self, title: str) -> str:
        words = [w for w in title.lower().split() if w not in FUNCTION_WORDS] or title.lower().split()
        k = min(len(words), self.rng.randint(2, 4))
        start = self.rng.randint(0, len(words) - k)
        return " ".join(words[start:start + k])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", help="output folder (docs.jsonl and queries.tsv are written there)")
    parser.add_argument("--docs", type=int, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--queries", type=int, default=1000)
    args = parser.parse_args()
    if args.docs < 1 or args.queries < 0:
        parser.error("--docs must be positive and --queries not negative")

    started = time.monotonic()
    gen = Generator(args.seed)
    # Which articles lend their titles to queries: chosen up front so one pass writes everything.
    title_docs = set(random.Random(args.seed + 1).sample(range(args.docs), min(args.docs, args.queries // 3)))
    titles = []
    os.makedirs(args.out, exist_ok=True)
    docs_path = os.path.join(args.out, "docs.jsonl")
    with open(docs_path + ".part", "w", encoding="utf-8") as out:
        for first in range(0, args.docs, BATCH):
            for n, article in enumerate(gen.articles(first, min(BATCH, args.docs - first)), first):
                if n in title_docs:
                    titles.append(article["title"])
                out.write(json.dumps(article, ensure_ascii=False))
                out.write("\n")
            if first and first % 100_000 == 0:
                print(f"synth_corpus: {first:,} articles, {time.monotonic() - started:.0f} s", file=sys.stderr)
    os.replace(docs_path + ".part", docs_path)

    queries = [gen.title_query(t) for t in titles]
    queries += [gen.vocabulary_query() for _ in range(args.queries - len(queries))]
    gen.rng.shuffle(queries)
    with open(os.path.join(args.out, "queries.tsv"), "w", encoding="utf-8") as out:
        for i, q in enumerate(queries, 1):
            out.write(f"s{i}\t{q}\n")
    print(f"synth_corpus: {args.docs:,} articles, {len(queries)} queries in {args.out} "
          f"({os.path.getsize(docs_path) / 2**20:,.1f} MB, {time.monotonic() - started:.1f} s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
