"""Talk kit: for a few themes, the survey's key figures, key messages, examples and resources, and an outline.

Everything comes from the bundled corpus: figures from `survey/indicators.csv` (grouped by its
`theme` column), messages and exemplary actions from the survey fiches whose `section` holds the
theme's figures, resources from the resource fiches. Nothing is written by hand except each
theme's French label and a few words saying what it is about (used to rank the fiches' bullets).
The exports (Markdown here; charts and PowerPoint in deck.py) cite numbered sources.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

from .corpus import FRACTIONS, Indicator, load_corpus, load_indicators
from .errors import InputError
from .lexical import strip_accents, tokenize

MAX_FIGURES = 5
MAX_MESSAGES = 3
MAX_ACTIONS = 4
MAX_RESOURCES = 4
TALK_MINUTES = 10
INTRO_MINUTES = 1
CLOSING_MINUTES = 2
ACTIONS_SECTION = "Actions exemplaires en faveur de la durabilité"
CONCLUSIONS_SECTION = "Conclusions et perspectives"
_META = re.compile(r"\bne (dit|précise|donne|détaille|fournit)\b|\bn'est pas (indiqué|précisé)|\bne sont pas reproduits\b"
                   r"|\bsans que le texte\b|\bfigurent sous\b|\bcomporte un graphique\b", re.I)
_QUALIFIER = re.compile(r"\s*\((?:(?P<rest>[^()]*?),\s*)?(?P<q>moins de|plus de|près de)\)\s*$")


@dataclass(frozen=True)
class KitTheme:
    """A talk theme: its French label, the `theme` values of indicators.csv it covers, its vocabulary."""

    slug: str
    label: str
    indicator_themes: tuple[str, ...]
    keywords: str
    aliases: tuple[str, ...] = ()


THEMES: tuple[KitTheme, ...] = (
    KitTheme("strategie", "Stratégie numérique", ("stratégie", "perspectives"),
             "stratégie plan perspectives priorités avenir innovation technologies innovantes", ("strategy",)),
    KitTheme("personnes-budget", "Personnes et budget", ("organisation",),
             "budget financements agents prestataires compétences moyens",
             ("personnes et budget", "people-budget", "budget", "organisation")),
    KitTheme("presence-en-ligne", "Présence en ligne", ("présence numérique",),
             "site internet fréquentation audience applications mobiles collections en ligne",
             ("présence en ligne", "presence numerique", "online-presence")),
    KitTheme("accessibilite", "Accessibilité", ("accessibilité",),
             "accessibilité normes WCAG RGAA handicap dispositifs inclusion", ("accessibility",)),
    KitTheme("eco-responsabilite", "Éco-responsabilité", ("écologie", "actions exemplaires"),
             "écologie durabilité durable environnemental sobriété écoresponsable low-tech énergie écoconception",
             ("éco-responsabilité", "ecologie", "eco-responsibility", "durabilite")),
    KitTheme("reseaux", "Réseaux", ("réseaux", "réseau Musenor"),
             "réseaux initiatives collectives mutualisation coopération rencontres partage", ("networks",)),
    KitTheme("echantillon", "L'échantillon de l'enquête", ("méthode", "profil des répondants"),
             "répondants structures méthode Framaforms ouverture",
             ("l'échantillon", "échantillon", "sample", "methode")),
)


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", strip_accents(text.lower())).strip("-")


def find_theme(name: str) -> KitTheme:
    """The theme named by a slug, its French label or an alias (accents and case ignored)."""
    wanted = _key(name)
    for theme in THEMES:
        if wanted in {_key(theme.slug), _key(theme.label), *(_key(a) for a in theme.aliases)}:
            return theme
    choices = ", ".join(f"{t.slug} ({t.label})" for t in THEMES)
    raise InputError(f"Thème inconnu : « {name} ». Thèmes possibles : {choices}.")


# --- figures ----------------------------------------------------------------------------------------
def split_qualifier(indicator: Indicator) -> tuple[str, str]:
    """(label without its trailing "(moins de)" marker, qualifier) — the CSV keeps bounds in the label."""
    match = _QUALIFIER.search(indicator.indicator)
    if not match:
        return indicator.indicator, ""
    label = indicator.indicator[:match.start()]
    if match["rest"]:
        label += f" ({match['rest'].strip()})"
    return label, match["q"]


def qualified_value(indicator: Indicator) -> str:
    """The value as the survey says it: "moins de 40 %", "près d'un tiers", "plus de 250 professionnels"."""
    _, qualifier = split_qualifier(indicator)
    unit = indicator.unit.strip()
    value = indicator.value.replace(" ", "")
    if unit == "part" and value in FRACTIONS:
        text = FRACTIONS[value]
    elif unit == "%":
        text = f"{indicator.value} %"
    else:
        text = indicator.value_text()
    if not qualifier:
        return text
    text = f"{qualifier} {text}"
    return re.sub(r"\bde (un|une|environ)\b", r"d'\1", text)


def share(indicator: Indicator) -> float | None:
    """The value as a percentage for a chart (shares only: "%" and "part"; None otherwise)."""
    value = indicator.value.replace(" ", "").replace(",", ".")
    try:
        if indicator.unit.strip() == "%":
            number = float(value)
        elif indicator.unit.strip() == "part":
            number = float(Fraction(value)) * 100
        else:
            return None
    except (ValueError, ZeroDivisionError):
        return None
    return number if 0 <= number <= 100 else None


@dataclass
class Figure:
    indicator: Indicator
    label: str
    value: str  # with its qualifier
    source_n: int = 0
    divergent_with: list[str] = field(default_factory=list)  # ids of the other side(s)

    @property
    def side(self) -> str:
        """Which slide a divergent figure comes from (tells the two sides apart)."""
        return self.indicator.section

    @property
    def number(self) -> float | None:
        return share(self.indicator)


@dataclass
class KitSource:
    n: int
    title: str
    where: str
    file: str


@dataclass
class Cited:
    text: str
    source_n: int


@dataclass
class ThemeKit:
    theme: KitTheme
    figures: list[Figure]
    messages: list[Cited]
    actions: list[Cited]
    resources: list[Cited]
    warnings: list[str]


@dataclass
class Kit:
    themes: list[ThemeKit]
    outline: list[tuple[str, str]]  # (time slot, what to say)
    sources: list[KitSource]

    @property
    def title(self) -> str:
        return "Intervention : " + ", ".join(t.theme.label for t in self.themes)


class _Sources:
    """Numbers sources in order of first use."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], KitSource] = {}

    def cite(self, title: str, where: str, file: str) -> int:
        key = (file, where)
        if key not in self.items:
            self.items[key] = KitSource(len(self.items) + 1, title, where, file)
        return self.items[key].n


@dataclass
class _Bullet:
    text: str
    heading: str
    doc_title: str
    file: str
    section: str  # the fiche's front-matter section
    tags: list[str]


def _bullets(corpus_dir: Path) -> list[_Bullet]:
    """Every bullet of every Markdown fiche, with the heading it sits under."""
    out = []
    for doc in load_corpus(corpus_dir):
        if doc.kind not in ("fiche-enquete", "fiche-ressource"):
            continue
        heading = ""
        for line in "\n".join(p.text for p in doc.passages).splitlines():
            if line.startswith("## "):
                heading = line[3:].strip()
            elif re.match(r"\s*[-*]\s+\S", line) and not heading.startswith("Questions auxquelles"):
                out.append(_Bullet(re.sub(r"^\s*[-*]\s+", "", line).strip(), heading, doc.title, doc.source,
                                   str(doc.metadata.get("section", "")), [str(t) for t in doc.metadata.get("tags") or []]))
    return out


def _vocabulary(theme: KitTheme, figures: list[Figure], all_indicators: list[Indicator]) -> dict[str, float]:
    """Terms that say what the theme is about: its keywords, and the words of its figures that are rare
    elsewhere in the table (a word found in most indicators — "part", "répondants" — carries no topic)."""
    frequency: dict[str, int] = {}
    for ind in all_indicators:
        for term in set(tokenize(ind.indicator)):
            frequency[term] = frequency.get(term, 0) + 1
    vocab = {term: 2.0 for term in tokenize(theme.keywords)}
    for fig in figures:
        for term in tokenize(fig.label):
            if frequency.get(term, 0) <= max(2, len(all_indicators) // 8):
                vocab.setdefault(term, 1.0)
    return vocab


def _specific(vocab: dict[str, float], texts: list[str]) -> dict[str, float]:
    """The vocabulary without terms found in more than a third of `texts` ("numérique", "musée"...):
    fitted on the texts being ranked, so a word that names everything ranks nothing."""
    seen = [set(tokenize(t)) for t in texts]
    return {term: w for term, w in vocab.items() if sum(term in s for s in seen) * 3 <= max(3, len(seen))}


def _score(text: str, vocab: dict[str, float]) -> float:
    terms = set(tokenize(text))
    return sum(vocab.get(t, 0.0) for t in terms)


def select_figures(theme: KitTheme, indicators: list[Indicator]) -> list[Indicator]:
    """Up to MAX_FIGURES figures of the theme, in table order, a divergent figure always with its other side."""
    chosen: list[Indicator] = []
    for ind in indicators:
        if ind.theme not in theme.indicator_themes or ind in chosen:
            continue
        group = [o for o in indicators if ind.conflict_group and o.conflict_group == ind.conflict_group] or [ind]
        if chosen and len(chosen) + len(group) > MAX_FIGURES:
            continue
        chosen += [o for o in group if o not in chosen]
    order = {t: i for i, t in enumerate(theme.indicator_themes)}
    return sorted(chosen, key=lambda i: order.get(i.theme, len(order)))


def build_theme(theme: KitTheme, indicators: list[Indicator], bullets: list[_Bullet], sources: _Sources) -> ThemeKit:
    picked = select_figures(theme, indicators)
    figures, warnings = [], []
    for ind in picked:
        label, _ = split_qualifier(ind)
        file, _, slide = ind.source.partition(";")
        n = sources.cite("Enquête Musenor 2024-2025 — tableau des indicateurs", slide.strip() or ind.section,
                         "survey/indicators.csv")
        others = [o.id for o in picked if ind.conflict_group and o.conflict_group == ind.conflict_group and o is not ind]
        figures.append(Figure(ind, label, qualified_value(ind), n, others))
    for group in dict.fromkeys(f.indicator.conflict_group for f in figures if f.indicator.conflict_group):
        sides = [f for f in figures if f.indicator.conflict_group == group]
        said = " ; ".join(f"« {f.value} » selon « {f.side} » [{f.source_n}]" for f in sides)
        warnings.append(f"Attention, les sources divergent : {said}. Citez les deux valeurs, sans trancher.")
    if len(figures) < 2:
        warnings.append("L'enquête ne donne pas d'autre chiffre sur ce thème : les autres questions "
                        "n'ont pas de résultat chiffré dans le texte de la présentation.")

    vocab = _vocabulary(theme, figures, indicators)
    sections = {f.indicator.section for f in figures}
    topic = {term: 2.0 for term in tokenize(theme.keywords)}  # the theme's own words only
    survey = [b for b in bullets if b.file.startswith("survey/") and b.section != ACTIONS_SECTION]
    scored = []
    for b in survey:
        if _META.search(b.text) or b.text.startswith("Attention"):
            continue
        score = _score(b.text, vocab) + (2.0 if b.section in sections else 0.0)
        scored.append((score, b))
    messages, seen_headings = [], set()
    for score, b in sorted(scored, key=lambda sb: -sb[0]):
        if score <= 2.0 or len(messages) >= MAX_MESSAGES or (b.file, b.heading) in seen_headings:
            continue
        seen_headings.add((b.file, b.heading))
        messages.append(Cited(b.text, sources.cite(b.doc_title, b.heading, b.file)))

    action_bullets = [b for b in bullets if b.section == ACTIONS_SECTION and b.heading == "Les actions relevées"]
    action_topic = _specific(topic, [b.text for b in action_bullets])
    actions, places = [], set()
    about_actions = any(f.indicator.section == ACTIONS_SECTION for f in figures)
    for b in action_bullets:
        place = " ".join(b.text.split()[:2])
        if len(actions) < MAX_ACTIONS and place not in places and (about_actions or _score(b.text, action_topic) >= 2.0):
            places.add(place)
            actions.append(Cited(b.text, sources.cite(b.doc_title, b.heading, b.file)))

    resources = []
    firsts = {}
    for b in bullets:
        if b.file.startswith("resources/"):
            firsts.setdefault(b.file, b)
    profiles = {f: " ".join([b.doc_title, *b.tags]) for f, b in firsts.items()}
    resource_topic = _specific(topic, list(profiles.values()))
    ranked = {f: (_score(profiles[f], resource_topic), b) for f, b in firsts.items()}
    for score, b in sorted(ranked.values(), key=lambda sb: -sb[0])[:MAX_RESOURCES]:
        if score >= 2.0:
            resources.append(Cited(f"{b.doc_title} : {b.text}", sources.cite(b.doc_title, b.heading, b.file)))
    return ThemeKit(theme, figures, messages, actions, resources, warnings)


def outline(themes: list[ThemeKit], sample: list[Indicator]) -> list[tuple[str, str]]:
    """A 10-minute plan: the survey in one minute, the themes sharing the middle, then what to do next."""
    facts = ", ".join(qualified_value(i) for i in sample[:2])
    plan = [(f"0 – {INTRO_MINUTES} min", "Présenter l'enquête Musenor (6 décembre 2024 – 27 janvier 2025"
             + (f", {facts}" if facts else "") + ") et annoncer les thèmes.")]
    start = float(INTRO_MINUTES)
    each = (TALK_MINUTES - INTRO_MINUTES - CLOSING_MINUTES) / max(1, len(themes))
    for tk in themes:
        end = start + each
        lead = tk.figures[0].value if tk.figures else ""
        what = f"{tk.theme.label} : " + (f"le chiffre clé ({lead}), " if lead else "") + \
            f"{len(tk.messages)} message(s) clé(s)" + (", un exemple de musée" if tk.actions else "") + \
            (" ; signaler la divergence des sources" if any(f.divergent_with for f in tk.figures) else "") + "."
        plan.append((f"{_minutes(start)} – {_minutes(end)} min", what))
        start = end
    plan.append((f"{_minutes(start)} – {TALK_MINUTES} min", "Conclure : les pistes d'action de l'enquête, les réseaux "
                 "et ressources à citer, comment participer au réseau Musenor (portail musenor.com, rencontres)."))
    return plan


def _minutes(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def build_kit(theme_names: list[str], corpus_dir: Path) -> Kit:
    """The talk kit for the named themes (order kept, duplicates dropped)."""
    if not theme_names:
        raise InputError("Choisissez au moins un thème : " + ", ".join(t.label for t in THEMES) + ".")
    themes = list(dict.fromkeys(find_theme(n) for n in theme_names))
    indicators = load_indicators(corpus_dir)
    bullets = _bullets(corpus_dir)
    sources = _Sources()
    kits = [build_theme(t, indicators, bullets, sources) for t in themes]
    sample_theme = next(t for t in THEMES if t.slug == "echantillon")
    sample = [i for i in indicators if i.theme in sample_theme.indicator_themes and i.unit != "%"]
    return Kit(kits, outline(kits, sample), list(sources.items.values()))
