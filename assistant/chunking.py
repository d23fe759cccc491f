"""Cuts documents into section-aware chunks small enough to cite, keeping section and page."""
from __future__ import annotations

from langchain_text_splitters import MarkdownHeaderTextSplitter, RecursiveCharacterTextSplitter

from .config import Settings
from .records import Chunk, Document, Passage
from .textclean import strip_markup

_HEADERS = [("#", "h1"), ("##", "h2"), ("###", "h3")]
_SEPARATORS = ["\n\n", "\n", ". ", "; ", ", ", " ", ""]


def _splitter(settings: Settings) -> RecursiveCharacterTextSplitter:
    return RecursiveCharacterTextSplitter(
        chunk_size=settings.chunk_size,
        chunk_overlap=settings.chunk_overlap,
        separators=_SEPARATORS,
        keep_separator="end",
        strip_whitespace=True,
    )


def _markdown_sections(passage: Passage) -> list[tuple[str, str]]:
    """(section title, text) pairs of a Markdown passage, split on its headings."""
    splitter = MarkdownHeaderTextSplitter(_HEADERS, strip_headers=True)
    pieces = splitter.split_text(passage.text)
    out = []
    for piece in pieces:
        meta = piece.metadata
        section = meta.get("h3") or meta.get("h2") or meta.get("h1") or passage.section
        if meta.get("h3") and meta.get("h2"):
            section = f"{meta['h2']} — {meta['h3']}"
        out.append((strip_markup(section), piece.page_content))
    return out


def chunk_document(doc: Document, settings: Settings) -> list[Chunk]:
    """Chunks of one document, ids `<doc_id>#<n>` in reading order.

    Markdown is split on headings first (the heading becomes the chunk's section), records
    (indicator rows, CSV rows) give one chunk each, other text is split by size within its
    passage so that page numbers stay exact.
    """
    splitter = _splitter(settings)
    chunks: list[Chunk] = []

    def add(text: str, section: str, page: int | None, meta: dict) -> None:
        text = text.strip()
        if not text:
            return
        chunks.append(Chunk(
            chunk_id=f"{doc.doc_id}#{len(chunks)}",
            doc_id=doc.doc_id,
            title=doc.title,
            source=doc.source,
            text=text,
            section=section,
            page=page,
            kind=doc.kind,
            metadata=meta,
        ))

    for passage in doc.passages:
        if doc.fmt == "records":
            for piece in splitter.split_text(passage.text) if len(passage.text) > settings.chunk_size * 2 else [passage.text]:
                add(piece, passage.section, passage.page, dict(passage.metadata))
            continue
        sections = _markdown_sections(passage) if doc.fmt == "markdown" else [(passage.section, passage.text)]
        # A fiche's declared theme(s) ("écologie ; réseaux") go with each of its chunks: talk answers read them.
        declared = doc.metadata.get("theme")
        if isinstance(declared, list):  # a YAML list of themes
            declared = " ; ".join(map(str, declared))
        theme = {"theme": str(declared)} if declared else {}
        for section, text in sections:
            for piece in splitter.split_text(text):
                add(piece, section, passage.page, {**passage.metadata, **theme})
    return chunks


def chunk_documents(docs: list[Document], settings: Settings) -> list[Chunk]:
    """Chunks of every document, in order."""
    return [chunk for doc in docs for chunk in chunk_document(doc, settings)]


def embedding_text(chunk: Chunk) -> str:
    """What is embedded and indexed for a chunk: its text with its title and section as context."""
    context = " — ".join(p for p in (chunk.title, chunk.section) if p)
    return f"{context}\n{chunk.text}" if context else chunk.text
