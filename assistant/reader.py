"""The reader: scores every sentence of the retrieved passages against the question.

Each sentence gets a few features — the cosine between the query vector (computed once by
retrieval) and the sentence vector (computed once at index time), the idf-weighted share of the
question's terms it holds (alone and with its passage's title and section), its passage's
retrieval score, whether it holds the kind of value asked for, and how well its neighbours in the
passage match the question (the answer often follows the sentence that echoes it), and whether it
gives a number of the thing a "combien de …" question counts — combined
linearly with weights fitted as a listwise ranker: a softmax over each question's sentences, fitted to
put the sentence holding the answer on top (see `benchmarks/fit_reader.py` and `config.Settings`).
The score ranks the sentences; it and the softmax share feed the refusal model (`answer.py`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Sequence

import numpy as np

from .lexical import BM25Index, strip_accents, terms, tokenize, words
from .questions import UNIT_TEXT, Asks, counted_term, defined_term, without_form_words
from .retrieval import Hit
from .sentences import SentenceTable, chunk_sentences, embedding_text

# A number that labels ("section 4", "diapositive 3", "question 13") or dates ("6 décembre") is not a figure.
FIGURE = re.compile(r"(?<!section )(?<!page )(?<!p\. )(?<!diapositive )(?<!slide )(?<!question )(?<!n° )(?<!numéro )"
                    r"(?<!chapitre )(?<!article )\b(?!(?:19|20)\d\d\b)\d+(?:[.,]\d+)?\b(?!\s+(?:janvier|février|mars|avril|mai|juin|"
                    r"juillet|août|septembre|octobre|novembre|décembre)\b)|\b(tiers|moitié|quart|majorité|deux|trois|quatre|cinq|six|"
                    r"sept|huit|neuf|dix|onze|douze|quinze|vingt|trente|quarante|cinquante|cent|cents|mille|"
                    r"millions?|milliards?|dizaines?|centaines?|milliers?)\b", re.IGNORECASE)
PERCENT = re.compile(r"\d\s*%|\b(?:tiers|moitié|quart)\b|\b\d+/\d+\b", re.IGNORECASE)
MONEY = re.compile(r"\d[\d\s.,]*(?:k?€|euros?|millions? d|milliards? d)", re.IGNORECASE)
DATE = re.compile(r"\b(?:1[0-9]|20)\d\d\b|\b\d{1,2}[-/]\d{1,2}[-/]\d{2,4}\b|\b(?:janvier|février|mars|avril|mai|juin|"
                  r"juillet|août|septembre|octobre|novembre|décembre)\b|\b[XVI]+e siècle\b", re.IGNORECASE)
PERSON = re.compile(r"(?<=[^\s.!?] )[A-ZÀ-Ý][a-zà-ÿ]+|\b[A-Z]\. ?[A-ZÀ-Ý][a-zà-ÿ]+")  # a proper noun inside the sentence
# A human being's name: first name and surname ("Claire Dupont"), an initial ("C. Dupont"), a title ("Mme Martin").
HUMAN = re.compile(r"(?=\b([A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?\s+[A-ZÀ-Ý][a-zà-ÿ][\w-]*))|"  # overlapping: "Selon Claire Dupont"
                   r"\b([A-Z]\.\s?[A-ZÀ-Ý][a-zà-ÿ]+|(?:M\.|Mme|Mlle|Dr)\s+[A-ZÀ-Ý][a-zà-ÿ]+)")
HOURS = re.compile(r"\b\d{1,2}\s?h(?:\s?\d\d)?\b|\b\d{1,2}:\d\d\b|\b(?:matin|après-midi|midi)\b", re.IGNORECASE)
# A tool named as what something is done with ("menée à l'aide de Framaforms", "avec Framaforms", "le logiciel Flora").
TOOL = re.compile(r"\b(?:à l['’]aide d(?:e\s+|['’])|avec\s+|via\s+|grâce à\s+|sur\s+)(?:l['’]|le\s+|la\s+)?"
                  r"(?:outil\s+|logiciel\s+|plateforme\s+|application\s+|formulaire\s+)?[A-ZÀ-Ý][\w-]+|"
                  r"\b(?:logiciel|progiciel)s?\s+(?:libres?\s+)?[A-ZÀ-Ý][\w-]+")
CONTACT = re.compile(r"[\w.+-]+@[\w-]+\.\w+|(?<!\d)(?:\+33\s?|0)\d(?:[\s.-]?\d\d){4}(?!\d)")  # e-mail, French phone
ADDRESS = re.compile(r"https?://|www\.|\b[\w-]+\.(?:com|fr|org|eu|net|be|museum)\b", re.IGNORECASE)
NEGATION = re.compile(r"\b(?:ne|n['’])\s*\w+(?:\s+\w+)?\s+(?:pas|aucune?|jamais|ni|guère)\b|\bn['’]\w+ pas\b|"
                      r"\bne (?:pas|plus|jamais)\b|\bnon\b|\bsans\b", re.IGNORECASE)
# Intentions and plans ("envisagent de", "prévoient"): a different stance from a fact that holds.
MODAL = re.compile(r"\b(?:envisag\w*|prévo\w*|projet(?:tent|te)? de|souhait\w*|compt\w* (?:mettre|créer|lancer)|"
                   r"aimerai\w*|voudrai\w*|à l['’]avenir|futur\w*|plan to|intend\w*|will)\b", re.IGNORECASE)
# Sentences where the corpus says what it does not tell (no figure, no detail).
ABSENCE = re.compile(r"\b(?:ne|n['’])\s*(?:\w+\s+){0,3}?(?:dit|donne|précise|indique|chiffre|détaille|mentionne|"
                     r"fournit|permet)\s+(?:pas|aucun|ni)\b|\bpas de chiffre|\baucun (?:chiffre|montant)|"
                     r"\bsans (?:donner|chiffre)|\bsans que\b[^.;]*?\b(?:donne|précise|indique|"
                     r"détaille|mentionne|fournisse|chiffre)\w*|\bnon précisée?s?\b", re.IGNORECASE)
META = re.compile(r"^\s*(?:attention|remarque|note)\b|\bse contredisent\b|\bne concordent pas\b", re.IGNORECASE)
DEFINING = re.compile(r"^\W*(?:les?\s+|la\s+|l['’]|un\s+|une\s+)?[\w-]+(?:\s+[\w-]+)?\s*(?:\(|,?\s+(?:est|sont|désigne|"
                      r"signifie|regroupe|réunit|rassemble)\b)", re.IGNORECASE)

FEATURES = ("cosine", "coverage", "context", "precision", "retrieval", "rank_prior", "kind_match", "kind_miss",
            "absence", "polarity", "defining", "meta", "neighbour_coverage", "neighbour_cosine", "counted")


@dataclass
class Scored:
    """A sentence that may answer, its features and its probability of holding the answer."""

    text: str
    hit: Hit
    rank: int
    order: int
    features: np.ndarray
    coverage: float = 0.0
    score: float = 0.0  # features · weights
    probability: float = 0.0  # share of the softmax over the question's sentences


def core(sentence: str) -> str:
    """The claim of a sentence without its parentheses (an indicator's base, a gloss)."""
    return re.sub(r"\([^()]*\)", " ", sentence.split(" (base :")[0])


# A source that opens a sentence ("Selon la présentation de son enquête 2024-2025, …").
ATTRIBUTION = re.compile(r"^\W*selon\s[^,.;:]{0,80},\s*", re.IGNORECASE)


def unsourced(sentence: str) -> str:
    """The sentence without the source that opens it ("Selon l'enquête Musenor, …", "Selon la présentation
    de son enquête 2024-2025, …"), which dates nothing and names no one asked for."""
    return ATTRIBUTION.sub("", sentence, count=1)


def repeats_numbers(sentence: str, said: str) -> bool:
    """The sentence's numbers (dates, counts) are all already in `said` (and it has some): it says again
    what another statement said."""
    numbers = re.findall(r"\d+", sentence)
    return bool(numbers) and all(re.search(rf"(?<!\d){n}(?!\d)", said) for n in numbers)


def has_kind(asks: Asks, text: str) -> tuple[bool, bool]:
    """(asks for some kind of value, the text holds every kind asked for)."""
    checks = []
    claim = core(text)
    if asks.figure:
        # a span of time ("pendant trois jours") is no count of things, unless a duration is asked
        checks.append(bool(FIGURE.search(claim if asks.unit == "durée" else UNIT_TEXT["durée"].sub(" ", claim))))
    if asks.percent:
        checks.append(bool(PERCENT.search(claim)))
    if asks.money:
        checks.append(bool(MONEY.search(claim)))
    own = unsourced(text)
    if asks.date:
        checks.append(bool(DATE.search(own)))
    if asks.person and asks.named:  # someone the question does not already name
        checks.append(any(not set(words(m.group(0))) <= asks.words for m in PERSON.finditer(own)))
    if asks.human:
        checks.append(any(not set(words(m.group(1) or m.group(2))) <= asks.words for m in HUMAN.finditer(own)))
    if asks.address:
        checks.append(bool(ADDRESS.search(text)))
    if asks.contact:
        checks.append(bool(CONTACT.search(text)))
    if asks.hours:
        checks.append(bool(HOURS.search(text)))
    if asks.tool and not checks:  # a tool asked with a date or a figure: the value decides
        checks.append(bool(TOOL.search(text)))
    if asks.unit:
        checks.append(bool(UNIT_TEXT[asks.unit].search(text)))
    return bool(checks), all(checks)


LINKING = frozenset("de d du des la le les l et à au aux en pour of for the and".split())  # not in an acronym


def expands(acronym: str, text: str) -> bool:
    """The text spells the acronym out: consecutive words, linking words aside, whose initials are its
    letters ("Référentiel général d'amélioration de l'accessibilité" for "RGAA")."""
    letters = strip_accents(acronym).lower()
    initials = [w[0] for w in re.findall(r"[^\W\d_]+", strip_accents(text).lower()) if w not in LINKING]
    return any("".join(initials[i:i + len(letters)]) == letters for i in range(len(initials)))


def only_past(text: str, year: int) -> bool:
    """Every year the text gives is before `year` (and it gives one)."""
    years = [int(y) for y in re.findall(r"\b(?:19|20)\d\d\b", text)]
    return bool(years) and max(years) < year


COUNT_LINKS = frozenset({"de", "d", "des", "du"})  # "250 des professionnels": the noun comes after


def counts(claim: str, term: str) -> bool:
    """The claim gives a number of `term`: a figure whose noun is it ("53 structures", "250 des
    professionnels"; not "1 structure répondante" for répondants); a share ("40 % des répondants",
    "1/3 des musées") is no number of them."""
    found = [w for w in words(re.sub(r"\d+(?:[.,]\d+)?\s*%|\b\d+/\d+\b", " ", claim)) if w not in COUNT_LINKS]
    return any(w[0].isdigit() and term in terms(found[i + 1:i + 2]) for i, w in enumerate(found))


@lru_cache(maxsize=50_000)
def _terms(text: str) -> frozenset[str]:
    return frozenset(tokenize(text))


# Negative words are the polarity feature's business, not topic words ("combien n'en ont aucune").
NEGATIVE_TERMS = frozenset(tokenize("aucun aucune jamais"))


def term_weights(question: str, bm25: BM25Index) -> dict[str, float]:
    """The question's terms weighed by rarity; a word the corpus never uses weighs like an average one."""
    terms = [t for t in dict.fromkeys(bm25.correct(tokenize(without_form_words(question)))) if t not in NEGATIVE_TERMS]
    known = [bm25.idf(t) for t in terms if t in bm25.df]
    fallback = sum(known) / len(known) if known else 1.0
    return {t: bm25.idf(t) if t in bm25.df else fallback for t in terms}


def score_sentences(question: str, query_vector: np.ndarray, hits: Sequence[Hit], bm25: BM25Index,
                    table: SentenceTable | None, embed: Callable[[list[str]], np.ndarray],
                    weights: Sequence[float]) -> list[Scored]:
    """Every sentence of the hits with its features, score and probability, best first."""
    asks = Asks.of(question)
    qterms = term_weights(question, bm25)
    total = sum(qterms.values()) or 1.0
    top = max((h.score for h in hits), default=1.0) or 1.0
    # What a definition question defines: the term after "c'est quoi", else its rarest term.
    focus = (asks.definition and defined_term(question)) or (max(qterms, key=qterms.get) if qterms else "")  # type: ignore[arg-type]
    counted = counted_term(question)
    out: list[Scored] = []
    pending: list[tuple[Scored, str]] = []
    runs: list[list[Scored]] = []  # each chunk's sentences in reading order, for the neighbour features
    for rank, hit in enumerate(hits):
        runs.append([])
        pairs = table.of_chunk(hit.position) if table is not None else []
        if not pairs:
            pairs = [(s, None) for s in chunk_sentences(hit.chunk)]  # type: ignore[misc]
        context_terms = _terms(f"{hit.chunk.title} {hit.chunk.section}")
        for order, (sentence, vector) in enumerate(pairs):
            terms = _terms(sentence)
            coverage = sum(w for t, w in qterms.items() if t in terms) / total
            claim_terms = _terms(core(sentence))
            precision = len(claim_terms & qterms.keys()) / max(1, len(claim_terms))  # how much of the claim is on topic
            context = sum(w for t, w in qterms.items() if t in terms or t in context_terms) / total
            asked, holds = has_kind(asks, sentence)
            claim = core(sentence)  # same polarity and same stance (fact or plan) as the question
            polarity = float(bool(NEGATION.search(claim)) == asks.negative
                             and bool(MODAL.search(claim)) == bool(MODAL.search(question)))
            defining = float(asks.definition and focus in tokenize(sentence)[:3] and bool(DEFINING.search(sentence)))
            cosine = float(np.dot(query_vector, vector)) if vector is not None else 0.0
            feats = np.array([cosine, coverage, context, precision, hit.score / top, 1.0 / (1 + rank),
                              float(asked and holds), float(asked and not holds), float(bool(ABSENCE.search(core(sentence)))),
                              polarity, defining, float(bool(META.search(sentence))), 0.0, 0.0,
                              float(counted is not None and counts(claim, counted))], dtype=np.float32)
            item = Scored(sentence, hit, rank, order, feats, coverage)
            out.append(item)
            runs[-1].append(item)
            if vector is None:
                pending.append((item, sentence))
    if pending:  # an index without stored sentence vectors: embed the few sentences needed now
        vectors = embed([embedding_text(item.hit.chunk, s) for item, s in pending])
        for (item, _), vector in zip(pending, vectors):
            item.features[0] = float(np.dot(query_vector, vector))
    for run in runs:  # the answer often sits next to the sentence that echoes the question ("Cette méthode…")
        for i, item in enumerate(run):
            near = run[max(0, i - 1):i] + run[i + 1:i + 2]
            if near:
                item.features[12] = max(n.coverage for n in near)
                item.features[13] = max(float(n.features[0]) for n in near)
    if out:  # a softmax over the question's sentences: the model is fitted to put the answer on top
        w = np.asarray(weights, dtype=np.float32)
        scores = np.array([float(item.features @ w) for item in out])
        shares = np.exp(scores - scores.max())
        shares /= shares.sum()
        for item, score, share in zip(out, scores, shares):
            item.score, item.probability = float(score), float(share)
    out.sort(key=lambda s: -s.score)
    return out


# A sentence opening on a demonstrative that points back ("Cette sensibilisation …", after "Selon l'enquête, "):
# it goes on with the sentence before it, which an answer choosing that one says too.
POINTS_BACK = re.compile(r"^(?:(?:selon|d['’]après)\b[^,]{0,60},\s*)?(?:cette|cet|ces|ce)\s+(?!(?:que|qui|dont|qu['’])\b)[^\W\d_]",
                         re.IGNORECASE)


def pointing_back(said: Scored, scored: list[Scored]) -> Scored | None:
    """The sentence after `said` in its passage when it opens by pointing back at it (`POINTS_BACK`)."""
    follows = next((s for s in scored if s.hit is said.hit and s.order == said.order + 1), None)
    return follows if follows is not None and POINTS_BACK.match(follows.text) else None
