"""French text normalisation and a BM25 index over it (the lexical half of hybrid retrieval)."""
from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
import threading
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

import bm25s
import numpy as np
import snowballstemmer
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from .textclean import word_list

logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets DEBUG on import

# Common French function words, plus the words of a question's form ("quelle part...") and the
# greetings and politeness around it ("bonjour", "s'il vous plaît") that carry no topic. Kept
# short on purpose: everything else counts as content.
STOP_WORDS = frozenset("""
a à au aux avec ce ces cet cette ci comme comment dans de des du elle elles en est et été être eu
il ils je la le les leur leurs lui ma mais me même mes moi mon ne ni nos notre nous on ont ou où par
pas pour qu que quel quelle quelles quels qui sa sans se ses si son sont sur ta te tes toi ton tu un
une vos votre vous y ai as avons avez aient ait était étaient sera seront suis es sommes êtes ceux celle celles celui
cela ça leur tout tous toute toutes très plus moins peu bien aussi alors donc car puis sous entre
vers chez selon après avant depuis pendant lors dont quoi ainsi quand combien pourquoi est-ce
fait font faire peut peuvent doit doivent il-y-a t-il t-elle a-t-il a-t-elle ont-ils y-a-t-il
peux pouvez pourrais pourriez pourrait veux voulez voudrais voudriez voudrait dois devez
pouvons pouvait pouvaient pourra pourront pourraient voulait voulaient voudra voudront voudraient
devait devaient devra devront devrait devraient
lequel laquelle lesquels lesquelles
aurais aurait aurions auriez auraient aura auras aurons aurez auront avais avait avions aviez avaient
serais serait serions seriez seraient étais
part parts proportion pourcentage pourcentages taux nombre quantité combien chiffre chiffres
indique indiquent dit disent existe existent estimé donne donner donnes donnez
propos exactement actuellement vraiment notamment environ concrètement précisément globalement généralement
différent différente différents différentes
avoir ayant eu être étant plutôt souvent beaucoup va vont certains certaines signifie signifient sigle veut veulent dire appelle appellent
nom noms quoi savoir connaître-t-on sait-on est-il est-elle sont-ils sont-elles y a-t-il
bonjour bonsoir salut coucou merci plaît désolé svp stp
""".split())

# Words used interchangeably in this domain: each maps to the first word of its group, for
# documents and questions alike, so that a paraphrase still meets the corpus's term.
SYNONYMS = [
    "internet web en-ligne",
    "numérique digital digitale digitaux",
    "réunir regrouper rassembler fédérer",
    "structure établissement institution",
    "enquête sondage",
    "outil logiciel",
    "agent salarié employé personnel",
    "majorité plupart",
    "disposer posséder",
    "répondant sondé sondée sondés sondées",  # "les sondés": those who answered the survey
    "stratégie feuille plan",  # "un plan numérique", "une feuille de route"
    "budget enveloppe argent fric thune thunes pognon",  # familiar words for money
    "dédié réservé consacré fléché",
    "frein obstacle blocage difficulté",
    "objectif finalité",  # not "but": a goal in sport too
    "participer impliquer implique impliquent",  # "comment mon musée peut s'impliquer dans le réseau"
    "prestataire sous-traitant boîte",  # "une boîte": a firm, in everyday French
]
# Forms of one word the stemmer leaves apart, and words of another kind (a verb for a noun) that mean the
# same here: one term for the index, but no other word for the embedder, whose sentence they would break.
FORMS = [
    "dédié occuper occupe occupent chargé chargée chargés chargées",  # "quelqu'un qui s'occupe du numérique", "chargé du numérique"
    "frein empêcher coincer coince coincent bloquer bloque bloquent",  # "qu'est-ce qui coince ?"
    "prestataire externaliser",
    "hors dehors",  # "en dehors des Hauts-de-France" is "hors des Hauts-de-France"
    "belgique belge belges",  # a country and its adjective
    "france français française",
    # irregular verbs
    "connaître connaît connaissent connaissons connaissez connais connu connue connus",
    "savoir sait savent",
    "disposer possèdent",  # "posséder" is a synonym; Snowball keeps the "-ent" of its form, written "è"
    "offrir offre offrent offert",
    "ouvrir ouvert ouverte ouverts ouvrent ouvre",
    "mettre met mettent mis",
    "priorité prioritaire prioritaires",  # a noun and its adjective the stemmer leaves apart
    "financement financier financiers financière financières",
    "budget budgétaire budgétaires",
    "petit petits petite petites",  # Snowball gives "pet" for the singular alone
]
# Words of different meaning the stemmer joins ("collections" and "collectives" both give "collect"): each
# group is one term of its own, its first word, so that "les collections en ligne" does not meet "les
# initiatives collectives". The thirty-first session reviewed every stem that a word of the corpus and a word of
# the question sets share, and split those joining words of different meaning below "référence".
APART = [
    "collectif collective collectifs collectives",
    "collection collections",
    "collectivité collectivités",  # a local authority
    "référence références",  # Snowball stems it like "référents", the people in charge
    "communication communications",  # not "commune" (a municipality that runs a museum)
    "équipement équipements",  # equipment, not "équipe" (a team)
    "moyenne moyennes",  # an average, not "moyens" (means)
    "raisonné raisonnée raisonnés raisonnées raisonnable raisonnables",  # measured, not "raison" (a reason)
    "indicateur indicateurs",  # not "indiquer"
    "attention",  # not "attentes" (expectations)
    "direction directions",  # not "directement"
]
# "é", consonants, "-ent": a noun or an adjective ("référent", "adhérent"); a verb writes "è" there.
NOUN_IN_ENT = re.compile(r"é[^aeiouyàâäéèêëîïôöùûü]+ent$")
ELISION = re.compile(r"\b([cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)
TOKEN = re.compile(r"[a-zà-öø-ÿœæ]+|\d+(?:[.,]\d+)?", re.IGNORECASE)


def strip_accents(text: str) -> str:
    """Remove diacritics: "musée" → "musee"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _stemmer() -> "snowballstemmer.stemmer":
    return snowballstemmer.stemmer("french")


# Each word of an `APART` group (accents stripped) -> the group's term.
_APART = {strip_accents(w): strip_accents(group.split()[0]) for group in APART for w in group.split()}


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    if apart := _APART.get(strip_accents(word)):
        return apart  # a word the stemmer would join to one of another meaning
    # Snowball leaves the present tense's "-ent" on ("participent", "empêchent"): when the word is a
    # form of a French "-er" verb, it is stemmed as the verb ("participer" → "particip"). Not with "é" in
    # its last syllable, which the verb's form writes "è" ("ils réfèrent"): "référent" is a noun, and
    # meets "référents".
    if len(word) > 5 and word.endswith("ent") and not word.endswith("ment") and f"{word[:-3]}er" in word_list("fr") \
            and not NOUN_IN_ENT.search(word):
        word = f"{word[:-3]}er"
    # Snowball keeps a plural "-s" after "o", "u" or "i" ("photos", "contenus"): the singular's stem when
    # the singular is a word.
    elif len(word) > 4 and word[-1] == "s" and word[-2] in "oui" and word[:-1] in word_list("fr"):
        word = word[:-1]
    return strip_accents(_stemmer().stemWord(word))


_STOP_NORMALISED = frozenset(strip_accents(w) for w in STOP_WORDS)


@lru_cache(maxsize=200_000)
def _is_stop(word: str) -> bool:
    return strip_accents(word) in _STOP_NORMALISED


@lru_cache(maxsize=1)
def _canonical() -> dict[str, str]:
    table = {}
    for group in SYNONYMS + FORMS:
        stems = [_stem(w) for w in group.split()]
        for stem in stems[1:]:
            table[stem] = stems[0]
    return table


@lru_cache(maxsize=1)
def _canonical_words() -> dict[str, str]:
    """Stem of a word the lexicon maps to another -> the first (canonical) word of its group."""
    return {_stem(w): group.split()[0] for group in SYNONYMS for w in group.split()[1:]}


def canonical_text(text: str) -> str:
    """The text with each word the lexicon maps to another written as that word ("des boîtes
    extérieures" → "des prestataire extérieures"), for an embedder that does not know the domain's
    everyday words; stop words and other words are left as they are."""
    table = _canonical_words()

    def swap(match: re.Match) -> str:
        word = match.group(0)
        low = word.lower()
        return word if _is_stop(low) or low[0].isdigit() else table.get(_stem(low), word)
    return TOKEN.sub(swap, text)


def words(text: str) -> list[str]:
    """Lower-cased word tokens with elisions split off ("l'enquête" → "enquête")."""
    text = ELISION.sub(" ", text.lower().replace("œ", "oe").replace("æ", "ae"))
    return TOKEN.findall(text)


def tokenize(text: str) -> list[str]:
    """Content terms of a French text: no stop words, accents stripped, lightly stemmed."""
    return terms(words(text))


def terms(word_list: Iterable[str]) -> list[str]:
    """Content terms of already split words (see `tokenize`)."""
    out = []
    for word in word_list:
        if _is_stop(word):
            continue
        if word[0].isdigit():
            out.append(word.replace(",", "."))
        elif len(word) > 1:
            stem = _stem(word)
            out.append(_canonical().get(stem, stem))
    return out


# What the persisted lexical index depends on: a change to the normalisation rules makes a saved
# index stale (it is then rebuilt in memory from the chunk texts, and by the next `index` run).
TOKENIZER_ID = hashlib.sha256(
    "\n".join([" ".join(sorted(STOP_WORDS)), *SYNONYMS, *FORMS, *APART, ELISION.pattern, TOKEN.pattern, "snowball-fr", "ent-er-not-noun", "plural-after-vowel", "apart-unaccented"]).encode()
).hexdigest()[:16]
LEXICAL_FORMAT = 1
EMPTY = "∅"  # stands for a text without content terms (bm25s needs one token per document)
META_FILE = "lexical.json"
WORDS_FILE = "words.json"


class TermCounts(Mapping[str, int]):
    """Term → count backed by the BM25 vocabulary and one integer array (no per-term objects at load)."""

    def __init__(self, ids: Mapping[str, int], counts: np.ndarray):
        self._ids = ids
        self._counts = counts

    def __getitem__(self, term: str) -> int:
        return int(self._counts[self._ids[term]])

    def get(self, term: str, default: int = 0) -> int:  # type: ignore[override]
        i = self._ids.get(term)
        return default if i is None else int(self._counts[i])

    def __contains__(self, term: object) -> bool:
        return term in self._ids

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


class Corrector:
    """Closest known word for an unknown one (typo, swapped or missing letter), weighted by frequency.

    rapidfuzz's normalised Indel similarity (the ratio difflib computes, in C++) over the known
    words sharing the first letter and about the length; among equally close words the most
    frequent wins. Candidates are bucketed lazily per first letter, so that a 100,000-word
    vocabulary costs nothing at load and a few milliseconds per unknown word.
    """

    def __init__(self, counts: Mapping[str, int], min_length: int = 5, cutoff: float = 80.0,
                 max_length_gap: int = 2, edits_per_letters: int = 0):
        self._counts = counts
        self.min_length = min_length
        self.cutoff = cutoff
        self.max_length_gap = max_length_gap
        # When set, also at most one edit (insertion, deletion, substitution or swap of two
        # neighbours: Damerau's optimal string alignment) per `edits_per_letters` letters.
        self.edits_per_letters = edits_per_letters
        self._buckets: dict[str, list[str]] | None = None
        self._lock = threading.Lock()

    def _bucket(self, letter: str) -> list[str]:
        with self._lock:
            if self._buckets is None:
                buckets: dict[str, list[str]] = {}
                for word in self._counts:
                    if word and not word[0].isdigit():
                        buckets.setdefault(word[0], []).append(word)
                self._buckets = buckets
        return self._buckets.get(letter, [])

    def __call__(self, word: str) -> str | None:
        """The known word closest to `word`, or None when nothing is close enough."""
        if len(word) < self.min_length or word[0].isdigit():
            return None
        found = process.extract(word, self._bucket(word[0]), scorer=fuzz.ratio, score_cutoff=self.cutoff, limit=8)
        near = [(score, self._counts.get(cand, 0), cand) for cand, score, _ in found
                if abs(len(cand) - len(word)) <= self.max_length_gap]
        if self.edits_per_letters:
            budget = max(1, len(word) // self.edits_per_letters)
            near = [n for n in near if OSA.distance(word, n[2]) <= budget]
        return max(near)[2] if near else None


class BM25Index:
    """BM25 over French terms, plus the document frequencies the answer layer weighs terms by.

    Built from texts (`BM25Index(texts)`) at index time and saved beside the vectors
    (`save`: bm25s's numpy arrays and JSON, no pickle); `load` maps the arrays from disk so that
    start-up does not grow with the corpus. It also counts the surface words of the texts (with
    their accents), which the question normaliser corrects against.
    """

    def __init__(self, texts: Sequence[str] = ()):
        self.size = len(texts)
        surface: Counter[str] = Counter()
        corpus_terms = []
        for text in texts:
            split = words(text)
            surface.update(w for w in split if not w[0].isdigit())
            corpus_terms.append(terms(split) or [EMPTY])
        self._bm25 = bm25s.BM25()
        if self.size:
            self._bm25.index(corpus_terms, show_progress=False)
        self._surface: Mapping[str, int] | None = dict(surface)
        self._words_path: Path | None = None
        self._setup()

    def _setup(self) -> None:
        indptr = np.asarray(self._bm25.scores["indptr"]) if self.size else np.zeros(1, dtype=np.int64)
        # The score matrix is stored by term (CSC): a term's non-zero entries are its documents
        # (Lucene's idf is always > 0), so the column lengths are the document frequencies.
        # bm25s's vocabulary also holds "" (unknown words) past the matrix; EMPTY is ours.
        counts = np.diff(indptr)
        ids = {t: i for t, i in (getattr(self._bm25, "vocab_dict", None) or {}).items()
               if t and t != EMPTY and i < len(counts)}
        self.df = TermCounts(ids, counts)
        self._corrector = Corrector(self.df)
        self._corrections: dict[str, str] = {}

    @classmethod
    def load(cls, directory: Path, expected_size: int | None = None) -> "BM25Index":
        """A saved index, arrays memory-mapped; ValueError when absent, stale or not for `expected_size` texts."""
        try:
            meta = json.loads((directory / META_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"no lexical index in {directory}") from exc
        if meta.get("format") != LEXICAL_FORMAT or meta.get("tokenizer") != TOKENIZER_ID:
            raise ValueError("lexical index saved with other normalisation rules")
        if expected_size is not None and meta.get("size") != expected_size:
            raise ValueError("lexical index does not match the chunks")
        self = cls.__new__(cls)
        self.size = int(meta["size"])
        self._bm25 = bm25s.BM25()
        if self.size:
            self._bm25 = bm25s.BM25.load(directory, mmap=True, allow_pickle=False, show_progress=False)
        self._surface = None
        self._words_path = directory / WORDS_FILE
        self._setup()
        return self

    def save(self, directory: Path) -> None:
        """Write the index to `directory` (created): bm25s arrays (.npy), vocabulary and counts (JSON)."""
        directory.mkdir(parents=True, exist_ok=True)
        if self.size:
            self._bm25.save(directory, allow_pickle=False, show_progress=False)
        with open(directory / WORDS_FILE, "w", encoding="utf-8") as out:
            json.dump(dict(self.surface_words), out, ensure_ascii=False)
        meta = {"format": LEXICAL_FORMAT, "tokenizer": TOKENIZER_ID, "size": self.size}
        tmp = directory / f".{META_FILE}.{os.getpid()}"
        tmp.write_text(json.dumps(meta), encoding="utf-8")
        os.replace(tmp, directory / META_FILE)  # written last: its presence means the rest is complete

    @property
    def surface_words(self) -> Mapping[str, int]:
        """Word forms of the texts, lower-cased with their accents, and how often each occurs (read on first use)."""
        if self._surface is None:
            try:
                with open(self._words_path, encoding="utf-8") as handle:  # type: ignore[arg-type]
                    self._surface = json.load(handle)
            except (OSError, ValueError, TypeError):
                self._surface = {}
        return self._surface

    def scores(self, query_tokens: Iterable[str]) -> np.ndarray:
        """BM25 score of every text for the query tokens (zeros when nothing matches)."""
        toks = [t for t in query_tokens if t in self.df]
        if not self.size or not toks:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores(toks), dtype=np.float32)

    def correct(self, tokens: Iterable[str]) -> list[str]:
        """Tokens unknown to the corpus replaced by a close known one ("budjet" → "budget"), if any."""
        out = []
        for token in tokens:
            if token not in self._corrections:  # a dict write is atomic: safe across threads
                self._corrections[token] = self._correct_one(token)
            out.append(self._corrections[token])
        return out

    def _correct_one(self, token: str) -> str:
        if token in self.df or token[0].isdigit():
            return token
        if token.endswith("e") and token[:-1] in self.df:  # typed without accents: "musee" → "muse", "musée" → "mus"
            return token[:-1]
        return self._corrector(token) or token

    def idf(self, token: str) -> float:
        """Smoothed inverse document frequency; a term the corpus never uses gets the highest weight."""
        df = self.df.get(token, 0)
        return math.log(1.0 + (self.size - df + 0.5) / (df + 0.5))
