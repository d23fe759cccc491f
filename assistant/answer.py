"""Grounded answers: picks the sentences of the retrieved passages that answer the question, cites them
with [n], and declines when the evidence does not cover the question.

The `Answerer` interface takes a question and retrieved hits and returns an `Answer`; the
extractive one needs no language model. A generative answerer can implement the same
interface later without touching retrieval.
"""
from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from functools import lru_cache

from .config import Settings
from .lexical import BM25Index, tokenize
from .records import Answer, Chunk, Source
from .retrieval import Hit

DIVERGE = "Attention, les sources divergent sur ce chiffre : "
DECLINE = "Je ne trouve pas cette information dans le corpus de l'enquête Musenor et des ressources du réseau."

QUANTITY = re.compile(
    r"\b(combien|pourcentage|proportion|quelle part|quelle proportion|part des|taux|nombre|chiffre|"
    r"pourcent|moyenne?|%|de combien|quel est le nombre)\b",
    re.IGNORECASE,
)
# A figure is a number that is not a bare year, or a fraction in words.
FIGURE = re.compile(r"\b(?!(?:19|20)\d\d\b)\d+(?:[.,]\d+)?\b|\b(tiers|moitié|quart)\b", re.IGNORECASE)
# Questions that call for a list or an explanation get up to three sentences, definitions two,
# everything else (a date, a figure, a name) one.
LISTING = re.compile(r"^\s*(?:quel(?:le)?s\b|comment\b|pourquoi\b|de quelles?\b|sur quels?\b|avec quels?\b|"
                     r"par quels?\b|qu['’]est-ce qui\b|que (?:font|proposent|retenir)\b)", re.IGNORECASE)
DEFINITION = re.compile(r"(qu['’]est[- ]ce que?\b|c['’]est quoi|\bque fait\b|\bqui est\b|\bà quoi sert\b|"
                        r"\bque signifie\b|\bça veut dire\b|\bde quoi s['’]agit)", re.IGNORECASE)
DATE_QUESTION = re.compile(r"(?:\bquand\b|depuis quand|jusqu['’]à quand|en quelle année|à quelle (?:date|période|époque)|"
                           r"quelle (?:date|période|année)|jusqu['’]à quelle date)|\bquelle (?:date|période)\b",
                           re.IGNORECASE)
DATE = re.compile(r"\b(?:19|20)\d\d\b|\b\d{1,2}[-/]\d{1,2}[-/]\d{2,4}\b|\b(?:janvier|février|mars|avril|mai|juin|"
                  r"juillet|août|septembre|octobre|novembre|décembre)\b", re.IGNORECASE)
NEGATION = re.compile(r"\b(?:ne|n['’])\s*\w+(?:\s+\w+)?\s+(?:pas|aucune?|jamais|ni|guère)\b|\bn['’]\w+ pas\b|"
                      r"\bne (?:pas|plus|jamais)\b|\bnon\b",
                      re.IGNORECASE)
QUESTION_NEGATION = re.compile(r"\b(?:pas|aucune?|jamais|sans|ni)\b", re.IGNORECASE)  # informal: "connaissent pas"
PERCENT_QUESTION = re.compile(r"\b(?:pourcentage|proportion|taux|quelle part|quelles parts)\b|%", re.IGNORECASE)
PERCENT = re.compile(r"\d\s*%|\b(?:tiers|moitié|quart)\b|\b\d+/\d+\b", re.IGNORECASE)
# The noun a question counts or names: "combien d'agents", "qui est le directeur", "quel est le salaire".
FOCUS_NOUN = re.compile(r"\bcombien\s+(?:de|d['’])\s*([\w-]+)|\bqui\s+(?:est|sont|était)\s+(?:le|la|les|l['’])\s*([\w-]+)|"
                        r"\bquel(?:le)?s?\s+(?:est|sont|était)\s+(?:le|la|les|l['’])\s*([\w-]+)", re.IGNORECASE)
# "Qui est le référent… ?" asks for a person holding a role: the answer must name that role.
ROLE_QUESTION = re.compile(r"\bqui\s+(?:est|sont|était|étaient)\s+(?:le|la|les|l['’])\s*([\w-]+)", re.IGNORECASE)
META = re.compile(r"^\s*(?:attention|remarque|note)\b|\bse contredisent\b|\bne concordent pas\b", re.IGNORECASE)
MONEY_QUESTION = re.compile(r"\b(?:euros?|€|montants?|coûts?|coûte|prix|salaires?|tarifs?|dépenses?)\b", re.IGNORECASE)
MONEY = re.compile(r"\d[\d\s.,]*(?:k?€|euros?|millions?|milliards?)", re.IGNORECASE)
# Sentences where the corpus says what the survey does not tell (no figure, no detail).
ABSENCE = re.compile(r"\b(?:ne|n['’])\s*(?:\w+\s+){0,3}?(?:dit|donne|précise|indique|chiffre|détaille|mentionne|"
                     r"fournit|permet)\s+(?:pas|aucun|ni)\b|\bpas de chiffre|\baucun (?:chiffre|montant)|"
                     r"\bsans (?:que|donner|chiffre)|\bnon précisée?s?\b", re.IGNORECASE)
# "Le RGAA (Référentiel…) est…", "Muséomix est un…": a sentence that defines its subject.
DEFINING = re.compile(r"^\W*(?:les?\s+|la\s+|l['’]|un\s+|une\s+)?[\w-]+(?:\s+[\w-]+)?\s*(?:\(|,?\s+(?:est|sont|désigne|signifie)\b)",
                      re.IGNORECASE)
ENUMERATION = re.compile(r":\s*[^,;]+(?:[,;][^,;]+){2,}|(?:[^,;]+[,;]){3,}")  # a list of at least three items
SENTENCE_END = re.compile(r"(?<=[.!?;])\s+(?=[A-ZÀ-ÖØ-Ý0-9«\"(])")
BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")


@dataclass
class Candidate:
    """A sentence that may answer, with how well it covers the question."""

    text: str
    hit: Hit
    rank: int
    coverage: float  # share of the question's weighted terms in the sentence
    context_coverage: float  # ... in the sentence, its chunk and its section title
    score: float = 0.0
    order: int = 0


@dataclass
class Evidence:
    """What the answerer reasons over: the hits, plus the lexical statistics to weigh terms."""

    hits: list[Hit]
    bm25: BM25Index
    related: dict[str, list[Hit]] = field(default_factory=dict)  # conflict group -> indicator hits
    top_k: int | None = None  # sources to show; None: the settings' value


@dataclass(frozen=True)
class Intent:
    """What kind of answer a question calls for, read from its wording."""

    quantity: bool
    date: bool
    listing: bool
    definition: bool
    negative: bool
    money: bool
    percent: bool

    @classmethod
    def of(cls, question: str) -> "Intent":
        return cls(quantity=is_quantity_question(question), date=bool(DATE_QUESTION.search(question)),
                   listing=bool(LISTING.search(question)), definition=bool(DEFINITION.search(question)),
                   negative=bool(QUESTION_NEGATION.search(question)), money=bool(MONEY_QUESTION.search(question)),
                   percent=bool(PERCENT_QUESTION.search(question)))

    def fit(self, sentence: str) -> float:
        """A bonus (or malus) for a sentence holding (or lacking) the kind of answer asked for."""
        bonus = 0.0
        absent = bool(ABSENCE.search(sentence))
        if self.quantity:
            # A sentence saying the figure is not given answers a figure question too (by declining).
            bonus += 0.12 if FIGURE.search(sentence) else (0.0 if absent else -0.15)
            if self.percent and PERCENT.search(sentence):
                bonus += 0.05
        elif absent:
            bonus -= 0.1
        if self.date:
            bonus += 0.15 if DATE.search(sentence) else -0.1
        if self.listing and not self.quantity and ENUMERATION.search(sentence):
            bonus += 0.1 + 0.02 * min(5, sentence.count(","))  # the longer the list, the likelier the answer
        if bool(NEGATION.search(sentence)) != self.negative:
            bonus -= 0.08
        if META.search(sentence):
            bonus -= 0.1
        return bonus


class Answerer(ABC):
    """Turns a question and its retrieved evidence into an `Answer`."""

    @abstractmethod
    def answer(self, question: str, evidence: Evidence) -> Answer:
        """Answer the question from the evidence only; decline when it is not there."""


def split_sentences(text: str) -> list[str]:
    """Sentences of a passage; list items count as sentences, headings and questions are dropped."""
    out = []
    for line in text.splitlines():
        line = BULLET.sub("", line).strip()
        if not line or line.startswith("#") or line.startswith("|"):
            continue
        for sentence in SENTENCE_END.split(line):
            sentence = sentence.strip()
            if len(sentence) >= 12 and not sentence.endswith("?"):
                out.append(sentence)
    return out


def has_statements(chunk: Chunk) -> bool:
    """False for passages made only of headings or questions (a fiche's list of questions it answers)."""
    return bool(_analyse(chunk.title, chunk.section, chunk.text, chunk.kind == "indicator")[1])


def is_quantity_question(question: str) -> bool:
    """True for questions asking a figure ("combien", "quelle part", "quel pourcentage"...)."""
    return bool(QUANTITY.search(question))


class ExtractiveAnswerer(Answerer):
    """Answers with one to three sentences taken from the evidence, each followed by its [n]."""

    def __init__(self, settings: Settings):
        self.settings = settings

    def answer(self, question: str, evidence: Evidence) -> Answer:
        terms = _unique(evidence.bm25.correct(tokenize(question)))
        if not terms or not evidence.hits:
            return self._decline(question, evidence)
        known = [evidence.bm25.idf(t) for t in terms if t in evidence.bm25.df]
        if not known:  # not one word of the question is in the corpus
            return self._decline(question, evidence)
        # A word the corpus never uses may be a paraphrase: it weighs like an average word.
        fallback = sum(known) / len(known)
        weights = {t: evidence.bm25.idf(t) if t in evidence.bm25.df else fallback for t in terms}
        intent = Intent.of(question)
        candidates = self._candidates(evidence.hits, weights, intent, _entities(question))
        if not candidates:
            return self._decline(question, evidence)
        best = candidates[0]
        if intent.quantity and ABSENCE.search(_core(best.text)):
            return self._decline(question, evidence, because=best)
        if not self._confident(best, question, intent, evidence):
            return self._decline(question, evidence)
        chosen = self._select(candidates, best, question, intent)
        return self._compose(question, chosen, evidence)

    # -- selection -----------------------------------------------------------------------------
    def _candidates(self, hits: list[Hit], weights: dict[str, float], intent: "Intent",
                    entities: frozenset[str] = frozenset()) -> list[Candidate]:
        """Every sentence of the hits, scored: question terms it carries (rare terms weigh more),
        terms its passage carries, the passage's retrieval rank, and whether it has the kind of
        answer the question calls for (a figure, a date, a list, the same polarity)."""
        total = sum(weights.values()) or 1.0
        top = max(h.score for h in hits) or 1.0
        focus = max(weights, key=weights.get)  # type: ignore[arg-type]
        out: list[Candidate] = []
        for rank, hit in enumerate(hits):
            chunk_terms, sentences = _analyse(hit.chunk.title, hit.chunk.section, hit.chunk.text,
                                              hit.chunk.kind == "indicator")
            for order, (sentence, tokens, core_text, core) in enumerate(sentences):
                sent_terms = set(tokens)
                coverage = sum(w for t, w in weights.items() if t in sent_terms) / total
                context = sum(w for t, w in weights.items() if t in sent_terms or t in chunk_terms) / total
                # How much of the claim is on topic (not asked of lists, which are long by nature).
                precision = 0.0 if intent.listing else len(core & weights.keys()) / max(1, len(core))
                score = (0.45 * coverage + 0.25 * context + 0.30 * (hit.score / top) + 0.1 * precision
                         + intent.fit(core_text))
                if hit.chunk.kind == "indicator" and intent.quantity:
                    score += 0.05
                if intent.definition and focus in tokens[:3]:
                    score += 0.25 if DEFINING.search(sentence) else 0.1
                elif entities & set(tokens[:3]):  # "À Saint-Omer, …" answers about Saint-Omer
                    score += 0.08
                out.append(Candidate(sentence, hit, rank, coverage, context, score, order))
        out.sort(key=lambda c: -c.score)
        return out

    def _confident(self, best: Candidate, question: str, intent: "Intent", evidence: Evidence) -> bool:
        """Enough of the question is in the evidence, the evidence holds the kind of answer asked
        for (a figure, a percentage, an amount, a date), and it speaks of the rare thing the
        question counts or names ("combien d'abonnés", "qui est le directeur")."""
        core = _core(best.text)
        if intent.quantity and not FIGURE.search(core):
            return False  # a figure was asked for and the best evidence has none
        if intent.percent and not PERCENT.search(core):
            return False
        if intent.date and not DATE.search(core):
            return False
        chunk = best.hit.chunk
        context = _analyse(chunk.title, chunk.section, chunk.text, chunk.kind == "indicator")[0]
        for noun in _focus_nouns(question, evidence.bm25):
            if noun not in context:
                return False
        for match in ROLE_QUESTION.finditer(question):
            if not set(evidence.bm25.correct(tokenize(match.group(1)))) <= set(tokenize(best.text)):
                return False
        if intent.money and not MONEY.search(core):
            return False  # an amount was asked for and the best evidence has none
        needed = self.settings.min_coverage
        if intent.fit(core) > 0:  # the sentence has the kind of answer asked for
            needed -= 0.1
        if 0.5 * (best.coverage + best.context_coverage) < needed:
            return False
        evidence_text = f"{best.hit.chunk.title} {best.hit.chunk.section} {best.hit.chunk.text}"
        for number in re.findall(r"\b\d{2,4}\b", question):
            if number not in evidence_text:
                return False
        return True

    def _select(self, candidates: list[Candidate], best: Candidate, question: str, intent: "Intent") -> list[Candidate]:
        """The best sentence, plus close runners-up when the question calls for a list or an explanation."""
        chosen = [best]
        if LISTING.search(question):
            limit = self.settings.max_answer_sentences
        elif intent.quantity or intent.date or intent.money or re.match(r"\s*(qui|où|quel(le)?\s)", question, re.I):
            limit = 1  # a single fact
        else:
            limit = 2
        length = len(best.text)
        for cand in candidates[1:]:
            if len(chosen) >= limit:
                break
            if cand.score < 0.8 * best.score or cand.coverage < 0.5 * best.coverage:
                continue
            if any(_same(cand.text, c.text) for c in chosen):
                continue
            if length + len(cand.text) > self.settings.max_answer_chars:
                continue
            chosen.append(cand)
            length += len(cand.text)
        return chosen

    # -- composition ---------------------------------------------------------------------------
    def _compose(self, question: str, chosen: list[Candidate], evidence: Evidence) -> Answer:
        sources: list[Source] = []
        numbers: dict[str, int] = {}

        def cite(hit: Hit) -> int:
            key = hit.chunk.chunk_id
            if key not in numbers:
                numbers[key] = len(sources) + 1
                sources.append(_source(numbers[key], hit.chunk, hit.score))
            return numbers[key]

        conflicts = self._conflicts(chosen, evidence)
        claims = [_short(h.chunk.metadata.get("short_claim") or h.chunk.text) for h in conflicts]
        texts = [_clean(c.hit.chunk.metadata.get("claim") or c.text) for c in chosen]
        budget = self.settings.max_answer_total_chars - (len(DIVERGE) + sum(len(c) + 8 for c in claims) if claims else 0)
        while len(texts) > 1 and sum(len(t) + 5 for t in texts) > budget:  # an answer stays short
            texts.pop()
        parts = [f"{t} [{cite(c.hit)}]" for t, c in zip(texts, chosen)]
        if conflicts:
            parts.append(DIVERGE + " ; ".join(f"{c} [{cite(h)}]" for c, h in zip(claims, conflicts)) + ".")
        for hit in evidence.hits:  # the other passages retrieved, for the reader to check
            if len(sources) >= max(evidence.top_k or self.settings.top_k, len(numbers)):
                break
            cite(hit)
        text = " ".join(parts)
        return Answer(question=question, answered=True, text=text, sources=sources)

    def _conflicts(self, chosen: list[Candidate], evidence: Evidence) -> list[Hit]:
        seen = {c.hit.chunk.chunk_id for c in chosen}
        out: list[Hit] = []
        for cand in chosen:
            group = cand.hit.chunk.metadata.get("conflict_group") if cand.hit.chunk.kind == "indicator" else None
            for hit in evidence.related.get(group or "", []):
                if hit.chunk.chunk_id not in seen:
                    seen.add(hit.chunk.chunk_id)
                    out.append(hit)
        return out

    def _decline(self, question: str, evidence: Evidence, because: Candidate | None = None) -> Answer:
        """Decline; when the corpus itself says the figure is not given, quote and cite that."""
        topics = _unique([_topic(h.chunk) for h in evidence.hits[:5]])[:3]
        text = DECLINE
        sources: list[Source] = []
        if because is not None:
            text += f" {_clean(because.text)} [1]"
            sources.append(_source(1, because.hit.chunk, because.hit.score))
        if topics:
            text += " Sujets les plus proches : " + " ; ".join(topics) + "."
        return Answer(question=question, answered=False, text=text, sources=sources, suggestions=topics)


def _source(n: int, chunk: Chunk, score: float) -> Source:
    return Source(n=n, title=chunk.title, text=chunk.text, source=chunk.source, section=chunk.section,
                  page=chunk.page, score=score, chunk_id=chunk.chunk_id, kind=chunk.kind)


def _topic(chunk: Chunk) -> str:
    if not chunk.section or chunk.section.lower().startswith("questions auxquelles"):
        return chunk.title
    return chunk.section


@lru_cache(maxsize=20_000)
def _analyse(title: str, section: str, text: str, whole: bool
             ) -> tuple[frozenset[str], tuple[tuple[str, tuple[str, ...], str, frozenset[str]], ...]]:
    """A passage's terms and its sentences with their terms, computed once per passage."""
    chunk_terms = frozenset(tokenize(f"{title} {section} {text}"))
    sentences = [text] if whole else split_sentences(text)
    out = []
    for sentence in sentences:
        core = _core(sentence)
        out.append((sentence, tuple(tokenize(sentence)), core, frozenset(tokenize(core))))
    return chunk_terms, tuple(out)


def _entities(question: str) -> frozenset[str]:
    """Terms of the question's capitalised words (places, institutions), bar its first word."""
    words = re.findall(r"[\w'’-]+", question)[1:]
    return frozenset(t for w in words if w[:1].isupper() for t in tokenize(w))


def _focus_nouns(question: str, bm25: BM25Index) -> list[str]:
    """The counted or named noun of the question, when it is rare in the corpus (common words like
    "musées" are everywhere and tell nothing)."""
    out = []
    for match in FOCUS_NOUN.finditer(question):
        word = next(g for g in match.groups() if g)
        for term in bm25.correct(tokenize(word)):
            if bm25.df.get(term, 0) <= 0.05 * bm25.size:
                out.append(term)
    return out


def _core(sentence: str) -> str:
    """The claim of a sentence without its parentheses (an indicator's base, a gloss)."""
    return re.sub(r"\([^()]*\)", " ", sentence.split(" (base :")[0])


def _clean(sentence: str) -> str:
    sentence = re.sub(r"\*\*|__|`", "", sentence).strip()
    return sentence if sentence.endswith((".", "!", "…", ")", "»")) else sentence + "."


def _short(sentence: str) -> str:
    return _clean(sentence).rstrip(".")


def _same(a: str, b: str) -> bool:
    ta, tb = set(tokenize(a)), set(tokenize(b))
    return bool(ta) and len(ta & tb) / len(ta | tb) > 0.7


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    return [x for x in items if not (x in seen or seen.add(x))]  # type: ignore[func-returns-value]
