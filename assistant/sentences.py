"""Sentences of the indexed passages and their vectors, computed once at build time and memory-mapped.

Splitting is a regular expression with a list of French abbreviations rather than spaCy's
fr_core_news_sm: the passages are short, well-formed prose and list items, the rule set is
deterministic and runs in microseconds, and it avoids a 15 MB model load at start-up. It does not
cut after an initial ("C. Dupont"), a title ("M.", "Mme.", "Dr."), a reference ("p. 12", "cf.",
"env.", "n°") or a decimal; PDF line wraps and end-of-line hyphenation are joined first.

Files written into an index version (see `store.save`'s writers), described in the manifest under
"sentences" with their own format version, all memory-mapped when loaded (nothing is parsed, and
no Python string exists for a sentence until the reader reads it):
    sentences.npy       float32 (n_unique, dim), L2-normalised
    sentence_table.npy  int64 (n, 4): chunk position, vector row, first and end byte of its text
    sentence_text.bin   the sentences' UTF-8 texts, one after the other
A sentence is embedded with its passage's title as context ("Carlo Gesualdo : Il composa …"): the
title names what "il" or "le projet" stands for. (Measured on the reader's rows, 5-fold cross-validated,
the sentence holding the answer came first for 0.667 of PIAF questions against 0.646 without the title,
Musenor unchanged at 0.896.) Formats 1 (a `sentences.json` read whole) and 2 (sentences embedded alone)
are still read, for indexes built before; the next `index` run re-embeds their sentences.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Sequence

import numpy as np

from .embeddings import Embedder
from .records import Chunk

FORMAT_VERSION = 3
VECTORS_FILE = "sentences.npy"
TABLE_FILE = "sentence_table.npy"
TEXT_FILE = "sentence_text.bin"
JSON_TABLE_FILE = "sentences.json"  # format 1
MIN_CHARS = 12

# Words that end with a dot without ending the sentence (compared lower-cased, without the dot).
ABBREVIATIONS = frozenset("""
m mm mme mmes mlle mlles dr pr me mgr st ste sts stes p pp env cf cfr ex etc éd ed vol chap fig art al
av apr bd n no nº num tel tél janv fév févr avr juil sept oct nov déc hab min max approx coll dir trad
réf ref op cit ibid id vs resp suiv sq ca c.-à-d cad j.-c jc
""".split())
BOUNDARY = re.compile(r"([.!?…;]+)([»\")\]]*)\s+(?=[«\"(\[]?[A-ZÀ-ÖØ-Ý0-9])")
BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
LAST_WORD = re.compile(r"([\w.'’-]+)$")


def _ends_sentence(before: str, punct: str) -> bool:
    """False when the dot closes an abbreviation, an initial or a number ("C.", "env.", "p.", "3.")."""
    if punct != ".":
        return True
    match = LAST_WORD.search(before)
    if not match:
        return True
    word = match.group(1).split("'")[-1].split("’")[-1]
    bare = word.rstrip(".").lower()
    if len(bare) == 1 and bare.isalpha():
        return False  # an initial: "C. Dupont", "J. Martin"
    return bare not in ABBREVIATIONS and not re.fullmatch(r"(?:[a-z]\.)+[a-z]?", bare)


def _join_wraps(lines: list[str]) -> list[str]:
    """Join lines cut by a page layout: a line not closed by punctuation followed by a lower-case start."""
    out: list[str] = []
    for line in lines:
        stripped = line.strip()
        if out and stripped and stripped[:1].islower() and out[-1] and not out[-1].startswith(("#", "|")) \
                and not out[-1].rstrip().endswith((".", "!", "?", ":", ";", "…")):
            prev = out[-1].rstrip()
            out[-1] = prev[:-1] + stripped if re.search(r"\w-$", prev) else prev + " " + stripped
        else:
            out.append(stripped)
    return out


def split_sentences(text: str) -> list[str]:
    """Sentences of a passage; list items count as sentences, headings, table rows and questions are dropped."""
    out = []
    for line in _join_wraps(text.splitlines()):
        line = BULLET.sub("", line).strip()
        if not line or line.startswith("#") or line.startswith("|"):
            continue
        start = 0
        pieces = []
        for match in BOUNDARY.finditer(line):
            if _ends_sentence(line[start:match.start()] + match.group(1), match.group(1)):
                pieces.append(line[start:match.end(2)])
                start = match.end()
        pieces.append(line[start:])
        for sentence in pieces:
            sentence = sentence.strip()
            if len(sentence) >= MIN_CHARS and not sentence.endswith("?"):
                out.append(sentence)
    return out


def chunk_sentences(chunk: Chunk) -> list[str]:
    """The sentences a chunk answers with: an indicator row is one claim, other text is split."""
    if chunk.kind == "indicator":
        return [chunk.text]
    return split_sentences(chunk.text)


class Texts(Sequence[str]):
    """Sentence texts decoded on demand from one UTF-8 buffer (memory-mapped) and their byte spans."""

    def __init__(self, blob: bytes | np.ndarray, spans: np.ndarray):
        self._blob = blob
        self._spans = spans  # int64 (n, 2)

    @classmethod
    def of(cls, texts: Sequence[str]) -> "Texts":
        encoded = [t.encode("utf-8") for t in texts]
        sizes = np.array([len(e) for e in encoded], dtype=np.int64)
        ends = np.cumsum(sizes, dtype=np.int64)
        return cls(b"".join(encoded), np.stack([ends - sizes, ends], axis=1) if encoded else np.zeros((0, 2), np.int64))

    def __len__(self) -> int:
        return len(self._spans)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        start, end = (int(x) for x in self._spans[i])
        return bytes(self._blob[start:end]).decode("utf-8", errors="replace")

    def __iter__(self) -> Iterator[str]:
        return (self[i] for i in range(len(self)))

    @property
    def blob(self) -> bytes:
        return bytes(self._blob)

    @property
    def spans(self) -> np.ndarray:
        return np.asarray(self._spans)


@dataclass
class SentenceTable:
    """Every sentence of an index with its chunk position and a row of `vectors`; the sentences of a
    chunk are contiguous and in chunk order, so a chunk's sentences are found by binary search."""

    texts: Texts
    chunk: np.ndarray  # chunk position of each sentence, non-decreasing
    row: np.ndarray  # vector row of each sentence
    vectors: np.ndarray  # float32 (n_unique, dim), memory-mapped when loaded

    @classmethod
    def create(cls, texts: Sequence[str], chunk: np.ndarray, row: np.ndarray, vectors: np.ndarray) -> "SentenceTable":
        if len(chunk) and bool((np.diff(chunk) < 0).any()):  # keep each chunk's sentences together, in order
            order = np.argsort(chunk, kind="stable")
            texts, chunk, row = [texts[int(i)] for i in order], chunk[order], row[order]
        return cls(texts if isinstance(texts, Texts) else Texts.of(texts), chunk, row, vectors)

    def of_chunk(self, position: int) -> list[tuple[str, np.ndarray]]:
        """(sentence, vector) pairs of one chunk, in reading order."""
        first, end = (int(x) for x in np.searchsorted(self.chunk, [position, position + 1]))
        return [(self.texts[i], self.vectors[int(self.row[i])]) for i in range(first, end)]


def embedding_text(chunk: Chunk, sentence: str) -> str:
    """What is embedded for a sentence: the sentence with its passage's title as context."""
    return f"{chunk.title} : {sentence}" if chunk.title else sentence


def current(manifest: object) -> bool:
    """True when an index version's sentence vectors are of this format (else they are re-embedded)."""
    entry = manifest.get("sentences") if isinstance(manifest, dict) else None
    return isinstance(entry, dict) and entry.get("format_version") == FORMAT_VERSION


def build_table(chunks: list[Chunk], chunk_vectors: np.ndarray, embedder: Embedder,
                previous: SentenceTable | None = None, previous_chunks: Sequence[Chunk] = ()) -> SentenceTable:
    """Sentence vectors for every chunk: a chunk that is a single sentence keeps its own vector,
    a sentence already embedded with the same title (here or in the previous version, whose chunks
    are `previous_chunks`) is not embedded again."""
    texts: list[str] = []
    chunk_of: list[int] = []
    rows: list[int] = []
    unique: dict[str, int] = {}
    known = {embedding_text(previous_chunks[int(c)], t): int(r)
             for t, c, r in zip(previous.texts, previous.chunk.tolist(), previous.row.tolist())
             if int(c) < len(previous_chunks)} if previous is not None else {}
    sources: list[tuple[str, object]] = []  # ("chunk", pos) | ("prev", row) | ("new", text)
    for pos, chunk in enumerate(chunks):
        sentences = chunk_sentences(chunk)
        for sentence in sentences:
            if len(sentences) == 1:
                key = f"\x00chunk{pos}"
                origin: tuple[str, object] = ("chunk", pos)
            else:
                key = embedding_text(chunk, sentence)
                origin = ("prev", known[key]) if key in known else ("new", key)
            if key not in unique:
                unique[key] = len(sources)
                sources.append(origin)
            texts.append(sentence)
            chunk_of.append(pos)
            rows.append(unique[key])
    new_texts = [str(o[1]) for o in sources if o[0] == "new"]
    new_vectors = embedder.embed_array(new_texts, is_query=False) if new_texts else None
    dim = chunk_vectors.shape[1] if chunk_vectors.ndim == 2 and len(chunk_vectors) else embedder.dim
    matrix = np.zeros((len(sources), dim), dtype=np.float32)
    n_new = 0
    for i, (kind, value) in enumerate(sources):
        if kind == "chunk":
            matrix[i] = chunk_vectors[int(value)]  # type: ignore[arg-type]
        elif kind == "prev":
            matrix[i] = previous.vectors[int(value)]  # type: ignore[union-attr,arg-type]
        else:
            matrix[i] = new_vectors[n_new]  # type: ignore[index]
            n_new += 1
    return SentenceTable.create(texts, np.asarray(chunk_of, dtype=np.int32), np.asarray(rows, dtype=np.int32), matrix)


def manifest_entry(table: SentenceTable) -> dict[str, object]:
    """What the manifest records about the sentence files."""
    return {"format_version": FORMAT_VERSION, "vectors": VECTORS_FILE, "table": TABLE_FILE,
            "count": len(table.texts), "unique": int(table.vectors.shape[0])}


def writer(table: SentenceTable) -> Callable[[Path], None]:
    """A version writer (see `store.save`) that saves the table in the new version's directory."""

    def write(directory: Path) -> None:
        np.save(directory / VECTORS_FILE, np.ascontiguousarray(table.vectors, dtype=np.float32), allow_pickle=False)
        spans = table.texts.spans
        meta = np.column_stack([np.asarray(table.chunk, dtype=np.int64), np.asarray(table.row, dtype=np.int64), spans]) \
            if len(spans) else np.zeros((0, 4), dtype=np.int64)
        np.save(directory / TABLE_FILE, np.ascontiguousarray(meta, dtype=np.int64), allow_pickle=False)
        (directory / TEXT_FILE).write_bytes(table.texts.blob)

    return write


def load_table(directory: Path | None, manifest: dict, n_chunks: int) -> SentenceTable | None:
    """The sentence table of an index version, or None when absent, of another format, or inconsistent."""
    entry = manifest.get("sentences") if isinstance(manifest, dict) else None
    if directory is None or not isinstance(entry, dict) or entry.get("format_version") not in (1, FORMAT_VERSION):
        return None
    try:
        vectors = np.load(directory / VECTORS_FILE, mmap_mode="r", allow_pickle=False)
        if entry.get("format_version") == 1:
            data = json.loads((directory / JSON_TABLE_FILE).read_text(encoding="utf-8"))
            texts: Sequence[str] = [str(t) for t in data["text"]]
            chunk = np.asarray(data["chunk"], dtype=np.int64)
            row = np.asarray(data["row"], dtype=np.int64)
        else:
            meta = np.load(directory / TABLE_FILE, mmap_mode="r", allow_pickle=False)
            size = (directory / TEXT_FILE).stat().st_size
            blob = np.memmap(directory / TEXT_FILE, dtype=np.uint8, mode="r") if size else b""
            if meta.ndim != 2 or meta.shape[1] != 4 or meta.dtype != np.int64:
                return None
            chunk, row, spans = meta[:, 0], meta[:, 1], meta[:, 2:4]
            if len(spans) and (int(spans.min()) < 0 or int(spans[:, 1].max()) > size
                               or bool((spans[:, 1] < spans[:, 0]).any())):
                return None
            texts = Texts(blob, spans)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    consistent = len(texts) == len(chunk) == len(row) and vectors.ndim == 2 \
        and (not len(row) or (0 <= int(row.min()) and int(row.max()) < len(vectors)
                              and 0 <= int(chunk.min()) and int(chunk.max()) < n_chunks))
    return SentenceTable.create(texts, chunk, row, vectors) if consistent else None
