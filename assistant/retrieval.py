"""Hybrid retrieval: FAISS dense search and French BM25, fused by reciprocal rank, as a LangChain retriever."""
from __future__ import annotations

import logging
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

import faiss
import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict
from threadpoolctl import ThreadpoolController

from .chunking import embedding_text
from .config import Settings
from .embeddings import Embedder
from .lexical import BM25Index, canonical_text, tokenize
from .records import Chunk
from .store import IndexStore, VersionWriter

log = logging.getLogger(__name__)
LEXICAL_DIR = "lexical"  # the lexical index's folder inside an index version

# One question is one short sequence and one matrix-vector product: OpenMP's team of threads
# buys little there, and when the cores are busy (other sessions, another build) its threads
# spin-wait on each other. Measured on this 2-core machine under load (100,000 chunks):
# query embedding 36 ms with 1 thread against 154-1,820 ms with 2; FAISS search 14 against 84 ms.
# So the query path runs single-threaded (per calling thread; batch embedding is left alone).
QUERY_THREADS = 1


def lexical_writer(chunks: Sequence[Chunk]) -> VersionWriter:
    """A version writer saving the BM25 index of `chunks` with the vectors (see `store.save`)."""

    def write(version_dir: Path) -> None:
        BM25Index([embedding_text(c) for c in chunks]).save(version_dir / LEXICAL_DIR)

    return write


def saved_lexical(index: IndexStore) -> BM25Index | None:
    """The lexical index saved with this version; None when there is none or it was saved for other
    chunks or with other normalisation rules (a cache to rebuild)."""
    if index.path is None:
        return None
    try:
        return BM25Index.load(index.path / LEXICAL_DIR, expected_size=len(index.chunks))
    except ValueError as exc:
        log.info("Index lexical reconstruit (%s).", exc)
        return None


def rebuild_lexical(index: IndexStore) -> BM25Index:
    """The lexical index rebuilt from the version's chunk texts, and saved into it for the next start."""
    bm25 = BM25Index([embedding_text(c) for c in index.chunks])
    if index.path is not None:
        _replace_lexical(bm25, index.path)
    return bm25


def load_lexical(index: IndexStore) -> BM25Index:
    """The lexical index saved with this version, or, for an index saved without one (or with
    other normalisation rules), one rebuilt from the chunk texts and saved for the next start."""
    saved = saved_lexical(index)
    return saved if saved is not None else rebuild_lexical(index)


def _replace_lexical(bm25: BM25Index, version_dir: Path) -> None:
    """Save a rebuilt lexical index into its version, swapped in whole (it is derived from the
    version's chunks: a cache). Best effort: a read-only or vanished version keeps the in-memory one."""
    tmp = version_dir / f".{LEXICAL_DIR}.{secrets.token_hex(4)}"
    stale = version_dir / f".{LEXICAL_DIR}.stale.{secrets.token_hex(4)}"
    try:
        bm25.save(tmp)
        if (version_dir / LEXICAL_DIR).exists():
            os.rename(version_dir / LEXICAL_DIR, stale)
        os.rename(tmp, version_dir / LEXICAL_DIR)
    except OSError as exc:
        log.info("Index lexical non enregistré (%s).", exc)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(stale, ignore_errors=True)


@dataclass
class Hit:
    """One retrieved chunk: `score` is the fused score (higher is better), `dense` the cosine
    similarity (0 when the chunk was not among the dense candidates), `lexical` the BM25
    score divided by the best BM25 score of the query (0..1)."""

    position: int
    chunk: Chunk
    score: float
    dense: float
    lexical: float


class HybridSearch:
    """Dense + lexical search over one loaded index; built once, then safe to share between threads."""

    def __init__(self, index: IndexStore, embedder: Embedder, settings: Settings):
        if index.embedder != embedder.name:
            raise ValueError(f"index built with {index.embedder}, asked with {embedder.name}")
        self.index = index
        self.embedder = embedder
        self.settings = settings
        self.bm25 = load_lexical(index)
        self._threads = ThreadpoolController()  # after the embedder is loaded: sees its OpenMP too
        self._kind_positions: dict[str, np.ndarray] = {}
        for pos, chunk in enumerate(index.chunks):
            self._kind_positions.setdefault(chunk.kind, [])  # type: ignore[arg-type]
            self._kind_positions[chunk.kind].append(pos)  # type: ignore[union-attr]
        self._kind_positions = {k: np.asarray(v, dtype=np.int64) for k, v in self._kind_positions.items()}

    def embed_query(self, query: str) -> np.ndarray:
        """The query's vector (computed with `QUERY_THREADS` OpenMP threads): when the lexicon knows some
        of its everyday words ("des boîtes extérieures"), the mean of its vector and of the vector of the
        query in the corpus's words ("des prestataire extérieures"), which the embedder may not relate."""
        canonical = canonical_text(query)
        with self._threads.limit(limits=QUERY_THREADS, user_api="openmp"):
            vectors = self.embedder.embed_array([query] if canonical == query else [query, canonical], is_query=True)
        if len(vectors) == 1:
            return vectors[0]
        mean = vectors.sum(axis=0)
        return mean / (np.linalg.norm(mean) or 1.0)

    def search(self, query: str, k: int | None = None, kinds: Iterable[str] | None = None,
               query_vector: np.ndarray | None = None) -> list[Hit]:
        """The k best chunks for a query, best first; `kinds` restricts to some chunk kinds."""
        k = k or self.settings.top_k
        n_candidates = max(self.settings.candidates, k)
        allowed = self._allowed(kinds)
        if allowed is not None and not len(allowed):
            return []
        vector = self.embed_query(query) if query_vector is None else query_vector
        with self._threads.limit(limits=QUERY_THREADS, user_api="openmp"):
            dense = self._dense(vector, n_candidates, allowed)
        lexical_scores = self.bm25.scores(self.bm25.correct(tokenize(query)))
        if allowed is not None:
            mask = np.zeros(len(lexical_scores), dtype=bool)
            mask[allowed] = True
            lexical_scores = np.where(mask, lexical_scores, 0.0)
        top_lex = [int(i) for i in _top(lexical_scores, n_candidates) if lexical_scores[i] > 0]
        best_lex = float(lexical_scores[top_lex[0]]) if top_lex else 1.0

        fused: dict[int, float] = {}
        rrf = self.settings.rrf_k
        for rank, (pos, _) in enumerate(dense):
            fused[pos] = fused.get(pos, 0.0) + self.settings.dense_weight / (rrf + rank + 1)
        for rank, pos in enumerate(top_lex):
            fused[pos] = fused.get(pos, 0.0) + self.settings.lexical_weight / (rrf + rank + 1)
        dense_of = dict(dense)
        order = sorted(fused, key=lambda p: -fused[p])[:k]
        return [
            Hit(position=p, chunk=self.index.chunks[p], score=fused[p] * rrf,
                dense=dense_of.get(p, 0.0), lexical=float(lexical_scores[p]) / best_lex if best_lex else 0.0)
            for p in order
        ]

    def _allowed(self, kinds: Iterable[str] | None) -> np.ndarray | None:
        if kinds is None:
            return None
        parts = [self._kind_positions[k] for k in kinds if k in self._kind_positions]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def _dense(self, vector: np.ndarray, k: int, allowed: np.ndarray | None) -> list[tuple[int, float]]:
        if allowed is None:
            return self.index.search(vector, k)
        params = faiss.SearchParameters()
        params.sel = faiss.IDSelectorBatch(allowed)
        scores, ids = self.index.vectors.search(np.atleast_2d(vector).astype(np.float32), min(k, len(allowed)),
                                                params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k highest scores, best first (partial sort: linear in the corpus size)."""
    if k >= len(scores):
        return np.argsort(-scores, kind="stable")
    part = np.argpartition(-scores, k)[:k]
    return part[np.argsort(-scores[part], kind="stable")]


class HybridRetriever(BaseRetriever):
    """LangChain retriever over `HybridSearch`, so the index composes with LangChain chains.

    Each returned `Document` has the chunk text as `page_content` and as metadata:
    chunk_id, doc_id, title, source, section, page, kind, score, dense, lexical.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: Any
    k: int = 5

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[LCDocument]:
        return [
            LCDocument(
                page_content=hit.chunk.text,
                metadata={
                    "chunk_id": hit.chunk.chunk_id, "doc_id": hit.chunk.doc_id, "title": hit.chunk.title,
                    "source": hit.chunk.source, "section": hit.chunk.section, "page": hit.chunk.page,
                    "kind": hit.chunk.kind, "score": hit.score, "dense": hit.dense, "lexical": hit.lexical,
                },
            )
            for hit in self.searcher.search(query, k=self.k)
        ]
