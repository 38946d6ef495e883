"""Query hygiene: turn a collection's query text into a plain bag of words.

Quarry's /search always parses `q` with Xapian's QueryParser (BOOLEAN, PHRASE, LOVEHATE, WILDCARD, PURE_NOT)
and has no operator-free mode, so the texts of the test collections ("Which ... (e.g. X-ray)?", "NOT",
"sub-sonic", "author: ...") would be read as phrases, exclusions, field searches and boolean operators.
Every engine here therefore gets the same sanitised text.
"""
from __future__ import annotations

import re

_NON_WORD = re.compile(r"[\W_]+")
#: Words that Xapian's QueryParser reads as operators when written in capitals.
OPERATORS = frozenset({"AND", "OR", "NOT", "XOR", "NEAR", "ADJ"})


def sanitise(text: str, lowercase: bool = True) -> str:
    """Every character that is not a letter or digit becomes a space; runs of spaces collapse.

    lowercase=True (the peers' convention) also lower-cases the whole text. lowercase=False keeps the
    words' case (so a case-sensitive engine can decide), but still lower-cases the operator words AND,
    OR, NOT, XOR, NEAR, ADJ so that they are plain words to every engine.
    """
    words = _NON_WORD.sub(" ", text).split()
    if lowercase:
        return " ".join(w.lower() for w in words)
    return " ".join(w.lower() if w in OPERATORS else w for w in words)
