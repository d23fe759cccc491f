"""Ranking questions over the indicators table: "quelle est la troisième priorité citée ?", "quelle priorité
arrive en tête ?". The rows that list parallel items (the same label around a different item: "Part des
répondants citant … comme priorité pour l'avenir") are sorted by their values; the answer names the row at
the rank asked and gives the whole ranking, each figure cited from its row. Nothing is ranked when the
table has no such list for the thing asked, and the reader answers as usual.
"""
from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .answer import citer, row_value
from .lexical import tokenize
from .records import Answer, Chunk
from .retrieval import Hit
from .talk import said_bases

# An ordinal in words or digits ("troisième", "3e", "dernière"), as `rank_of` reads it.
ORDINAL = (r"(?:premi[eè]re?|premier|deuxi[eè]me|second(?:e)?|troisi[eè]me|quatri[eè]me|cinqui[eè]me|derni[eè]re?|dernier|"
           r"[1-5]\s?(?:er|re|ère|e|è|ème|eme))")
# "la 3e priorité", "la troisième priorité", "le premier frein": a rank and the thing ranked.
RANKED = re.compile(rf"\b(?P<rank>{ORDINAL})\s+(?P<noun>[^\W\d_][\w-]*)", re.IGNORECASE)
RANK_STEMS = (("prem", 1), ("deux", 2), ("second", 2), ("trois", 3), ("quatr", 4), ("cinq", 5), ("dern", -1))
# "quelle priorité arrive en tête", "la priorité la plus citée", "laquelle est la moins citée".
AT_TOP = re.compile(r"\bquel(?:le)?s?\s+(?:est\s+)?(?:la\s+|le\s+)?(?P<noun>[^\W\d_][\w-]*)\b[^?]*?"
                    r"(?:\ben\s+tête\b|\b(?:la|le)\s+plus\s+(?P<most>cité|citée|fréquente?|répandue?|courante?)\b|"
                    r"\b(?:la|le)\s+moins\s+(?P<least>cité|citée|fréquente?|répandue?|courante?)\b)", re.IGNORECASE)
# A later part that only asks the ranked row's figure ("…, et avec quel score ?"), which the ranking gives.
FIGURE_ONLY = re.compile(r"^\s*(?:et\s+)?(?:avec|à|de|pour)?\s*(?:quel(?:le)?s?|combien)\s+(?:de\s+|d['’])?"
                         r"(?:score|pourcentage|%|chiffre|taux|part|proportion|valeur|résultat)?\s*(?:\(.*\))?\s*\??\s*$",
                         re.IGNORECASE)
# "la priorité numéro un", "le frein n° 1".
NUMBER_ONE = re.compile(r"\b(?:la|le|les)\s+(?P<noun>[^\W\d_][\w-]*)\s+(?:numéro|n°|no)\s*(?:un|1)\b", re.IGNORECASE)
# A later part asking another rank of the same list ("…, et laquelle arrive en deuxième ?", "et quelle est la
# troisième ?"), which the whole ranking gives.
RANK_ONLY = re.compile(rf"^\s*(?:et\s+)?(?:laquelle|lequel|lesquelles|lesquels|quelle|quel|celle|celui)\b[^?]*?"
                       rf"\b{ORDINAL}\b(?:\s+(?:position|place|rang))?\s*(?:\(.*\))?\s*\??\s*$", re.IGNORECASE)
MIN_ITEMS = 3  # fewer rows are a pair (yes and no, known and unknown), not a list to rank


@dataclass
class Ranked:
    """Rows listing parallel items, most first, and the 1-based rank asked (-1: the last)."""

    rows: list[Hit]
    rank: int
    frame: tuple[str, str]  # the words every row's label opens and closes on


def asked_rank(question: str) -> tuple[int, str] | None:
    """The rank a question asks for and the word of the thing ranked ("troisième priorité" → (3,
    "priorité")), else None."""
    if match := RANKED.search(question):
        return rank_of(match.group("rank")), match.group("noun")
    if match := AT_TOP.search(question):
        return (-1 if match.group("least") else 1), match.group("noun")
    if match := NUMBER_ONE.search(question):
        return 1, match.group("noun")
    return None


def rank_of(ordinal: str) -> int:
    """The rank an `ORDINAL` says: its digit, else its stem ("troisième" → 3, "dernièr" → -1, the last)."""
    if ordinal[:1].isdigit():
        return int(ordinal[0])
    word = ordinal.lower().replace("è", "e")
    return next(rank for stem, rank in RANK_STEMS if word.startswith(stem))


def answered_by_ranking(later_parts: Sequence[str]) -> bool:
    """Later parts of a ranking question that only ask the ranked row's figure or another rank of the same
    list: the whole ranking answers them."""
    return all(FIGURE_ONLY.match(part) or RANK_ONLY.match(part) for part in later_parts)


def value_of(meta: dict) -> float | None:
    """An indicator row's value as a number ("30" → 30, "1/3" → 33.3 when a share), else None."""
    value = str(meta.get("value", "")).strip().replace(",", ".")
    if match := re.fullmatch(r"(\d+)\s*/\s*(\d+)", value):
        share = int(match.group(1)) / int(match.group(2))
        return 100 * share if meta.get("unit") in ("%", "", None) else share
    try:
        return float(value)
    except ValueError:
        return None


def _label(chunk: Chunk) -> str:
    return str(chunk.metadata.get("indicator") or chunk.text.split(" : ")[0])


def _frame(labels: Sequence[str]) -> tuple[str, str]:
    """The words all labels open and close on."""
    words = [label.split() for label in labels]
    head = os.path.commonprefix(words)
    tail = os.path.commonprefix([list(reversed(w[len(head):])) for w in words])
    return " ".join(head), " ".join(reversed(tail))


def parallel_rows(rows: Sequence[tuple[int, Chunk]], noun: str) -> tuple[list[Hit], tuple[str, str]]:
    """The indicator rows of one theme and unit whose labels share an opening and a closing of two words
    or more around a different item, the closing naming `noun` ("… comme priorité pour l'avenir" for
    "priorité"; the opening, "Part des répondants", names who answered, not what is ranked), most first,
    with that frame; `rows` are the index's indicator rows with their positions (the engine keeps them, so
    that a ranking question never scans the whole index); empty when there are fewer than `MIN_ITEMS` or no such frame."""
    term = set(tokenize(noun))
    if not term:
        return [], ("", "")
    groups: dict[tuple[str, str], list[int]] = {}
    chunks = dict(rows)
    for position, chunk in rows:
        if chunk.kind == "indicator" and not chunk.metadata.get("conflict_group") and value_of(chunk.metadata) is not None:
            key = (str(chunk.metadata.get("theme", "")), str(chunk.metadata.get("unit", "")))
            groups.setdefault(key, []).append(position)
    for positions in groups.values():
        labels = [_label(chunks[p]) for p in positions]
        kept = [p for p, label in zip(positions, labels) if term <= set(tokenize(label))]
        if len(kept) < MIN_ITEMS:
            continue
        head, tail = _frame([_label(chunks[p]) for p in kept])
        if len(head.split()) < 2 or len(tail.split()) < 2 or not term <= set(tokenize(tail)):
            continue
        kept.sort(key=lambda p: -(value_of(chunks[p].metadata) or 0.0))
        return [Hit(position=p, chunk=chunks[p], score=0.0, dense=0.0, lexical=0.0) for p in kept], (head, tail)
    return [], ("", "")


def ranked(question: str, rows: Sequence[tuple[int, Chunk]]) -> Ranked | None:
    """The rows a ranking question asks about, with the rank asked; None when it asks no rank or the table
    lists no such items, or fewer than the rank asked."""
    asked = asked_rank(question)
    if asked is None:
        return None
    rank, noun = asked
    listed, frame = parallel_rows(rows, noun)
    if not listed or rank > len(listed):
        return None
    return Ranked(rows=listed, rank=rank, frame=frame)


ORDINAL_WORDS = {1: "premier", 2: "deuxième", 3: "troisième", 4: "quatrième", 5: "cinquième"}
COUNT_WORDS = {3: "trois", 4: "quatre", 5: "cinq", 6: "six", 7: "sept", 8: "huit", 9: "neuf", 10: "dix"}


def ranking_answer(question: str, found: Ranked, max_chars: int | None = None) -> Answer:
    """The row at the rank asked, then the whole ranking (each item once, the label they share said once),
    every figure cited from its row and the bases said once; ties are said as such. Ranks and counts are
    said in words: every figure of an answer is one its cited passage gives. Within `max_chars` when given,
    the whole ranking is left out rather than the row asked."""
    cite, sources = citer()
    rows, (head, tail) = found.rows, found.frame
    chosen = rows[len(rows) - 1 if found.rank == -1 else found.rank - 1]

    def item(row: Hit) -> str:
        label = _label(row.chunk)
        middle = label[len(head):len(label) - len(tail)].strip() if tail else label[len(head):].strip()
        return f"{middle or label} : {row_value(row.chunk.metadata)} [{cite(row)}]"

    place = "Au dernier rang" if found.rank == -1 else f"Au {ORDINAL_WORDS[found.rank]} rang"
    among = COUNT_WORDS.get(len(rows), "plusieurs")
    text = f"{place} des {among} réponses comparées ({head} … {tail}, tableau des indicateurs) : {item(chosen)}"
    tied = [r for r in rows if r is not chosen and value_of(r.chunk.metadata) == value_of(chosen.chunk.metadata)]
    if tied:
        text += " (à égalité avec " + " ; ".join(item(r) for r in tied) + ")"
    ranking = " Classement, du plus élevé au moins élevé : " + " ; ".join(item(r) for r in rows) + "."
    bases = list(dict.fromkeys(str(r.chunk.metadata.get("base") or "") for r in rows if r.chunk.metadata.get("base")))
    base = f" Base : {said_bases(bases)}." if bases else ""
    if max_chars is None or len(text) + 1 + len(ranking) + len(base) <= max_chars:
        text += "." + ranking + base
    else:
        text += "." + base
    return Answer(question=question, answered=True, text=text, sources=[s for s in sources if f"[{s.n}]" in text])
