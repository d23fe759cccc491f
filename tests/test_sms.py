"""SMS and phonetic French normalisation: the lexicon, the corrections, and retrieval on the real index."""
from __future__ import annotations

import pytest

from assistant.lexical import BM25Index
from assistant.sms import LEXICON_PATH, Normaliser, lexicon, normalise_question

CORPUS = [
    "Selon l'enquête, 34 % des musées déclarent disposer d'une stratégie numérique.",
    "Le questionnaire de l'enquête a été diffusé en ligne ; le RGAA est le référentiel d'accessibilité.",
    "Les réseaux sociaux sont utilisés par beaucoup de musées. La MEL organise une veille.",
]


@pytest.fixture(scope="module")
def index() -> BM25Index:
    return BM25Index(CORPUS)


def test_the_lexicon_is_a_broad_documented_data_file():
    header = LEXICON_PATH.read_text(encoding="utf-8").split("\n\n")[0]
    assert "Wikipédia" in header and "Langage SMS" in header  # where the forms come from
    table = lexicon()
    assert len(table) >= 400
    for form, standard in {"pk": "pourquoi", "qd": "quand", "bcp": "beaucoup", "ds": "dans", "c": "c'est",
                           "ya": "il y a", "koi": "quoi", "kel": "quel", "ke": "que", "tt": "tout", "mm": "même",
                           "slt": "salut", "stp": "s'il te plaît"}.items():
        assert table[form] == standard
    assert not any(form.isdigit() for form in table)  # figures are never SMS forms


def test_sms_forms_are_expanded_and_the_rest_kept(index):
    assert normalise_question("pk ya bcp de musées ds les réseaux sociaux ?", index) == \
        "pourquoi il y a beaucoup de musées dans les réseaux sociaux ?"
    assert normalise_question("slt c koi le RGAA stp", index) == "salut c'est quoi le RGAA s'il te plaît"
    assert normalise_question("Kel stratégie ?", index) == "Quel stratégie ?"  # capital initial kept
    assert normalise_question("mm chose pour 12 mm", index) == "même chose pour 12 mm"  # unit after a figure
    assert normalise_question("la MEL", index) == "la MEL"  # an acronym the corpus uses
    assert normalise_question("C koi la catégorie C ?", index) == "C'est quoi la catégorie C ?"
    assert normalise_question("les RH ds les musées", index) == "les ressources humaines dans les musées"  # an abbreviation the corpus spells out
    assert normalise_question("cb de musées on répondu", index) == "combien de musées ont répondu"  # "on" for "ont"
    assert normalise_question("les musées ki on une stratégie", index) == "les musées qui ont une stratégie"
    assert normalise_question("Quand on demande aux musées", index) == "Quand on demande aux musées"  # the pronoun
    # "ou" after "c'est" / "c'était" typed as letters asks where ("c t" reads "c'était")
    assert normalise_question("atelier médiation c t ou", index) == "atelier médiation c'était où"
    assert normalise_question("le siège c ou", index) == "le siège c'est où"
    assert normalise_question("c t quand", index) == "c'était quand"


def test_accents_apostrophes_and_swapped_letters_are_corrected_against_the_corpus(index):
    assert normalise_question("strategie numerique", index) == "stratégie numérique"
    assert normalise_question("qd a ete diffusé le questionaire de lenquete ?", index) == \
        "quand a été diffusé le questionnaire de l'enquête ?"
    assert normalise_question("une startégie", index) == "une stratégie"
    # the apostrophe left out before a French word the corpus does not use
    assert normalise_question("jarrive dans le réseau", index) == "j'arrive dans le réseau"


def test_real_words_the_corpus_lacks_english_and_names_are_left_alone(index):
    for text in ("Quelle est la recette de la carbonade flamande ?", "la recette des crêpes",
                 "What share of museums have a strategy?", "Le musée de Roubaix", "Quel budget ?",
                 "Quels messages pour le CA ?"):  # capitals abbreviate: "CA" is not "ça" without its accent
        assert normalise_question(text, index) == text
    assert normalise_question("les stats sur les RS ?", index) == "les stats sur les réseaux sociaux ?"


def test_without_a_vocabulary_only_the_lexicon_applies():
    assert Normaliser().normalise("pk ya bcp de musee") == "pourquoi il y a beaucoup de musee"


SMS_PAIRS = [
    ("Pourquoi peu de musées ont une stratégie numérique ?", "pk ya peu de musees ki ont une strategie numerik ?"),
    ("Quelles sont les dates de l'enquête ?", "c koi les dates de lenquete ?"),
    ("Combien de personnes ont répondu à l'enquête ?", "cb de personnes ont repondu a lenquete ?"),
    ("Quel pourcentage des musées a une stratégie numérique ?", "kel pourcentage des musees a une startégie numérique ?"),
    ("Quel est le budget moyen consacré au numérique ?", "kel est le budjet moyen consacré o numerique ?"),
    ("Combien de musées ont un référent numérique ?", "cmb de musees ont 1 referent numerik ?"),
    ("Pourquoi certains musées limitent-ils le numérique ?", "pk certains musees limitent le numerique ?"),
    ("C'est quoi le RGAA ?", "slt c koi le rgaa stp"),
    pytest.param("Est-ce que beaucoup de musées sont dans les réseaux sociaux ?", "eske bcp de musées sont ds les rs ?",
                 marks=pytest.mark.xfail(strict=False, reason="known limit: the corpus gives no figure on social "
                                         "networks, the answer sits at the refusal threshold, and the capital "
                                         "letter of 'Est-ce' alone moves the reader to another sentence")),
    ("Avec quel outil le questionnaire a-t-il été diffusé ?", "avc kel outil le questionaire a ete diffusé ?"),
    ("Qu'est-ce que Musenor ?", "keske c musenor ?"),
]


@pytest.mark.slow
@pytest.mark.parametrize("clean,sms", SMS_PAIRS)
def test_sms_questions_find_the_source_of_their_clean_form(real_engine, clean, sms):
    def top(answer):
        return [(s.source, s.section) for s in answer.sources[:1]]

    clean_answer, sms_answer = real_engine.ask(clean), real_engine.ask(sms)
    assert sms_answer.question == sms  # the user's words are kept in the answer
    assert sms_answer.answered == clean_answer.answered
    if clean_answer.answered:  # a decline may quote any sentence saying the figure is not given
        assert top(sms_answer) and top(sms_answer) == top(clean_answer)


@pytest.mark.slow
def test_an_english_question_retrieves_the_french_source(real_engine):
    hits = real_engine.search.search("What share of museums have a digital strategy?", k=3)
    assert "34 %" in hits[0].chunk.text and "stratégie numérique" in hits[0].chunk.text
