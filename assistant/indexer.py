"""Builds and updates the index: corpus plus added documents, re-embedding only what changed."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from . import sentences, store
from .chunking import chunk_document, embedding_text
from .config import Settings
from .corpus import corpus_fingerprint, load_corpus
from .embeddings import Embedder, get_embedder
from .errors import EmbedderMismatchError, IndexCorruptError, IndexMissingError
from .records import Chunk, Document

log = logging.getLogger(__name__)

ORIGIN_CORPUS = "corpus"
ORIGIN_ADDED = "added"

Progress = Callable[[str], None]


@dataclass
class BuildReport:
    """What a build did: documents embedded, reused, removed, skipped as duplicates."""

    changed: bool
    index_dir: Path
    chunk_count: int = 0
    embedded_docs: list[str] = field(default_factory=list)
    reused_docs: list[str] = field(default_factory=list)
    removed_docs: list[str] = field(default_factory=list)
    duplicates: dict[str, str] = field(default_factory=dict)  # doc_id -> doc_id it duplicates
    seconds: float = 0.0


def chunk_settings(settings: Settings) -> dict[str, int]:
    """The settings that shape chunks and their vectors: an index built with others is rebuilt."""
    return {"chunk_size": settings.chunk_size, "chunk_overlap": settings.chunk_overlap,
            "embed_max_chars": settings.embed_max_chars}


def load_previous(settings: Settings) -> store.IndexStore | None:
    """The current index whatever its embedder, or None when missing or unreadable."""
    try:
        return store.load(settings.index_dir)
    except IndexMissingError:
        return None
    except IndexCorruptError as exc:
        log.warning("%s — reconstruction complète.", exc)
        return None


def update_index(
    settings: Settings,
    add: Iterable[Document] = (),
    remove: Iterable[str] = (),
    force: bool = False,
    progress: Progress | None = None,
) -> BuildReport:
    """Bring the index up to date with the corpus, plus `add`ed documents, minus `remove`d doc ids.

    Documents whose content hash is unchanged keep their chunks and vectors; the result is
    written as a new version and swapped in atomically. Returns what was done.
    """
    started = time.perf_counter()
    say = progress or (lambda message: None)
    embedder = get_embedder(settings.embedder)
    with store.build_lock(settings.index_dir):
        previous = load_previous(settings)
        # Vectors are reused only from an index built the same way; added documents' chunks are
        # carried over in any case (re-embedded when needed), so a rebuild never loses them.
        reusable = previous is not None and not force and previous.embedder == embedder.name \
            and previous.manifest.get("chunking") == chunk_settings(settings)
        say("Lecture du corpus…")
        corpus_docs = load_corpus(settings.corpus_dir)
        fingerprint = corpus_fingerprint(settings.corpus_dir)
        targets, report = _plan(corpus_docs, list(add), set(remove), previous, settings)
        old_docs = previous.documents if previous else {}
        new_keys = {(d.doc_id, d.content_hash) for d, _ in targets}
        old_keys = {(k, v.get("content_hash")) for k, v in old_docs.items()}
        if reusable and new_keys == old_keys and previous.manifest.get("corpus_fingerprint") == fingerprint:
            report.changed = False
            report.chunk_count = len(previous.chunks)
            report.reused_docs = sorted(old_docs)
            report.seconds = time.perf_counter() - started
            return report

        chunks: list[Chunk] = []
        vectors: list[np.ndarray] = []
        documents: dict[str, dict] = {}
        for position, (doc, origin) in enumerate(targets, 1):
            old = old_docs.get(doc.doc_id)
            if previous is not None and old and old.get("content_hash") == doc.content_hash \
                    and (reusable or not doc.passages):
                positions = previous.doc_positions(doc.doc_id)
                doc_chunks = [previous.chunks[p] for p in positions]
                if reusable:
                    doc_vectors = previous.vectors_at(positions)
                    report.reused_docs.append(doc.doc_id)
                else:
                    doc_vectors = _embed(embedder, doc_chunks, settings)
                    report.embedded_docs.append(doc.doc_id)
            else:
                say(f"Calcul des vecteurs ({position}/{len(targets)}) : {doc.title}")
                doc_chunks = chunk_document(doc, settings) if doc.passages else []
                doc_vectors = _embed(embedder, doc_chunks, settings)
                report.embedded_docs.append(doc.doc_id)
            chunks.extend(doc_chunks)
            vectors.append(doc_vectors)
            documents[doc.doc_id] = {
                "title": doc.title, "source": doc.source, "kind": doc.kind, "origin": origin,
                "content_hash": doc.content_hash, "chunks": len(doc_chunks), "metadata": doc.metadata,
            }
        matrix = np.vstack(vectors) if vectors else np.zeros((0, embedder.dim), dtype=np.float32)
        manifest = {
            "embedder": embedder.name,
            "dim": embedder.dim,
            "corpus_fingerprint": fingerprint,
            "chunking": chunk_settings(settings),
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "documents": documents,
        }
        say("Vecteurs des phrases…")
        previous_table = sentences.load_table(previous.path, previous.manifest, len(previous.chunks)) \
            if reusable and previous is not None else None
        table = sentences.build_table(chunks, matrix, embedder, previous_table)
        manifest["sentences"] = sentences.manifest_entry(table)
        say("Écriture de l'index…")
        store.save(settings.index_dir, chunks, matrix, manifest, writers=[sentences.writer(table)])
        report.changed = True
        report.chunk_count = len(chunks)
        report.seconds = time.perf_counter() - started
        return report


def _plan(
    corpus_docs: list[Document],
    added: list[Document],
    removed: set[str],
    previous: store.IndexStore | None,
    settings: Settings,
) -> tuple[list[tuple[Document, str]], BuildReport]:
    """Which documents the new version holds, in order: corpus, kept added ones, new added ones."""
    report = BuildReport(changed=True, index_dir=settings.index_dir)
    targets: list[tuple[Document, str]] = [(d, ORIGIN_CORPUS) for d in corpus_docs]
    by_hash = {d.content_hash: d.doc_id for d in corpus_docs}
    incoming = {d.doc_id for d in added}
    if previous is not None:
        for doc_id, info in previous.documents.items():
            if info.get("origin") != ORIGIN_ADDED or doc_id in incoming:
                continue
            if doc_id in removed:
                report.removed_docs.append(doc_id)
                continue
            kept = _stub(doc_id, info)
            targets.append((kept, ORIGIN_ADDED))
            by_hash.setdefault(kept.content_hash, doc_id)
    for doc in added:
        if doc.doc_id in removed:
            continue
        twin = by_hash.get(doc.content_hash)
        if twin is not None and twin != doc.doc_id:
            report.duplicates[doc.doc_id] = twin
            continue
        by_hash[doc.content_hash] = doc.doc_id
        targets.append((doc, ORIGIN_ADDED))
    return targets, report


def _stub(doc_id: str, info: dict) -> Document:
    """A stand-in for an added document already in the index: same id and hash, reused as is."""
    return Document(doc_id=doc_id, title=info.get("title", doc_id), source=info.get("source", doc_id),
                    passages=[], kind=info.get("kind", ORIGIN_ADDED), metadata=info.get("metadata", {}),
                    content_hash=info.get("content_hash", ""))


def _embed(embedder: Embedder, chunks: list[Chunk], settings: Settings) -> np.ndarray:
    return embedder.embed_array([embedding_text(c)[:settings.embed_max_chars] for c in chunks], is_query=False)


def ensure_index(settings: Settings, progress: Progress | None = None) -> tuple[store.IndexStore, BuildReport | None]:
    """Load the index, building or refreshing it first when it is missing or the corpus changed.

    Raises EmbedderMismatchError when the index was built with another embedder than the
    settings name and the corpus is not ours to rebuild from (never silently mixes vectors).
    """
    report = None
    try:
        current = store.load(settings.index_dir)
    except IndexMissingError:
        current = None
    if current is not None and current.embedder != settings.embedder:
        raise EmbedderMismatchError(
            f"L'index de {settings.index_dir} a été construit avec le modèle « {current.embedder} », "
            f"pas avec « {settings.embedder} ». Reconstruisez-le : python -m assistant index --rebuild "
            f"--embedder {settings.embedder}"
        )
    stale = current is not None and (
        current.manifest.get("corpus_fingerprint") != corpus_fingerprint(settings.corpus_dir)
        or current.manifest.get("chunking") != chunk_settings(settings)
    )
    if current is None or stale:
        report = update_index(settings, progress=progress)
        current = store.load(settings.index_dir)
    return current, report
