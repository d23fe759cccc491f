"""SMS and phonetic French in questions ("pk ya pa bcp de muse ki ont 1 strategie numerik ?")
rewritten as standard French before retrieval and reading, so that both see the corpus's words.

Two sources of knowledge, both general:
- a lexicon of French SMS/chat forms (`data/sms_fr.tsv`, sources in its header): "pk" → "pourquoi",
  "qd" → "quand", "bcp" → "beaucoup", "ya" → "il y a", "c" → "c'est"...;
- the corpus's own vocabulary (word forms with accents and their frequencies, saved with the
  lexical index): a word the corpus does not know is given back its accents ("numerique" →
  "numérique"), its apostrophe ("lenquete" → "l'enquête"), or corrected when a letter is
  missing, doubled or swapped ("startégie" → "stratégie") by `lexical.Corrector` (rapidfuzz).
Figures, units after a figure, and acronyms the corpus knows ("RGAA", "MEL") are left alone.
"""
from __future__ import annotations

import re
import threading
import weakref
from functools import lru_cache
from pathlib import Path
from typing import Container, Mapping

from .lexical import BM25Index, Corrector, _is_stop, _stem, strip_accents
from .textclean import word_list

LEXICON_PATH = Path(__file__).resolve().parent / "data" / "sms_fr.tsv"
WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
ELIDED = ("qu", "l", "d", "j", "c", "n", "s", "m", "t")  # "lenquete" → "l'enquête"
# "on" written for "ont" after a subject ("cb de musées on répondu", "les musées ki on une stratégie"): the
# pronoun is never followed by a past participle or an article, the auxiliary and the verb "avoir" are.
ON_FOR_ONT = re.compile(r"(?<=\w )on(?= (?:un|une|des|pas|[^\W\d_]+(?:é|ée|és|ées|u|ue|us|ues))(?![\w'’]))", re.IGNORECASE)


@lru_cache(maxsize=1)
def lexicon() -> dict[str, str]:
    """SMS form (lower case) → standard French, from the data file."""
    table: dict[str, str] = {}
    for line in LEXICON_PATH.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        forms, _, standard = line.partition("\t")
        for form in forms.split(","):
            form = form.strip().lower().replace("’", "'")
            if form:
                table.setdefault(form, standard.strip())
    return table


@lru_cache(maxsize=1)
def _phrases() -> re.Pattern[str] | None:
    """The lexicon's multi-word forms ("koi 2 9", "tkt pas"), longest first."""
    forms = sorted((f for f in lexicon() if " " in f), key=len, reverse=True)
    if not forms:
        return None
    return re.compile(r"(?<![\w'])(?:" + "|".join(re.escape(f) for f in forms) + r")(?![\w'])", re.IGNORECASE)


def _like(original: str, word: str) -> str:
    """`word` with the capital initial of `original` (start of a sentence); an abbreviation in capitals
    ("RS") says nothing of where it stands."""
    capital = original[:1].isupper() and not (len(original) > 1 and original.isupper())
    return word[:1].upper() + word[1:] if capital and word else word


class Normaliser:
    """Rewrites a question's SMS forms and unknown words against one corpus vocabulary."""

    def __init__(self, vocabulary: Mapping[str, int] | None = None, known_terms: Container[str] = ()):
        self.vocabulary = vocabulary or {}
        self.known_terms = known_terms  # the corpus's stemmed terms: inflections of its words
        self._accentless: dict[str, str] | None = None
        self._corrector: Corrector | None = None
        self._lock = threading.Lock()

    def _forms(self) -> dict[str, str]:
        """Accent-free spelling → the corpus's most frequent spelling of it (built on first use)."""
        with self._lock:
            if self._accentless is None:
                best: dict[str, tuple[int, str]] = {}
                for form, count in self.vocabulary.items():
                    key = strip_accents(form)
                    if count > best.get(key, (-1, ""))[0]:
                        best[key] = (count, form)
                self._accentless = {key: form for key, (_, form) in best.items()}
                # Damerau (1964): most misspellings are one edit away (a letter missing, extra,
                # wrong, or two swapped); one edit per 5 letters is allowed ("questionaire"),
                # so that a word the corpus lacks is not bent into another ("carbonade").
                self._corrector = Corrector({key: best[key][0] for key in best}, edits_per_letters=5)
        return self._accentless

    def normalise(self, text: str) -> str:
        """The question in standard French; unchanged when there is nothing to rewrite."""
        phrases = _phrases()
        if phrases is not None:
            text = phrases.sub(lambda m: _like(m.group(0), lexicon()[m.group(0).lower().replace("’", "'")]), text)
        out, last, previous = [], 0, ""
        for match in WORD.finditer(text):
            token = match.group(0)
            replacement = self._word(token, previous, first=not out and not text[:match.start()].strip())
            out.append(text[last:match.start()] + replacement)
            last, previous = match.end(), token
        out.append(text[last:])
        result = ON_FOR_ONT.sub("ont", re.sub(r"\s{2,}", " ", "".join(out)).strip())
        return re.sub(r"^[\s,;:!.-]+", "", result) or text.strip()

    def _word(self, token: str, previous: str, first: bool) -> str:
        low = token.lower().replace("’", "'")
        if NUMBER.fullmatch(token):
            return token  # a figure stays a figure
        if low in lexicon() and NUMBER.fullmatch(previous):
            return token  # a unit after a figure ("12 mm", "3 g"), not an SMS form
        if low in lexicon():
            if token.isupper() and (len(token) == 1 and not first or len(token) > 1 and (
                    low in self.vocabulary or strip_accents(lexicon()[low]) == low)):
                # A capital letter inside a sentence ("catégorie C"), an acronym the corpus uses, or one whose
                # SMS reading only adds accents ("CA" is not "ça": capitals abbreviate, as "RS" or "PK" do).
                return token
            return _like(token, lexicon()[low])
        if not self.vocabulary:
            return token
        if "-" in low:
            return "-".join(self._word(part, "", first and i == 0) for i, part in enumerate(token.split("-")))
        if "'" in low:
            head, _, tail = token.replace("’", "'").partition("'")
            return f"{head}'{self._word(tail, '', False)}"
        if not low.isalpha() or len(low) < 3 or any(c.isupper() for c in token[1:]):
            return token  # short words, acronyms and names in capitals ("RGAA", "LaM") are left as typed
        forms = self._forms()
        key = strip_accents(low)
        if key in forms and forms[key] != low and low not in word_list("fr"):
            # Not a French word as typed, but the corpus has it with accents ("numerique" →
            # "numérique", "ete" → "été"); a real word ("marche", "cote") is left alone.
            return _like(token, forms[key])
        if low in self.vocabulary or _is_stop(low) or _stem(low) in self.known_terms \
                or low in word_list("fr") or low in word_list("en"):
            return token  # a corpus word or an inflection of one, a French or an English word
        for prefix in ELIDED:  # apostrophe left out
            rest = key[len(prefix):]
            if key.startswith(prefix) and len(rest) >= 4 and (rest in forms or rest in word_list("fr")):
                return _like(token, f"{prefix}'{forms.get(rest, rest)}")  # "jarrive": a French word, not the corpus's
        if token[:1].isupper() and not first:
            return token  # a proper noun the corpus does not know: leave it
        corrected = self._corrector(key) if self._corrector else None
        if corrected:
            return _like(token, forms[corrected])
        for prefix in ELIDED:  # both: "lenqute" → "l'enquête"
            rest = self._corrector(key[len(prefix):]) if key.startswith(prefix) and self._corrector else None
            if rest:
                return _like(token, f"{prefix}'{forms[rest]}")
        return token


_BY_INDEX: "weakref.WeakKeyDictionary[BM25Index, Normaliser]" = weakref.WeakKeyDictionary()
_BY_INDEX_LOCK = threading.Lock()


def normalise_question(text: str, index: BM25Index | None = None) -> str:
    """`text` with SMS forms expanded and unknown words corrected against `index`'s vocabulary."""
    if index is None:
        return Normaliser().normalise(text)
    with _BY_INDEX_LOCK:
        normaliser = _BY_INDEX.get(index)
        if normaliser is None:
            normaliser = _BY_INDEX[index] = Normaliser(index.surface_words, index.df)
    return normaliser.normalise(text)
