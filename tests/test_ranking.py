"""Ranking questions over the indicators table ("la troisième priorité", "en tête"): rows listing parallel
items are sorted by value, the answer cites each figure from its row; other ordinals are left to the reader."""
from __future__ import annotations

import re

from assistant.ranking import answered_by_ranking, asked_rank, parallel_rows, ranked, ranking_answer
from assistant.records import Chunk


def row(n: int, theme: str, indicator: str, value: str, unit: str = "%") -> Chunk:
    text = f"{indicator} : {value} {unit}".strip()
    return Chunk(chunk_id=f"r{n}", doc_id="table", title="Tableau", source="indicators.csv", text=text,
                 kind="indicator", metadata={"theme": theme, "indicator": indicator, "value": value, "unit": unit,
                                             "short_claim": text, "base": "répondants"})


CHUNKS = [
    row(0, "avenir", "Part des répondants citant l'inclusion comme priorité pour l'avenir", "30"),
    row(1, "avenir", "Part des répondants citant les expériences immersives comme priorité pour l'avenir", "20"),
    row(2, "avenir", "Part des répondants citant un numérique durable comme priorité pour l'avenir", "25"),
    row(3, "normes", "Part des musées connaissant les normes WCAG", "20"),
    row(4, "normes", "Part des musées ne connaissant pas les normes WCAG", "80"),
    Chunk(chunk_id="f", doc_id="fiche", title="Fiche", source="fiche.md", text="Le premier frein est le temps."),
]
TABLE = list(enumerate(CHUNKS))  # positions and chunks, as the engine keeps its indicator rows


def test_the_rank_asked_and_the_thing_ranked():
    assert asked_rank("Quelle est la 3e priorité pour le futur ?") == (3, "priorité")
    assert asked_rank("Quelle est la troisième priorité citée ?") == (3, "priorité")
    assert asked_rank("Quelle priorité arrive en tête pour l'avenir ?") == (1, "priorité")
    assert asked_rank("Quelle est la priorité la moins citée ?") == (-1, "priorité")
    assert asked_rank("La priorité numéro un des musées ?") == (1, "priorité")
    assert asked_rank("Combien de musées ont une stratégie ?") is None
    assert asked_rank("la premièr priorité ?") == (1, "priorité")  # a typo is read, not a crash
    assert asked_rank("la dernière priorité ?") == (-1, "priorité")


def test_only_rows_listing_three_parallel_items_are_ranked():
    rows, (head, tail) = parallel_rows(TABLE, "priorité")
    assert [r.position for r in rows] == [0, 2, 1]  # most first
    assert head == "Part des répondants citant" and tail == "comme priorité pour l'avenir"
    assert parallel_rows(TABLE, "normes")[0] == []  # a pair (known, unknown) is no list to rank
    assert parallel_rows(TABLE, "frein")[0] == []  # no row names it: the reader answers
    assert parallel_rows(TABLE, "répondants")[0] == []  # who answered, not what is ranked
    assert ranked("Quel est le premier frein ?", TABLE) is None
    assert ranked("Quelle est la cinquième priorité ?", TABLE) is None  # only three are listed


def test_the_answer_names_the_rank_asked_and_cites_every_figure_from_its_row():
    answer = ranking_answer("Quelle est la troisième priorité ?", ranked("Quelle est la troisième priorité ?", TABLE))
    assert answer.text.startswith("Au troisième rang des trois réponses comparées")
    assert "les expériences immersives : 20 % [1]" in answer.text
    assert "l'inclusion : 30 % [2] ; un numérique durable : 25 % [3] ; les expériences immersives : 20 % [1]" in answer.text
    figures = set(re.findall(r"\d+ %", answer.text))
    assert all(any(f in s.text for s in answer.sources) for f in figures)  # every figure from a cited row
    short = ranking_answer("Quelle est la troisième priorité ?", ranked("Quelle est la troisième priorité ?", TABLE), 150)
    assert "Classement" not in short.text and len(short.sources) == 1  # the rank asked first, within the room


def test_later_parts_asking_the_figure_or_another_rank_are_answered_by_the_ranking():
    assert answered_by_ranking(["avec quel score (arrive en tête) ?", "et laquelle arrive en deuxième ?"])
    assert not answered_by_ranking(["combien de structures ont répondu ?"])


def test_the_survey_s_priorities_ranked_end_to_end(real_engine):
    answer = real_engine.ask("Quelle est la troisième priorité citée par les musées pour le futur, et à combien de % ?")
    assert answer.answered and answer.text.startswith("Au troisième rang")
    assert "immersives" in answer.text and "20 %" in answer.text and len(answer.text) <= 700
    answer = real_engine.ask("Quelle priorité arrive en tête pour l'avenir, et laquelle arrive en deuxième ?")
    assert "l'inclusion : 30 %" in answer.text and "durable et raisonné : 25 %" in answer.text
    assert "Pour «" not in answer.text  # no part said missing: the ranking answers both
    assert not real_engine.ask("C'était quand la première édition de Muséomix ?").text.startswith("Au")
