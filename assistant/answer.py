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

from .config import Settings
from .lexical import BM25Index, tokenize
from .records import Answer, Chunk, Source
from .retrieval import Hit

DECLINE = "Je ne trouve pas cette information dans le corpus de l'enquête Musenor et des ressources du réseau."

QUANTITY = re.compile(
    r"\b(combien|pourcentage|proportion|quelle part|quelle proportion|part des|taux|nombre|chiffre|"
    r"pourcent|moyenne?|%|de combien|quel est le nombre)\b",
    re.IGNORECASE,
)
FIGURE = re.compile(r"\d|\b(tiers|moitié|quart)\b", re.IGNORECASE)
# Questions that call for a list or an explanation get up to three sentences, definitions two,
# everything else (a date, a figure, a name) one.
LISTING = re.compile(r"^\s*(?:quel(?:le)?s\b|comment\b|pourquoi\b|de quelles?\b|sur quels?\b|avec quels?\b|"
                     r"par quels?\b|qu['’]est-ce qui\b|que (?:font|proposent|retenir)\b)", re.IGNORECASE)
DEFINITION = re.compile(r"(qu['’]est[- ]ce que?\b|c['’]est quoi|\bque fait\b|\bqui est\b|\bà quoi sert\b|"
                        r"\bque signifie\b|\bça veut dire\b|\bde quoi s['’]agit)", re.IGNORECASE)
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


def is_quantity_question(question: str) -> bool:
    """True for questions asking a figure ("combien", "quelle part", "quel pourcentage"...)."""
    return bool(QUANTITY.search(question))


class ExtractiveAnswerer(Answerer):
    """Answers with one to three sentences taken from the evidence, each followed by its [n]."""

    def __init__(self, settings: Settings):
        self.settings = settings

    def answer(self, question: str, evidence: Evidence) -> Answer:
        terms = _unique(tokenize(question))
        if not terms or not evidence.hits:
            return self._decline(question, evidence)
        weights = {t: evidence.bm25.idf(t) for t in terms}
        quantity = is_quantity_question(question)
        candidates = self._candidates(evidence.hits, weights, quantity)
        if not candidates:
            return self._decline(question, evidence)
        best = candidates[0]
        if not self._confident(best, question, weights):
            return self._decline(question, evidence)
        chosen = self._select(candidates, best, question)
        return self._compose(question, chosen, evidence)

    # -- selection -----------------------------------------------------------------------------
    def _candidates(self, hits: list[Hit], weights: dict[str, float], quantity: bool) -> list[Candidate]:
        total = sum(weights.values()) or 1.0
        top = max(h.score for h in hits) or 1.0
        out: list[Candidate] = []
        for rank, hit in enumerate(hits):
            chunk_terms = set(tokenize(f"{hit.chunk.title} {hit.chunk.section} {hit.chunk.text}"))
            sentences = [hit.chunk.text] if hit.chunk.kind == "indicator" else split_sentences(hit.chunk.text)
            for order, sentence in enumerate(sentences):
                sent_terms = set(tokenize(sentence))
                coverage = sum(w for t, w in weights.items() if t in sent_terms) / total
                context = sum(w for t, w in weights.items() if t in sent_terms or t in chunk_terms) / total
                score = 0.45 * coverage + 0.25 * context + 0.30 * (hit.score / top)
                if quantity:
                    score += 0.12 if FIGURE.search(sentence) else -0.15
                    if hit.chunk.kind == "indicator":
                        score += 0.05
                out.append(Candidate(sentence, hit, rank, coverage, context, score, order))
        out.sort(key=lambda c: -c.score)
        return out

    def _confident(self, best: Candidate, question: str, weights: dict[str, float]) -> bool:
        """Enough of the question is in the evidence, and any year or number asked is there too."""
        if best.context_coverage < self.settings.min_coverage:
            return False
        evidence_text = f"{best.hit.chunk.title} {best.hit.chunk.section} {best.hit.chunk.text}"
        for number in re.findall(r"\b\d{2,4}\b", question):
            if number not in evidence_text:
                return False
        return True

    def _select(self, candidates: list[Candidate], best: Candidate, question: str) -> list[Candidate]:
        chosen = [best]
        if LISTING.search(question):
            limit = self.settings.max_answer_sentences
        elif DEFINITION.search(question):
            limit = 2
        else:
            limit = 1
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

        parts = [f"{_clean(c.text)} [{cite(c.hit)}]" for c in chosen]
        conflicts = self._conflicts(chosen, evidence)
        if conflicts:
            cited = ", ".join(f"{_short(h.chunk.text)} [{cite(h)}]" for h in conflicts)
            parts.append(f"Attention, les sources divergent sur ce chiffre : {cited}.")
        for hit in evidence.hits:  # the other passages retrieved, for the reader to check
            if len(sources) >= max(self.settings.top_k, len(numbers)):
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

    def _decline(self, question: str, evidence: Evidence) -> Answer:
        topics = _unique([_topic(h.chunk) for h in evidence.hits[:4]])[:3]
        text = DECLINE
        if topics:
            text += " Sujets les plus proches : " + " ; ".join(topics) + "."
        return Answer(question=question, answered=False, text=text, suggestions=topics)


def _source(n: int, chunk: Chunk, score: float) -> Source:
    return Source(n=n, title=chunk.title, text=chunk.text, source=chunk.source, section=chunk.section,
                  page=chunk.page, score=score, chunk_id=chunk.chunk_id, kind=chunk.kind)


def _topic(chunk: Chunk) -> str:
    return chunk.section or chunk.title


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
