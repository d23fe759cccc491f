"""Two pages of the app: the survey's key figures (table and chart) and the network's resources.

The chart writes each label above its bar, wrapped, so that it stays whole on a 390 px phone;
values keep their qualifiers ("moins de 40 %"); the two sides of a divergence are coloured apart
and name the slide they come from. The resources page opens with the welcome fiche.
"""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

import altair as alt
import pandas as pd
import streamlit as st

from .corpus import Indicator
from .kit import qualified_value, share, split_qualifier
from .lexical import strip_accents
from .records import Document
from .ui import QUESTIONS_HEADING, escape_md, note, queue_question

CHART_WRAP = 42  # characters per label line: about 300 px in the chart's 12 px font, fits a 390 px screen
LINE_PX, BAR_PX, GAP_PX = 15, 16, 14
BAR_COLOUR, DIVERGENT_COLOUR = "#1f4e79", "#a64200"  # both pass 4.5:1 behind white text
WELCOME_TAG = "bienvenue"
CHART_MARGIN_PX = 90  # title and axis below the bars: the element is given the whole height it needs


def conflict_flags(indicators: list[Indicator]) -> dict[str, str]:
    """Indicator id -> French flag naming the other values of its conflict group."""
    groups: dict[str, list[Indicator]] = {}
    for ind in indicators:
        if ind.conflict_group:
            groups.setdefault(ind.conflict_group, []).append(ind)
    flags = {}
    for members in groups.values():
        for ind in members:
            others = " ; ".join(f"{qualified_value(o)} (« {o.section} »)" for o in members if o is not ind)
            flags[ind.id] = f"Sources divergentes : autre valeur {others}" if others else ""
    return flags


def indicators_frame(indicators: list[Indicator], flags: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame([{"Thème": i.theme, "Indicateur": split_qualifier(i)[0], "Valeur": qualified_value(i),
                          "Divergence": flags.get(i.id, ""), "Base": i.base, "Note": i.note, "Source": i.source}
                         for i in indicators],
                        columns=["Thème", "Indicateur", "Valeur", "Divergence", "Base", "Note", "Source"])


def chart_rows(indicators: list[Indicator], flags: dict[str, str]) -> tuple[list[dict], list[dict], int]:
    """Bars, label lines and total height (px) of the chart: one bar per share, its wrapped label above it."""
    bars, lines, y = [], [], 0
    for ind in indicators:
        value = share(ind)
        if value is None:
            continue
        label, _ = split_qualifier(ind)
        divergent = bool(flags.get(ind.id))
        if divergent:
            label += f" — selon « {ind.section} »"
        wrapped = textwrap.wrap(label, CHART_WRAP, break_long_words=False) or [label]
        for line in wrapped:
            y += LINE_PX
            lines.append({"y": y, "ligne": line})
        text = qualified_value(ind)
        inside = value > 62
        bars.append({"y0": y + 3, "y1": y + 3 + BAR_PX, "ym": y + 3 + BAR_PX / 2, "part": value,
                     "valeur": text, "indicateur": label, "base": ind.base,
                     "divergence": "sources divergentes" if divergent else "",
                     "couleur": DIVERGENT_COLOUR if divergent else BAR_COLOUR, "dedans": inside})
        y += 3 + BAR_PX + GAP_PX
    return bars, lines, y


def figures_chart(indicators: list[Indicator], flags: dict[str, str]) -> alt.LayerChart | None:
    """Horizontal bars of the shares, label above each bar, value (with qualifier) at its end."""
    bars, lines, height = chart_rows(indicators, flags)
    if not bars:
        return None
    y_scale = alt.Scale(domain=[0, height], reverse=True, nice=False, zero=True)
    x_scale = alt.Scale(domain=[0, 100], nice=False)
    bar_data, line_data = alt.Data(values=bars), alt.Data(values=lines)
    rects = alt.Chart(bar_data).mark_rect().encode(
        x=alt.X("zero:Q", scale=x_scale, title="Part (%)",
                axis=alt.Axis(values=[0, 25, 50, 75, 100], labelColor="#1a1a1a", titleColor="#1a1a1a")),
        x2="part:Q", y=alt.Y("y0:Q", scale=y_scale, axis=None), y2="y1:Q",
        color=alt.Color("couleur:N", scale=None),
        tooltip=[alt.Tooltip("indicateur:N", title="Indicateur"), alt.Tooltip("valeur:N", title="Valeur"),
                 alt.Tooltip("base:N", title="Base"), alt.Tooltip("divergence:N", title="Divergence")],
    ).transform_calculate(zero="0")
    labels = alt.Chart(line_data).mark_text(align="left", baseline="bottom", fontSize=12, color="#1a1a1a").encode(
        x=alt.value(0), y=alt.Y("y:Q", scale=y_scale, axis=None), text="ligne:N")
    outside = alt.Chart(bar_data).mark_text(align="left", dx=4, fontSize=12, fontWeight="bold", color="#1a1a1a") \
        .encode(x=alt.X("part:Q", scale=x_scale), y=alt.Y("ym:Q", scale=y_scale, axis=None), text="valeur:N") \
        .transform_filter("!datum.dedans")
    inside = alt.Chart(bar_data).mark_text(align="right", dx=-4, fontSize=12, fontWeight="bold", color="white") \
        .encode(x=alt.X("part:Q", scale=x_scale), y=alt.Y("ym:Q", scale=y_scale, axis=None), text="valeur:N") \
        .transform_filter("datum.dedans")
    return alt.layer(rects, labels, outside, inside).properties(
        height=height, title="Indicateurs exprimés en part des répondants")


def render_figures(indicators: list[Indicator], respondents: pd.DataFrame) -> None:
    st.markdown("Les chiffres de l'enquête Musenor 2024-2025, avec la base de chaque chiffre et sa source. "
                "Quand deux diapositives de la présentation donnent des valeurs différentes, la colonne "
                "« Divergence » le signale : aucune des deux n'est privilégiée.")
    themes = sorted({i.theme for i in indicators})
    chosen = st.multiselect("Filtrer par thème (aucun choix : tous les thèmes)", themes, key="themes",
                            placeholder="Tous les thèmes")
    shown = [i for i in indicators if not chosen or i.theme in chosen]
    flags = conflict_flags(indicators)  # on the whole table: a filter must not hide a disagreement
    frame = indicators_frame(shown, flags)
    conflicts = int((frame["Divergence"] != "").sum())
    note(f"{len(shown)} indicateur(s) affiché(s) sur {len(indicators)}, dont {conflicts} avec des sources "
         "divergentes (colonne « Divergence »).")
    chart = figures_chart(shown, flags)
    if chart is not None:
        st.altair_chart(chart, width="stretch", height=int(chart.height) + CHART_MARGIN_PX)
        note("Même contenu que le tableau ci-dessous (parts des répondants). « moins de », « près de » et "
             "« plus de » indiquent une borne ou un ordre de grandeur, pas une valeur exacte. Les barres orange "
             "sont les deux versions d'un chiffre sur lequel les sources divergent : citez-les ensemble.")
    st.dataframe(frame, hide_index=True, width="stretch",
                 column_config={"Indicateur": st.column_config.TextColumn(width="large"),
                                "Note": st.column_config.TextColumn(width="medium")})
    st.download_button("Télécharger ce tableau (CSV)", frame.to_csv(index=False).encode("utf-8-sig"),
                       file_name="musenor-chiffres-cles.csv", mime="text/csv", key="figures_csv",
                       on_click="ignore", icon=":material/download:")
    if not respondents.empty:
        with st.expander(f"Structures répondantes ({len(respondents)})"):
            st.dataframe(respondents.rename(columns={"town": "Ville", "institution": "Structure",
                                                     "country": "Pays"}), hide_index=True, width="stretch")


# --- resources --------------------------------------------------------------------------------------
@dataclass
class Fiche:
    doc_id: str
    title: str
    tags: list[str]
    source: str
    provenance: str
    body: str  # Markdown, without its title and its questions section
    questions: list[str]
    haystack: str  # accent-free lower-case text searched
    order: int = 100  # front-matter `ordre`: the welcome and Musenor's own fiches come first


def _normalise(text: str) -> str:
    return strip_accents(text.lower())


_URL = re.compile(r"(?<![\w/(\[])((?:https?://)?(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.(?:com|fr|org|eu|be|net)"
                  r"(?:/[^\s)\]]*)?)(?=[\s.,;:)»]|$)")


def link_addresses(markdown: str) -> str:
    """Every web address of a fiche as a Markdown link ("musenor.com" -> [musenor.com](https://musenor.com))."""
    def link(match: re.Match) -> str:
        text = match[1].rstrip(".")
        target = text if text.lower().startswith(("http://", "https://")) else f"https://{text}"
        return f"[{text}]({target})" + match[1][len(text):]
    return "\n".join(line if "](" in line else _URL.sub(link, line) for line in markdown.splitlines())


def parse_fiche(doc: Document) -> Fiche:
    """A resource fiche split into its body and the questions it answers (a list of its own)."""
    text = "\n\n".join(p.text for p in doc.passages)
    text = re.sub(r"\A\s*#\s[^\n]*\n", "", text)
    body, _, rest = text.partition(f"## {QUESTIONS_HEADING}")
    questions = []
    for line in rest.splitlines():
        if line.startswith("#"):
            break
        if re.match(r"\s*[-*]\s+", line):
            questions.append(re.sub(r"^\s*[-*]\s+", "", line).strip())
    # Section titles in bold, not headings: the fiche sits in an expander under the page's h1 (heading order).
    body = link_addresses(re.sub(r"(?m)^#{2,6}\s+(.+?)\s*$", r"**\1**", body.strip()))
    meta = doc.metadata
    tags = [str(t) for t in meta.get("tags") or []]
    haystack = _normalise(" ".join([doc.title, " ".join(tags), text]))
    try:
        order = int(meta.get("ordre", 100))
    except (TypeError, ValueError):
        order = 100
    return Fiche(doc.doc_id, doc.title, tags, str(meta.get("source", "")), str(meta.get("provenance", "")),
                 body, questions, haystack, order)


def sort_fiches(fiches: list[Fiche]) -> list[Fiche]:
    """Welcome and Musenor's own fiches first (their `ordre`), then the others alphabetically."""
    return sorted(fiches, key=lambda f: (f.order, _normalise(f.title)))


def search_fiches(fiches: list[Fiche], query: str) -> list[Fiche]:
    words = _normalise(query).split()
    return [f for f in fiches if all(w in f.haystack for w in words)]


def _fiche_details(fiche: Fiche, welcome: bool = False) -> None:
    """A fiche's text and its questions; its keywords, source and provenance before it (after it for
    the welcome fiche, which a newcomer reads first)."""
    details = ([f"Mots-clés : {escape_md(', '.join(fiche.tags))}"] if fiche.tags and not welcome else []) + \
        ([f"Source : {escape_md(fiche.source)}"] if fiche.source else []) + \
        ([f"Provenance : {escape_md(fiche.provenance)}"] if fiche.provenance else [])
    for line in details if not welcome else []:
        note(line)
    st.markdown(fiche.body)
    for line in details if welcome else []:
        note(line)
    if fiche.questions:
        st.markdown(f"**{QUESTIONS_HEADING}** (cliquez pour la poser à l'assistant) :")
        for i, q in enumerate(fiche.questions):
            st.button(escape_md(q), key=f"res-{fiche.doc_id}-{i}", on_click=queue_question, args=(q,))


def render_resources(fiches: list[Fiche]) -> None:
    fiches = sort_fiches(fiches)
    query = st.session_state.get("resource_search", "")
    welcome = [] if query else [f for f in fiches if WELCOME_TAG in (t.lower() for t in f.tags)][:1]
    for fiche in welcome:
        st.subheader("Bienvenue dans le réseau")
        with st.container(border=True):
            st.markdown(f"**{escape_md(fiche.title)}**")
            _fiche_details(fiche, welcome=True)
    st.subheader("Fiches ressources")
    st.markdown("Fiches de contexte pour les nouveaux venus : réseaux, normes d'accessibilité, projets du réseau. "
                "Les questions au bas de chaque fiche peuvent être posées à l'assistant d'un clic.")
    query = st.text_input("Rechercher une fiche (titre, mot-clé ou contenu)", key="resource_search",
                          placeholder="par exemple : accessibilité, ProMETHEE, adhérer")
    shown = search_fiches([f for f in fiches if f not in welcome], query)
    note(f"{len(shown)} fiche(s) sur {len(fiches)}.")
    for fiche in shown:
        with st.expander(escape_md(fiche.title), expanded=len(shown) == 1):
            _fiche_details(fiche)
