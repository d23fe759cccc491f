"""Answers for talk preparation: the key figures of a theme, from the indicators table, and the messages
of a whole survey, from its conclusions.

A talk request ("pour une conférence sur la présence en ligne, quels chiffres citer ?") is answered with
2–4 indicator rows of one theme, each with its base and [n], conflicts flagged, then the best statement
of that theme's fiches; a request for the survey's messages with its conclusion section, in order.
Both read with the extractive answerer's reader (`answer.py`). What makes a talk request and its topic
are read in `talk_request`.
"""
from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable

from .answer import Evidence, ExtractiveAnswerer, citer, clean_sentence, short_claim, source_of, states_value
from .lexical import BM25Index, tokenize
from .question_context import NAME
from .reader import ABSENCE, PERCENT, Scored, core, repeats_numbers
from .refusal import name_rarity
from .records import Answer
from .retrieval import Hit, HybridSearch
from .talk_request import EXAMPLES, asks_figures, talk_topic, topic_parts, wants_messages


def origins(row: Hit) -> list[str]:
    """The documents an indicator row cites (its `origin` column, ";"-separated)."""
    return [o.strip() for o in str(row.chunk.metadata.get("origin", "")).split(";") if o.strip()]


def theme_rows(search: HybridSearch, topic: str, indicator_count: int, k: int = 6,
               figures_asked: bool = True, row_weight: float = 1.0) -> list[Hit]:
    """Indicator rows for a talk on `topic`, best first: those of the theme on which the rows' own
    ranking and the ranking of the fiches they cite or that declare the theme (a fiche's prose tells its
    theme better than a row's short claim; the rows' `source` column names their fiches, a fiche's
    `theme` front matter its themes) agree best — the smallest sum of the theme's best row rank, times
    `row_weight` (config `talk_row_rank_weight`, fitted by benchmarks/fit_talk_theme.py), and best fiche
    rank (then rows of other themes when it has only one); without a cited fiche, the rows closest to the
    topic. Empty when no figures are asked for and the
    passage closest to the topic is a fiche no row cites and that declares no theme: the topic is one the
    table gives no figure for ("les obstacles au numérique : de quoi parler ?"), and its messages answer
    the talk (`engine.Engine._answer`)."""
    rows, hits = theme_search(search, topic, indicator_count)
    cited_anywhere = {origin for row in rows for origin in origins(row)}
    closest = hits[0].chunk if hits else None
    if not figures_asked and rows and closest is not None and closest.kind != "indicator" \
            and closest.source not in cited_anywhere and not closest.metadata.get("theme"):
        return []
    best = theme_ranks(rows, hits)
    if not best:
        return rows[:k]
    theme = best_theme(best, row_weight)
    chosen = [r for r in rows if str(r.chunk.metadata.get("theme", "")) == theme]
    return (chosen if len(chosen) >= 2 else chosen + [r for r in rows if r.position != chosen[0].position])[:k]


def theme_search(search: HybridSearch, topic: str, indicator_count: int) -> tuple[list[Hit], list[Hit]]:
    """What a talk's theme is chosen from: every indicator row ranked for `topic`, and its 10 best passages."""
    vector = search.embed_query(topic)
    return (search.search(topic, k=indicator_count, kinds=["indicator"], query_vector=vector),
            search.search(topic, k=10, query_vector=vector))


def theme_ranks(rows: list[Hit], hits: list[Hit]) -> dict[str, tuple[int, int]]:
    """For each theme of the ranked indicator `rows`: (its best row rank, the best rank among `hits` of a
    fiche its rows cite or that declares it; `len(hits)` when none is there). Empty when no theme has a
    fiche among `hits`: nothing then tells one theme from another."""
    fiche_rank: dict[str, int] = {}
    declared: dict[str, int] = {}  # theme -> best rank of a fiche declaring it (a resource fiche no row cites)
    for rank, hit in enumerate(hits):
        fiche_rank.setdefault(hit.chunk.source, rank)
        if hit.chunk.kind != "indicator":
            for theme in str(hit.chunk.metadata.get("theme", "")).split(";"):
                if theme.strip():
                    declared.setdefault(theme.strip(), rank)
    best: dict[str, tuple[int, int]] = {}
    for rank, row in enumerate(rows):
        theme = str(row.chunk.metadata.get("theme", ""))
        cited = [fiche_rank[origin] for origin in origins(row) if origin in fiche_rank]
        row_best, fiche_best = best.get(theme, (rank, declared.get(theme, len(hits))))
        best[theme] = (min(row_best, rank), min([fiche_best, *cited]))
    return {} if all(f == len(hits) for _, f in best.values()) else best


def best_theme(ranks: dict[str, tuple[int, int]], row_weight: float = 1.0) -> str:
    """The theme whose weighted row rank plus fiche rank is smallest (`theme_ranks`), the better fiche first."""
    return min(ranks, key=lambda t: (row_weight * ranks[t][0] + ranks[t][1], ranks[t][1]))


def shown_rows(figures: list[Hit]) -> list[Hit]:
    """The rows a talk answer shows of `figures` (`theme_rows`' order): up to four of the first row's theme,
    or the first two when that theme has one."""
    theme = figures[0].chunk.metadata.get("theme")
    chosen = [h for h in figures if h.chunk.metadata.get("theme") == theme][:4]
    return chosen if len(chosen) >= 2 else figures[:2]


def things_left(search: HybridSearch, topic: str, figures: list[Hit]) -> tuple[list[Hit], list[str]]:
    """What the rows shown for a talk topic leave out of the things it names (`topic_parts`): for each thing
    sharing no word with them (their text or theme), the row closest to it when a row shares its words
    ("la dépendance aux prestataires" beside the website rows), else the thing itself, which a statement
    answers ("les dates": the table gives none)."""
    parts = topic_parts(topic)
    if len(parts) < 2 or not figures:
        return [], []
    shown = shown_rows(figures)
    words = {w for h in shown for w in tokenize(f"{h.chunk.text} {h.chunk.metadata.get('theme', '')}")}
    rows: list[Hit] = []
    facts: list[str] = []
    for part in parts:
        if words & set(tokenize(part)):
            continue
        closest = search.search(part, k=1, kinds=["indicator"])
        if closest and closest[0].lexical > 0:
            if closest[0].position not in {h.position for h in shown + rows}:
                rows.append(closest[0])
        else:
            facts.append(part)
    return rows, facts


def findings(reader: ExtractiveAnswerer, question: str, query: str, evidence: Evidence) -> Answer | None:
    """The messages of a whole survey: the statements of the section that best answers `query`
    (its conclusions), in their own order, as many as the answer holds; None when there are none."""
    statements = [s for s in reader.score(query, evidence) if s.hit.chunk.kind != "indicator"
                  and not ABSENCE.search(core(s.text))]
    if not statements:
        return None
    section = (statements[0].hit.chunk.source, statements[0].hit.chunk.section)
    ordered = sorted((s for s in statements if (s.hit.chunk.source, s.hit.chunk.section) == section),
                     key=lambda s: (s.hit.position, s.order))
    # An opening all the statements share ("Selon la conclusion de l'enquête, …") is said once.
    texts = [clean_sentence(s.text) for s in ordered]
    opening = os.path.commonprefix(texts) if len(texts) > 1 else ""
    opening = opening[:opening.rfind(", ") + 2] if ", " in opening else ""
    lines = [t[len(opening):] for t in texts]
    head = f"À retenir ({opening[:1].lower()}{opening[1:].rstrip(', ')}) :" if opening else "À retenir :"
    # Messages before figures (a talk's figures come from the indicators table): statements without
    # a proportion are kept first, then the others while there is room; all said in their own order.
    room = (evidence.max_chars or reader.settings.max_answer_total_chars) - len(head)
    kept: set[int] = set()
    for i in sorted(range(len(lines)), key=lambda i: bool(PERCENT.search(lines[i]))):
        if len(lines[i]) + 6 <= room:
            kept.add(i)
            room -= len(lines[i]) + 6
    cite, sources = citer()
    text = head + "".join(f" {lines[i][:1].upper()}{lines[i][1:]} [{cite(ordered[i].hit)}]" for i in sorted(kept))
    return Answer(question=question, answered=True, text=text, sources=sources)

def key_figures(reader: ExtractiveAnswerer, question: str, figures: list[Hit], evidence: Evidence,
                added: list[Hit] | None = None, facts: list[str] | None = None) -> Answer:
    """2–4 key figures of a theme (indicator rows, at least one: `engine.Engine._answer` asks the topic
    itself when there are none), each cited, bases said once, conflicts flagged; then the best statement of
    the fiches on that theme as a key message. Things the topic names that those rows leave out
    (`things_left`) get their own row (`added`, after the first) or, with no row, the statement that
    answers each (`facts`)."""
    facts = facts or []
    topic = talk_topic(question)
    score = functools.cache(lambda query: reader.score(query, evidence))  # one reader pass per query
    if facts:  # the theme's statement is on the things the rows give
        topic = " et ".join(p for p in topic_parts(topic) if p not in facts) or topic
    chosen = shown_rows(figures)
    chosen = chosen[:1] + (added or []) + chosen[1:]
    cite, sources = citer()
    lines: list[str] = []
    bases: list[str] = []
    shown: set[str] = set()
    unexplained = False  # a disputed row shown without the figure the other source gives
    limit = evidence.max_chars or reader.settings.max_answer_total_chars  # a part of a longer answer has less
    budget = limit - 20
    least = 1 if evidence.max_chars else 2  # figures said even past the budget
    if facts and not asks_figures(question):  # room for the statements on the things no row gives
        budget -= sum(len(clean_sentence(s.text)) + 6 for s in _each_best(reader, score, topic, facts, "")) + 13
        least = 1
    messages = wants_messages(question)  # messages asked: up to three statements, and fewer figures unless asked for
    examples = bool(EXAMPLES.search(question))  # examples asked beside the figures: room for them
    most = 2 if examples or (messages and not asks_figures(question)) else 4
    for hit in chosen:
        if hit.chunk.chunk_id in shown:
            continue  # said beside the row it disputes: it takes no figure's place
        if len(lines) >= most:
            break
        others = [o for o in reader.conflicts([hit], evidence) if o.chunk.chunk_id not in shown]
        line = short_claim(hit.chunk.metadata.get("short_claim") or hit.chunk.text)
        base = str(hit.chunk.metadata.get("base") or "")
        more = [base] if base and base not in bases else []
        said = " ; ".join(lines + [line + "".join(f" ({other_source(o)} [00])" for o in others)])
        if len(lines) >= least and len("Chiffres clés : " + said + " Base : " + said_bases(bases + more)) + 8 > budget:
            break
        line = f"{line} [{cite(hit)}]" + "".join(f" ({other_source(o)} [{cite(o)}])" for o in others)
        shown |= {hit.chunk.chunk_id, *(o.chunk.chunk_id for o in others)}
        unexplained |= bool(hit.chunk.metadata.get("conflict_group")) and not others
        lines.append(line)
        bases += more
    text = "Chiffres clés : " + " ; ".join(lines) + "."
    if bases:
        text += " Base : " + said_bases(bases) + "."
    if unexplained:
        text += " Attention, certaines sources divergent sur ces chiffres."
    # Statements on the talk's theme: the words about the talk ("messages clés") are no topic; the
    # fiches the chosen rows cite come first (they are the theme's prose).
    fiches = {origin for h in chosen for origin in origins(h)}
    statements = _fresh(score(topic), text)
    if not messages and not examples:  # a survey's messages and examples cut across themes; a theme's figures do not
        statements.sort(key=lambda s: s.hit.chunk.source not in fiches)  # stable: the reader's order otherwise
    if examples:  # an example is an instance: statements naming one come first, in the reader's order
        statements.sort(key=lambda s: not names_instance(s.text, evidence.bm25, reader.settings.name_rarest_idf))
    if facts:  # the theme's statement, then the one answering each thing no row gives
        statements = _each_best(reader, score, topic, facts, text)
    kept: list[Scored] = []
    for statement in statements[:3 if messages else 2 if examples else 1 + len(facts)]:
        if kept and not facts and statement.probability < reader.settings.reader_runner_up * kept[0].probability:
            break  # the reader's own threshold for a further sentence
        said = " ".join(clean_sentence(s.text) for s in kept + [statement])
        if len(text) + len(said) + 25 + 5 * len(kept) > limit:
            break
        kept.append(statement)
    if kept:
        text += " À retenir : " + " ".join(f"{clean_sentence(s.text)} [{cite(s.hit)}]" for s in kept)
    return Answer(question=question, answered=True, text=text, sources=sources)


def _fresh(scored: list[Scored], said: str) -> list[Scored]:
    """The fiches' statements among the reader's `scored` sentences, best first, that can be a message: what
    the corpus does not say is none, nor a sentence whose figures `said` already gives."""
    return [s for s in scored if s.hit.chunk.kind != "indicator"
            and not ABSENCE.search(core(s.text)) and not _repeats_figures(s.text, said)]


# A thing named by its kind of value ("les dates", "la période"): the reader looks for a sentence holding one.
DATE_NAMED = re.compile(r"\b(?:dates?|périodes?)\b", re.IGNORECASE)


def _each_best(reader: ExtractiveAnswerer, score: Callable[[str], list[Scored]], topic: str, facts: list[str],
               said: str) -> list[Scored]:
    """For the topic, then for each fact (read with the topic, which says what it is of), the statement the
    reader would answer it with (one holding a date when it names dates), else its first (`_fresh`); a
    statement saying again what an earlier one said is skipped."""
    chosen: list[Scored] = []
    for part in [topic, *facts]:
        given = " ".join(c.text for c in chosen)
        statements = [s for s in _fresh(score(part if part == topic else f"{part} {topic}"), said)
                      if s.text not in given and not repeats_numbers(s.text, given)]
        if statements:
            asked = f"quelles dates : {part}" if DATE_NAMED.search(part) else part
            chosen.append(reader.candidate(asked, statements) or statements[0])
    return chosen


def names_instance(sentence: str, bm25: BM25Index, rarest_idf: float) -> bool:
    """The sentence names a place or body (a capitalised name after its first word) as rare in the collection
    as a name that restricts a question (`refusal.names_elsewhere`'s fitted threshold): "Au LaM, …", "À
    Saint-Omer, …", not "Selon l'enquête Musenor, …", whose name is the collection's own subject."""
    return any(name_rarity(name, bm25) >= rarest_idf for name in NAME.findall(core(sentence)))


UNSTATED = re.compile(r"^(?P<head>.*?)\s*\((?P<note>[^()]*non précisée?s?[^()]*)\)$")


def said_bases(bases: list[str]) -> str:
    """The bases of several figures, said once: those the survey does not state exactly ("répondants à
    l'enquête (61 personnes de 53 structures ; base exacte de la question non précisée)", "musées répondants
    (base exacte non précisée : 61 répondants, 53 structures)") share one note with the first count given."""
    unstated = [m for m in map(UNSTATED.match, bases) if m]
    if len(unstated) < 2:
        return " ; ".join(bases)
    counts = [part.strip() for m in unstated for part in re.split(r"[;:]", m.group("note"))
              if re.search(r"\d", part) and "non précisé" not in part]
    note = "bases exactes non précisées" + (f" ; {counts[0]}" if counts else "")
    heads = [m.group("head") for m in unstated]
    return " ; ".join([b for b in bases if not UNSTATED.match(b)] + [f"{' ; '.join(heads)} ({note})"])


def other_source(row: Hit) -> str:
    """A disputed figure as the other source gives it, said beside the row it disputes: "autre source :
    selon la conclusion, près d'un tiers (1/3)" — where it comes from (the qualifier in parentheses that
    ends its label, else its section) and its value."""
    label, _, value = short_claim(row.chunk.metadata.get("short_claim") or row.chunk.text).rpartition(" : ")
    qualifier = re.search(r"\(([^()]*)\)\s*$", label)
    where = qualifier.group(1) if qualifier else f"« {row.chunk.section} »"
    said = re.sub(r"\bde (?=[aeiouyhéèê])", "d'", f"{where} {value}" if where.endswith(" de") else f"{where}, {value}")
    return f"autre source : {said}"


def _repeats_figures(sentence: str, said: str) -> bool:
    """The sentence's percentages are all already in `said` (and it has some)."""
    values = re.findall(r"\d+(?:,\d+)?\s?%", sentence)
    return bool(values) and all(v in said for v in values)


FOR_TALK = "Pour votre intervention, chiffres clés du thème : "


def with_key_figures(answer: Answer, figures: list[Hit], limit: int, most: int = 2) -> Answer:
    """A question asked for a talk ("Pour ma slide : quelles priorités …?"), answered, with up to `most`
    key figures of its theme added (indicator rows not already cited, not stating a value the answer
    gives and not disputed by another source), each with its base and [n], while the whole stays within
    `limit` characters."""
    if not answer.answered or not figures:
        return answer
    theme = figures[0].chunk.metadata.get("theme")
    cited = {s.chunk_id for s in answer.sources}
    lines: list[str] = []
    sources = list(answer.sources)
    for hit in figures:
        meta = hit.chunk.metadata
        if len(lines) >= most:
            break
        if meta.get("theme") != theme or hit.chunk.chunk_id in cited or meta.get("conflict_group"):
            continue  # a disputed figure needs its counterpart and a warning: the talk answer proper gives them
        if states_value(meta, answer.text):
            continue  # the answer already gives this figure
        base = str(meta.get("base") or "")
        line = short_claim(meta.get("short_claim") or hit.chunk.text) + (f" (base : {base})" if base else "")
        line = f"{line} [{len(sources) + 1}]"
        if len(answer.text) + len(FOR_TALK) + sum(len(x) + 3 for x in lines + [line]) + 1 > limit:
            break
        lines.append(line)
        sources.append(source_of(len(sources) + 1, hit.chunk, hit.score))
    if not lines:
        return answer
    answer.text = f"{answer.text} {FOR_TALK}{' ; '.join(lines)}."
    answer.sources = sources
    return answer
