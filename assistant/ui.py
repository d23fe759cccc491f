"""The pages of the Streamlit app (app_streamlit.py wires them): chat, key figures, resources, export.

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

import altair as alt
import pandas as pd
import streamlit as st

from .corpus import Indicator
from .engine import Conversation, Engine
from .errors import AssistantError
from .feedback import FeedbackStore
from .lexical import strip_accents, tokenize
from .records import Answer, Document, Source

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
    """The conversation as a Markdown file to prepare a talk: questions, answers, numbered sources."""
    now = now or datetime.now()
    lines = ["# Préparer une intervention — questions posées à l'assistant Musenor", "",
             f"Exporté le {now:%d/%m/%Y à %H:%M}. Chaque réponse renvoie à ses sources numérotées [n] ; "
             "les passages d'indicateurs donnent la base de chaque chiffre.", ""]
    answered = [e for e in history if e.answer is not None]
    for number, entry in enumerate(answered, 1):
        answer = entry.answer
        assert answer is not None
        lines += [f"## {number}. {answer.question}", ""]
        lines += [f"> Remarque : {n}" for n in answer.notices] + ([""] if answer.notices else [])
        if not answer.answered:
            lines += ["*Pas de réponse sourcée dans le corpus.*", ""]
        lines += [answer.text, ""]
        if answer.sources:
            lines += ["### Sources", ""]
        for src in answer.sources:
            where = f" — {src.location()}" if src.location() else ""
            lines += [f"{src.n}. **[{src.n}] {src.title}**{where}  ", f"   Fichier : `{src.source}`", ""]
            lines += [f"   > {line}".rstrip() for line in src.text.splitlines()] + [""]
    if not answered:
        lines += ["*Aucune question posée pour l'instant.*", ""]
    return "\n".join(lines)


def conflict_flags(indicators: list[Indicator]) -> dict[str, str]:
    """Indicator id -> French flag naming the other values of its conflict group."""
    groups: dict[str, list[Indicator]] = {}
    for ind in indicators:
        if ind.conflict_group:
            groups.setdefault(ind.conflict_group, []).append(ind)
    flags = {}
    for members in groups.values():
        for ind in members:
            others = " ; ".join(o.value_text() for o in members if o is not ind)
            flags[ind.id] = f"⚠ Les sources divergent : autre valeur {others}" if others else ""
    return flags


def indicators_frame(indicators: list[Indicator], flags: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame([{"Thème": i.theme, "Indicateur": i.indicator, "Valeur": i.value_text(),
                          "Divergence": flags.get(i.id, ""), "Base": i.base, "Note": i.note, "Source": i.source}
                         for i in indicators],
                        columns=["Thème", "Indicateur", "Valeur", "Divergence", "Base", "Note", "Source"])


def percent_chart(indicators: list[Indicator], flags: dict[str, str]) -> alt.Chart | None:
    """Horizontal bars of the shares given in %, values written on the bars, conflicts named."""
    rows = [{"Indicateur": i.indicator, "Part (%)": float(i.value), "Base": i.base, "Note": i.note,
             "Valeur": i.value_text() + (" (sources divergentes)" if flags.get(i.id) else "")}
            for i in indicators if i.unit == "%" and re.fullmatch(r"\d+(?:\.\d+)?", i.value)]
    if not rows:
        return None
    data = pd.DataFrame(rows)
    base = alt.Chart(data).encode(
        x=alt.X("Part (%):Q", scale=alt.Scale(domain=[0, 100]), title="Part (%)"),
        y=alt.Y("Indicateur:N", sort="-x", title=None, axis=alt.Axis(labelLimit=520)),
        tooltip=["Indicateur", "Valeur", "Base", "Note"],
    )
    chart = base.mark_bar() + base.mark_text(align="left", dx=4).encode(text="Valeur:N")
    return chart.properties(height=max(160, 30 * len(rows)), title="Indicateurs exprimés en pourcentage")


@dataclass
class Fiche:
    doc_id: str
    title: str
    tags: list[str]
    source: str
    provenance: str
    body: str  # Markdown, without its title and its questions section
    questions: list[str]
    haystack: str  # accent-free lower-case text searched


def _normalise(text: str) -> str:
    return strip_accents(text.lower())


def parse_fiche(doc: Document) -> Fiche:
    """A resource fiche split into its body and the questions it answers (a list of its own)."""
    text = "\n\n".join(p.text for p in doc.passages)
    text = re.sub(r"\A\s*#\s[^\n]*\n", "", text)
    body, _, rest = text.partition(f"## {QUESTIONS_HEADING}")
    questions = []
    for line in rest.splitlines():
        if line.startswith("#"):
            break
        if re.match(r"\s*[-*]\s+", line):
            questions.append(re.sub(r"^\s*[-*]\s+", "", line).strip())
    # Section titles in bold, not headings: the fiche sits in an expander under the page's h1 (heading order).
    body = re.sub(r"(?m)^#{2,6}\s+(.+?)\s*$", r"**\1**", body.strip())
    meta = doc.metadata
    tags = [str(t) for t in meta.get("tags") or []]
    haystack = _normalise(" ".join([doc.title, " ".join(tags), text]))
    return Fiche(doc.doc_id, doc.title, tags, str(meta.get("source", "")), str(meta.get("provenance", "")),
                 body, questions, haystack)


def search_fiches(fiches: list[Fiche], query: str) -> list[Fiche]:
    words = _normalise(query).split()
    return [f for f in fiches if all(w in f.haystack for w in words)]


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
        if answer.answered:
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


def render_figures(indicators: list[Indicator], respondents: pd.DataFrame) -> None:
    st.markdown("Les chiffres de l'enquête Musenor 2024-2025, avec la base de chaque chiffre et sa source. "
                "Quand deux diapositives de la présentation donnent des valeurs différentes, la colonne "
                "« Divergence » le signale : aucune des deux n'est privilégiée.")
    themes = sorted({i.theme for i in indicators})
    chosen = st.multiselect("Filtrer par thème (aucun choix : tous les thèmes)", themes, key="themes",
                            placeholder="Tous les thèmes")
    shown = [i for i in indicators if not chosen or i.theme in chosen]
    flags = conflict_flags(indicators)  # on the whole table: a filter must not hide a disagreement
    frame = indicators_frame(shown, flags)
    conflicts = int((frame["Divergence"] != "").sum())
    note(f"{len(shown)} indicateur(s) affiché(s) sur {len(indicators)}, dont {conflicts} avec des sources "
         "divergentes (signalés par « ⚠ Les sources divergent »).")
    st.dataframe(frame, hide_index=True, width="stretch",
                 column_config={"Indicateur": st.column_config.TextColumn(width="large"),
                                "Note": st.column_config.TextColumn(width="medium")})
    st.download_button("Télécharger ce tableau (CSV)", frame.to_csv(index=False).encode("utf-8-sig"),
                       file_name="musenor-chiffres-cles.csv", mime="text/csv", key="figures_csv",
                       on_click="ignore", icon=":material/download:")
    chart = percent_chart(shown, flags)
    if chart is not None:
        st.altair_chart(chart, width="stretch")
        note("Même contenu que le tableau ci-dessus (lignes en %) ; la valeur est écrite au bout de chaque "
             "barre. « moins de » indique une borne, pas une valeur exacte.")
    if not respondents.empty:
        with st.expander(f"Structures répondantes ({len(respondents)})"):
            st.dataframe(respondents.rename(columns={"town": "Ville", "institution": "Structure",
                                                     "country": "Pays"}), hide_index=True, width="stretch")


def render_resources(fiches: list[Fiche]) -> None:
    st.markdown("Fiches de contexte pour les nouveaux venus : réseaux, normes d'accessibilité, projets du réseau. "
                "Les questions au bas de chaque fiche peuvent être posées à l'assistant d'un clic.")
    query = st.text_input("Rechercher une fiche (titre, mot-clé ou contenu)", key="resource_search",
                          placeholder="par exemple : accessibilité, ProMETHEE, réseau")
    shown = search_fiches(fiches, query)
    note(f"{len(shown)} fiche(s) sur {len(fiches)}.")
    for fiche in shown:
        with st.expander(escape_md(fiche.title), expanded=len(shown) == 1):
            if fiche.tags:
                note("Mots-clés : " + escape_md(", ".join(fiche.tags)))
            if fiche.source:
                note("Source : " + escape_md(fiche.source))
            if fiche.provenance:
                note("Provenance : " + escape_md(fiche.provenance))
            st.markdown(fiche.body)
            if fiche.questions:
                st.markdown(f"**{QUESTIONS_HEADING}** (cliquez pour la poser à l'assistant) :")
                for i, q in enumerate(fiche.questions):
                    st.button(escape_md(q), key=f"res-{fiche.doc_id}-{i}", on_click=queue_question, args=(q,))


def render_export(history: list[ChatEntry]) -> None:
    st.markdown("Pour préparer une présentation : téléchargez en un clic les questions posées dans l'onglet "
                "« Assistant », leurs réponses et leurs sources numérotées (titre, section ou page, fichier "
                "et passage ; les passages d'indicateurs donnent la base de chaque chiffre).")
    content = export_markdown(history)
    _export_button("Télécharger la conversation (Markdown)", content, "export_page", type="primary")
    st.markdown("**Aperçu du fichier**")
    st.code(content, language=None, wrap_lines=True)  # no syntax colours: they fail contrast
