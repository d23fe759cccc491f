"""The on-disk index: FAISS vectors, chunk metadata as JSON lines and a manifest, swapped in atomically.

Layout of an index directory::

    index/
      CURRENT            name of the active version (replaced atomically)
      v-<time>-<rand>/   one complete version
        manifest.json    embedder, dimension, corpus fingerprint, documents, chunk count, build time
        chunks.jsonl     one chunk per line, in vector order
        vectors.faiss    faiss.IndexFlatIP over L2-normalised vectors
      .lock              held while a build writes

A build writes a new version directory, then replaces CURRENT: a crash at any point leaves
the previous version usable. Nothing is ever loaded with pickle.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import shutil
import struct
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

import faiss
import numpy as np
import orjson

from .errors import AccessError, IndexCorruptError, IndexMissingError
from .records import Chunk

FORMAT_VERSION = 1
CURRENT = "CURRENT"
REBUILD_HINT = ("Reconstruisez-le avec : python -m assistant index --rebuild (les documents ajoutés sont "
                "conservés et relus)")


@dataclass
class IndexStore:
    """A loaded index version: chunks, their vectors, and the manifest describing them."""

    chunks: list[Chunk]
    vectors: faiss.Index
    manifest: dict[str, Any]
    path: Path | None = None
    _by_doc: dict[str, list[int]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for i, chunk in enumerate(self.chunks):
            self._by_doc.setdefault(chunk.doc_id, []).append(i)

    @property
    def embedder(self) -> str:
        return str(self.manifest.get("embedder", ""))

    @property
    def documents(self) -> dict[str, dict[str, Any]]:
        return dict(self.manifest.get("documents", {}))

    def search(self, query_vector: np.ndarray, k: int) -> list[tuple[int, float]]:
        """(chunk position, cosine similarity) of the k nearest chunks, best first."""
        if not self.chunks or k <= 0:
            return []
        scores, ids = self.vectors.search(np.atleast_2d(query_vector).astype(np.float32), min(k, len(self.chunks)))
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    def doc_positions(self, doc_id: str) -> list[int]:
        """Positions of a document's chunks, in order."""
        return list(self._by_doc.get(doc_id, []))

    def vectors_at(self, positions: list[int]) -> np.ndarray:
        """The stored vectors of some chunks (to carry them into a new version without re-embedding)."""
        if not positions:
            return np.zeros((0, self.vectors.d), dtype=np.float32)
        return np.vstack([self.vectors.reconstruct(int(p)) for p in positions]).astype(np.float32)


def new_flat_index(vectors: np.ndarray, dim: int) -> faiss.Index:
    """An exact inner-product FAISS index over normalised vectors (cosine similarity)."""
    index = faiss.IndexFlatIP(dim)
    if len(vectors):
        index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return index


@contextlib.contextmanager
def build_lock(index_dir: Path) -> Iterator[None]:
    """Serialise builders of one index directory (another process waits its turn)."""
    index_dir.mkdir(parents=True, exist_ok=True)
    with open(index_dir / ".lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def current_version(index_dir: Path) -> Path | None:
    """The active version directory, or None when no index was ever completed here."""
    pointer = index_dir / CURRENT
    if index_dir.exists() and not index_dir.is_dir():
        raise AccessError(f"{index_dir} est un fichier, pas un dossier : indiquez un dossier pour l'index "
                          f"(--index-dir).")
    try:
        raw = pointer.read_bytes()
        name = raw.decode("utf-8").strip() if len(raw) <= 200 else ""
    except (FileNotFoundError, NotADirectoryError):
        return None
    except PermissionError as exc:
        raise AccessError(f"Lecture de l'index impossible dans {index_dir} : droits insuffisants "
                          f"(vérifiez les permissions du dossier).") from exc
    except UnicodeDecodeError:
        name = ""
    except OSError as exc:
        raise IndexCorruptError(f"Index illisible ({exc.__class__.__name__}). {REBUILD_HINT}") from exc
    if not name or "/" in name or "\\" in name or name.startswith(".") or not name.isprintable():
        raise IndexCorruptError(f"Le pointeur de version de l'index est invalide. {REBUILD_HINT}")
    return index_dir / name


def exists(index_dir: Path) -> bool:
    """True when a completed index version is present."""
    try:
        version = current_version(index_dir)
    except IndexCorruptError:
        return True  # present but damaged: loading will say so
    return version is not None


# A stage that keeps its own files beside the vectors (lexical index, sentence vectors) passes a
# writer: it is called with the new version's directory before the version is made current.
VersionWriter = Callable[[Path], None]


def save(index_dir: Path, chunks: list[Chunk], vectors: np.ndarray, manifest: dict[str, Any],
         writers: Sequence[VersionWriter] = ()) -> Path:
    """Write a complete new version and make it current atomically; returns its directory.

    `writers` add their own files to the version before it is swapped in, so they share its
    atomicity. The caller holds `build_lock`. Older versions are removed once the new one is current.
    """
    if len(chunks) != len(vectors):
        raise ValueError("chunks and vectors differ in length")
    index_dir.mkdir(parents=True, exist_ok=True)
    name = f"v-{time.strftime('%Y%m%d%H%M%S')}-{secrets.token_hex(4)}"
    tmp = index_dir / f".{name}.tmp"
    tmp.mkdir()
    try:
        dim = int(manifest["dim"])
        faiss.write_index(new_flat_index(vectors, dim), str(tmp / "vectors.faiss"))
        with open(tmp / "chunks.jsonl", "w", encoding="utf-8") as out:
            for chunk in chunks:
                out.write(json.dumps(chunk.to_dict(), ensure_ascii=False) + "\n")
        manifest = {**manifest, "format_version": FORMAT_VERSION, "chunk_count": len(chunks)}
        (tmp / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
        for writer in writers:
            writer(tmp)
        _fsync_dir_files(tmp)
        os.rename(tmp, index_dir / name)
        pointer_tmp = index_dir / f".{CURRENT}.{secrets.token_hex(4)}"
        pointer_tmp.write_text(name, encoding="utf-8")
        _fsync(pointer_tmp)
        os.replace(pointer_tmp, index_dir / CURRENT)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _remove_old_versions(index_dir, keep=name)
    return index_dir / name


def load(index_dir: Path) -> IndexStore:
    """Load the current version, checking that vectors, chunks and manifest agree.

    A version can be swapped out by a concurrent build while it is read: then the new current
    version is read instead (once).
    """
    version = current_version(index_dir)
    try:
        return _load_version(index_dir, version)
    except IndexCorruptError:
        now = current_version(index_dir)
        if now is None or now == version:
            raise
        return _load_version(index_dir, now)


def load_any(index_dir: Path) -> tuple[IndexStore | None, bool]:
    """The newest readable version and whether it is the one CURRENT names.

    For a builder: when CURRENT is missing or damaged, or its version is, an intact older
    version directory still holds the added documents' chunks and vectors. (None, False) when
    nothing is readable. Permission problems are raised (AccessError), not taken for damage.
    """
    try:
        return load(index_dir), True
    except (IndexMissingError, IndexCorruptError):
        return load_fallback(index_dir), False


def load_fallback(index_dir: Path) -> IndexStore | None:
    """The newest version directory that loads, whatever CURRENT says; None when none does."""
    try:
        candidates = sorted((p for p in index_dir.iterdir() if p.is_dir() and p.name.startswith("v-")),
                            key=lambda p: p.name, reverse=True)
    except OSError:
        return None
    for version in candidates:
        try:
            return _load_version(index_dir, version)
        except IndexCorruptError:
            continue
    return None


def check_writable(index_dir: Path) -> None:
    """Fail early, with the cause, when the index cannot be written there (before any work is done)."""
    if index_dir.exists() and not index_dir.is_dir():
        raise AccessError(f"{index_dir} est un fichier, pas un dossier : indiquez un dossier pour l'index "
                          f"(--index-dir).")
    try:
        index_dir.mkdir(parents=True, exist_ok=True)
        probe = index_dir / f".probe-{secrets.token_hex(4)}"
        probe.write_bytes(b"ok")
        probe.unlink()
    except (FileExistsError, NotADirectoryError) as exc:
        raise AccessError(f"Impossible de créer le dossier de l'index {index_dir} : un élément du chemin est un "
                          f"fichier.") from exc
    except PermissionError as exc:
        raise AccessError(f"Le dossier de l'index {index_dir} n'est pas accessible en écriture (droits "
                          f"insuffisants) : choisissez un autre dossier avec --index-dir.") from exc
    except OSError as exc:
        raise AccessError(f"Écriture impossible dans le dossier de l'index {index_dir} "
                          f"({exc.strerror or exc.__class__.__name__}).") from exc


_CHUNK_TYPES = {"chunk_id": str, "doc_id": str, "title": str, "source": str, "text": str, "section": str,
                "kind": str, "metadata": dict}


def _chunk(data: Any) -> Chunk:
    """A chunk from its JSON line, refusing fields of the wrong type (a damaged or edited file)."""
    if not isinstance(data, dict):
        raise ValueError("chunk is not an object")
    for key, kind in _CHUNK_TYPES.items():
        if key in data and not isinstance(data[key], kind):
            raise ValueError(f"chunk field {key} has the wrong type")
    page = data.get("page")
    if page is not None and (not isinstance(page, int) or isinstance(page, bool)):
        raise ValueError("chunk page is not an integer")
    if not isinstance(data.get("text"), str) or not isinstance(data.get("doc_id"), str):
        raise ValueError("chunk without text or doc_id")
    return Chunk.from_dict(data)


# faiss.write_index of an IndexFlatIP: "IxFI", d (int32), ntotal (int64), two int64, is_trained (byte),
# metric (int32), then the code vector: its length in floats (uint64) and the floats.
_FLAT_HEADER = struct.Struct("<4siqqqbiQ")


def _check_vectors_file(path: Path, dim: Any, count: Any) -> None:
    """Check the sizes written in vectors.faiss against the manifest and the file length before
    faiss reads it: a forged size field would otherwise make faiss allocate gigabytes."""
    with open(path, "rb") as handle:
        head = handle.read(_FLAT_HEADER.size)
    if len(head) < _FLAT_HEADER.size:
        raise ValueError("vectors file too short")
    fourcc, d, ntotal, _, _, _, _, floats = _FLAT_HEADER.unpack(head)
    if fourcc != b"IxFI" or d != dim or ntotal != count or floats != ntotal * d:
        raise ValueError("vectors header does not match the manifest")
    if path.stat().st_size != _FLAT_HEADER.size + 4 * floats:
        raise ValueError("vectors file length does not match its header")


def _load_version(index_dir: Path, version: Path | None) -> IndexStore:
    if version is None:
        raise IndexMissingError(
            f"Aucun index dans {index_dir}. Construisez-le avec : python -m assistant index"
        )
    try:
        manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
        if not isinstance(manifest, dict) or manifest.get("format_version") != FORMAT_VERSION:
            raise IndexCorruptError(f"Le format de l'index de {index_dir} n'est pas reconnu. {REBUILD_HINT}")
        documents = manifest.get("documents", {})
        if not isinstance(documents, dict) or not all(isinstance(v, dict) for v in documents.values()):
            raise ValueError("manifest documents is not a mapping of objects")
        chunks = []
        with open(version / "chunks.jsonl", encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    chunks.append(_chunk(orjson.loads(line)))  # orjson: ~2x json at 100k chunks
        _check_vectors_file(version / "vectors.faiss", manifest.get("dim"), manifest.get("chunk_count"))
        vectors = faiss.read_index(str(version / "vectors.faiss"))
    except PermissionError as exc:
        raise AccessError(f"Lecture de l'index impossible dans {version} : droits insuffisants "
                          f"(vérifiez les permissions du dossier).") from exc
    except (OSError, ValueError, TypeError, KeyError, RuntimeError, RecursionError, MemoryError) as exc:
        raise IndexCorruptError(f"L'index de {index_dir} est endommagé ({exc.__class__.__name__}). {REBUILD_HINT}") from exc
    if not (vectors.ntotal == len(chunks) == manifest.get("chunk_count")):
        raise IndexCorruptError(
            f"L'index de {index_dir} est incohérent : {vectors.ntotal} vecteurs, {len(chunks)} passages, "
            f"{manifest.get('chunk_count')} annoncés. {REBUILD_HINT}"
        )
    if vectors.d != manifest.get("dim"):
        raise IndexCorruptError(f"La dimension des vecteurs ne correspond pas au manifeste. {REBUILD_HINT}")
    return IndexStore(chunks=chunks, vectors=vectors, manifest=manifest, path=version)


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_dir_files(directory: Path) -> None:
    for path in directory.rglob("*"):
        if path.is_file():
            _fsync(path)


def _remove_old_versions(index_dir: Path, keep: str) -> None:
    for path in index_dir.iterdir():
        if path.is_dir() and path.name != keep and (path.name.startswith("v-") or path.name.endswith(".tmp")):
            shutil.rmtree(path, ignore_errors=True)
