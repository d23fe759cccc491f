"""The "Préparer une intervention" page: a talk kit per theme (kit.py, deck.py) and the conversation export."""
from __future__ import annotations

import io
import zipfile
from datetime import datetime

import streamlit as st

from .deck import make_charts, make_deck
from .errors import AssistantError
from .export import kit_markdown
from .kit import THEMES, Kit, build_kit
from .ui import ChatEntry, escape_md, export_markdown, note
from .ui_pages import CHART_MARGIN_PX, figures_chart

KIT_KEY = "kit_themes"
KEEP_KEY = "kit_themes_kept"  # widget state is dropped when its tab is not drawn; this copy is not


@st.cache_data(show_spinner=False, max_entries=32)
def kit_files(labels: tuple[str, ...], corpus_dir: str, stamp: float) -> tuple[Kit, dict[str, bytes]]:
    """The kit and its files (Markdown, deck, charts), cached per choice of themes and corpus state."""
    from pathlib import Path

    kit = build_kit(list(labels), Path(corpus_dir))
    charts = make_charts(kit)
    files = {"intervention.md": kit_markdown(kit).encode("utf-8"), "intervention.pptx": make_deck(kit, charts)}
    for slug, chart in charts.items():
        files[f"graphique-{slug}.png"] = chart.png
        files[f"graphique-{slug}.svg"] = chart.svg.encode("utf-8")
    return kit, files


def _zip(kit: Kit, files: dict[str, bytes]) -> bytes:
    """Everything in one archive; there the Markdown shows the charts beside it."""
    chart_files = {name[len("graphique-"):-4]: name for name in files if name.endswith(".png")}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, kit_markdown(kit, chart_files) if name == "intervention.md" else data)
    return out.getvalue()


def render_kit(corpus_dir: str, stamp: float, history: list[ChatEntry]) -> None:
    st.markdown("Choisissez un ou plusieurs thèmes : l'assistant prépare un kit d'intervention de 10 minutes avec "
                "les chiffres clés de l'enquête (base et source de chacun), les messages clés tirés des fiches, "
                "des actions exemplaires, les réseaux et ressources à citer, des graphiques et un diaporama.")
    labels = [t.label for t in THEMES]
    if KIT_KEY not in st.session_state and st.session_state.get(KEEP_KEY):  # back from another tab
        st.session_state[KIT_KEY] = st.session_state[KEEP_KEY]
    chosen = st.multiselect("Thèmes de l'intervention", labels, key=KIT_KEY, placeholder="Choisissez des thèmes")
    st.session_state[KEEP_KEY] = list(chosen)
    if not chosen:
        note("Aucun thème choisi pour l'instant.")
    else:
        try:
            kit, files = kit_files(tuple(chosen), corpus_dir, stamp)
        except AssistantError as exc:
            st.error(str(exc))
        else:
            _render_kit(kit, files)
    st.divider()
    st.subheader("Exporter la conversation")
    st.markdown("Les questions posées dans l'onglet « Assistant », leurs réponses et leurs sources numérotées "
                "(titre, section ou page, fichier et passage ; les passages d'indicateurs donnent la base de "
                "chaque chiffre).")
    content = export_markdown(history)
    st.download_button("Télécharger la conversation (Markdown)", content, key="export_page",
                       file_name=f"musenor-conversation-{datetime.now():%Y%m%d-%H%M}.md", mime="text/markdown",
                       on_click="ignore", icon=":material/download:")
    with st.expander("Aperçu du fichier de la conversation"):
        st.code(content, language=None, wrap_lines=True)  # no syntax colours: they fail contrast


def _render_kit(kit: Kit, files: dict[str, bytes]) -> None:
    stamp = f"{datetime.now():%Y%m%d-%H%M}"
    flags = {f.indicator.id: "divergent" for tk in kit.themes for f in tk.figures if f.divergent_with}
    cols = st.columns(3)
    cols[0].download_button("Diaporama (PowerPoint)", files["intervention.pptx"], key="kit_pptx",
                            file_name=f"musenor-intervention-{stamp}.pptx", on_click="ignore", type="primary",
                            mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
                            icon=":material/slideshow:")
    cols[1].download_button("Kit complet (Markdown)", files["intervention.md"], key="kit_md",
                            file_name=f"musenor-intervention-{stamp}.md", mime="text/markdown", on_click="ignore",
                            icon=":material/description:")
    cols[2].download_button("Tout (graphiques PNG et SVG, ZIP)", _zip(kit, files), key="kit_zip",
                            file_name=f"musenor-intervention-{stamp}.zip", mime="application/zip", on_click="ignore",
                            icon=":material/folder_zip:")
    st.subheader("Déroulé suggéré (10 minutes)")
    st.markdown("\n".join(f"- **{escape_md(slot)}** : {escape_md(what)}" for slot, what in kit.outline))
    for tk in kit.themes:
        st.subheader(tk.theme.label)
        shares = [f.indicator for f in tk.figures if f.number is not None]
        png = files.get(f"graphique-{tk.theme.slug}.png")
        if shares:  # the page's own chart: labels above the bars, readable on a phone (the PNG is for slides)
            chart = figures_chart(shares, flags)
            if chart is not None:
                st.altair_chart(chart.properties(title=f"{tk.theme.label} : parts des répondants"), width="stretch",
                                height=int(chart.height) + CHART_MARGIN_PX)
        elif png is not None:
            values = " ; ".join(f"{f.label} : {f.value}" for f in tk.figures if f.number is not None) or \
                " ; ".join(f"{f.label} : {f.value}" for f in tk.figures)
            st.image(png, caption=f"Graphique « {tk.theme.label} » (mêmes chiffres que la liste ci-dessous).",
                     width="stretch", alt=f"Graphique en barres « {tk.theme.label} » : {values}.")
        st.markdown("**Chiffres clés**")
        st.markdown("\n".join(
            f"- **{escape_md(f.value)}** — {escape_md(f.label)}"
            + (f" (selon « {escape_md(f.side)} »)" if f.divergent_with else "")
            + f" · base : {escape_md(f.indicator.base)} **[{f.source_n}]**" for f in tk.figures))
        for warning in tk.warnings:
            st.warning(escape_md(warning), icon=":material/warning:")
        for heading, items in (("Messages clés", tk.messages), ("Actions exemplaires", tk.actions),
                               ("Réseaux et ressources à citer", tk.resources)):
            if items:
                st.markdown(f"**{heading}**")
                st.markdown("\n".join(f"- {escape_md(c.text)} **[{c.source_n}]**" for c in items))
    with st.expander(f"Sources numérotées ({len(kit.sources)})", expanded=False):
        st.markdown("\n".join(f"{s.n}. {escape_md(s.title)} — {escape_md(s.where)} "
                              f"(fichier : {escape_md(s.file)})" for s in kit.sources))
