"""Streamlit app of the Musenor assistant: `streamlit run app_streamlit.py`.

Wiring only: shared resources cached once per process, the sidebar (assistant.ui_sidebar), the page
language and Streamlit's own labels in French (assistant.ui_french), and the four pages (assistant.ui,
ui_pages, ui_kit). The chat is usable within seconds: a fresh index is loaded at once, a missing
or stale one is built in the background (assistant.ui_admin).
"""
from __future__ import annotations

import logging
from pathlib import Path

import streamlit as st

from assistant import ui, ui_pages
from assistant.config import get_settings
from assistant.corpus import load_corpus, load_indicators, load_respondents
from assistant.errors import AssistantError
from assistant.feedback import FEEDBACK_FILE, FeedbackStore
from assistant.ui_admin import engine_or_none, slot_for
from assistant.ui_french import french_page
from assistant.ui_kit import render_kit
from assistant.ui_sidebar import sidebar

log = logging.getLogger("assistant.app")


@st.cache_resource(show_spinner=False)
def feedback_store(path: str) -> FeedbackStore | None:
    try:
        return FeedbackStore(Path(path))
    except AssistantError:
        log.exception("Feedback store unavailable")
        return None


@st.cache_data(show_spinner=False)
def corpus_tables(corpus_dir: str, stamp: float):
    """Indicators, respondents and resource fiches of the bundled corpus (reloaded when it changes)."""
    root = Path(corpus_dir)
    fiches = [ui_pages.parse_fiche(d) for d in load_corpus(root) if d.kind == "fiche-ressource"]
    return load_indicators(root), load_respondents(root), ui_pages.sort_fiches(fiches)


def _corpus_stamp(corpus_dir: Path) -> float:
    return max((p.stat().st_mtime for p in corpus_dir.rglob("*") if p.is_file()), default=0.0)


def chat_page(settings, prompt: str | None, top_k: int, show_scores: bool, store: FeedbackStore | None) -> None:
    """The chat, or, while the index is being prepared, what is happening (questions wait for it)."""
    try:
        engine = engine_or_none(settings)
    except Exception:
        log.exception("Engine load failed")
        engine = None
    if engine is not None:
        ui.render_chat(lambda: engine, prompt, top_k, show_scores, store)
        return
    slot = slot_for(settings)
    if prompt is not None and prompt.strip():
        st.session_state["pending"] = prompt  # answered as soon as the index is ready
    job = slot.job
    if job is not None and job.running:
        st.info("L'index des documents est en cours de préparation (première utilisation ou corpus modifié) : "
                f"{job.message} Les onglets « Chiffres clés », « Ressources du réseau » et « Préparer une "
                "intervention » sont déjà utilisables ; votre question sera traitée dès que l'index sera prêt.",
                icon=":material/hourglass_top:")
    else:
        st.error(slot.error or (job.message if job is not None and job.message else
                                "L'assistant n'a pas pu être chargé.")
                 + " Les autres onglets restent disponibles ; « Reconstruire l'index » relance la préparation.")
    if st.session_state.get("pending"):
        with st.chat_message("user"):
            st.markdown(ui.escape_md(ui.shorten(st.session_state["pending"])))


def main() -> None:
    st.set_page_config(page_title="Assistant Musenor — enquête numérique des musées", page_icon="🏛️",
                       layout="wide")
    french_page()
    settings = get_settings()
    ui.init_session()
    store = feedback_store(str(settings.data_dir / FEEDBACK_FILE))
    top_k, show_scores = sidebar(settings, store)
    st.title("Assistant Musenor")
    ui.note(ui.escape_md("Réponses sourcées sur l'enquête Musenor 2024-2025 (pratiques numériques des musées des "
                         "Hauts-de-France) et sur les ressources du réseau. Chaque réponse cite ses sources [n]."))
    tabs = st.tabs(ui.PAGES, key=ui.NAV_KEY, on_change="rerun")
    if tabs[0].open:
        prompt = st.chat_input("Posez votre question sur l'enquête ou les ressources Musenor", key="question")
        with tabs[0]:
            chat_page(settings, prompt, top_k, show_scores, store)
        return
    stamp = _corpus_stamp(settings.corpus_dir) if settings.corpus_dir.is_dir() else 0.0
    if tabs[3].open:
        with tabs[3]:
            render_kit(str(settings.corpus_dir), stamp, st.session_state["history"])
        return
    try:
        indicators, respondents, fiches = corpus_tables(str(settings.corpus_dir), stamp)
    except AssistantError as exc:
        st.error(str(exc))
        return
    if tabs[1].open:
        with tabs[1]:
            ui_pages.render_figures(indicators, respondents)
    elif tabs[2].open:
        with tabs[2]:
            ui_pages.render_resources(fiches)


if __name__ == "__main__":  # `streamlit run` and AppTest run the script as __main__
    main()
