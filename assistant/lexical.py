"""French text normalisation and a BM25 index over it (the lexical half of hybrid retrieval)."""
from __future__ import annotations

import difflib
import math
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from typing import Iterable, Sequence

import logging

import bm25s
import numpy as np
import snowballstemmer

logging.getLogger("bm25s").setLevel(logging.WARNING)  # it sets DEBUG on import

# Common French function words, plus the words of a question's form ("quelle part...") that carry
# no topic. Kept short on purpose: everything else counts as content.
STOP_WORDS = frozenset("""
a à au aux avec ce ces cet cette ci comme comment dans de des du elle elles en est et été être eu
il ils je la le les leur leurs lui ma mais me même mes moi mon ne ni nos notre nous on ont ou où par
pas pour qu que quel quelle quelles quels qui sa sans se ses si son sont sur ta te tes toi ton tu un
une vos votre vous y ai as avons avez aient ait était étaient sera seront ceux celle celles celui
cela ça leur tout tous toute toutes très plus moins peu bien aussi alors donc car puis sous entre
vers chez selon après avant depuis pendant lors dont quoi ainsi quand combien pourquoi est-ce
fait font faire peut peuvent doit doivent il-y-a t-il t-elle a-t-il a-t-elle ont-ils y-a-t-il
part parts proportion pourcentage pourcentages taux nombre quantité combien chiffre chiffres
indique indiquent dit disent existe existent estimé donne donner
exactement actuellement vraiment notamment environ concrètement précisément globalement généralement
avoir ayant eu être étant plutôt souvent beaucoup va vont certains certaines signifie signifient sigle veut veulent dire appelle appellent
nom quoi savoir connaître-t-on sait-on est-il est-elle sont-ils sont-elles y a-t-il
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
    "référent responsable",
    "disposer posséder",
    "stratégie feuille",
    "belgique belge belges",
    "france français française",
    # irregular verbs the stemmer leaves apart
    "connaître connaît connaissent connaissons connaissez connais connu connue connus",
    "savoir sait savent",
    "offrir offre offrent offert",
    "ouvrir ouvert ouverte ouverts ouvrent ouvre",
    "mettre met mettent mis",
]
ELISION = re.compile(r"\b([cdjlmnst]|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)
TOKEN = re.compile(r"[a-zà-öø-ÿœæ]+|\d+(?:[.,]\d+)?", re.IGNORECASE)


def strip_accents(text: str) -> str:
    """Remove diacritics: "musée" → "musee"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _stemmer() -> "snowballstemmer.stemmer":
    return snowballstemmer.stemmer("french")


@lru_cache(maxsize=200_000)
def _stem(word: str) -> str:
    return strip_accents(_stemmer().stemWord(word))


_STOP_NORMALISED = frozenset(strip_accents(w) for w in STOP_WORDS)


@lru_cache(maxsize=1)
def _canonical() -> dict[str, str]:
    table = {}
    for group in SYNONYMS:
        stems = [_stem(w) for w in group.split()]
        for stem in stems[1:]:
            table[stem] = stems[0]
    return table


def words(text: str) -> list[str]:
    """Lower-cased word tokens with elisions split off ("l'enquête" → "enquête")."""
    text = ELISION.sub(" ", text.lower().replace("œ", "oe").replace("æ", "ae"))
    return TOKEN.findall(text)


def tokenize(text: str) -> list[str]:
    """Content terms of a French text: no stop words, accents stripped, lightly stemmed."""
    out = []
    for word in words(text):
        if strip_accents(word) in _STOP_NORMALISED:
            continue
        if word[0].isdigit():
            out.append(word.replace(",", "."))
        elif len(word) > 1:
            stem = _stem(word)
            out.append(_canonical().get(stem, stem))
    return out


class BM25Index:
    """BM25 over pre-tokenised texts, plus the document frequencies the answer layer weighs terms by."""

    def __init__(self, texts: Sequence[str]):
        self.size = len(texts)
        self.tokens = [tokenize(t) for t in texts]
        self.df: Counter[str] = Counter()
        for toks in self.tokens:
            self.df.update(set(toks))
        self._vocab: list[str] | None = None
        self._corrections: dict[str, str] = {}
        self._bm25 = bm25s.BM25()
        if self.size:
            self._bm25.index([toks or ["∅"] for toks in self.tokens], show_progress=False)

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
        if len(token) < 5:
            return token
        match = difflib.get_close_matches(token, self._vocabulary(), n=1, cutoff=0.8)
        # A typo keeps the first letter and about the length ("serv" is not "ser").
        good = bool(match) and match[0][0] == token[0] and abs(len(match[0]) - len(token)) <= 2
        return match[0] if good else token

    def _vocabulary(self) -> list[str]:
        if self._vocab is None:
            self._vocab = sorted(self.df)
        return self._vocab

    def idf(self, token: str) -> float:
        """Smoothed inverse document frequency; a term the corpus never uses gets the highest weight."""
        df = self.df.get(token, 0)
        return math.log(1.0 + (self.size - df + 0.5) / (df + 0.5))
