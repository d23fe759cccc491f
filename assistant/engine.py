"""The assistant as one object: loads the index once, answers questions, keeps a conversation's context.

    engine = Engine.load(get_settings())
    answer = engine.ask("Quelle part des musées a une stratégie numérique ?")
    answer.text     -> "… 34 % … [1]"
    answer.sources  -> [Source(n=1, title=…, section=…, page=…, text=…, score=…), …]
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field, replace

from .answer import MUSENOR_COLLECTION, NEUTRAL_COLLECTION, Answerer, Evidence, ExtractiveAnswerer, has_statements
from .config import Settings
from .embeddings import get_embedder
from .errors import InputError
from .indexer import BuildReport, Progress, ensure_index
from .followups import follow_up_query
from .parts import split_parts
from .question_context import other_editions, without_aside, without_preamble
from .questions import in_english, is_quantity_question, search_query, with_implied_topic
from .ranking import answered_by_ranking, ranked, ranking_answer
from .records import Answer, Source
from .sms import normalise_question
from .retrieval import Hit, HybridRetriever, HybridSearch
from .sentences import load_table
from .store import IndexStore
from .talk import findings, key_figures, theme_rows, things_left, with_key_figures
from .talk_request import (TALK, asks_figures, examples_for_talk, is_talk_request, question_before_context, talk_topic,
                           wants_survey_findings)

PART_MISSING = "Pour « {part} », je ne trouve pas l'information dans {collection}."
MUSENOR_KINDS = ("indicator",)  # the bundled survey corpus has an indicators table
FINDINGS_QUERY = "conclusions de l'enquête"  # what a request for the messages of the whole survey asks


def clean_question(question: str | None, limit: int) -> tuple[str, list[str]]:
    """The question cleaned up, and notices for the user; raises InputError when unusable."""
    text = "".join(c for c in (question or "") if c.isprintable() or c.isspace())
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise InputError("La question est vide : posez une question en français sur l'enquête ou les ressources.")
    notices = []
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] or text[:limit]
        notices.append(f"Question trop longue : seuls les {limit} premiers caractères ont été pris en compte.")
    return text, notices


@dataclass
class Turn:
    question: str  # as asked
    query: str  # as searched (with context for a follow-up)
    answer: Answer


@dataclass
class Conversation:
    """The turns of one conversation, so that a short follow-up can borrow the previous topic."""

    turns: list[Turn] = field(default_factory=list)

    def contextualise(self, question: str) -> str:
        """The query to search for: the question itself, or for a follow-up the previous question
        with its topic replaced by the new one (see `followups.follow_up_query`)."""
        if not self.turns:
            return question
        return follow_up_query(self.turns[-1].query, question) or question

    def add(self, question: str, query: str, answer: Answer) -> None:
        self.turns.append(Turn(question, query, answer))


class Engine:
    """Index + retrieval + answerer, loaded once and shared (thread-safe for `ask`)."""

    def __init__(self, settings: Settings, index: IndexStore, answerer: Answerer | None = None,
                 build_report: BuildReport | None = None):
        self.settings = settings
        self.index = index
        self.search = HybridSearch(index, get_embedder(settings.embedder), settings)
        self.answerer = answerer or ExtractiveAnswerer(settings)
        self.build_report = build_report
        self._related = self._conflict_groups()
        self._indicators = [(p, c) for p, c in enumerate(index.chunks) if c.kind == "indicator"]  # for rankings
        self._indicator_count = len(self._indicators)
        self.sentences = load_table(index.path, index.manifest, len(index.chunks))
        self.collection = MUSENOR_COLLECTION if any(c.kind in MUSENOR_KINDS for c in index.chunks) \
            else NEUTRAL_COLLECTION
        self.search.embed_query("échauffement")  # first call pays one-off costs; do it at load
        in_english("warm up")  # reads the French and English word lists once (≈ 0.5 s), not on a first question

    @classmethod
    def load(cls, settings: Settings, progress: Progress | None = None) -> "Engine":
        """Load the index (building or refreshing it when missing or stale) and the embedder."""
        index, report = ensure_index(settings, progress=progress)
        return cls(settings, index, build_report=report)

    def retriever(self, k: int | None = None) -> HybridRetriever:
        """A LangChain retriever over this engine's index."""
        return HybridRetriever(searcher=self.search, k=k or self.settings.top_k)

    def ask(self, question: str, conversation: Conversation | None = None, top_k: int | None = None) -> Answer:
        """Answer one question (and record it in the conversation when one is given)."""
        started = time.perf_counter()
        text, notices = clean_question(question, self.settings.max_question_chars)
        standard = normalise_question(text, self.search.bm25)  # SMS forms, accents, typos; `text` stays as asked
        query = without_aside(conversation.contextualise(standard) if conversation else standard)
        # A talk request in two parts ("quel constat …, et quels exemples citer ?") asks two things; the
        # survey's messages stay one request.
        talk = is_talk_request(query) and (wants_survey_findings(query) or len(split_parts(query)) == 1)
        for_talk = not talk and bool(TALK.search(query))  # a question asked for a talk
        if not talk:  # a talk's setting tells its theme; the asker's own words do not
            query = without_preamble(question_before_context(query))
        # Each part with the topic its form implies ("pourquoi … pas" asks for obstacles).
        parts = [with_implied_topic(p) for p in ([query] if talk else split_parts(query))]
        if len(parts) > 1 and answered_by_ranking(parts[1:]) and ranked(parts[0], self._indicators):
            parts = parts[:1]  # "quelle priorité arrive en tête, et avec quel score ?": the ranking gives it
        if len(parts) > 1:
            answer = merge_answers(query, self._answer_parts(parts, top_k), self.collection)
        else:
            answer = self._answer(parts[0], top_k)
        if for_talk and self._indicator_count:  # its theme's key figures too, room permitting
            answer = with_key_figures(answer, self.talk_figures(talk_topic(query), figures_asked=asks_figures(query)),
                                      self.settings.max_answer_total_chars)
        answer.question = text
        answer.notices = notices + answer.notices
        answer.latency_ms = (time.perf_counter() - started) * 1000
        if conversation is not None:
            conversation.add(text, query, answer)
        return answer

    def evidence(self, query: str, top_k: int | None = None) -> Evidence:
        """Retrieve the passages the reader reads for a query (one embedding, reused for sentences)."""
        query = search_query(query)
        vector = self.search.embed_query(query)
        n = self.settings.answer_hits
        hits = [h for h in self.search.search(query, k=2 * n, query_vector=vector) if has_statements(h.chunk)][:n]
        if is_quantity_question(query):  # indicator rows join, each placed by its closeness to the query
            known = {h.position for h in hits}
            for row in self.search.search(query, k=3, kinds=["indicator"], query_vector=vector):
                if row.position not in known:
                    at = next((i for i, h in enumerate(hits) if h.dense < row.dense), len(hits))
                    hits.insert(at, row)
        return Evidence(hits=hits, bm25=self.search.bm25, related=self._related, top_k=top_k, query_vector=vector,
                        sentences=self.sentences, embed=lambda texts: self.search.embedder.embed_array(texts),
                        collection=self.collection)

    def _answer_parts(self, parts: list[str], top_k: int | None) -> list[tuple[str, Answer]]:
        """Each part's answer; a part that would make the whole too long is answered again in the room
        the others leave (never less than an equal share), so a short part leaves room to a long one."""
        limit = self.settings.max_answer_total_chars
        found: dict[str, Evidence] = {}  # a part read again reuses its retrieval
        answers = [self._answer(p, top_k, found=found) for p in parts]  # a part may be a talk request of its own
        past: list[frozenset[str]] = [frozenset()] * len(parts)
        for i in range(1, len(parts)):
            # A later part whose answer repeats an earlier part's sentences beside its own is read again
            # without them, so the room goes to what it adds (one that adds nothing is dropped in the merge).
            said = frozenset(claim for a in answers[:i] if a.answered for claim in _claims(a.text))
            claims = set(_claims(answers[i].text))
            if answers[i].answered and claims & said and claims - said:
                again = self._answer(parts[i], top_k, said=said, found=found)
                if again.answered:
                    answers[i], past[i] = again, said
        for i, part in enumerate(parts):
            others = sum(len(a.text) + 1 for j, a in enumerate(answers) if j != i)
            if len(answers[i].text) + others > limit:
                answers[i] = self._answer(part, top_k, max_chars=max(limit - others, limit // len(parts)),
                                          said=past[i], found=found)
        return list(zip(parts, answers))

    def _answer(self, query: str, top_k: int | None, max_chars: int | None = None,
                said: frozenset[str] = frozenset(), found: dict[str, Evidence] | None = None) -> Answer:
        """One question's answer (a talk request's key figures or messages), within `max_chars` when given,
        without the sentences `said` (an earlier part's); `found` keeps the evidence already retrieved for a
        text, so a part read again is not embedded and searched again."""
        retrieved = found if found is not None else {}

        def gather(text: str) -> Evidence:
            if text not in retrieved:
                retrieved[text] = self.evidence(text, top_k)
            return replace(retrieved[text], max_chars=max_chars, said=said)

        if self._indicator_count and isinstance(self.answerer, ExtractiveAnswerer) \
                and (found := ranked(query, self._indicators)) is not None:
            # "la troisième priorité citée": the table's rows, sorted
            return ranking_answer(query, found, max_chars or self.settings.max_answer_total_chars)
        if is_talk_request(query) and isinstance(self.answerer, ExtractiveAnswerer):
            if wants_survey_findings(query) and self._indicator_count:  # a survey's messages are its conclusions
                answer = findings(self.answerer, query, FINDINGS_QUERY, gather(FINDINGS_QUERY))
                if answer is not None:
                    return answer
            topic = talk_topic(query)
            bm25 = self.search.bm25
            if other_editions(topic, bm25.correct, bm25.df):  # a talk comparing with an edition never given
                return self.answerer.answer(topic, gather(topic))  # declined, saying which
            # (names are not checked: a talk's setting names its audience and channel, "post LinkedIn")
            figures = self.talk_figures(topic, figures_asked=asks_figures(query))
            if not figures and self._indicator_count:  # a theme without figures: its messages
                answer = findings(self.answerer, query, topic, gather(topic))
                if answer is not None:
                    return answer
            if not figures:  # no row and no messages: the topic is asked, without the words about the talk
                return self.answerer.answer(topic, gather(topic))
            return key_figures(self.answerer, query, figures, gather(query), *things_left(self.search, topic, figures))
        if (topic := examples_for_talk(query)) is not None and isinstance(self.answerer, ExtractiveAnswerer):
            return replace(self.answerer.answer(topic, gather(topic)), question=query)
        return self.answerer.answer(query, gather(query))

    def talk_figures(self, topic: str, k: int = 6, figures_asked: bool = True) -> list[Hit]:
        """Indicator rows for a talk on `topic`, best first (`talk.theme_rows`)."""
        return theme_rows(self.search, topic, self._indicator_count, k, figures_asked,
                          row_weight=self.settings.talk_row_rank_weight)

    def _conflict_groups(self) -> dict[str, list[Hit]]:
        """Indicator chunks sharing a conflict group: figures the sources disagree on."""
        groups: dict[str, list[Hit]] = {}
        for pos, chunk in enumerate(self.index.chunks):
            group = chunk.metadata.get("conflict_group") if chunk.kind == "indicator" else None
            if group:
                groups.setdefault(str(group), []).append(Hit(position=pos, chunk=chunk, score=0.0, dense=0.0, lexical=0.0))
        return groups


def merge_answers(question: str, parts: list[tuple[str, Answer]], collection: str) -> Answer:
    """One answer for a question asked in parts: each part's text with its citations renumbered; when some
    parts are not found, the answer is partial (`Answer.partial`) and not counted as answered."""
    if not any(a.answered for _, a in parts):
        first = parts[0][1]
        return Answer(question=question, answered=False, text=first.text, sources=first.sources,
                      suggestions=first.suggestions)
    sources: list[Source] = []
    texts = []
    said: set[str] = set()  # a sentence an earlier part already gives is not repeated, nor a whole answer
    for part, answer in parts:
        if not answer.answered:
            texts.append(PART_MISSING.format(part=part.rstrip(" ?"), collection=collection))
            continue
        segments = _segments(answer.text)
        fresh = [seg for seg in segments if _claim(seg) not in said]
        if not fresh:
            continue  # an earlier part already gave this answer: it is not said twice
        said.update(_claim(seg) for seg in segments)
        text = " ".join(fresh)
        mapping = {}
        for src in answer.sources:
            if not re.search(rf"\[{src.n}\]", text):
                continue  # only the cited passages of each part
            existing = next((s for s in sources if s.chunk_id == src.chunk_id), None)
            if existing is None:
                existing = Source(**{**src.__dict__, "n": len(sources) + 1})
                sources.append(existing)
            mapping[src.n] = existing.n
        texts.append(re.sub(r"\[(\d+)\]", lambda m: f"[{mapping.get(int(m.group(1)), m.group(1))}]", text))
    # A part not found leaves the whole unanswered: the parts found are kept, flagged as partial.
    complete = all(a.answered for _, a in parts)
    return Answer(question=question, answered=complete, text=" ".join(texts), sources=sources, partial=not complete)


def _segments(text: str) -> list[str]:
    """An answer's cited sentences, each with its citation marks."""
    return [seg for seg in re.split(r"(?:(?<=\])|(?<=\]\.))\s+", text) if seg.strip()]


def _claims(text: str) -> list[str]:
    """An answer's cited sentences without their marks and final stop (`short_claim` form)."""
    return [_claim(seg) for seg in _segments(text)]


def _claim(segment: str) -> str:
    """A cited sentence of an answer without its citation marks, to compare with another."""
    return re.sub(r"\s*\[\d+\]", "", segment).strip(" .")
