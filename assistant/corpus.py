"""Loads the bundled corpus: Markdown fiches with front matter and the survey's indicator table."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import frontmatter
import pandas as pd
import yaml
from frontmatter.default_handlers import YAMLHandler

from .errors import CorpusError, DocumentError
from .records import Document, Passage, content_hash
from .textclean import strip_controls, strip_markup

log = logging.getLogger(__name__)

INDICATOR_COLUMNS = ["id", "theme", "indicator", "value", "unit", "base", "section", "source", "note", "conflict_group"]
FRACTIONS = {"1/2": "la moitié", "1/3": "un tiers", "2/3": "deux tiers", "1/4": "un quart", "3/4": "trois quarts"}
INDICATORS_FILE = Path("survey") / "indicators.csv"
RESPONDENTS_FILE = Path("survey") / "respondents.csv"
# Front matter of a fiche is a few hundred characters; these bounds leave room for any real one
# and stop crafted ones (aliases expanding exponentially, deep nesting) before they are loaded.
MAX_FRONT_MATTER_CHARS = 16_384
MAX_FRONT_MATTER_NODES = 5_000
MAX_FRONT_MATTER_DEPTH = 50


@dataclass(frozen=True)
class Indicator:
    """One figure of the survey, with its base and where it comes from."""

    id: str
    theme: str
    indicator: str
    value: str
    unit: str
    base: str
    section: str
    source: str
    note: str
    conflict_group: str

    def value_text(self) -> str:
        """The value with its unit as a French reader expects it ("34 %", "61 répondants")."""
        unit = self.unit.strip()
        if not unit:
            return self.value
        if unit == "%":
            return f"{self.value} %"
        if unit == "part":
            words = FRACTIONS.get(self.value.replace(" ", ""))
            return f"{words} ({self.value})" if words else self.value
        return f"{self.value} {unit}"

    def claim(self, with_base: bool = True) -> str:
        """The figure alone, as an answer states it: label, value and (optionally) base."""
        text = f"{self.indicator} : {self.value_text()}"
        if with_base and self.base:
            text += f" (base : {self.base})"
        return text + "."

    def sentence(self) -> str:
        """A self-contained French sentence stating the figure, its base and its note."""
        text = f"{self.indicator} : {self.value_text()}"
        if self.base:
            text += f" (base : {self.base})"
        text += "."
        if self.note:
            note = self.note.strip()
            text += " " + note + ("" if note.endswith((".", "!", "?")) else ".")
        return text


def _check_front_matter(text: str, source: str) -> None:
    """Refuse front matter too large, or whose aliases expand past MAX_FRONT_MATTER_NODES (a "YAML bomb").

    The expansion is counted on the composed node graph, where an alias is the same node met
    again, so counting costs the size of the file, not of its expansion.
    """
    handler = YAMLHandler()
    if not handler.detect(text):
        return
    try:
        front, _ = handler.split(text)
    except ValueError:
        return
    if len(front) > MAX_FRONT_MATTER_CHARS:
        raise DocumentError(f"{source} : en-tête YAML trop long ({len(front)} caractères, limite "
                            f"{MAX_FRONT_MATTER_CHARS}).")
    try:
        root = yaml.compose(front, Loader=yaml.SafeLoader)
    except RecursionError:
        raise DocumentError(f"{source} : en-tête YAML trop imbriqué.") from None
    except yaml.YAMLError as exc:
        raise DocumentError(f"{source} : en-tête YAML illisible ({exc.__class__.__name__}).") from None
    sizes: dict[int, int] = {}

    def expanded(node: yaml.Node, depth: int, path: frozenset) -> int:
        if id(node) in path:
            raise DocumentError(f"{source} : en-tête YAML récursif (un alias se contient lui-même).")
        if id(node) in sizes:
            return sizes[id(node)]
        if depth > MAX_FRONT_MATTER_DEPTH:
            raise DocumentError(f"{source} : en-tête YAML trop imbriqué.")
        inner = path | {id(node)}
        if isinstance(node, yaml.SequenceNode):
            total = 1 + sum(expanded(child, depth + 1, inner) for child in node.value)
        elif isinstance(node, yaml.MappingNode):
            total = 1 + sum(expanded(k, depth + 1, inner) + expanded(v, depth + 1, inner) for k, v in node.value)
        else:
            total = 1
        if total > MAX_FRONT_MATTER_NODES:
            raise DocumentError(f"{source} : en-tête YAML refusé, ses alias se déploient en plus de "
                                f"{MAX_FRONT_MATTER_NODES} valeurs (fichier piégé ?).")
        sizes[id(node)] = total
        return total

    if root is not None:
        expanded(root, 0, frozenset())


def parse_markdown(text: str, source: str, doc_id: str | None = None, kind: str = "fiche") -> Document:
    """Parse Markdown with optional YAML front matter into a Document (front matter → metadata).

    Control characters are removed from text and metadata, markup from the title.
    """
    text = strip_controls(text)
    _check_front_matter(text, source)
    try:
        post = frontmatter.loads(text)
    except (yaml.YAMLError, ValueError, TypeError, AttributeError, RecursionError) as exc:
        raise DocumentError(f"{source} : en-tête YAML illisible ({exc.__class__.__name__}).") from exc
    metadata = post.metadata if isinstance(post.metadata, dict) else {}
    meta: dict[str, Any] = {str(k): _plain(v) for k, v in metadata.items()}
    body = post.content.strip()
    title = strip_markup(str(meta.get("title") or _first_heading(body) or Path(source).stem)) or Path(source).stem
    return Document(
        doc_id=doc_id or source,
        title=title,
        source=source,
        passages=[Passage(text=body, section=str(meta.get("section", "")))] if body else [],
        kind=str(meta.get("type", kind)),
        fmt="markdown",
        metadata=meta,
        content_hash=content_hash(text),
    )


def _plain(value: Any) -> Any:
    """Front matter values made JSON-safe (dates become strings)."""
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def _first_heading(body: str) -> str:
    for line in body.splitlines():
        if line.startswith("#"):
            return line.lstrip("#").strip()
    return ""


def load_indicators(corpus_dir: Path) -> list[Indicator]:
    """Read `survey/indicators.csv` with pandas; every value is kept as written."""
    path = corpus_dir / INDICATORS_FILE
    if not path.exists():
        return []
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise CorpusError(f"Le tableau des indicateurs {path} est illisible : {exc}") from exc
    missing = [c for c in INDICATOR_COLUMNS if c not in frame.columns]
    if missing:
        raise CorpusError(f"Colonnes manquantes dans {path} : {', '.join(missing)}.")
    return [Indicator(**{c: str(row[c]).strip() for c in INDICATOR_COLUMNS}) for _, row in frame.iterrows()]


def load_respondents(corpus_dir: Path) -> pd.DataFrame:
    """The respondent institutions (town, institution, country) as a DataFrame."""
    path = corpus_dir / RESPONDENTS_FILE
    if not path.exists():
        return pd.DataFrame(columns=["town", "institution", "country"])
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


def indicators_document(indicators: list[Indicator]) -> Document:
    """The indicator table as one document whose passages are its rows (one chunk per figure)."""
    passages = [
        Passage(
            text=ind.sentence(),
            section=ind.section,
            metadata={"claim": ind.claim(), "short_claim": ind.claim(with_base=False), "indicator_id": ind.id, "theme": ind.theme, "value": ind.value, "unit": ind.unit,
                      "base": ind.base, "conflict_group": ind.conflict_group, "origin": ind.source},
        )
        for ind in indicators
    ]
    digest = content_hash("\n".join(p.text + repr(sorted(p.metadata.items())) for p in passages))
    return Document(
        doc_id=INDICATORS_FILE.as_posix(),
        title="Enquête Musenor 2024-2025 — Tableau des indicateurs",
        source=INDICATORS_FILE.as_posix(),
        passages=passages,
        kind="indicator",
        fmt="records",
        metadata={"type": "indicateurs"},
        content_hash=digest,
    )


def load_corpus(corpus_dir: Path) -> list[Document]:
    """Every bundled document: the Markdown fiches (sorted by path) and the indicator table (possibly none)."""
    if not corpus_dir.is_dir():
        raise CorpusError(f"Le dossier du corpus est introuvable : {corpus_dir}.")
    documents: list[Document] = []
    for path in sorted(corpus_dir.rglob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        rel = path.relative_to(corpus_dir).as_posix()
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CorpusError(f"Fiche illisible : {rel} ({exc.__class__.__name__}).") from exc
        try:
            doc = parse_markdown(text, source=rel, kind="fiche")
        except DocumentError as exc:
            raise CorpusError(f"Fiche du corpus refusée : {exc}") from exc
        if doc.passages:
            documents.append(doc)
    indicators = load_indicators(corpus_dir)
    if indicators:
        documents.append(indicators_document(indicators))
    # An empty corpus is allowed: the assistant then serves only the documents a user adds.
    return documents


def corpus_fingerprint(corpus_dir: Path) -> str:
    """A hash of every corpus file's path and bytes: changes whenever the corpus does."""
    parts = []
    try:
        for path in sorted(p for p in corpus_dir.rglob("*") if p.is_file()):
            parts.append(path.relative_to(corpus_dir).as_posix())
            parts.append(content_hash(path.read_bytes()))
    except OSError as exc:
        raise CorpusError(f"Le corpus {corpus_dir} est illisible ({exc.strerror or exc.__class__.__name__}).") \
            from exc
    return content_hash("\n".join(parts))
