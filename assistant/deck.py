"""Talk kit files: one chart per theme (PNG and SVG, matplotlib) and a PowerPoint deck (python-pptx).

Charts show the theme's figures that are shares (%, "un tiers"…) as horizontal bars; each bar's
label is wrapped, never cut, its value is written with its qualifier ("moins de 40 %"), and the
two sides of a divergence are hatched and named by the slide they come from. Themes whose figures
are counts get a bar chart of the counts of the most common unit.
"""
from __future__ import annotations

import io
import os
import tempfile
import textwrap
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError
from .export import kit_markdown
from .kit import Figure, Kit, ThemeKit, build_kit

LABEL_WIDTH = 34  # characters per label line: fits beside the bars on a 16:9 slide half
BAR_COLOUR = "#1f4e79"  # dark blue: white text on it passes WCAG AA
DIVERGENT_COLOUR = "#b34700"  # dark orange, hatched
os.environ.setdefault("MPLCONFIGDIR", str(Path(tempfile.gettempdir()) / "musenor-matplotlib"))


@dataclass
class Chart:
    slug: str
    png: bytes
    svg: str
    labels: list[str]  # the wrapped labels, one per bar, top to bottom
    values: list[str]  # the value labels, qualifiers kept


def chart_figures(tk: ThemeKit) -> tuple[list[Figure], str]:
    """The figures a theme's chart shows and the axis title: shares when there are any, else counts."""
    shares = [f for f in tk.figures if f.number is not None]
    if shares:
        return shares, "Part (%)"
    units: dict[str, list[Figure]] = {}
    for fig in tk.figures:
        try:
            float(fig.indicator.value)
        except ValueError:
            continue
        if float(fig.indicator.value) >= 0:
            units.setdefault(fig.indicator.unit, []).append(fig)
    if not units:
        return [], ""
    unit, figs = max(units.items(), key=lambda kv: len(kv[1]))
    return figs, f"Nombre ({unit})"


def bar_label(fig: Figure) -> str:
    """A bar's label, wrapped; a divergent figure also names the slide it comes from."""
    text = fig.label + (f" — selon « {fig.side} »" if fig.divergent_with else "")
    return "\n".join(textwrap.wrap(text, LABEL_WIDTH, break_long_words=False))


def make_chart(tk: ThemeKit) -> Chart | None:
    """The theme's chart, or None when it has no figure a bar can show."""
    figs, axis = chart_figures(tk)
    if not figs:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"svg.fonttype": "none", "font.family": "DejaVu Sans", "font.size": 11})
    labels = [bar_label(f) for f in figs]
    values = [(f.number if f.number is not None else float(f.indicator.value)) for f in figs]
    texts = [f.value for f in figs]
    top = 100.0 if axis.startswith("Part") else max(values) * 1.15
    heights = [0.35 + 0.22 * label.count("\n") for label in labels]
    fig_h = max(2.4, 0.9 + sum(h + 0.35 for h in heights))
    fig, ax = plt.subplots(figsize=(10, fig_h), dpi=150)
    positions = list(range(len(figs)))[::-1]
    for pos, value, f, text in zip(positions, values, figs, texts):
        divergent = bool(f.divergent_with)
        ax.barh(pos, value, color=DIVERGENT_COLOUR if divergent else BAR_COLOUR, hatch="//" if divergent else None,
                edgecolor="white", height=0.6)
        inside = value > top * 0.62
        ax.text(value - top * 0.01 if inside else value + top * 0.01, pos, text, va="center",
                ha="right" if inside else "left", color="white" if inside else "#1a1a1a", fontweight="bold",
                bbox={"facecolor": DIVERGENT_COLOUR if divergent else BAR_COLOUR, "edgecolor": "none", "pad": 2}
                if inside else None)
    ax.set_yticks(positions, labels)
    ax.set_xlim(0, top)
    ax.set_xlabel(axis)
    ax.spines[["top", "right"]].set_visible(False)
    title = tk.theme.label
    if any(f.divergent_with for f in figs):
        title += " — barres hachurées : sources divergentes, à citer ensemble"
    ax.set_title("\n".join(textwrap.wrap(title, 70)), loc="left", fontsize=12)
    fig.tight_layout()
    png, svg = io.BytesIO(), io.StringIO()
    fig.savefig(png, format="png")
    fig.savefig(svg, format="svg")
    plt.close(fig)
    return Chart(tk.theme.slug, png.getvalue(), svg.getvalue(), labels, texts)


def make_charts(kit: Kit) -> dict[str, Chart]:
    charts = {}
    for tk in kit.themes:
        chart = make_chart(tk)
        if chart is not None:
            charts[tk.theme.slug] = chart
    return charts


# --- PowerPoint ------------------------------------------------------------------------------------
def make_deck(kit: Kit, charts: dict[str, Chart]) -> bytes:
    """A 16:9 deck: title slide, one slide per theme (chart and cited figures), a sources slide
    (split when long). Key messages and the outline go into the speaker notes."""
    from pptx import Presentation
    from pptx.util import Emu, Inches, Pt

    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    deck.core_properties.title = kit.title
    deck.core_properties.language = "fr-FR"
    title_layout, blank_layout = deck.slide_layouts[0], deck.slide_layouts[6]

    slide = deck.slides.add_slide(title_layout)
    slide.shapes.title.text = kit.title
    slide.placeholders[1].text = "Enquête Musenor 2024-2025 sur les pratiques numériques des musées des Hauts-de-France"
    slide.notes_slide.notes_text_frame.text = "Déroulé suggéré (10 minutes) :\n" + \
        "\n".join(f"{slot} : {what}" for slot, what in kit.outline)

    for tk in kit.themes:
        slide = deck.slides.add_slide(blank_layout)
        _textbox(slide, Inches(0.5), Inches(0.3), Inches(12.3), Inches(0.9), [tk.theme.label], Pt(30), bold=True)
        chart = charts.get(tk.theme.slug)
        text_left = Inches(0.5)
        if chart is not None:
            picture = slide.shapes.add_picture(io.BytesIO(chart.png), Inches(0.4), Inches(1.3), width=Inches(7.4))
            if picture.height > Inches(5.9):  # keep it on the slide: scale down, keep proportions
                ratio = Inches(5.9) / picture.height
                picture.height, picture.width = Emu(int(picture.height * ratio)), Emu(int(picture.width * ratio))
            text_left = Inches(8.0)
        lines = [f"{f.value} — {f.label} [{f.source_n}]" for f in tk.figures]
        lines += tk.warnings
        _textbox(slide, text_left, Inches(1.3), Inches(13.333) - text_left - Inches(0.4), Inches(5.8), lines,
                 Pt(14 if len(" ".join(lines)) < 700 else 11))
        notes = ["Messages clés :"] + [f"- {m.text} [{m.source_n}]" for m in tk.messages]
        if tk.actions:
            notes += ["Actions exemplaires :"] + [f"- {a.text} [{a.source_n}]" for a in tk.actions]
        if tk.resources:
            notes += ["Réseaux et ressources à citer :"] + [f"- {r.text} [{r.source_n}]" for r in tk.resources]
        slide.notes_slide.notes_text_frame.text = "\n".join(notes)

    per_slide = 12
    chunks = [kit.sources[i:i + per_slide] for i in range(0, len(kit.sources), per_slide)] or [[]]
    for number, chunk in enumerate(chunks, 1):
        slide = deck.slides.add_slide(blank_layout)
        heading = "Sources" + (f" ({number}/{len(chunks)})" if len(chunks) > 1 else "")
        _textbox(slide, Inches(0.5), Inches(0.3), Inches(12.3), Inches(0.9), [heading], Pt(30), bold=True)
        _textbox(slide, Inches(0.5), Inches(1.3), Inches(12.3), Inches(5.9),
                 [f"[{s.n}] {s.title} — {s.where} ({s.file})" for s in chunk], Pt(12))
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _textbox(slide, left, top, width, height, lines: list[str], size, bold: bool = False) -> None:
    from pptx.util import Pt

    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.text = line
        paragraph.space_after = Pt(6)
        for run in paragraph.runs:
            run.font.size = size
            run.font.bold = bold


# --- files -----------------------------------------------------------------------------------------
def write_kit(kit: Kit, out_dir: Path) -> list[Path]:
    """Write the kit's Markdown, deck and charts (PNG, SVG) into out_dir; returns the files written.

    Each file is written to a temporary name then renamed, so a failure leaves no half file."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"Impossible de créer le dossier de sortie {out_dir} ({exc.strerror or exc}).") from exc
    if not out_dir.is_dir():
        raise InputError(f"{out_dir} n'est pas un dossier.")
    charts = make_charts(kit)
    files: dict[str, bytes] = {}
    chart_files = {}
    for slug, chart in charts.items():
        files[f"graphique-{slug}.png"] = chart.png
        files[f"graphique-{slug}.svg"] = chart.svg.encode("utf-8")
        chart_files[slug] = f"graphique-{slug}.png"
    files["intervention.md"] = kit_markdown(kit, chart_files).encode("utf-8")
    files["intervention.pptx"] = make_deck(kit, charts)
    written = []
    for name, data in files.items():
        target = out_dir / name
        tmp = out_dir / f".{name}.tmp"
        try:
            tmp.write_bytes(data)
            os.replace(tmp, target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise InputError(f"Impossible d'écrire {target} ({exc.strerror or exc}).") from exc
        written.append(target)
    return written


def run_kit(themes: list[str], corpus_dir: Path, out_dir: Path, out) -> int:
    """`python -m assistant kit THÈME… --out DIR`: build the kit, write its files, list them."""
    kit = build_kit(themes, corpus_dir)
    written = write_kit(kit, out_dir)
    out.write(f"{kit.title}\n")
    for slot, what in kit.outline:
        out.write(f"  {slot} : {what}\n")
    out.write(f"Fichiers écrits dans {out_dir} :\n" + "".join(f"  {p.name}\n" for p in written))
    return 0
