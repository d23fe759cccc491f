"""The chat page of the Streamlit app and the helpers every page shares (app_streamlit.py wires the pages;
ui_pages.py draws the key figures and resources, ui_kit.py the talk kit, ui_sidebar.py the sidebar).

Pure helpers (Markdown escaping, highlighting, export, tables) come first and need no Streamlit
session; the `render_*` functions draw one page each. Document and answer text is always
escaped and shown as Markdown, never as HTML.
"""
from __future__ import annotations

import logging
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

import streamlit as st

from .engine import Conversation, Engine
from .errors import AssistantError
from .export import quote_block, safe_inline, safe_text
from .feedback import FeedbackStore
from .lexical import tokenize
from .records import PARTIAL, Answer, Source

log = logging.getLogger(__name__)

PAGES = ("Assistant", "Chiffres clés", "Ressources du réseau", "Préparer une intervention")
NAV_KEY = "page"
GENERIC_ERROR = ("Une erreur inattendue a empêché de répondre à cette question. "
                 "La conversation continue : reformulez la question ou réessayez dans un instant.")
QUESTIONS_HEADING = "Questions auxquelles cette fiche répond"
STARTERS = {  # one column of starter questions per kind of user
    "Professionnels des musées : les chiffres de l'enquête": [
        "Quelle part des musées a une stratégie numérique ?", "Combien de structures ont répondu à l'enquête ?",
        "Quelle part des musées connaît les normes WCAG ou RGAA ?"],
    "Équipe Musenor : préparer une intervention": [
        "Quels sont les principaux freins au numérique dans les musées ?",
        "Quelles sont les priorités des musées pour l'avenir ?", "Que retenir des conclusions de l'enquête ?"],
    "Nouveaux venus : réseaux, normes, projets": [
        "À quels réseaux numériques participent les musées ?", "Qu'est-ce que le RGAA ?",
        "Qu'est-ce que le projet ProMETHEE ?"],
}

# --- pure helpers ---------------------------------------------------------------------------------
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=^&])")
_WORD = re.compile(r"[^\W_]+")
_MARKER = re.compile(r"(\[\d+\])")
_MARKER_ESCAPED = re.compile(r"\\\[(\d+)\\\](?!\()")


def escape_md(text: str) -> str:
    """Text shown literally by st.markdown: every Markdown/HTML special character backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", text or "")


def highlight(passage: str, question: str) -> str:
    """The passage as safe Markdown, the words of the question in bold on an orange background."""
    terms = set(tokenize(question))
    out = []
    for line in (passage or "").splitlines():
        parts, pos = [], 0
        for match in _WORD.finditer(line):
            parts.append(escape_md(line[pos:match.start()]))
            word = match.group()
            hit = terms and set(tokenize(word)) & terms
            parts.append(f":orange-background[**{escape_md(word)}**]" if hit else escape_md(word))
            pos = match.end()
        parts.append(escape_md(line[pos:]))
        out.append("".join(parts))
    return "  \n".join(out).replace("  \n  \n", "\n\n")  # hard line breaks; blank line = paragraph


def answer_md(text: str) -> str:
    """The answer text as safe Markdown with its [n] markers kept (in bold)."""
    return "".join(f"**{part}**" if _MARKER.fullmatch(part) else escape_md(part) for part in _MARKER.split(text))


def source_label(source: Source) -> str:
    """Expander title: "[n] title — section, p. x"."""
    where = source.location()
    return f"[{source.n}] {escape_md(source.title)}" + (f" — {escape_md(where)}" if where else "")


def note(markdown: str) -> None:
    """Secondary text in small type but full contrast (st.caption's grey fails WCAG AA contrast)."""
    st.markdown(f":small[{markdown}]")


def shorten(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + f" … ({len(text)} caractères)"


@dataclass
class ChatEntry:
    """One exchange of the chat: the question and its answer, or the French error shown instead."""

    question: str
    answer: Answer | None = None
    error: str | None = None
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])
    feedback_id: int | None = None
    feedback_note: str = ""


def export_markdown(history: list[ChatEntry], now: datetime | None = None) -> str:
    """The conversation as a Markdown file to prepare a talk: questions, answers, numbered sources.

    Every text taken from an answer or a document is made inert (export.safe_text): raw HTML,
    links, remote images and script URLs from an uploaded file are written out as plain words."""
    now = now or datetime.now()
    lines = ["# Préparer une intervention — questions posées à l'assistant Musenor", "",
             f"Exporté le {now:%d/%m/%Y à %H:%M}. Chaque réponse renvoie à ses sources numérotées [n] ; "
             "les passages d'indicateurs donnent la base de chaque chiffre.", ""]
    answered = [e for e in history if e.answer is not None]
    for number, entry in enumerate(answered, 1):
        answer = entry.answer
        assert answer is not None
        lines += [f"## {number}. {safe_inline(answer.question)}", ""]
        lines += [f"> Remarque : {safe_inline(n)}" for n in answer.notices] + ([""] if answer.notices else [])
        if answer.partial:
            lines += [f"*{PARTIAL}*", ""]
        elif not answer.answered:
            lines += ["*Pas de réponse sourcée dans le corpus.*", ""]
        lines += [_MARKER_ESCAPED.sub(r"[\1]", safe_text(answer.text)), ""]
        if answer.sources:
            lines += ["### Sources", ""]
        for src in answer.sources:
            where = f" — {safe_inline(src.location())}" if src.location() else ""
            lines += [f"{src.n}. **[{src.n}] {safe_inline(src.title)}**{where}  ",
                      f"   Fichier : `{src.source.replace('`', '')}`", ""]
            lines += quote_block(src.text, indent="   ") + [""]
    if not answered:
        lines += ["*Aucune question posée pour l'instant.*", ""]
    return "\n".join(lines)


# --- session ---------------------------------------------------------------------------------------
def init_session() -> None:
    ss = st.session_state
    ss.setdefault("history", [])
    ss.setdefault("conversation", Conversation())
    ss.setdefault("pending", None)
    ss.setdefault("session_id", uuid.uuid4().hex[:12])


def queue_question(question: str) -> None:
    """Button callback: ask `question` in the chat (and show the chat page)."""
    st.session_state["pending"] = question
    st.session_state[NAV_KEY] = PAGES[0]


def ask(get_engine: Callable[[], Engine], question: str, fresh: bool, top_k: int) -> ChatEntry:
    """Ask one question; every failure becomes a French message in the entry, never an exception.

    A typed question goes through the session's Conversation (follow-ups borrow the previous
    topic); a clicked one (starter, suggestion, fiche question) stands alone, then joins it.
    """
    entry = ChatEntry(question=question)
    conversation: Conversation = st.session_state["conversation"]
    try:
        engine = get_engine()
        if fresh:
            entry.answer = engine.ask(question, None, top_k=top_k)
            conversation.add(entry.answer.question, entry.answer.question, entry.answer)
        else:
            entry.answer = engine.ask(question, conversation, top_k=top_k)
    except AssistantError as exc:
        entry.error = str(exc)
    except Exception:  # the session must go on: log for us, French message for the user
        log.exception("Question failed: %r", question[:200])
        entry.error = GENERIC_ERROR
    return entry


# --- pages ----------------------------------------------------------------------------------------
def render_chat(get_engine: Callable[[], Engine], prompt: str | None, top_k: int, show_scores: bool,
                store: FeedbackStore | None) -> None:
    pending = st.session_state.get("pending")
    st.session_state["pending"] = None
    question, fresh = (prompt, False) if prompt is not None else (pending, True)
    history: list[ChatEntry] = st.session_state["history"]
    if question is not None:
        with st.spinner("Recherche dans le corpus…"):
            history.append(ask(get_engine, question, fresh, top_k))
    if not history:
        _render_starters()
    for entry in history:
        _render_entry(entry, show_scores, store)
    if any(e.answer is not None for e in history):
        _export_button("Exporter la conversation (Markdown)", export_markdown(history), "export_chat")


def _export_button(label: str, content: str, key: str, **kwargs: str) -> None:
    st.download_button(label, content, key=key, file_name=f"musenor-intervention-{datetime.now():%Y%m%d-%H%M}.md",
                       mime="text/markdown", on_click="ignore", icon=":material/download:", **kwargs)


def _render_starters() -> None:
    st.markdown("Posez votre question dans le champ en bas de la page, ou commencez par l'une de celles-ci :")
    for c, (column, (audience, questions)) in enumerate(zip(st.columns(len(STARTERS)), STARTERS.items())):
        with column:
            st.markdown(f"**{escape_md(audience)}**")
            for i, q in enumerate(questions):
                st.button(escape_md(q), key=f"starter-{c}-{i}", on_click=queue_question, args=(q,))


def _render_entry(entry: ChatEntry, show_scores: bool, store: FeedbackStore | None) -> None:
    with st.chat_message("user"):
        st.markdown(escape_md(shorten(entry.question)))
    with st.chat_message("assistant"):
        if entry.error or entry.answer is None:
            st.error(entry.error or GENERIC_ERROR)
            return
        answer = entry.answer
        for notice in answer.notices:
            st.info(notice)
        if answer.answered or answer.partial:
            if answer.partial:
                st.warning(PARTIAL, icon=":material/rule:")
            st.markdown(answer_md(answer.text))
        else:
            st.warning(escape_md(answer.text), icon=":material/search_off:")
            if answer.suggestions:
                st.markdown("Essayez plutôt l'un des sujets les plus proches :")
                for i, topic in enumerate(answer.suggestions):
                    st.button(escape_md(topic), key=f"sugg-{entry.id}-{i}", on_click=queue_question, args=(topic,))
        if answer.sources:
            st.markdown(f"**Sources ({len(answer.sources)})**")
        for src in answer.sources:
            with st.expander(source_label(src)):
                notes = [f"Fichier : {escape_md(src.source)}",
                         "cité dans la réponse" if f"[{src.n}]" in answer.text else "passage proche, non cité"]
                if show_scores:
                    notes.append(f"score de pertinence : {src.score:.3f}")
                note(" · ".join(notes))
                st.markdown(highlight(src.text, answer.question))
        _render_feedback(entry, store)


def _save_feedback(entry: ChatEntry, store: FeedbackStore, key: str, comment: bool = False) -> None:
    """Widget callback: the first rating adds a row, later ratings and the comment update it."""
    value = st.session_state.get(key)
    if entry.answer is None or (value is None if not comment else entry.feedback_id is None):
        return
    try:
        if comment:
            store.update(entry.feedback_id, comment=value or "")  # type: ignore[arg-type]
        elif entry.feedback_id is None:
            entry.feedback_id = store.add(entry.answer.question, entry.answer.text,
                                          [s.to_dict() for s in entry.answer.sources], rating=value,
                                          session=st.session_state.get("session_id", ""))
        else:
            store.update(entry.feedback_id, rating=value)
        entry.feedback_note = "Merci : votre " + ("commentaire est enregistré." if comment else "avis est enregistré.")
    except AssistantError as exc:
        entry.feedback_note = str(exc)


def _render_feedback(entry: ChatEntry, store: FeedbackStore | None) -> None:
    if store is None:
        return
    note("Cette réponse vous a-t-elle été utile ? (pouce levé : oui ; pouce baissé : non)")
    key = f"fb-{entry.id}"
    st.feedback("thumbs", key=key, on_change=_save_feedback, args=(entry, store, key))
    if entry.feedback_id is not None:
        comment_key = f"fbc-{entry.id}"
        st.text_input("Commentaire sur cette réponse (facultatif)", key=comment_key, max_chars=2000)
        st.button("Envoyer le commentaire", key=f"fbs-{entry.id}", on_click=_save_feedback,
                  args=(entry, store, comment_key, True))
    if entry.feedback_note:
        note(escape_md(entry.feedback_note))
