"""The app's sidebar: settings, index maintenance (rebuild, uploads, both in the background) and feedback export.

The upload report is written as text under each file name (no table column to scroll to), with
Material icons that Streamlit ships with its own font and a word that says the same thing.
"""
from __future__ import annotations

import streamlit as st

from . import ui
from .config import Settings
from .engine import Conversation
from .feedback import FeedbackStore
from .ui_admin import Job, UploadRow, slot_for, start_rebuild, start_uploads, supported_formats

MB = 1024 * 1024
OK_ICON, REFUSED_ICON = ":material/check_circle:", ":material/block:"


def upload_report_md(rows: list[UploadRow]) -> list[str]:
    """One Markdown block per file: its name, then the result and the reason on the next line."""
    blocks = []
    for row in rows:
        sign = f"{OK_ICON} Indexé" if row.ok else f"{REFUSED_ICON} Refusé"
        detail = f" — {ui.escape_md(row.detail)}" if row.detail else ""
        blocks.append(f"**{ui.escape_md(row.name)}**  \n{sign}{detail}")
    return blocks


def _job_view(job: Job | None) -> None:
    """What the sidebar shows of the current background job; a progress bar only while it runs."""
    if job is None:
        return
    if job.running:
        st.progress(job.fraction, text=f"{job.label.capitalize()} : {job.message}")
        note = "Vous pouvez continuer à poser vos questions pendant ce temps."
        ui.note(note)
        return
    if job.state == "error":
        st.error(f"Échec de l'opération « {job.label} » : {job.message}")
    elif isinstance(job.result, str):
        st.success(job.result, icon=":material/check_circle:")


def job_status(settings: Settings) -> None:
    """The job's state, refreshed every second while it runs (a fragment: the rest of the page
    is not re-run); when it ends, the whole page re-runs once to use the new index."""
    slot = slot_for(settings)
    running = slot.job is not None and slot.job.running

    @st.fragment(run_every=1.0 if running else None)
    def view() -> None:
        job = slot.job
        if running and job is not None and not job.running:
            st.rerun(scope="app")
        _job_view(job)

    view()


def sidebar(settings: Settings, store: FeedbackStore | None) -> tuple[int, bool]:
    with st.sidebar:
        st.header("Réglages")
        top_k = st.slider("Nombre de sources affichées", 1, 10, value=min(10, settings.top_k), key="top_k")
        show_scores = st.toggle("Afficher les scores de pertinence", key="show_scores")
        if st.button("Nouvelle conversation", key="new_chat", icon=":material/restart_alt:"):
            st.session_state["history"], st.session_state["conversation"] = [], Conversation()

        st.header("Index des documents")
        if st.button("Reconstruire l'index", key="rebuild", icon=":material/refresh:",
                     help="Recalcule tous les passages et vecteurs en arrière-plan (une minute environ) ; "
                          "l'assistant continue de répondre avec l'index actuel."):
            if not start_rebuild(settings):
                st.warning("Une opération sur l'index est déjà en cours : réessayez quand elle sera terminée.")
        with st.form("upload", clear_on_submit=True):
            files = st.file_uploader(
                "Ajouter des documents à l'index", accept_multiple_files=True,
                max_upload_size=max(1, settings.max_file_bytes // MB),
                help=f"Formats acceptés : {supported_formats()} ; {settings.max_file_bytes // MB} Mo au plus "
                     "par fichier. Les documents ajoutés sont cités comme sources.")
            ui.note(f"Formats acceptés : {supported_formats()} ; {settings.max_file_bytes // MB} Mo au plus "
                    "par fichier.")
            submitted = st.form_submit_button("Indexer les documents", key="upload_submit",
                                              icon=":material/upload_file:")
        if submitted and files:
            payload = [(f.name, f.getvalue()) for f in files]
            job = start_uploads(payload, settings)
            if job is not None:
                st.session_state["upload_job"] = job
            else:
                st.warning("Une opération sur l'index est déjà en cours : déposez vos fichiers quand elle "
                           "sera terminée.")
        elif submitted:
            st.warning("Choisissez d'abord un ou plusieurs fichiers.")
        job_status(settings)
        own: Job | None = st.session_state.get("upload_job")
        if own is not None and own.state == "done" and own.result:
            st.markdown("**Derniers fichiers déposés**")
            for block in upload_report_md(own.result):
                st.markdown(block)

        st.header("Avis des utilisateurs")
        if store is None:
            st.warning("Les avis ne peuvent pas être enregistrés (dossier de données inaccessible).")
        else:
            ui.note(f"{store.count()} avis enregistré(s).")
            st.download_button("Exporter les avis (CSV)", store.to_csv, file_name="musenor-avis.csv",
                               mime="text/csv", key="feedback_csv", on_click="ignore", icon=":material/download:")
    return top_k, show_scores

