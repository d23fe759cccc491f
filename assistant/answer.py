"""Grounded answers: the reader's best sentences of the retrieved passages, cited with [n], or a
motivated refusal when the evidence does not hold what the question asks for.

The `Answerer` interface takes a question and its evidence and returns an `Answer`; the
extractive one needs no language model. A generative answerer can implement the same interface.
Sentence choice is the reader's (`reader.py`, fitted weights); the question's wording only checks
refusals (a figure, an amount, a date, a person, an acronym's expansion, an average asked for and absent)
and shapes the answer (how many sentences). Talk requests are answered in `talk.py`.
"""
from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable

import numpy as np

from .config import Settings
from .lexical import BM25Index, tokenize
from .question_context import other_editions, unknown_names
from .questions import AVERAGE, Asks, is_quantity_question, role_words
from .reader import (ABSENCE, PERCENT, Scored, core, expands, has_kind, only_past, pointing_back, repeats_numbers,
                     score_sentences, term_weights, unsourced)
from .records import Answer, Chunk, Source
from .refusal import ABSENCE_WINDOW, RefusalModel, group_elsewhere, may_be_said_absent, names_elsewhere
from .retrieval import Hit
from .sentences import SentenceTable, chunk_sentences, split_sentences

# A definition question on an acronym (`Asks.defines`) prefers a sentence among the reader's first
# `DEFINITION_REACH` that spells it out to one that only uses it (a display choice, not fitted).
DEFINITION_REACH = 5
DIVERGE = "Attention, les sources divergent sur ce chiffre : "
MUSENOR_COLLECTION = "le corpus de l'enquête Musenor et des ressources du réseau"
NEUTRAL_COLLECTION = "les documents indexés"
DECLINE = "Je ne trouve pas cette information dans {collection}."

__all__ = ["Answerer", "Evidence", "ExtractiveAnswerer", "has_statements", "is_quantity_question", "split_sentences"]


@dataclass
class Evidence:
    """What the answerer reasons over: the hits, the query vector retrieval computed, the sentence
    vectors of the index, and the lexical statistics to weigh terms."""

    hits: list[Hit]
    bm25: BM25Index
    related: dict[str, list[Hit]] = field(default_factory=dict)  # conflict group -> indicator hits
    top_k: int | None = None  # most sources to show; None: the settings' value
    query_vector: np.ndarray | None = None
    sentences: SentenceTable | None = None
    embed: Callable[[list[str]], np.ndarray] | None = None  # for sentences without stored vectors
    collection: str = MUSENOR_COLLECTION
    max_chars: int | None = None  # room for this answer (a part of a longer one); None: the settings' value
    said: frozenset[str] = frozenset()  # sentences an earlier part of the question already gives (`_claim` form)


class Answerer(ABC):
    """Turns a question and its retrieved evidence into an `Answer`."""

    @abstractmethod
    def answer(self, question: str, evidence: Evidence) -> Answer:
        """Answer the question from the evidence only; decline when it is not there."""


def has_statements(chunk: Chunk) -> bool:
    """False for passages made only of headings or questions (a fiche's list of questions it answers)."""
    return bool(chunk_sentences(chunk))


class ExtractiveAnswerer(Answerer):
    """Answers with one to three sentences taken from the evidence, each followed by its [n]."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.refusal = RefusalModel(settings)

    def score(self, question: str, evidence: Evidence) -> list[Scored]:
        """The sentences of the evidence, best first (empty when the question has no known word)."""
        weights = term_weights(question, evidence.bm25)
        if not evidence.hits or not any(t in evidence.bm25.df for t in weights) or evidence.query_vector is None:
            return []
        embed = evidence.embed or (lambda texts: np.zeros((len(texts), len(evidence.query_vector))))
        return score_sentences(question, evidence.query_vector, evidence.hits, evidence.bm25, evidence.sentences,
                               embed, self.settings.reader_weights)

    def answer(self, question: str, evidence: Evidence) -> Answer:
        scored = self.score(question, evidence)
        if evidence.said:  # a later part of a question reads past what an earlier part gave
            scored = [s for s in scored if short_claim(s.text) not in evidence.said
                      and short_claim(str(s.hit.chunk.metadata.get("claim") or "")) not in evidence.said]
        if not scored:
            return self._decline(question, evidence)
        if names := never_named(question, evidence.bm25):  # the question is about something the collection never names
            return self._decline(question, evidence, unknown=names)
        asks = Asks.of(question)
        top = scored[0]
        asks_value = has_kind(asks, top.text)[0]  # a figure, a date, a person… (the question's, not the text's)
        if asks_value and ABSENCE.search(core(top.text)):
            return self._decline(question, evidence, because=top)  # the corpus says it is not given
        best = self.candidate(question, scored, asks)
        said = self.refusal.said_absent(question, best, scored, evidence.bm25) \
            if may_be_said_absent(asks, top.text) and best is not None else None
        if said is not None:
            return self._decline(question, evidence, because=said)  # the corpus says what is asked is not given
        if best is not None:
            best, why = self.checked(question, best, scored, evidence, asks)
            if why:
                return self._decline(question, evidence, **why)  # the evidence is not about what it names
        if best is None or self.refusal.declines(question, best, evidence.bm25, scored):
            # A sentence saying the value is not given, among those an answer could show (the reader's
            # first `max_answer_sentences`), is the reason to quote.
            said = next((s for s in scored[:self.settings.max_answer_sentences]
                         if ABSENCE.search(core(s.text))), None) if asks_value else None
            if said is None and best is not None:  # or one holding more of the question than the best sentence
                said = max((s for s in scored[:ABSENCE_WINDOW] if ABSENCE.search(core(s.text))
                            and s.coverage > best.coverage), key=lambda s: s.coverage, default=None)
            return self._decline(question, evidence, because=said)
        return self._compose(question, self._select(best, scored, asks, self._room(evidence)), evidence, scored)

    def candidate(self, question: str, scored: list[Scored], asks: Asks | None = None) -> Scored | None:
        """The reader's best sentence among those that fit the question (or its top sentence, holding the
        kind of value asked, when it is sure of it); the refusal model then says whether it answers."""
        asks = asks or Asks.of(question)
        top = scored[0] if scored else None
        if top is not None and top.probability >= self.settings.reader_confident and self.holds(top, asks):
            return top  # a sure reading may say "a épousé" for "mari": the role and number checks give way
        best = next((s for s in scored if self.fits(question, s, asks)), None)
        if asks.defines and best is not None and not expands(asks.defines, best.text):
            # "Les normes WCAG dont parle l'enquête, c'est quoi ?": a sentence spelling the acronym out
            # among the next ones defines it; the best one may only use it.
            return next((s for s in scored[:DEFINITION_REACH] if expands(asks.defines, s.text)
                         and self.fits(question, s, asks)), best)
        return best

    def checked(self, question: str, best: Scored, scored: list[Scored], evidence: Evidence,
                asks: Asks) -> tuple[Scored, dict[str, Any]]:
        """The best sentence once the rules before the refusal model have read it, and what a decline says
        (`_decline`'s keywords; empty when they let it through): when its document does not name what the
        question names, the first of the next ones whose document does (`named`), else a decline naming
        it; a decline naming the group of museums the question opens on when its passage does not."""
        rarest = self.settings.name_rarest_idf
        if elsewhere := names_elsewhere(question, best, evidence.hits, evidence.bm25, rarest):
            named = self.named(question, scored, evidence, asks)
            if named is None:
                return best, {"elsewhere": elsewhere}
            best = named
        if group := group_elsewhere(question, best, evidence.bm25, rarest):
            return best, {"group": group}
        return best, {}

    def named(self, question: str, scored: list[Scored], evidence: Evidence, asks: Asks) -> Scored | None:
        """Among the sentences an answer could show (the reader's first `max_answer_sentences`), the first
        that fits the question and whose document names what it names ("Qu'a fait le LaM pour réduire son
        impact environnemental ?" when the best one defines the impact in general), else None."""
        return next((s for s in scored[:self.settings.max_answer_sentences] if self.fits(question, s, asks)
                     and not names_elsewhere(question, s, evidence.hits, evidence.bm25, self.settings.name_rarest_idf)),
                    None)

    @staticmethod
    def holds(sentence: Scored, asks: Asks) -> bool:
        """The sentence holds the kind of value asked for: a figure, a date, a person…, the expansion of an
        acronym, a date still to come for "la prochaine …", an average for "en moyenne"."""
        asked, present = has_kind(asks, sentence.text)
        if asked and not present:
            return False
        if asks.listing and not asks.figure and _one_share(core(sentence.text)):
            return False  # "à quels réseaux …" asks for names: a share of museums is no list
        if asks.acronym and not expands(asks.acronym, sentence.text):
            return False
        if asks.future and only_past(sentence.text, date.today().year):
            return False
        return not (asks.average and not AVERAGE.search(sentence.text))

    def fits(self, question: str, sentence: Scored, asks: Asks) -> bool:
        """The sentence holds what is asked (`holds`), names the role the question asks about ("qui est le
        président") and its passage carries the question's numbers."""
        if not self.holds(sentence, asks):
            return False
        sentence_terms = set(tokenize(sentence.text))
        if any(not any(set(tokenize(word)) <= sentence_terms for word in role) for role in role_words(question)):
            return False
        chunk = sentence.hit.chunk
        asked_numbers = re.findall(r"\b\d{2,}(?:[.,\s]\d{3})*\b", re.sub(r"\([^()]*\)", " ", question))
        return all(re.search(rf"(?<![\d.,]){re.escape(n)}(?![\d]|[.,]\d)", chunk.labelled_text) for n in asked_numbers)

    def _room(self, evidence: Evidence) -> int:
        """How long the whole answer may be."""
        return evidence.max_chars or self.settings.max_answer_total_chars

    def _select(self, best: Scored, scored: list[Scored], asks: Asks, room: int) -> list[Scored]:
        """The best sentence, plus close runners-up (a list or an explanation; for one fact, only a second
        sentence nearly as likely, when the reader cannot tell them apart). A runner-up that only repeats
        the value asked for (its numbers all said already: "menée du 6 décembre 2024 au 27 janvier 2025"
        after "ouvert le 6 décembre 2024 et clos le 27 janvier 2025") is left out and still uses its place. A
        chosen sentence's next one in its passage that points back at it (`POINTS_BACK`) follows it."""
        limit = self.settings.max_answer_sentences if asks.listing else 2
        ratio = self.settings.reader_runner_up_single if asks.single_fact else self.settings.reader_runner_up
        chosen = [best]
        length = len(best.text)
        value_asked = has_kind(asks, best.text)[0]
        repeats = 0
        budget = self.settings.max_answer_chars * room // self.settings.max_answer_total_chars  # this part's room
        for cand in scored[scored.index(best) + 1:]:
            if len(chosen) + repeats >= limit or cand.probability < ratio * best.probability:
                break
            if length + len(cand.text) > budget:
                continue
            covering = next((i for i, c in enumerate(chosen) if _within(c.text, cand.text)), None)
            if covering is not None:  # says all a chosen sentence says, and more: it takes that one's place
                asked, holds = has_kind(asks, cand.text)
                if cand.hit.chunk.kind == chosen[covering].hit.chunk.kind and (holds or not asked) \
                        and cand not in chosen:
                    length += len(cand.text) - len(chosen[covering].text)
                    chosen[covering] = cand
                continue
            if any(_same(cand.text, c.text) or _within(cand.text, c.text) for c in chosen):
                continue
            if value_asked and repeats_numbers(unsourced(cand.text), " ".join(unsourced(c.text) for c in chosen)):
                repeats += 1  # the value asked for, said again in other words: no new sentence takes its place
                continue
            chosen.append(cand)
            length += len(cand.text)
        for said in list(chosen):  # "… davantage de sensibilisation. Cette sensibilisation ne se traduit pas …"
            if (follows := pointing_back(said, scored)) and follows not in chosen and len(chosen) < limit \
                    and length + len(follows.text) <= budget:
                chosen.insert(chosen.index(said) + 1, follows)
                length += len(follows.text)
        return chosen

    # -- composition ---------------------------------------------------------------------------
    @staticmethod
    def _display(chosen: Scored, asks: Asks) -> str:
        """What the answer says of a sentence: an indicator's claim with its base, unless the kind of
        value asked for (a date…) is only in the row's note."""
        claim = chosen.hit.chunk.metadata.get("claim")
        if not claim or (has_kind(asks, chosen.text)[1] and not has_kind(asks, claim)[1]):
            return chosen.text
        return str(claim)

    def _compose(self, question: str, chosen: list[Scored], evidence: Evidence, scored: list[Scored]) -> Answer:
        asks = Asks.of(question)
        limit = self._room(evidence)
        cite, sources = citer()
        conflicts = self.conflicts([c.hit for c in chosen], evidence)
        stated = self.conflicts([c.hit for c in chosen], evidence, tuple(c.text for c in chosen))
        first = len(clean_sentence(self._display(chosen[0], asks))) + len(DIVERGE) + 10
        if sum(len(short_claim(h.chunk.metadata.get("short_claim") or h.chunk.text)) + 8 for h in stated) + first \
                <= limit:
            conflicts = stated  # a sentence stating a disputed figure gets the warning when it fits
        claims = [short_claim(h.chunk.metadata.get("short_claim") or h.chunk.text) for h in conflicts]
        texts = [clean_sentence(self._display(c, asks)) for c in chosen]
        budget = limit - (len(DIVERGE) + sum(len(c) + 8 for c in claims) if claims else 0)
        while len(texts) > 1 and sum(len(t) + 5 for t in texts) > budget:  # an answer stays short
            texts.pop()
        parts = [f"{t} [{cite(c.hit)}]" for t, c in zip(texts, chosen)]
        row = self._base_row(chosen[0], evidence) if asks.figure and not conflicts else None
        if row is not None:  # a figure said in a fiche gets its base from its indicator row, when it fits
            base = f"Base : {row.chunk.metadata['base']}"
            if sum(len(p) + 1 for p in parts) + len(base) + 8 <= limit:
                parts.insert(1, f"{base} [{cite(row)}].")
        if conflicts:
            parts.append(DIVERGE + " ; ".join(f"{c} [{cite(h)}]" for c, h in zip(claims, conflicts)) + ".")
        self._add_close(scored, chosen[0], evidence, cite, sources)
        return Answer(question=question, answered=True, text=" ".join(parts), sources=sources)

    def _add_close(self, scored: list[Scored], best: Scored, evidence: Evidence, cite: Callable[[Hit], int],
                   sources: list[Source]) -> None:
        """Other passages close to the answer (their best sentence nearly as likely), never filler."""
        limit = evidence.top_k or self.settings.top_k
        for cand in scored:
            if len(sources) >= limit or cand.probability < self.settings.source_min_ratio * best.probability:
                break
            cite(cand.hit)

    @staticmethod
    def _base_row(chosen: Scored, evidence: Evidence) -> Hit | None:
        """The indicator row of the figure a fiche's sentence states (same value, most words shared)."""
        if chosen.hit.chunk.kind == "indicator":
            return None
        claim, words = core(chosen.text), set(tokenize(chosen.text))
        rows = []
        for hit in evidence.hits:
            meta = hit.chunk.metadata
            if hit.chunk.kind != "indicator" or not meta.get("base") or not meta.get("value"):
                continue
            if states_value(meta, claim):
                rows.append((len(words & set(tokenize(str(meta.get("claim") or hit.chunk.text)))), hit))
        shared, row = max(rows, key=lambda r: r[0], default=(0, None))
        return row if shared >= 2 else None

    def conflicts(self, hits: list[Hit], evidence: Evidence, texts: tuple[str, ...] = ()) -> list[Hit]:
        """Indicator rows the sources disagree with: the other rows of a chosen row's conflict group,
        or of the group of a row whose figure a chosen sentence states."""
        seen = {h.chunk.chunk_id for h in hits}
        anchors = list(hits)
        for hit in evidence.hits:
            meta = hit.chunk.metadata
            if hit.chunk.kind == "indicator" and meta.get("conflict_group") and hit not in anchors:
                value = row_value(meta)
                if any(value in text for text in texts):
                    anchors.append(hit)
                    seen.add(hit.chunk.chunk_id)
        out: list[Hit] = []
        for hit in anchors:
            group = hit.chunk.metadata.get("conflict_group") if hit.chunk.kind == "indicator" else None
            for other in evidence.related.get(group or "", []):
                if other.chunk.chunk_id not in seen:
                    seen.add(other.chunk.chunk_id)
                    out.append(other)
        return out

    def _decline(self, question: str, evidence: Evidence, because: Scored | None = None,
                 unknown: list[str] | None = None, elsewhere: list[str] | None = None,
                 group: str | None = None) -> Answer:
        """Decline; when the corpus itself says the figure is not given, quote and cite that; when the
        question names something the collection never mentions, or that the passage closest to the question
        does not, say which name; when it asks about a group of museums that passage does not single out,
        say which group."""
        topics = _unique([_topic(h.chunk) for h in evidence.hits[:5]])[:3]
        text = DECLINE.format(collection=evidence.collection)
        if unknown:
            verb = "apparaît" if len(unknown) == 1 else "apparaissent"
            text = text[:-1] + " : " + " ; ".join(f"« {name} »" for name in unknown) + f" n'y {verb} jamais."
        elif elsewhere:
            text = text[:-1] + " : " + " ; ".join(f"« {name} »" for name in elsewhere) + \
                " y figure, mais le passage le plus proche de la question n'en parle pas."
        elif group:
            text = text[:-1] + f" : le passage le plus proche de la question ne distingue pas le groupe « {group} »."
        sources: list[Source] = []
        if because is not None:
            text += f" {clean_sentence(because.text)} [1]"
            sources.append(source_of(1, because.hit.chunk, because.hit.score))
        if topics:
            text += " Sujets les plus proches : " + " ; ".join(topics) + "."
        return Answer(question=question, answered=False, text=text, sources=sources, suggestions=topics)


def never_named(question: str, bm25: BM25Index) -> list[str]:
    """What the question asks about that the collection never names, even with a typo corrected: a name
    ("Bretagne") or another edition of the survey ("la précédente enquête")."""
    return unknown_names(question, bm25.correct, bm25.df) + other_editions(question, bm25.correct, bm25.df)


def _one_share(claim: str) -> bool:
    """The claim gives a proportion and lists nothing (fewer than two commas)."""
    return bool(PERCENT.search(claim)) and claim.count(",") < 2


def citer() -> tuple[Callable[[Hit], int], list[Source]]:
    """A function numbering each cited passage once ([1], [2]…), and the sources it fills."""
    sources: list[Source] = []
    numbers: dict[str, int] = {}

    def cite(hit: Hit) -> int:
        key = hit.chunk.chunk_id
        if key not in numbers:
            numbers[key] = len(sources) + 1
            sources.append(source_of(numbers[key], hit.chunk, hit.score))
        return numbers[key]

    return cite, sources


def row_value(meta: dict) -> str:
    """An indicator row's value as its claim writes it ("34 %", "1/3", "250")."""
    return f"{meta.get('value')} %" if meta.get("unit") == "%" else str(meta.get("value"))


def states_value(meta: dict, text: str) -> bool:
    """The text states the indicator row's value as a number of its own ("34 %", not "134 %" nor "3,34 %")."""
    return bool(re.search(rf"(?<![\d,.]){re.escape(row_value(meta))}(?![\d])", text))


def source_of(n: int, chunk: Chunk, score: float) -> Source:
    return Source(n=n, title=chunk.title, text=chunk.text, source=chunk.source, section=chunk.section,
                  page=chunk.page, score=score, chunk_id=chunk.chunk_id, kind=chunk.kind)


def _topic(chunk: Chunk) -> str:
    if not chunk.section or chunk.section.lower().startswith("questions auxquelles"):
        return chunk.title
    return chunk.section


def clean_sentence(sentence: str) -> str:
    """A sentence as an answer shows it: no Markdown emphasis, closed by a full stop."""
    sentence = re.sub(r"\*\*|__|`", "", sentence).strip()
    return sentence if sentence.endswith((".", "!", "…", ")", "»")) else sentence + "."


def short_claim(sentence: str) -> str:
    """A claim as a list item: cleaned, without its full stop."""
    return clean_sentence(sentence).rstrip(".")


def _same(a: str, b: str) -> bool:
    ta, tb = set(tokenize(a)), set(tokenize(b))
    return bool(ta) and len(ta & tb) / len(ta | tb) > 0.7


def _within(a: str, b: str) -> bool:
    """Nearly every word of sentence `a` is in the longer sentence `b`: `b` says what `a` says."""
    ta, tb = set(tokenize(a)), set(tokenize(b))
    return len(tb) > len(ta) > 0 and len(ta & tb) / len(ta) >= 0.9


def _unique(items: list[str]) -> list[str]:
    seen: set[str] = set()
    return [x for x in items if not (x in seen or seen.add(x))]  # type: ignore[func-returns-value]

