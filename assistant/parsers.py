"""Format parsers (PDF, DOCX, HTML, Markdown, TXT, CSV) run inside the loader's worker process; plain dicts out."""
from __future__ import annotations

import codecs
import csv
import html
import io
import re
import unicodedata
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, Callable

from .errors import DocumentError
from .records import ADDED_KIND, content_hash
from .textclean import join_pdf_lines, strip_controls, strip_markup

MAX_CSV_ROWS = 10_000  # rows kept from one CSV (one passage each); the rest is dropped and flagged
MAX_ZIP_RATIO = 200  # uncompressed/compressed size of one member; genuine DOCX XML stays far below
MAX_ZIP_MEMBERS = 5_000
_MB = 1024 * 1024


def format_number(value: float) -> str:
    """A French-formatted number: 50, 1,5, 0,25."""
    return (f"{value:.0f}" if value >= 100 else f"{value:.2f}".rstrip("0").rstrip(".")).replace(".", ",")


def check_size(size: int, limit: int) -> None:
    if size > limit:
        raise DocumentError(f"fichier trop volumineux ({format_number(size / _MB)} Mo) : "
                            f"la limite est de {format_number(limit / _MB)} Mo")


def parse_file(request: dict[str, Any]) -> dict[str, Any]:
    with open(request["path"], "rb") as fh:
        raw = fh.read(request["max_file_bytes"] + 1)
    check_size(len(raw), request["max_file_bytes"])
    if not raw or raw.isspace():
        raise DocumentError("fichier vide")
    parsed = _PARSERS[request["format"]](raw, request)
    passages = []
    for p in parsed["passages"]:
        text = _clean(p["text"])
        if text:
            passages.append({**p, "text": text, "section": strip_markup(p["section"])})
    if not passages:
        raise DocumentError("fichier vide" if request["format"] in ("txt", "markdown", "csv")
                            else "aucun texte à indexer dans ce document")
    title = strip_markup(_clean(parsed.get("title") or ""))[:300]
    return {**parsed, "passages": passages, "title": title, "content_hash": content_hash(raw)}


_CLEAN_TABLE = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
                              "\x00": "", "\u00ad": "", "\r": "\n"})


def _clean(text: str) -> str:
    """NFC; no ligatures, control characters (terminal escapes), soft hyphens or lone surrogates; tidy blank lines."""
    text = strip_controls(text.replace("\r\n", "\n").encode("utf-8", "replace").decode("utf-8").translate(_CLEAN_TABLE))
    text = re.sub(r"[ \t\f\v]+\n", "\n", unicodedata.normalize("NFC", text))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _passage(text: str, section: str = "", page: int | None = None, **metadata: Any) -> dict[str, Any]:
    return {"text": text, "section": section, "page": page, "metadata": metadata}


def _decode(raw: bytes, declared: str | None = None) -> tuple[str, str]:
    """Text and encoding: BOM, declared charset, UTF-8, cp1252, charset_normalizer, lossy cp1252.

    cp1252 comes before detection because charset_normalizer misreads short French latin-1
    text (as mac_latin2, big5, cp037...); the detector only sees what cp1252 cannot decode.
    """
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"),
                          (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            return raw.decode(encoding, "replace"), encoding
    for encoding in ([declared] if declared else []) + ["utf-8"]:
        try:
            return raw.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError):
            pass
    lossy = raw.decode("utf-8", "replace")
    bad = lossy.count("\ufffd")
    if sum(1 for ch in lossy if ord(ch) > 127) - bad >= 20 * bad:  # UTF-8 with a few stray bytes
        return lossy, "utf-8"
    if b"\x00" not in raw:  # NULs suggest UTF-16/32 without BOM: left to the detector
        try:
            return raw.decode("cp1252"), "cp1252"
        except UnicodeDecodeError:
            pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(raw[:1_000_000]).best()
        if best is not None and best.encoding:
            return raw.decode(best.encoding, "replace"), best.encoding
    except (ImportError, LookupError):
        pass
    return raw.decode("cp1252", "replace"), "cp1252"


def _parse_pdf(raw: bytes, request: dict[str, Any]) -> dict[str, Any]:
    if b"%PDF-" not in raw[:1024]:
        raise DocumentError("ce fichier n'est pas un PDF valide (en-tête %PDF- absent)")
    from pypdf import PdfReader
    from pypdf.errors import DependencyError as CryptoMissing, PdfReadError

    damaged = "PDF illisible : fichier tronqué ou endommagé"
    try:
        reader = PdfReader(io.BytesIO(raw), strict=False)
        if reader.is_encrypted:
            try:
                unlocked = reader.decrypt("")
            except CryptoMissing:
                raise DocumentError("PDF chiffré (AES) : le module Python « cryptography » est requis pour le "
                                    "lire, fichier ignoré") from None
            except (PdfReadError, ValueError, KeyError, TypeError):
                unlocked = 0
            if not unlocked:
                raise DocumentError("PDF chiffré : mot de passe requis, fichier ignoré")
        count = len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError):
        raise DocumentError(damaged) from None
    passages, unreadable = [], []
    for number in range(1, count + 1):  # page by page: only the extracted text is kept
        try:
            passages.append(_passage(reader.pages[number - 1].extract_text() or "", page=number))
        except (MemoryError, RecursionError):
            raise
        except Exception:  # one broken page does not lose the others
            unreadable.append(number)
    for passage, text in zip(passages, join_pdf_lines([p["text"] for p in passages])):
        passage["text"] = text  # line wraps and end-of-line hyphens joined, so sentences are whole
    if not any(p["text"].strip() for p in passages):
        if count and len(unreadable) == count:
            raise DocumentError(damaged)
        raise DocumentError("aucun texte extractible (PDF scanné ?) ; "
                            "la reconnaissance de caractères (OCR) n'est pas prise en charge")
    try:
        title = str((reader.metadata.title if reader.metadata else None) or "").strip()
    except Exception:
        title = ""
    title = re.sub(r"^Microsoft (Word|PowerPoint|Excel) - ", "", title)
    title = "" if title.lower() in {"untitled", "sans titre", "document", "none"} else title
    metadata: dict[str, Any] = {"pages": count, **({"unreadable_pages": unreadable} if unreadable else {})}
    return {"title": title, "fmt": "text", "passages": passages, "metadata": metadata}


def _check_docx_archive(raw: bytes, max_unzipped: int) -> None:
    """Reject what is not a zip, zip bombs, and XML with DOCTYPE/ENTITY declarations (XXE)."""
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    not_docx = "ce fichier n'est pas un document Word .docx valide"
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        raise DocumentError(not_docx + " (archive ZIP attendue)")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = archive.infolist()
            if "[Content_Types].xml" not in archive.namelist():
                raise DocumentError(not_docx)
            total = sum(m.file_size for m in members)
            if len(members) > MAX_ZIP_MEMBERS or total > max_unzipped:
                raise DocumentError(f"document Word refusé : {format_number(total / _MB)} Mo une fois décompressé, "
                                    f"au-delà de la limite de {format_number(max_unzipped / _MB)} Mo (archive piégée ?)")
            if any(m.file_size > _MB and m.file_size > MAX_ZIP_RATIO * max(m.compress_size, 1) for m in members):
                raise DocumentError("document Word refusé : taux de compression anormal (archive piégée ?)")
            for m in members:
                if m.filename.lower().endswith((".xml", ".rels")) or _looks_like_xml(archive, m):
                    try:
                        fromstring(archive.read(m), forbid_dtd=True, forbid_entities=True, forbid_external=True)
                    except DefusedXmlException:
                        raise DocumentError("document Word refusé : il contient une déclaration DOCTYPE/ENTITY "
                                            "(entités XML, risque de sécurité)") from None
                    except ParseError:
                        raise DocumentError(f"document Word endommagé : XML illisible ({m.filename})") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, NotImplementedError):
        raise DocumentError("document Word endommagé (archive ZIP illisible)") from None


def _looks_like_xml(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """Whether a part not named .xml holds XML anyway (a content-type override can make any part XML),
    or carries a DTD declaration: such parts are checked like the others."""
    with archive.open(member) as handle:
        head = handle.read(4096)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    head = head.lstrip(codecs.BOM_UTF8).lstrip()
    return head.startswith(b"<") or b"<!doctype" in head.lower() or b"<!entity" in head.lower()


def _parse_docx(raw: bytes, request: dict[str, Any]) -> dict[str, Any]:
    """One passage per heading-led section (the heading leads its text); tables one line per row."""
    _check_docx_archive(raw, request["max_unzipped_bytes"])
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(raw))
    except (PackageNotFoundError, ValueError, KeyError):
        raise DocumentError("ce fichier n'est pas un document Word .docx valide") from None
    passages: list[dict[str, Any]] = []
    heading, lines, style_title = "", [], ""

    def flush() -> None:  # a heading with no body yields nothing
        if lines:
            passages.append(_passage("\n".join(([heading] if heading else []) + lines), section=heading))
        lines.clear()

    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            text = " ".join(block.text.split())
            try:
                style = (block.style.name or "") if text and block.style is not None else ""
            except Exception:  # a dangling style reference
                style = ""
            if style.startswith(("Heading", "Titre")):
                flush()
                heading = text
            elif text:
                style_title = style_title or (text if style == "Title" else "")
                lines.append(("- " + text) if style.startswith("List") else text)
        else:  # a table: one line per row, merged cells once
            for row in block.rows:
                cells = {id(c._tc): " ".join(c.text.split()) for c in row.cells}.values()
                if any(cells):
                    lines.append(" | ".join(c for c in cells if c))
    flush()
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:  # without core.xml, python-docx invents "Word Document"
        has_core = any(n.lower() == "docprops/core.xml" for n in archive.namelist())
    title = ((document.core_properties.title or "").strip() if has_core else "") or style_title
    return {"title": title, "fmt": "text", "passages": passages, "metadata": {}}


_HTML_DROP = "//script|//style|//noscript|//template|//svg|//iframe|//object|//embed|//head|//comment()"
_HTML_BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "table",
                "ul", "ol", "header", "footer", "nav", "main", "aside", "blockquote", "pre", "dt", "dd", "figcaption"}


def _parse_html(raw: bytes, request: dict[str, Any]) -> dict[str, Any]:
    """trafilatura (boilerplate and scripts out, Markdown headings kept), else a plain lxml extraction."""
    declared = re.search(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_:.-]+)", raw[:4096], re.IGNORECASE)
    charset = declared.group(1).decode("ascii").lower() if declared else None
    if charset in ("iso-8859-1", "latin-1", "latin1"):
        charset = "cp1252"  # as browsers do: the HTML standard reads latin-1 labels as windows-1252
    text, encoding = _decode(raw, charset)
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses str input that declares an encoding
    body, fmt = "", "markdown"
    try:
        import trafilatura
    except ImportError:  # the plain extraction below still drops scripts
        trafilatura = None
    if trafilatura is not None:
        body = trafilatura.extract(text, output_format="markdown", include_tables=True, include_comments=False,
                                   include_images=False, include_links=False, favor_recall=True) or ""
    if not body.strip():
        body, fmt = _html_plain_text(text), "text"
    if not body.strip():  # lxml gives up on very deep nesting; a streaming parser has no depth limit
        body, fmt = _html_stream_text(text), "text"
    found = re.search(r"<title[^>]*>(.*?)</title", text, re.IGNORECASE | re.DOTALL)
    title = html.unescape(found.group(1)).strip() if found else ""
    if not title and trafilatura is not None:  # no <title>: og:title, a lone <h1>...
        meta = trafilatura.extract_metadata(text)
        title = (meta.title or "") if meta is not None else ""
    return {"title": title, "fmt": fmt, "passages": [_passage(body)], "metadata": {"encoding": encoding}}


def _html_plain_text(text: str) -> str:
    """Fallback extraction with lxml: scripts, styles and the head dropped, blocks on their own lines."""
    import lxml.html
    from lxml.etree import ParserError

    try:
        tree = lxml.html.document_fromstring(text)
    except (ParserError, ValueError):
        return ""
    for element in tree.xpath(_HTML_DROP):
        element.drop_tree()
    for element in tree.iter():
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag in _HTML_BLOCKS or tag in ("td", "th"):
            element.tail = ("\n" if tag in _HTML_BLOCKS else " | ") + (element.tail or "")
    lines = (" ".join(line.split()) for line in "".join(tree.itertext()).splitlines())
    return "\n".join(line for line in lines if line)


class _TextCollector(HTMLParser):
    """Streaming HTML-to-text: no tree, so nesting depth costs nothing; scripts and styles dropped."""

    _SKIP = {"script", "style", "noscript", "template", "svg", "iframe", "object", "embed", "head", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in self._SKIP:
            self.skipping += 1
        elif tag in _HTML_BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _HTML_BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def _html_stream_text(text: str) -> str:
    collector = _TextCollector()
    collector.feed(text)
    collector.close()
    lines = (" ".join(line.split()) for line in "".join(collector.parts).splitlines())
    return "\n".join(line for line in lines if line)


def _parse_markdown(raw: bytes, request: dict[str, Any]) -> dict[str, Any]:
    from .corpus import parse_markdown

    text, encoding = _decode(raw)
    path = Path(request["path"])
    doc = parse_markdown(text, source=path.name, doc_id=path.as_posix(), kind=ADDED_KIND)
    return {"title": doc.title, "fmt": "markdown", "metadata": {**doc.metadata, "encoding": encoding},
            "passages": [_passage(p.text, p.section, p.page, **p.metadata) for p in doc.passages]}


def _parse_txt(raw: bytes, request: dict[str, Any]) -> dict[str, Any]:
    text, encoding = _decode(raw)
    return {"title": "", "fmt": "text", "passages": [_passage(text)], "metadata": {"encoding": encoding}}


def _sniff_separator(text: str) -> str:
    sample = "\n".join(text[:65536].splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        counts = {sep: sample.split("\n", 1)[0].count(sep) for sep in ",;\t|"}
        best = max(counts, key=lambda sep: counts[sep])
        return best if counts[best] else ","


def _parse_csv(raw: bytes, request: dict[str, Any]) -> dict[str, Any]:
    """One passage per row, "column : value ; ..."; section "ligne N" numbers rows as a spreadsheet does
    (header = line 1)."""
    import pandas as pd

    text, encoding = _decode(raw)
    if not text.strip():
        raise DocumentError("fichier vide")
    separator = _sniff_separator(text)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=separator, dtype=str, keep_default_na=False,
                            nrows=MAX_CSV_ROWS + 1)
    except pd.errors.EmptyDataError:
        raise DocumentError("fichier vide") from None
    except (pd.errors.ParserError, ValueError) as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise DocumentError("CSV mal formé : nombre de colonnes irrégulier"
                            + (f" à la ligne {line.group(1)}" if line else "")) from None
    columns = [f"colonne {j}" if str(c).startswith("Unnamed:") else " ".join(str(c).split())
               for j, c in enumerate(frame.columns, 1)]
    passages = []
    for i, row in enumerate(frame.head(MAX_CSV_ROWS).itertuples(index=False, name=None), 1):
        parts = [f"{col} : {' '.join(str(v).split())}" for col, v in zip(columns, row) if str(v).strip()]
        if parts:
            passages.append(_passage(" ; ".join(parts), section=f"ligne {i + 1}", row=i))
    metadata: dict[str, Any] = {"encoding": encoding, "separator": separator, "columns": columns,
                                "rows": min(len(frame), MAX_CSV_ROWS)}
    if len(frame) > MAX_CSV_ROWS:  # say how much was cut: count every data row (quoted newlines included)
        metadata["truncated_at_rows"] = MAX_CSV_ROWS
        try:
            rows = sum(1 for row in csv.reader(io.StringIO(text), delimiter=separator) if row) - 1
        except csv.Error:
            rows = 0
        metadata["rows_read"] = max(rows, MAX_CSV_ROWS + 1)
    return {"title": "", "fmt": "records", "passages": passages, "metadata": metadata}


_PARSERS: dict[str, Callable[[bytes, dict[str, Any]], dict[str, Any]]] = {
    "pdf": _parse_pdf, "docx": _parse_docx, "html": _parse_html, "markdown": _parse_markdown,
    "txt": _parse_txt, "csv": _parse_csv,
}
