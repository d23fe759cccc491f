"""Streamlit app of the Musenor assistant: `streamlit run app_streamlit.py`.

Wiring only: shared resources (engine, feedback store, corpus tables) cached once per process,
the sidebar (settings, index maintenance, feedback export) and the four pages of assistant.ui.
Streamlit does not let an app set <html lang>: the page stays lang="en" for screen readers.
"""
from __future__ import annotations

import logging
import re
import threading
import unicodedata
from pathlib import Path
from typing import Callable

import streamlit as st

from assistant import loaders, ui
from assistant.config import Settings, get_settings
from assistant.corpus import load_corpus, load_indicators, load_respondents
from assistant.engine import Conversation, Engine
from assistant.errors import AssistantError
from assistant.feedback import FEEDBACK_FILE, FeedbackStore
from assistant.indexer import update_index

log = logging.getLogger("assistant.app")
MB = 1024 * 1024


# --- shared resources (one per process, shared by every session) ---------------------------------
@st.cache_resource(show_spinner=False)
def _engine_slot(index_dir: str, corpus_dir: str, embedder: str) -> dict:
    """Holder of the shared Engine; filled by get_engine so that loading can show its progress."""
    return {"engine": None, "lock": threading.Lock()}


def _progress_bar(start_text: str) -> Callable[[str], None]:
    """A progress bar fed by the indexer's messages ("Calcul des vecteurs (3/30) : …")."""
    bar = st.progress(0.0, text=start_text)
    state = {"value": 0.0}

    def progress(message: str) -> None:
        match = re.search(r"\((\d+)/(\d+)\)", message)
        if match:
            state["value"] = min(1.0, int(match[1]) / max(1, int(match[2])))
        bar.progress(state["value"], text=message)

    return progress


def get_engine(settings: Settings) -> Engine:
    """The shared engine; the first call builds/loads the index under a visible status."""
    slot = _engine_slot(str(settings.index_dir), str(settings.corpus_dir), settings.embedder)
    if slot["engine"] is not None:
        return slot["engine"]
    with st.status("Chargement de l'assistant (construction de l'index si nécessaire)…", expanded=True) as status:
        progress = _progress_bar("Chargement de l'index et du modèle…")
        try:
            with slot["lock"]:  # other sessions wait here instead of building twice
                if slot["engine"] is None:
                    slot["engine"] = Engine.load(settings, progress=progress)
        except Exception:
            status.update(label="L'assistant n'a pas pu être chargé.", state="error")
            raise
        report = slot["engine"].build_report
        built = f" Index construit : {report.chunk_count} passages en {report.seconds:.0f} s." \
            if report is not None and report.changed else ""
        status.update(label="Assistant prêt." + built, state="complete", expanded=False)
    return slot["engine"]


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
    fiches = [ui.parse_fiche(d) for d in load_corpus(root) if d.kind == "fiche-ressource"]
    return load_indicators(root), load_respondents(root), sorted(fiches, key=lambda f: f.title.lower())


def _corpus_stamp(corpus_dir: Path) -> float:
    return max((p.stat().st_mtime for p in corpus_dir.rglob("*") if p.is_file()), default=0.0)


# --- index maintenance (sidebar) ------------------------------------------------------------------
def safe_filename(name: str) -> str:
    """An upload's name reduced to ASCII letters, digits, dot, dash and underscore, no path."""
    name = unicodedata.normalize("NFKD", Path(name.replace("\\", "/")).name).encode("ascii", "ignore").decode()
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = suffix, ""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", stem).strip("._-")[:80] or "document"
    suffix = re.sub(r"[^a-z0-9]", "", suffix.lower())[:10]
    return f"{stem}.{suffix}" if suffix else stem


def ingest_uploads(files: list, settings: Settings) -> list[dict[str, str]]:
    """Save uploads to data_dir/uploads, parse them, add them to the index; one report row per file."""
    folder = settings.data_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    progress = _progress_bar("Enregistrement des fichiers…")
    rows, saved = [], {}
    for upload in files:
        name = safe_filename(upload.name)
        path = folder / name
        while path.resolve() in saved:  # same sanitised name twice in one batch
            path = folder / f"{path.stem}-2{path.suffix}"
        if path.suffix not in loaders.SUPPORTED_SUFFIXES:
            rows.append({"Fichier": upload.name, "Résultat": "⛔ ignoré", "Détail": "format non pris en charge"})
            continue
        path.write_bytes(upload.getvalue())
        saved[path.resolve()] = upload.name
    results = loaders.load_documents(list(saved), settings,
                                     progress=lambda i, n, p: progress(f"Lecture des fichiers ({i}/{n}) : {p.name}"))
    documents = [r.document for r in results if r.document is not None]
    report = update_index(settings, add=documents, progress=progress) if documents else None
    for result in results:
        path = Path(result.path).resolve()
        twin = report.duplicates.get(result.document.doc_id) if report and result.document else None
        if result.document is not None and twin is None:
            rows.append({"Fichier": saved.get(path, path.name), "Résultat": "✅ indexé",
                         "Détail": f"{len(result.document.passages)} passage(s) lu(s)"})
            continue
        reason = result.error if result.document is None else f"contenu identique à {Path(twin).name}"
        rows.append({"Fichier": saved.get(path, path.name), "Résultat": "⛔ ignoré", "Détail": reason or ""})
        path.unlink(missing_ok=True)
    if documents:
        _engine_slot.clear()
    return rows


def sidebar(settings: Settings, store: FeedbackStore | None) -> tuple[int, bool]:
    with st.sidebar:
        st.header("Réglages")
        top_k = st.slider("Nombre de sources affichées", 1, 10, value=min(10, settings.top_k), key="top_k")
        show_scores = st.toggle("Afficher les scores de pertinence", key="show_scores")
        if st.button("Nouvelle conversation", key="new_chat", icon=":material/restart_alt:"):
            st.session_state["history"], st.session_state["conversation"] = [], Conversation()

        st.header("Index des documents")
        if st.button("Reconstruire l'index", key="rebuild", help="Recalcule tous les passages et vecteurs (une minute environ)."):
            with st.status("Reconstruction de l'index…", expanded=True) as status:
                try:
                    report = update_index(settings, force=True, progress=_progress_bar("Lecture du corpus…"))
                    _engine_slot.clear()
                    status.update(label=f"Index reconstruit : {report.chunk_count} passages en "
                                        f"{report.seconds:.0f} s.", state="complete", expanded=False)
                except AssistantError as exc:
                    status.update(label="La reconstruction a échoué.", state="error")
                    st.error(str(exc))
        with st.form("upload", clear_on_submit=True):
            files = st.file_uploader(
                "Ajouter des documents à l'index", accept_multiple_files=True,
                type=sorted(s.lstrip(".") for s in loaders.SUPPORTED_SUFFIXES),
                max_upload_size=max(1, settings.max_file_bytes // MB),
                help="PDF, DOCX, HTML, Markdown, texte ou CSV : ils seront cités comme sources.")
            submitted = st.form_submit_button("Indexer les documents", key="upload_submit")
        if submitted and files:
            try:
                st.session_state["upload_report"] = ingest_uploads(files, settings)
            except AssistantError as exc:
                st.error(str(exc))
            except Exception:
                log.exception("Upload failed")
                st.error("L'ajout des documents a échoué de façon inattendue ; l'index n'a pas été modifié.")
        elif submitted:
            st.warning("Choisissez d'abord un ou plusieurs fichiers.")
        if st.session_state.get("upload_report"):
            st.markdown("**Derniers fichiers ajoutés**")
            st.dataframe(st.session_state["upload_report"], hide_index=True)

        st.header("Avis des utilisateurs")
        if store is None:
            st.warning("Les avis ne peuvent pas être enregistrés (dossier de données inaccessible).")
        else:
            ui.note(f"{store.count()} avis enregistré(s).")
            st.download_button("Exporter les avis (CSV)", store.to_csv, file_name="musenor-avis.csv",
                               mime="text/csv", key="feedback_csv", on_click="ignore", icon=":material/download:")
    return top_k, show_scores


# --- page -----------------------------------------------------------------------------------------
def main() -> None:
    st.set_page_config(page_title="Assistant Musenor — enquête numérique des musées", page_icon="🏛️",
                       layout="wide")
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
            try:
                get_engine(settings)
            except AssistantError as exc:
                st.error(str(exc))
            except Exception:
                log.exception("Engine load failed")
                st.error("L'assistant n'a pas pu être chargé. Les autres onglets restent disponibles.")
            ui.render_chat(lambda: get_engine(settings), prompt, top_k, show_scores, store)
        return
    if tabs[3].open:
        with tabs[3]:
            ui.render_export(st.session_state["history"])
        return
    try:
        indicators, respondents, fiches = corpus_tables(str(settings.corpus_dir), _corpus_stamp(settings.corpus_dir))
    except AssistantError as exc:
        st.error(str(exc))
        return
    if tabs[1].open:
        with tabs[1]:
            ui.render_figures(indicators, respondents)
    elif tabs[2].open:
        with tabs[2]:
            ui.render_resources(fiches)

if __name__ == "__main__":  # `streamlit run` and AppTest run the script as __main__
    main()
