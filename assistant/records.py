"""Plain records passed between the stages: documents, chunks, cited sources, answers."""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

ADDED_KIND = "added"  # the kind of every document a user adds (index --add, the app's upload)


def content_hash(text: str | bytes) -> str:
    """Stable short hash of some content, used for change detection and dedup."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()[:16]


@dataclass(frozen=True)
class Passage:
    """A piece of a document as its loader sees it: a page, a section, a CSV row."""

    text: str
    section: str = ""
    page: int | None = None  # 1-based page number where the document has pages
    metadata: dict[str, Any] = field(default_factory=dict)


@dataclass
class Document:
    """A loaded document, before chunking.

    `fmt` tells the chunker how to read the passages ("markdown" keeps headings as
    sections; anything else is split as plain text).
    """

    doc_id: str
    title: str
    source: str  # path relative to the corpus, or the file name of an added document
    passages: list[Passage]
    kind: str = "document"  # fiche, indicator, respondents, resource, added
    fmt: str = "text"
    metadata: dict[str, Any] = field(default_factory=dict)
    content_hash: str = ""


@dataclass
class Chunk:
    """A retrievable unit of text with where it comes from."""

    chunk_id: str
    doc_id: str
    title: str
    source: str
    text: str
    section: str = ""
    page: int | None = None
    kind: str = "document"
    metadata: dict[str, Any] = field(default_factory=dict)

    @property
    def labelled_text(self) -> str:
        """The passage with its title and section, which name what it is about."""
        return f"{self.title} {self.section} {self.text}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Chunk":
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


@dataclass
class Source:
    """A numbered source cited by an answer: `[n]` in the answer text points here."""

    n: int
    title: str
    text: str
    source: str
    section: str = ""
    page: int | None = None
    score: float = 0.0
    chunk_id: str = ""
    kind: str = "document"

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of the CLI contract: title, text, source, section, page, score."""
        return {
            "n": self.n,
            "title": self.title,
            "text": self.text,
            "source": self.source,
            "section": self.section,
            "page": self.page,
            "score": round(float(self.score), 4),
        }

    def location(self) -> str:
        """Human-readable place in the document, e.g. "p. 2" or the section title."""
        parts = []
        if self.section:
            parts.append(self.section)
        if self.page is not None:
            parts.append(f"p. {self.page}")
        return ", ".join(parts)


PARTIAL = "Réponse partielle : une partie de la question n'a pas de réponse sourcée dans le corpus."


@dataclass
class Answer:
    """What the assistant says to one question.

    `answered` is False when the assistant declines; `text` then explains why and
    `suggestions` lists the closest topics of the corpus. A question in parts of which some are
    answered and others not is `partial`: `answered` stays False (nothing is claimed for the missing
    part) and `text` keeps each part found, with its citations, and says which part is missing.
    """

    question: str
    answered: bool
    text: str
    sources: list[Source] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    latency_ms: float = 0.0
    partial: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answered": self.answered,
            "partial": self.partial,
            "answer": self.text,
            "sources": [s.to_dict() for s in self.sources],
            "suggestions": list(self.suggestions),
            "notices": list(self.notices),
            "latency_ms": round(self.latency_ms, 1),
        }
