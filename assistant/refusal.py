"""Refusals: whether the retrieved evidence answers a question at all, read from the reader's best
fitting sentence — a logistic model over a few of its features, a topic guard beside it, and the
sentences where the corpus says a value is not given. Weights and thresholds are fitted on data
(benchmarks/fit_refusal.py, benchmarks/fit_absence.py) and live in `config.Settings`.
"""
from __future__ import annotations

import re

import numpy as np

from .config import Settings
from .lexical import BM25Index, tokenize
from .question_context import asked_names
from .questions import TALK_SETTING, Asks, in_english, without_form_words
from .reader import ABSENCE, Scored, core, expands, has_kind, term_weights
from .retrieval import Hit

REFUSAL_FEATURES = ("score", "missing", "coverage", "asks_value", "absence_lead")
ABSENCE_WINDOW = 10  # the reader's first sentences where one saying what the corpus does not give counts


class RefusalModel:
    """Says whether the reader's best sentence answers, with the weights and thresholds of `settings`."""

    def __init__(self, settings: Settings):
        self.settings = settings

    def features(self, question: str, best: Scored, bm25: BM25Index, scored: list[Scored] | None = None) -> np.ndarray:
        """What tells an answerable question from one the evidence does not cover (`REFUSAL_FEATURES`):

        - the reader's score of the best fitting sentence, and the share of the question's weighted
          words that sentence holds;
        - the share of the question's weighted words its passage (with title and section) lacks — of the
          whole question, of the clause after its colon or of the question without the talk it is put for,
          whichever lacks less (a setting is no topic: `asked_clauses`) — zero for a question in English,
          whose words a French corpus never holds;
        - whether the question asks for a kind of value (a figure, a date, a person…), as most of our
          sets' unanswerable questions do;
        - how much more of the question's weighted words a sentence among the reader's first ones
          (`scored`, best first) holds in its claim (without parentheses) than the best one does, when
          that sentence says what the corpus does not give ("… ne donne pas la proportion …"); minus the
          best one's share when none does.

        Fitted by benchmarks/fit_refusal.py, which also gives how the set of features was chosen."""
        chunk = best.hit.chunk
        context = set(tokenize(chunk.labelled_text))
        weights = term_weights(question, bm25)
        missing = 1.0
        for asked in asked_clauses(question):
            clause = weights if asked == question else term_weights(asked, bm25)
            missing = min(missing, sum(w for t, w in clause.items() if t not in context) / (sum(clause.values()) or 1.0))
        if in_english(question):
            missing = 0.0  # word-for-word evidence does not cross languages
        absence_lead = max((holds for _, holds in absence_holds(question, scored or [best], bm25)),
                           default=0.0) - best.coverage
        asks_value = has_kind(Asks.of(question), best.text)[0]
        return np.array([best.score, missing, best.coverage, float(asks_value), absence_lead], dtype=np.float32)

    def answerable(self, question: str, best: Scored, bm25: BM25Index, scored: list[Scored] | None = None) -> float:
        """Probability that the evidence answers the question (fitted logistic model); 1.0 with an embedder
        the model was not fitted for, whose cosines it cannot read."""
        features = self.features(question, best, bm25, scored)
        return self._probability(features, self.settings.refusal_weights, self.settings.refusal_bias)

    def declines(self, question: str, best: Scored, bm25: BM25Index, scored: list[Scored] | None = None) -> bool:
        """The refusal model, or the topic guard (score and missing words alone, the first two features,
        which tells off-topic questions that ask no value better), finds the evidence does not answer."""
        settings = self.settings
        features = self.features(question, best, bm25, scored)
        return (self._probability(features, settings.refusal_weights, settings.refusal_bias) < settings.refusal_threshold
                or self._probability(features, settings.topic_guard_weights, settings.topic_guard_bias)
                < settings.topic_guard_threshold)

    def said_absent(self, question: str, best: Scored, scored: list[Scored], bm25: BM25Index) -> Scored | None:
        """A sentence among the reader's first ones saying a value is not given whose claim holds nearly all
        the question's weighted words, and clearly more of them than the best sentence does ("… demandé
        s'ils disposent d'un site internet dédié … ne donne pas la proportion" for "quel pourcentage a un
        site internet dédié ?"): the question asks what the corpus says it does not give. Both thresholds
        fitted by benchmarks/fit_absence.py."""
        return next((sentence for sentence, holds in absence_holds(question, scored, bm25)
                     if holds >= self.settings.absence_coverage
                     and holds - best.coverage >= self.settings.absence_lead), None)

    def _probability(self, features: np.ndarray, weights: tuple[float, ...], bias: float) -> float:
        """A logistic model over the first `len(weights)` features; 1.0 with an embedder it was not fitted for."""
        if self.settings.embedder != self.settings.reader_fitted_for:
            return 1.0
        z = float(features[:len(weights)] @ np.asarray(weights))
        return 1.0 / (1.0 + np.exp(-(z + bias)))


def may_be_said_absent(asks: Asks, text: str) -> bool:
    """The question asks for a kind of value (a figure, a date…) or for someone ("qui finance …", which a
    group may answer, so no capital is checked): what a sentence of the corpus can say is not given
    (`RefusalModel.said_absent`)."""
    return has_kind(asks, text)[0] or asks.person


def absence_holds(question: str, scored: list[Scored], bm25: BM25Index) -> list[tuple[Scored, float]]:
    """The sentences among the reader's first `ABSENCE_WINDOW` that say a value is not given, each with the
    share of the question's weighted words its claim holds. The claim, because a gloss in parentheses
    ("(61 répondants ou 53 structures)") names what the corpus does give."""
    weights = term_weights(question, bm25)
    total = sum(weights.values()) or 1.0
    out = []
    for sentence in scored[:ABSENCE_WINDOW]:
        claim = core(sentence.text)
        if ABSENCE.search(claim):
            terms = set(tokenize(claim))
            out.append((sentence, sum(w for t, w in weights.items() if t in terms) / total))
    return out


# A bracket closing a question: in a later part, the first part's topic it borrows.
BORROWED = re.compile(r"\s*\([^()]*\)\s*(?=\?*\s*$)")


def asked_clauses(question: str) -> list[str]:
    """The question, and the clause after its last colon when that clause names a topic of its own
    ("Je rédige un mot pour une journée d'étude : quelle part des musées …"), or the question without the
    talk it is put for ("…, tu peux me l'expliquer pour un encart de rapport ?"), or a later part without
    the first part's topic it borrows in brackets ("avec quel outil (L'enquête a tourné entre)"): the
    setting, or what is lent, is no topic."""
    head, colon, tail = question.rpartition(":")
    clauses = [question, tail] if colon and len(tokenize(without_form_words(tail))) >= 2 else [question]
    own = BORROWED.sub("", question)
    if own != question and tokenize(without_form_words(own)):
        clauses.append(own)
    unset = TALK_SETTING.sub(" ", question)
    return clauses + [unset] if unset != question and len(tokenize(without_form_words(unset))) >= 2 else clauses



def names_elsewhere(question: str, best: Scored, hits: list[Hit], bm25: BM25Index, rarest_idf: float) -> list[str]:
    """The names the question asks about (before a guess after its question mark: "… quel outil ? Google
    Forms ?") that the collection uses but the best sentence's document never does in the retrieved
    passages (its own, with title and section, and the others of the same document: an article names its
    subject once, then says "il"): "Dans le Pas-de-Calais, combien …" answered from a figure over all
    respondents. The evidence is about something else. A name whose rarest term is more common than
    `rarest_idf` names the collection's own subject ("Musenor", "France") and restricts nothing;
    fitted by benchmarks/fit_absence.py. An acronym the passages spell out is there ("IA" in "… sur
    l'intelligence artificielle")."""
    asked = question[:question.index("?") + 1] if "?" in question.rstrip(" ?") else question
    asked = re.sub(r"\([^()]*\)", " ", asked)  # a gloss, or what an earlier part of the question left to this one
    document = best.hit.chunk.doc_id
    text = " ".join(h.chunk.labelled_text for h in [best.hit, *hits]
                    if h.chunk.doc_id == document)
    context = set(tokenize(text))
    out = []
    for name in asked_names(asked):
        found = bm25.correct(tokenize(name))
        if found and all(t in bm25.df for t in found) and not any(t in context for t in found) \
                and name_rarity(name, bm25) >= rarest_idf and not (name.isupper() and expands(name, text)):
            out.append(name)
    return out


# A question that opens on the group of museums it is about ("Parmi les musées gérés par une commune, …",
# "Chez les petits musées de beaux-arts, …"); "Parmi les réseaux cités, …" picks among things, not museums.
# That a group answered ("les structures qui ont répondu") restricts nothing: it is the survey's own group.
GROUP_NOUN = r"(?:musées|structures|établissements|institutions|lieux|répondants)"  # the same group, named alike
GROUP = re.compile(r"^(?:et\s+)?(?:parmi|chez)\s+(?:les|ces|des)\s+(?P<group>(?:[\w-]+\s+){0,2}?"
                   rf"{GROUP_NOUN}\b[^,?:]*),", re.IGNORECASE)
# The group a count or a share is asked over, named by its noun and a complement ("combien de musées de
# beaux-arts …", "quelle part des musées d'art contemporain …").
COUNTED_GROUP = re.compile(rf"\b(?:(?:combien|cb)\s+(?:de\s+|d['’])|(?:quel(?:le)?s?\s+(?:part|pourcentage|proportion|nombre))\s+"
                           rf"(?:des|de|d['’])\s*)(?P<group>{GROUP_NOUN}\s+(?:de|du|d['’])\s*(?!la\b|l['’]|leur|ce|cette)[\w-]+)",
                           re.IGNORECASE)
RESPONDENTS = re.compile(r"\b(?:r[ée]pond\w*|particip\w*|interrog\w*|sond[ée]\w*)\b", re.IGNORECASE)
# What says the group answered ("qui ont répondu à l'enquête", "ayant participé", "répondants"): the survey's
# own group, which restricts nothing; the rest of the group ("de beaux-arts") may.
RESPONDENT_CLAUSE = re.compile(rf"\b(?:qui|ayant)\b[^,]*?{RESPONDENTS.pattern}.*$|{RESPONDENTS.pattern}",
                               re.IGNORECASE)


def group_elsewhere(question: str, best: Scored, bm25: BM25Index, rarest_idf: float) -> str | None:
    """The group of museums a question opens on ("Parmi les musées gérés par une commune, quelle part …"),
    or that a count or a share is asked over ("combien de musées de beaux-arts …", `COUNTED_GROUP`),
    when the best sentence's passage (with title and section) lacks one of its terms rarer than
    `rarest_idf` (the threshold of `names_elsewhere`, fitted on both by benchmarks/fit_absence.py): the
    passage gives a figure over another group, and the corpus breaks nothing down by this one. None for the
    survey's own group ("les structures qui ont répondu")."""
    missing = group_missing(question, best, bm25)
    return missing[0] if missing is not None and missing[1] >= rarest_idf else None


def group_missing(question: str, best: Scored, bm25: BM25Index) -> tuple[str, float] | None:
    """The group a question opens on or counts over, when the best sentence's passage lacks some of its
    terms, with the idf of the rarest term it lacks."""
    match = GROUP.match(question.strip()) or COUNTED_GROUP.search(question)
    if not match:
        return None
    # "les musées de beaux-arts qui ont répondu": what restricts is "de beaux-arts"
    group = re.sub(rf"\b{GROUP_NOUN}\b", " ", RESPONDENT_CLAUSE.sub(" ", match.group("group")), flags=re.IGNORECASE)
    context = set(tokenize(best.hit.chunk.labelled_text))
    missing = [bm25.idf(t) for t in bm25.correct(tokenize(group)) if t in bm25.df and t not in context]
    return (match.group("group").strip(), max(missing)) if missing else None


def name_rarity(name: str, bm25: BM25Index) -> float:
    """How rare a name is in the collection: the idf of its rarest term (typos corrected as the reader does)."""
    return max((bm25.idf(t) for t in bm25.correct(tokenize(name))), default=0.0)
