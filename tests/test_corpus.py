"""The bundled corpus: well-formed, honest (every survey figure is in the source text), contradictions kept."""
import re

import pytest

from assistant.config import PROJECT_ROOT
from assistant.corpus import Indicator, load_corpus, load_indicators, load_respondents, parse_markdown
from assistant.errors import DocumentError
from tests.conftest import SEED

CORPUS = PROJECT_ROOT / "corpus"


def test_every_document_has_a_title_source_and_body():
    docs = load_corpus(CORPUS)
    assert len(docs) >= 25
    for doc in docs:
        assert doc.title and doc.source and doc.passages and doc.content_hash
        if doc.kind != "indicator":
            assert doc.metadata.get("source") and doc.metadata.get("provenance"), doc.source


def test_indicators_have_values_bases_and_sections():
    indicators = load_indicators(CORPUS)
    assert len(indicators) >= 25
    assert len({i.id for i in indicators}) == len(indicators)
    for ind in indicators:
        assert ind.indicator and ind.value and ind.section and ind.source, ind.id
    by_id = {i.id: i for i in indicators}
    assert any(i.value == "34" and "stratégie" in i.indicator.lower() for i in indicators)
    assert by_id  # ids are usable keys


def test_a_count_under_two_is_written_in_the_singular():
    # French agreement as a reader sees it in an answer: "1 structure", never "1 structures".
    for ind in load_indicators(CORPUS):
        value = ind.value.replace(",", ".").strip()
        if ind.unit not in ("", "%", "part") and re.fullmatch(r"-?\d+(?:\.\d+)?", value) and abs(float(value)) < 2:
            assert not ind.unit.endswith("s"), ind.value_text()


@pytest.mark.skipif(not SEED.exists(), reason="the survey text lives in ../shared/seed")
def test_no_invented_figure_every_indicator_value_is_in_the_survey_text():
    seed = re.sub(r"\s+", " ", SEED.read_text(encoding="utf-8"))
    words = {"1/3": "tiers", "1/2": "moitié"}
    for ind in load_indicators(CORPUS):
        value = ind.value.lstrip("-")
        assert value in seed or words.get(value, "§") in seed, f"{ind.id}: {ind.value} not in the survey text"


def test_contradictions_are_recorded_with_both_values():
    groups: dict[str, set[str]] = {}
    for ind in load_indicators(CORPUS):
        if ind.conflict_group:
            groups.setdefault(ind.conflict_group, set()).add(ind.value)
    assert any({"40", "60"} <= values for values in groups.values())
    assert all(len(values) >= 2 for values in groups.values())


def test_respondents_table():
    frame = load_respondents(CORPUS)
    assert list(frame.columns)[:3] == ["town", "institution", "country"]
    assert len(frame) == 53
    assert "Musée de Cambrai" in set(frame["institution"])


def test_indicator_sentence_and_claim():
    ind = Indicator("x", "t", "Part des répondants ayant un budget dédié", "1/3", "part", "répondants", "S", "f", "", "")
    assert ind.value_text() == "un tiers (1/3)"
    assert ind.claim() == "Part des répondants ayant un budget dédié : un tiers (1/3) (base : répondants)."


def test_markdown_front_matter_and_errors():
    doc = parse_markdown("---\ntitle: T\ntags: [a, b]\n---\n# H\nTexte.", source="x.md")
    assert doc.title == "T" and doc.metadata["tags"] == ["a", "b"] and doc.fmt == "markdown"
    with pytest.raises(DocumentError, match="YAML"):
        parse_markdown("---\ntitle: [oops\n---\ntexte", source="bad.md")
