"""Markdown exports (talk kit, conversation) that carry no active content from the documents they quote.

A source can be any uploaded file: its text may hold raw HTML (`<img onerror=…>`), `javascript:`
links or remote images. In an export, such text is shown literally: HTML special characters become
entities, Markdown link and image syntax is backslash-escaped, and script-like URL schemes are
broken, so a Markdown viewer renders words, never tags, links or remote fetches.
"""
from __future__ import annotations

import html
import re

from .kit import Kit

_MD_ACTIVE = re.compile(r"([\\`*_\[\]!#|~])")
_SCHEME = re.compile(r"(?i)\b(javascript|vbscript|data|file)(\s*):")
_URL = re.compile(r"(?i)\b(https?)://")


def safe_text(text: str) -> str:
    """Text shown literally in Markdown: no HTML, no link, no image, no autolink."""
    out = html.escape(text or "", quote=False)  # < > & -> entities: no raw HTML survives
    out = _MD_ACTIVE.sub(r"\\\1", out)
    out = _SCHEME.sub(r"\1\2&#58;", out)
    return _URL.sub(r"\1&#58;//", out)  # no bare-URL autolink (GFM) fetches or links anything


def safe_inline(text: str) -> str:
    """One line of safe text (newlines folded)."""
    return safe_text(re.sub(r"\s+", " ", text or "").strip())


def quote_block(text: str, indent: str = "") -> list[str]:
    """A passage as Markdown block-quote lines, each made safe."""
    return [f"{indent}> {safe_text(line)}".rstrip() for line in (text or "").splitlines()]


def kit_markdown(kit: Kit, chart_files: dict[str, str] | None = None) -> str:
    """The talk kit as Markdown: outline, then per theme figures, warnings, messages, examples,
    resources (each with its [n]), then the numbered sources. `chart_files` maps a theme slug to
    the relative path of its chart image, linked when given."""
    lines = [f"# {safe_inline(kit.title)}", "",
             "Kit préparé par l'assistant Musenor à partir de l'enquête Musenor 2024-2025 et des fiches du "
             "réseau. Chaque chiffre et chaque message renvoie à une source numérotée [n] (liste en fin de document).",
             "", "## Déroulé suggéré (10 minutes)", ""]
    lines += [f"- **{safe_inline(slot)}** : {safe_inline(what)}" for slot, what in kit.outline] + [""]
    for tk in kit.themes:
        lines += [f"## {safe_inline(tk.theme.label)}", ""]
        if chart_files and tk.theme.slug in chart_files:
            lines += [f"![Graphique : {safe_inline(tk.theme.label)}]({chart_files[tk.theme.slug]})", ""]
        lines += ["### Chiffres clés", ""]
        for fig in tk.figures:
            side = f" — selon « {safe_inline(fig.side)} »" if fig.divergent_with else ""
            lines.append(f"- **{safe_inline(fig.value)}** : {safe_inline(fig.label)}{side} "
                         f"(base : {safe_inline(fig.indicator.base)}) [{fig.source_n}]")
        lines += [""] + [f"> **{safe_inline(w)}**" for w in tk.warnings] + ([""] if tk.warnings else [])
        for heading, items in (("Messages clés", tk.messages), ("Actions exemplaires", tk.actions),
                               ("Réseaux et ressources à citer", tk.resources)):
            if items:
                lines += [f"### {heading}", ""] + [f"- {safe_inline(c.text)} [{c.source_n}]" for c in items] + [""]
    lines += ["## Sources", ""]
    for src in kit.sources:
        lines.append(f"{src.n}. {safe_inline(src.title)} — {safe_inline(src.where)} (fichier : {safe_inline(src.file)})")
    return "\n".join(lines) + "\n"
