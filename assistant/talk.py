"""Answers for talk preparation: the key figures of a theme, from the indicators table, and the messages
of a whole survey, from its conclusions.

A talk request ("pour une conférence sur la présence en ligne, quels chiffres citer ?") is answered with
2–4 indicator rows of one theme, each with its base and [n], conflicts flagged, then the best statement
of that theme's fiches; a request for the survey's messages with its conclusion section, in order.
Both read with the extractive answerer's reader (`answer.py`).
"""
from __future__ import annotations

import os
import re

from .answer import Evidence, ExtractiveAnswerer, citer, clean_sentence, short_claim
from .questions import talk_topic, wants_messages
from .reader import ABSENCE, PERCENT, Scored, core
from .records import Answer
from .retrieval import Hit, HybridSearch


def theme_rows(search: HybridSearch, topic: str, indicator_count: int, k: int = 6) -> list[Hit]:
    """Indicator rows for a talk on `topic`, best first: those of the theme on which the rows' own
    ranking and the ranking of the fiches they cite (a fiche's prose tells its theme better than a
    row's short claim; the rows' `source` column names their fiches) agree best — the smallest sum
    of the theme's best row rank and best fiche rank (then rows of other themes when it has only one);
    without a cited fiche, the rows closest to the topic."""
    vector = search.embed_query(topic)
    rows = search.search(topic, k=indicator_count, kinds=["indicator"], query_vector=vector)
    hits = search.search(topic, k=10, query_vector=vector)
    fiche_rank: dict[str, int] = {}
    for rank, hit in enumerate(hits):
        fiche_rank.setdefault(hit.chunk.source, rank)
    best: dict[str, tuple[int, int]] = {}  # theme -> (best row rank, best fiche rank)
    for rank, row in enumerate(rows):
        theme = str(row.chunk.metadata.get("theme", ""))
        cited = [fiche_rank[o.strip()] for o in str(row.chunk.metadata.get("origin", "")).split(";")
                 if o.strip() in fiche_rank]
        row_best, fiche_best = best.get(theme, (rank, len(hits)))
        best[theme] = (min(row_best, rank), min([fiche_best, *cited]))
    if not best or all(f == len(hits) for _, f in best.values()):
        return rows[:k]
    theme = min(best, key=lambda t: (sum(best[t]), best[t][1]))
    chosen = [r for r in rows if str(r.chunk.metadata.get("theme", "")) == theme]
    return (chosen if len(chosen) >= 2 else chosen + [r for r in rows if r.position != chosen[0].position])[:k]


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
    room = reader.settings.max_answer_total_chars - len(head)
    kept: set[int] = set()
    for i in sorted(range(len(lines)), key=lambda i: bool(PERCENT.search(lines[i]))):
        if len(lines[i]) + 6 <= room:
            kept.add(i)
            room -= len(lines[i]) + 6
    cite, sources = citer()
    text = head + "".join(f" {lines[i][:1].upper()}{lines[i][1:]} [{cite(ordered[i].hit)}]" for i in sorted(kept))
    return Answer(question=question, answered=True, text=text, sources=sources)

def key_figures(reader: ExtractiveAnswerer, question: str, figures: list[Hit], evidence: Evidence) -> Answer:
    """2–4 key figures of a theme (indicator rows), each cited, bases said once, conflicts flagged;
    then the best statement of the fiches on that theme as a key message."""
    if not figures:
        return reader.answer(question, evidence)
    theme = figures[0].chunk.metadata.get("theme")
    chosen = [h for h in figures if h.chunk.metadata.get("theme") == theme][:4]
    if len(chosen) < 2:
        chosen = figures[:2]
    cite, sources = citer()
    lines: list[str] = []
    bases: list[str] = []
    budget = reader.settings.max_answer_total_chars - 80  # room for the divergence warning
    messages = wants_messages(question)  # messages asked: fewer figures, up to three statements
    for hit in (chosen + reader.conflicts(chosen, evidence))[:2 if messages else 4]:
        line = short_claim(hit.chunk.metadata.get("short_claim") or hit.chunk.text)
        base = str(hit.chunk.metadata.get("base") or "")
        more = [base] if base and base not in bases else []
        if len(lines) >= 2 and len("Chiffres clés : " + " ; ".join(lines + [line]) + " Base : "
                                   + " ; ".join(bases + more)) + 8 > budget:
            break
        lines.append(f"{line} [{cite(hit)}]")
        bases += more
    text = "Chiffres clés : " + " ; ".join(lines) + "."
    if bases:
        text += " Base : " + " ; ".join(bases) + "."
    groups = [h.chunk.metadata.get("conflict_group") for h in chosen if h.chunk.metadata.get("conflict_group")]
    if groups:
        text += " Attention, certaines sources divergent sur ces chiffres."
    # Statements on the talk's theme: the words about the talk ("messages clés") are no topic; the
    # fiches the chosen rows cite come first (they are the theme's prose).
    fiches = {o.strip() for h in chosen for o in str(h.chunk.metadata.get("origin", "")).split(";") if o.strip()}
    statements = [s for s in reader.score(talk_topic(question), evidence) if s.hit.chunk.kind != "indicator"
                  and not ABSENCE.search(core(s.text))  # what the corpus does not say is no message
                  and not _repeats_figures(s.text, text)]
    if not messages:  # a survey's messages cut across themes; a theme's figures do not
        statements.sort(key=lambda s: s.hit.chunk.source not in fiches)  # stable: the reader's order otherwise
    kept: list[Scored] = []
    for statement in statements[:3 if messages else 1]:
        if kept and statement.probability < reader.settings.reader_runner_up * kept[0].probability:
            break  # the reader's own threshold for a further sentence
        said = " ".join(clean_sentence(s.text) for s in kept + [statement])
        if len(text) + len(said) + 25 + 5 * len(kept) > reader.settings.max_answer_total_chars:
            break
        kept.append(statement)
    if kept:
        text += " À retenir : " + " ".join(f"{clean_sentence(s.text)} [{cite(s.hit)}]" for s in kept)
    return Answer(question=question, answered=True, text=text, sources=sources)



def _repeats_figures(sentence: str, said: str) -> bool:
    """The sentence's percentages are all already in `said` (and it has some)."""
    values = re.findall(r"\d+(?:,\d+)?\s?%", sentence)
    return bool(values) and all(v in said for v in values)
