"""Talk kit: figures, messages and sources chosen from the bundled corpus; charts, Markdown and PowerPoint."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from pptx import Presentation

from assistant.config import PROJECT_ROOT
from assistant.corpus import load_indicators
from assistant.deck import make_charts, make_deck, write_kit
from assistant.errors import InputError
from assistant.export import kit_markdown, safe_text
from assistant.kit import THEMES, build_kit, find_theme, qualified_value
from assistant.records import Answer, Source
from assistant.ui import ChatEntry, export_markdown
from tests.conftest import run_cli

CORPUS = PROJECT_ROOT / "corpus"
ALL = [t.slug for t in THEMES]


@pytest.fixture(scope="module")
def kit():
    return build_kit(ALL, CORPUS)


def test_theme_names_in_french_or_as_slugs() -> None:
    assert find_theme("Éco-responsabilité").slug == "eco-responsabilite"
    assert find_theme("eco-responsabilite").slug == "eco-responsabilite"
    assert find_theme("personnes et budget").slug == "personnes-budget"
    assert find_theme("L'échantillon de l'enquête").slug == "echantillon"
    assert find_theme("réseaux").slug == "reseaux"
    with pytest.raises(InputError, match="Thème inconnu"):
        find_theme("météo")


def test_qualifiers_are_kept() -> None:
    by_id = {i.id: i for i in load_indicators(CORPUS)}
    assert qualified_value(by_id["frequentation_site_connue"]) == "moins de 40 %"
    assert qualified_value(by_id["sensibilisation_impact_environnemental"]) == "moins de 30 %"
    assert qualified_value(by_id["sensibilisation_conclusion"]) == "près d'un tiers"
    assert qualified_value(by_id["referent_numerique_non"]) == "plus de la moitié"
    assert qualified_value(by_id["musenor_professionnels"]) == "plus de 250 professionnels"
    assert qualified_value(by_id["strategie_numerique_oui"]) == "34 %"


def test_every_theme_has_cited_figures_and_messages(kit) -> None:
    indicators = {i.id: i for i in load_indicators(CORPUS)}
    numbers = {s.n for s in kit.sources}
    assert [s.n for s in kit.sources] == list(range(1, len(kit.sources) + 1))
    for tk in kit.themes:
        assert 1 <= len(tk.figures) <= 5, tk.theme.slug
        assert all(indicators[f.indicator.id].theme in tk.theme.indicator_themes for f in tk.figures)
        assert all(f.source_n in numbers and f.indicator.base for f in tk.figures)
        assert 2 <= len(tk.messages) <= 3, tk.theme.slug
        assert all(m.source_n in numbers for m in tk.messages + tk.actions + tk.resources)
        if len(tk.figures) == 1:  # honest about a theme the survey gives a single figure for
            assert any("pas d'autre chiffre" in w for w in tk.warnings)
    by_slug = {tk.theme.slug: tk for tk in kit.themes}
    assert len(by_slug["strategie"].figures) >= 3 and len(by_slug["accessibilite"].figures) >= 2


def test_divergent_figures_come_together_with_a_warning(kit) -> None:
    for tk in kit.themes:
        for fig in tk.figures:
            if fig.indicator.conflict_group:
                partners = [f for f in tk.figures if f.indicator.conflict_group == fig.indicator.conflict_group]
                assert len(partners) == 2, fig.indicator.id
        groups = {f.indicator.conflict_group for f in tk.figures if f.indicator.conflict_group}
        assert len([w for w in tk.warnings if "divergent" in w]) == len(groups)
    eco = next(tk for tk in kit.themes if tk.theme.slug == "eco-responsabilite")
    warning = next(w for w in eco.warnings if "divergent" in w)
    assert "moins de 30 %" in warning and "près d'un tiers" in warning


def test_exemplary_actions_and_resources_fit_their_theme(kit) -> None:
    by_slug = {tk.theme.slug: tk for tk in kit.themes}
    eco = by_slug["eco-responsabilite"]
    assert any("LaM" in a.text for a in eco.actions) and any("Saint-Omer" in a.text for a in eco.actions)
    access = " ".join(r.text for r in by_slug["accessibilite"].resources)
    assert "WCAG" in access and "RGAA" in access
    assert any("ProMETHEE" in r.text or "RGESN" in r.text for r in eco.resources)
    assert not by_slug["personnes-budget"].actions  # the survey relates no action to budgets


def test_outline_fills_ten_minutes(kit) -> None:
    slots = [slot for slot, _ in kit.outline]
    assert slots[0].startswith("0 ") and slots[-1].endswith("10 min")
    assert len(kit.outline) == len(kit.themes) + 2
    assert "61 répondants" in kit.outline[0][1]


def test_charts_keep_qualifiers_wrap_labels_and_tell_sides_apart(kit) -> None:
    charts = make_charts(kit)
    eco = charts["eco-responsabilite"]
    assert eco.png.startswith(b"\x89PNG") and "<svg" in eco.svg
    assert "moins de 30 %" in eco.values and "près d'un tiers" in eco.values
    assert "moins de 30 %" in eco.svg and "près d&#39;un tiers" in eco.svg or "près d'un tiers" in eco.svg
    assert all(len(line) <= 40 for label in eco.labels for line in label.splitlines())
    sides = [label for label in eco.labels if "selon" in label]
    assert len(sides) == 2 and len(set(sides)) == 2  # the two sides never share a label
    assert "Part des répondants connaissant" in charts["presence-en-ligne"].labels[0]
    assert "moins de 40 %" in charts["presence-en-ligne"].values


def test_deck_has_title_theme_and_sources_slides(kit) -> None:
    charts = make_charts(kit)
    deck = Presentation(io.BytesIO(make_deck(kit, charts)))
    slides = list(deck.slides)
    texts = ["\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in slides]
    assert kit.title in texts[0]
    theme_slides = slides[1:1 + len(kit.themes)]
    for slide, text, tk in zip(theme_slides, texts[1:], kit.themes):
        assert text.startswith(tk.theme.label)
        assert any(shape.shape_type == 13 for shape in slide.shapes)  # the chart picture
        for fig in tk.figures:
            assert f"{fig.value} — {fig.label} [{fig.source_n}]" in text
        assert "Messages clés" in slide.notes_slide.notes_text_frame.text
    sources_text = "\n".join(texts[1 + len(kit.themes):])
    assert sources_text.startswith("Sources")
    for src in kit.sources:
        assert f"[{src.n}] {src.title}" in sources_text
    eco = texts[1 + ALL.index("eco-responsabilite")]
    assert "moins de 30 %" in eco and "près d'un tiers" in eco and "divergent" in eco


def test_kit_command_writes_every_file(tmp_path: Path) -> None:
    out = tmp_path / "kit"
    result = run_cli("kit", "accessibilité", "Éco-responsabilité", "--out", str(out))
    assert result.returncode == 0, result.stderr
    names = {p.name for p in out.iterdir()}
    assert {"intervention.md", "intervention.pptx", "graphique-accessibilite.png", "graphique-accessibilite.svg",
            "graphique-eco-responsabilite.png", "graphique-eco-responsabilite.svg"} <= names
    markdown = (out / "intervention.md").read_text(encoding="utf-8")
    assert "## Déroulé suggéré (10 minutes)" in markdown and "## Sources" in markdown
    assert "moins de 30 %" in markdown and "près d'un tiers" in markdown and "Attention, les sources divergent" in markdown
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", markdown)}
    listed = {int(n) for n in re.findall(r"(?m)^(\d+)\. ", markdown)}
    assert cited and cited <= listed
    bad = run_cli("kit", "météo", "--out", str(tmp_path / "x"))
    assert bad.returncode == 2 and "Thème inconnu" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice absent (apt-get install libreoffice-impress)")
def test_deck_opens_in_libreoffice(tmp_path: Path, kit) -> None:
    files = write_kit(kit, tmp_path)
    deck = next(p for p in files if p.suffix == ".pptx")
    result = subprocess.run(["libreoffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(deck)],
                            capture_output=True, text=True, timeout=300,
                            env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    pdf = tmp_path / "intervention.pdf"
    assert result.returncode == 0 and pdf.exists() and pdf.stat().st_size > 10_000, result.stderr
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    assert len(reader.pages) == len(Presentation(str(deck)).slides)  # every slide rendered
    assert "moins de 30 %" in "\n".join(page.extract_text() for page in reader.pages)


# --- exports carry no active content (issue 9, item 5) ---------------------------------------------
HOSTILE = ("Texte <img src=x onerror=alert(1)> et <script>alert(2)</script>\n"
           "[cliquez](javascript:alert(3)) <javascript:alert(4)>\n"
           "![pixel](https://tracker.example/p.png) ![local](http://evil.example/x.png)")


def _render(markdown: str) -> str:
    return MarkdownIt("commonmark", {"html": True}).render(markdown)  # raw HTML allowed: the worst viewer


def _assert_inert(html: str) -> None:
    assert "<img" not in html and "<script" not in html and "<a " not in html and "<b " not in html
    assert 'href="' not in html and 'src="' not in html  # words only: no link, no remote fetch


def test_conversation_export_escapes_raw_html_links_and_images() -> None:
    source = Source(1, "Titre <b onclick=x>", HOSTILE, "ajout/hostile.md", "Section")
    answer = Answer("Question <img src=y onerror=z> ?", True, HOSTILE + " [1]", sources=[source])
    markdown = export_markdown([ChatEntry(answer.question, answer)])
    _assert_inert(_render(markdown))
    assert "[1]" in markdown  # citation markers survive
    assert "onerror" in markdown  # shown as words, not dropped


def test_kit_markdown_escapes_corpus_text() -> None:
    kit = build_kit(["réseaux"], CORPUS)
    tk = kit.themes[0]
    tk.messages[0].text = HOSTILE
    _assert_inert(_render(kit_markdown(kit)))
    assert safe_text("a < b & c") == "a &lt; b &amp; c"
