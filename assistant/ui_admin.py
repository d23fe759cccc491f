"""The app's shared engine and index maintenance: the chat never waits for a build.

At start, a shipped or earlier index is used at once when it is fresh (same corpus fingerprint,
embedder, chunk settings and index format, all read from its manifest); otherwise it is built in
a background thread while the page stays usable. "Reconstruire l'index" and uploads also run in
background threads: the current engine keeps answering until the new one replaces it.
"""
from __future__ import annotations

import json
import logging
import os
import re
import secrets
import threading
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import streamlit as st

from . import loaders, store
from .config import Settings
from .engine import Engine
from .errors import AssistantError
from .indexer import built_for, update_index

log = logging.getLogger("assistant.app")
BUILD_LABEL = "préparation de l'index"
_THREADS: list[threading.Thread] = []  # started jobs, so tests (and shutdown) can wait for them


@dataclass
class Job:
    """A background task and what the page shows of it."""

    label: str
    state: str = "running"  # running | done | error
    message: str = ""
    fraction: float = 0.0
    result: Any = None

    @property
    def running(self) -> bool:
        return self.state == "running"

    def progress(self, message: str) -> None:
        """Fed with the indexer's messages ("Calcul des vecteurs (3/30) : …")."""
        match = re.search(r"\((\d+)/(\d+)\)", message)
        if match:
            self.fraction = min(1.0, int(match[1]) / max(1, int(match[2])))
        self.message = message


@dataclass
class Slot:
    """The engine shared by every session of one index, and the background job working on it."""

    engine: Engine | None = None
    job: Job | None = None
    error: str = ""  # why a fresh index could not be loaded
    lock: threading.Lock = field(default_factory=threading.Lock)


@st.cache_resource(show_spinner=False)
def _slot(index_dir: str, corpus_dir: str, embedder: str) -> Slot:
    return Slot()


def slot_for(settings: Settings) -> Slot:
    return _slot(str(settings.index_dir), str(settings.corpus_dir), settings.embedder)


def index_is_fresh(settings: Settings) -> bool:
    """True when the index on disk was built from this corpus, with this embedder, these chunk
    settings and this index format: it can be loaded at once, without any embedding."""
    try:
        version = store.current_version(settings.index_dir)
        if version is None:
            return False
        return built_for(json.loads((version / "manifest.json").read_text(encoding="utf-8")), settings)
    except (AssistantError, OSError, ValueError):
        return False


def run_in_background(slot: Slot, job: Job, work: Callable[[Job], Any]) -> bool:
    """Start `work(job)` in a daemon thread unless the slot already runs a job; False when busy."""
    with slot.lock:
        if slot.job is not None and slot.job.running:
            return False
        slot.job = job

    def target() -> None:
        try:
            job.result = work(job)
            job.state = "done"
        except AssistantError as exc:
            job.message, job.state = str(exc), "error"
        except Exception:  # a background failure becomes a French message, never a dead thread
            log.exception("Background job failed: %s", job.label)
            job.message, job.state = "Erreur inattendue ; l'index précédent reste utilisé.", "error"

    thread = threading.Thread(target=target, name=f"musenor-{job.label}", daemon=True)
    _THREADS.append(thread)
    thread.start()
    return True


def wait_for_jobs(timeout: float | None = None) -> None:
    """Wait for every background job started so far (used by tests and benchmarks)."""
    for thread in list(_THREADS):
        thread.join(timeout)


def engine_or_none(settings: Settings) -> Engine | None:
    """The shared engine when ready. A fresh index is loaded right here (no embedding: about a
    second); a missing or stale one starts a background build and None is returned meanwhile."""
    slot = slot_for(settings)
    if slot.engine is not None:
        return slot.engine
    if slot.job is not None and slot.job.running:
        return None
    if index_is_fresh(settings):
        with slot.lock:
            if slot.engine is None:
                try:
                    slot.engine = Engine.load(settings)
                    slot.error = ""
                except AssistantError as exc:
                    slot.error = str(exc)
                    return None
        return slot.engine
    if slot.job is not None and slot.job.state == "error" and slot.job.label == BUILD_LABEL:
        return None  # a failed build is not retried on every rerun; "Reconstruire l'index" does

    def build(job: Job) -> None:
        slot.engine = Engine.load(settings, progress=job.progress)

    run_in_background(slot, Job(BUILD_LABEL, message="Lecture du corpus…"), build)
    return None


def start_rebuild(settings: Settings) -> bool:
    """Rebuild everything in the background; the current engine answers until the new one is ready."""
    slot = slot_for(settings)

    def rebuild(job: Job) -> str:
        report = update_index(settings, force=True, progress=job.progress)
        slot.engine = Engine.load(settings)
        return f"Index reconstruit : {report.chunk_count} passages en {report.seconds:.0f} s."

    return run_in_background(slot, Job("reconstruction de l'index", message="Lecture du corpus…"), rebuild)


# --- uploads -----------------------------------------------------------------------------------------
@dataclass
class UploadRow:
    """One line of the upload report: the file as the user named it, what happened and why."""

    name: str
    ok: bool
    detail: str


def safe_filename(name: str) -> str:
    """An upload's name reduced to ASCII letters, digits, dot, dash and underscore, no path."""
    name = unicodedata.normalize("NFKD", Path(name.replace("\\", "/")).name).encode("ascii", "ignore").decode()
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = suffix, ""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", stem).strip("._-")[:80] or "document"
    suffix = re.sub(r"[^a-z0-9]", "", suffix.lower())[:10]
    return f"{stem}.{suffix}" if suffix else stem


def unique_path(folder: Path, name: str) -> Path:
    """A path in `folder` that no stored file uses: "notes.md", else "notes-2.md", "notes-3.md"…
    A same-name upload is kept beside the earlier one, never over it."""
    path = folder / name
    stem, suffix = path.stem, path.suffix
    number = 2
    while path.exists():
        path = folder / f"{stem}-{number}{suffix}"
        number += 1
    return path


def supported_formats() -> str:
    return ", ".join(sorted({s.lstrip(".").upper() for s in loaders.SUPPORTED_SUFFIXES} - {"HTM", "MARKDOWN"}))


def ingest_uploads(files: list[tuple[str, bytes]], settings: Settings, job: Job) -> list[UploadRow]:
    """Store each upload under a new name in data_dir/uploads, parse it, add it to the index.

    Nothing stored is overwritten; a file that fails is removed again (only the new copy), and
    the index keeps citing every earlier document."""
    folder = settings.data_dir / "uploads"
    folder.mkdir(parents=True, exist_ok=True)
    rows: dict[Path, UploadRow] = {}
    order: list[UploadRow] = []
    for original, data in files:
        name = safe_filename(original)
        suffix = Path(name).suffix.lower()
        if suffix not in loaders.SUPPORTED_SUFFIXES:
            kind = f"« {suffix} »" if suffix else "sans extension"
            order.append(UploadRow(original, False, f"Format {kind} non pris en charge. Formats acceptés : "
                                                    f"{supported_formats()}."))
            continue
        if not data:
            order.append(UploadRow(original, False, "Fichier vide : rien à indexer."))
            continue
        path = unique_path(folder, name)
        tmp = folder / f".{path.name}.{secrets.token_hex(4)}.tmp"
        tmp.write_bytes(data)
        os.replace(tmp, path)
        detail = f"Enregistré sous {path.name} (un document du même nom existe déjà)." if path.name != name else ""
        row = UploadRow(original, True, detail)
        rows[path.resolve()] = row
        order.append(row)
    results = loaders.load_documents(list(rows), settings,
                                     progress=lambda i, n, p: job.progress(f"Lecture des fichiers ({i}/{n}) : {p.name}"))
    documents = [r.document for r in results if r.document is not None]
    try:
        report = update_index(settings, add=documents, progress=job.progress) if documents else None
    except BaseException:
        for path in rows:
            path.unlink(missing_ok=True)  # the index was not changed: do not keep unindexed copies
        raise
    for result in results:
        path = Path(result.path).resolve()
        row = rows.get(path)
        if row is None:
            continue
        twin = report.duplicates.get(result.document.doc_id) if report and result.document else None
        if result.document is not None and twin is None:
            count = f"{len(result.document.passages)} passage(s) lu(s)."
            cut = "".join(f" Attention, {note}." for note in result.warnings)  # rows cut, pages unreadable
            row.detail = f"{count}{cut} {row.detail}".strip()
            continue
        row.ok = False
        row.detail = result.error if result.document is None else f"Contenu identique à {Path(twin).name}."
        path.unlink(missing_ok=True)  # only the new copy: its name was unused before this upload
    if documents:
        slot_for(settings).engine = Engine.load(settings)
    return order


def start_uploads(files: list[tuple[str, bytes]], settings: Settings) -> Job | None:
    """Add uploads in the background; the job (its result is the report) or None when busy."""
    job = Job("ajout de documents", message="Enregistrement des fichiers…")
    started = run_in_background(slot_for(settings), job, lambda j: ingest_uploads(files, settings, j))
    return job if started else None
