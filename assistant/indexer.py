"""Builds and updates the index: corpus plus added documents, re-embedding only what changed."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import numpy as np

from . import sentences, store
from .chunking import chunk_document, embedding_text
from .config import Settings
from .corpus import corpus_fingerprint, load_corpus
from .embeddings import Embedder, get_embedder
from .errors import DataLossError, DocumentError, EmbedderMismatchError, IndexCorruptError, IndexMissingError
from .progress import Meter, Progress
from .records import ADDED_KIND, Chunk, Document
from .registry import (COPIES_DIR, REGISTRY_FILE, AddedEntry, RegistryUnreadable, copy_path, keep_copy,
                       prune_copies, read_registry, write_registry)
from .retrieval import lexical_writer, rebuild_lexical, saved_lexical

log = logging.getLogger(__name__)

ORIGIN_CORPUS = "corpus"
ORIGIN_ADDED = ADDED_KIND  # the manifest's origin of an added document

EMBED_STEP = 128  # chunks embedded between two progress updates
MAX_METADATA_KEYS = 40  # front matter keys kept in the manifest
MAX_METADATA_CHARS = 500  # characters kept of one metadata string


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
    lexical_rebuilt: bool = False  # unchanged documents, but the lexical index was rebuilt (new word rules)


def chunk_settings(settings: Settings) -> dict[str, int]:
    """The settings that shape chunks and their vectors: an index built with others is rebuilt."""
    return {"chunk_size": settings.chunk_size, "chunk_overlap": settings.chunk_overlap,
            "embed_max_chars": settings.embed_max_chars}


def load_previous(settings: Settings) -> store.IndexStore | None:
    """The current index whatever its embedder, or None when missing or unreadable."""
    return _load_previous(settings)[0]


def _load_previous(settings: Settings) -> tuple[store.IndexStore | None, bool]:
    """The newest readable version (and whether CURRENT names it); damage is logged, not raised."""
    try:
        return store.load(settings.index_dir), True
    except IndexMissingError:
        pass
    except IndexCorruptError as exc:
        damage = str(exc).split(" Reconstruisez")[0]
        log.warning("%s Reconstruction à partir du corpus, de la dernière version lisible et des documents ajoutés.",
                    damage)
    return store.load_fallback(settings.index_dir), False


def _bounded(metadata: dict[str, Any]) -> dict[str, Any]:
    """Metadata small enough for the manifest: scalars (strings cut), short lists of scalars, nothing nested.

    Front matter is user data: without a bound a crafted file makes every later load slow.
    """
    out: dict[str, Any] = {}
    for key, value in list(metadata.items())[:MAX_METADATA_KEYS]:
        key = str(key)[:80]
        if isinstance(value, str):
            out[key] = value[:MAX_METADATA_CHARS]
        elif isinstance(value, (bool, int, float)) or value is None:
            out[key] = value
        elif isinstance(value, (list, tuple)) and all(isinstance(v, (str, int, float, bool)) for v in value[:20]):
            out[key] = [v[:MAX_METADATA_CHARS] if isinstance(v, str) else v for v in value[:20]]
    return out


def _registered(settings: Settings, previous: store.IndexStore | None) -> tuple[dict[str, AddedEntry], bool]:
    """The added documents the next version must hold, and whether added.json is in step with `previous`.

    added.json is the authority, except when the version is newer than it (a build stopped
    between writing the version and the registry, or an index from before added.json): then
    the version's manifest is. Without a
    readable registry, the manifest of the newest readable version is used; with neither, a
    build that would drop documents whose copies are still on disk stops.
    """
    from_manifest = {}
    if previous is not None:
        for doc_id, info in previous.documents.items():
            if info.get("origin") == ORIGIN_ADDED:
                from_manifest[doc_id] = _entry_from_manifest(doc_id, info)
    try:
        registry = read_registry(settings.index_dir)
    except RegistryUnreadable:
        if previous is None and any((settings.index_dir / COPIES_DIR).glob("*")):
            raise DataLossError(
                f"La liste des documents ajoutés ({settings.index_dir / REGISTRY_FILE}) est illisible et l'index "
                f"est endommagé : une reconstruction perdrait ces documents, elle n'a pas été faite. Leurs copies "
                f"sont dans {settings.index_dir / COPIES_DIR} ; pour repartir du corpus seul en connaissance de "
                f"cause, supprimez {settings.index_dir / REGISTRY_FILE}, puis ajoutez-les de nouveau avec --add."
            ) from None
        return from_manifest, False
    if registry is None:
        return from_manifest, False
    if previous is not None and registry.version != previous.path.name:
        # Version names start with their build time: the newer of the two says what was added.
        newer_registry = registry.version > previous.path.name
        return (registry.entries if newer_registry else from_manifest), False
    return registry.entries, previous is not None


def _entry_from_manifest(doc_id: str, info: dict[str, Any]) -> AddedEntry:
    meta = info.get("metadata") if isinstance(info.get("metadata"), dict) else {}
    return AddedEntry(doc_id=doc_id, title=str(info.get("title", doc_id)), source=str(info.get("source", doc_id)),
                      content_hash=str(info.get("content_hash", "")),
                      path=str(info.get("path") or meta.get("path") or doc_id), copy=str(info.get("copy", "")),
                      kind=str(info.get("kind", ORIGIN_ADDED)), added_at=str(info.get("added_at", "")))


def update_index(
    settings: Settings,
    add: Iterable[Document] = (),
    remove: Iterable[str] = (),
    force: bool = False,
    progress: Progress | None = None,
) -> BuildReport:
    """Bring the index up to date with the corpus, plus `add`ed documents, minus `remove`d doc ids.

    Documents whose content hash is unchanged keep their chunks and vectors; the result is
    written as a new version and swapped in atomically. Added documents are listed in
    index/added.json with a copy of their file: when the index is damaged they are re-read, and
    a build that would still lose one stops with DataLossError before anything is written.
    """
    started = time.perf_counter()
    say = progress or (lambda message: None)
    store.check_writable(settings.index_dir)
    embedder = get_embedder(settings.embedder)
    with store.build_lock(settings.index_dir):
        previous, via_pointer = _load_previous(settings)
        registered, in_step = _registered(settings, previous)
        # Vectors are reused only from an index built the same way; added documents' chunks are
        # carried over in any case (re-embedded when needed), so a rebuild never loses them.
        reusable = previous is not None and not force and previous.embedder == embedder.name \
            and previous.manifest.get("chunking") == chunk_settings(settings)
        say("Lecture du corpus…")
        corpus_docs = load_corpus(settings.corpus_dir)
        fingerprint = corpus_fingerprint(settings.corpus_dir)
        targets, report = _plan(corpus_docs, list(add), set(remove), registered, settings)
        old_docs = previous.documents if previous else {}
        new_keys = {(d.doc_id, d.content_hash) for d, _ in targets}
        old_keys = {(k, v.get("content_hash")) for k, v in old_docs.items()}
        entries = _entries(targets, registered)
        if reusable and via_pointer and new_keys == old_keys and sentences.current(previous.manifest) \
                and previous.manifest.get("corpus_fingerprint") == fingerprint:
            if not in_step:  # an index from before added.json, or a build stopped before writing it
                _keep_copies(entries, settings)
                write_registry(settings.index_dir, entries, previous.path.name)
            if saved_lexical(previous) is None:  # saved with other normalisation rules: rebuilt and saved now
                rebuild_lexical(previous)
                report.lexical_rebuilt = True
            report.changed = False
            report.chunk_count = len(previous.chunks)
            report.reused_docs = sorted(old_docs)
            report.seconds = time.perf_counter() - started
            return report

        parts: list[tuple[list[Chunk], np.ndarray | None]] = []
        documents: dict[str, dict] = {}
        lost: list[AddedEntry] = []
        for position, (doc, origin) in enumerate(targets, 1):
            old = old_docs.get(doc.doc_id)
            if previous is not None and old and old.get("content_hash") == doc.content_hash \
                    and (reusable or not doc.passages) and previous.doc_positions(doc.doc_id):
                positions = previous.doc_positions(doc.doc_id)
                doc_chunks = [previous.chunks[p] for p in positions]
                doc_vectors = previous.vectors_at(positions) if reusable else None
                (report.reused_docs if reusable else report.embedded_docs).append(doc.doc_id)
            else:
                if not doc.passages and origin == ORIGIN_ADDED:  # not in any readable version: re-read its file
                    say(f"Relecture d'un document ajouté ({position}/{len(targets)}) : {doc.source}")
                    reread = _reread(entries[doc.doc_id], settings)
                    if reread is None:
                        lost.append(entries[doc.doc_id])
                        continue
                    doc = reread
                    entries[doc.doc_id].content_hash = doc.content_hash
                doc_chunks = chunk_document(doc, settings) if doc.passages else []
                doc_vectors = None
                report.embedded_docs.append(doc.doc_id)
            parts.append((doc_chunks, doc_vectors))
            documents[doc.doc_id] = {
                "title": doc.title, "source": doc.source, "kind": doc.kind, "origin": origin,
                "content_hash": doc.content_hash, "chunks": len(doc_chunks), "metadata": _bounded(doc.metadata),
                **({"path": entries[doc.doc_id].path} if origin == ORIGIN_ADDED else {}),
            }
        if lost:
            raise DataLossError(_loss_message(lost, settings))
        _keep_copies(entries, settings)
        for doc_id, entry in entries.items():
            if doc_id in documents:
                documents[doc_id]["copy"] = entry.copy
        chunks, matrix = _assemble(parts, embedder, settings, say)
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
            if reusable and previous is not None and sentences.current(previous.manifest) else None
        table = sentences.build_table(chunks, matrix, embedder, previous_table, previous.chunks if previous else ())
        manifest["sentences"] = sentences.manifest_entry(table)
        say("Écriture de l'index…")
        version = store.save(settings.index_dir, chunks, matrix, manifest,
                             writers=[lexical_writer(chunks), sentences.writer(table)])
        write_registry(settings.index_dir, entries, version.name)
        prune_copies(settings.index_dir, {e.copy for e in entries.values() if e.copy})
        report.changed = True
        report.chunk_count = len(chunks)
        report.seconds = time.perf_counter() - started
        return report


def _entries(targets: list[tuple[Document, str]], registered: dict[str, AddedEntry]) -> dict[str, AddedEntry]:
    """Registry entries of the added documents the new version holds (new ones described from their Document)."""
    entries = {}
    now = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    for doc, origin in targets:
        if origin != ORIGIN_ADDED:
            continue
        known = registered.get(doc.doc_id)
        if known is not None and known.content_hash == doc.content_hash:
            entries[doc.doc_id] = AddedEntry(**known.to_dict())
        else:
            entries[doc.doc_id] = AddedEntry(
                doc_id=doc.doc_id, title=doc.title, source=doc.source, content_hash=doc.content_hash,
                path=str(doc.metadata.get("path") or doc.doc_id), kind=doc.kind, added_at=now)
    return entries


def _keep_copies(entries: dict[str, AddedEntry], settings: Settings) -> None:
    """Give each added document whose kept copy is missing one, from its original file when it still
    has the indexed content (new documents, those of an index from before the copies, lost copies)."""
    for entry in entries.values():
        kept = copy_path(settings.index_dir, entry)
        if (kept is None or not kept.is_file()) and entry.path:
            entry.copy = keep_copy(settings.index_dir, Path(entry.path), entry.content_hash)


def _reread(entry: AddedEntry, settings: Settings) -> Document | None:
    """An added document read again from its kept copy, else from its original file; None when neither reads."""
    from .loaders import load_document

    candidates = [p for p in (copy_path(settings.index_dir, entry), Path(entry.path) if entry.path else None) if p]
    for path in candidates:
        try:
            if not path.is_file():
                continue
            doc = load_document(path, settings)
        except (DocumentError, OSError) as exc:
            log.warning("Relecture impossible de %s : %s", path, exc)
            continue
        doc.doc_id, doc.source = entry.doc_id, entry.source
        doc.metadata = {**doc.metadata, "path": entry.path}
        return doc
    return None


def _loss_message(lost: list[AddedEntry], settings: Settings) -> str:
    names = ", ".join(e.path or e.doc_id for e in lost[:5]) + (" …" if len(lost) > 5 else "")
    return (f"Index non modifié : la reconstruction perdrait {len(lost)} document(s) ajouté(s) dont ni la copie "
            f"(dans {settings.index_dir / COPIES_DIR}) ni le fichier d'origine ne sont lisibles : {names}. "
            f"Remettez ces fichiers en place, ou retirez-les explicitement avec : python -m assistant index "
            f"--remove CHEMIN")


def _assemble(parts: list[tuple[list[Chunk], np.ndarray | None]], embedder: Embedder, settings: Settings,
              say: Progress) -> tuple[list[Chunk], np.ndarray]:
    """All chunks in order and their vectors, embedding those without one in batches with progress."""
    pending = [c for doc_chunks, vectors in parts if vectors is None for c in doc_chunks]
    meter = Meter("Calcul des vecteurs", len(pending), say)
    fresh = []
    for start in range(0, len(pending), EMBED_STEP):
        fresh.append(_embed(embedder, pending[start:start + EMBED_STEP], settings))
        meter.update(min(start + EMBED_STEP, len(pending)))
    fresh_matrix = np.vstack(fresh) if fresh else np.zeros((0, embedder.dim), dtype=np.float32)
    chunks: list[Chunk] = []
    blocks: list[np.ndarray] = []
    cursor = 0
    for doc_chunks, vectors in parts:
        if vectors is None:
            vectors = fresh_matrix[cursor:cursor + len(doc_chunks)]
            cursor += len(doc_chunks)
        chunks.extend(doc_chunks)
        blocks.append(vectors)
    matrix = np.vstack(blocks) if blocks else np.zeros((0, embedder.dim), dtype=np.float32)
    return chunks, matrix


def _plan(
    corpus_docs: list[Document],
    added: list[Document],
    removed: set[str],
    registered: dict[str, AddedEntry],
    settings: Settings,
) -> tuple[list[tuple[Document, str]], BuildReport]:
    """Which documents the new version holds, in order: corpus, kept added ones, new added ones."""
    report = BuildReport(changed=True, index_dir=settings.index_dir)
    targets: list[tuple[Document, str]] = [(d, ORIGIN_CORPUS) for d in corpus_docs]
    by_hash = {d.content_hash: d.doc_id for d in corpus_docs}
    incoming = {d.doc_id for d in added}
    for doc_id, entry in registered.items():
        if doc_id in incoming:
            continue
        if doc_id in removed:
            report.removed_docs.append(doc_id)
            continue
        kept = _stub(entry)
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


def _stub(entry: AddedEntry) -> Document:
    """A stand-in for an added document already in the index: same id and hash, reused as is."""
    return Document(doc_id=entry.doc_id, title=entry.title, source=entry.source, passages=[],
                    kind=entry.kind or ORIGIN_ADDED, metadata={"path": entry.path}, content_hash=entry.content_hash)


def _embed(embedder: Embedder, chunks: list[Chunk], settings: Settings) -> np.ndarray:
    return embedder.embed_array([embedding_text(c)[:settings.embed_max_chars] for c in chunks], is_query=False)


def built_for(manifest: object, settings: Settings) -> bool:
    """True when a manifest describes an index of this corpus, embedder, chunk settings and format:
    usable as it is, without any embedding."""
    return (isinstance(manifest, dict) and manifest.get("format_version") == store.FORMAT_VERSION
            and manifest.get("embedder") == settings.embedder
            and manifest.get("chunking") == chunk_settings(settings)
            and manifest.get("corpus_fingerprint") == corpus_fingerprint(settings.corpus_dir)
            and sentences.current(manifest))


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
    stale = current is not None and not built_for(current.manifest, settings)
    if current is None or stale:
        report = update_index(settings, progress=progress)
        current = store.load(settings.index_dir)
    return current, report
