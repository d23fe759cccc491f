from assistant.lexical import BM25Index, strip_accents, tokenize, words


def test_words_split_elisions_and_lower_case():
    assert words("L'enquête d'Arras qu'on lit") == ["enquête", "arras", "on", "lit"]


def test_tokenize_drops_stop_words_strips_accents_and_stems():
    tokens = tokenize("Quelle part des musées a une stratégie numérique ?")
    assert tokens == tokenize("musée stratégies numériques")
    assert "part" not in tokens and "des" not in tokens
    assert all(t == strip_accents(t) for t in tokens)


def test_numbers_are_kept_as_tokens():
    assert "34" in tokenize("34 % des répondants")
    assert "2024" in tokenize("décembre 2024")


def test_bm25_ranks_the_matching_text_first_and_weights_rare_terms():
    index = BM25Index(["Les musées et le numérique.", "La stratégie numérique des musées.", "Le budget."])
    scores = index.scores(tokenize("stratégie"))
    assert scores.argmax() == 1
    assert index.idf(tokenize("stratégie")[0]) > index.idf(tokenize("musées")[0])
    assert index.idf("jamaisvu") >= index.idf(tokenize("budget")[0])
    assert not index.scores(["jamaisvu"]).any()


def test_unknown_words_are_corrected_towards_the_corpus_vocabulary():
    index = BM25Index(["Le budget numérique des musées.", "Le questionnaire de l'enquête."])
    assert index.correct(tokenize("budjet")) == tokenize("budget")
    assert index.correct(tokenize("musee")) == tokenize("musée")  # typed without accents
    assert index.correct(tokenize("questionaire")) == tokenize("questionnaire")
    assert index.correct(tokenize("facebook")) == tokenize("facebook")  # nothing close: left alone


def test_domain_synonyms_meet_the_corpus_terms():
    assert tokenize("site web") == tokenize("site internet")
    assert tokenize("établissements") == tokenize("structures")
    assert tokenize("connaissent") == tokenize("connaît")
    assert tokenize("enveloppe réservée") == tokenize("budget dédié") == tokenize("argent fléché")
    assert tokenize("des boîtes") == tokenize("des boites") == tokenize("des prestataires")  # a firm, in everyday French
    assert tokenize("prioritaires") == tokenize("priorités")
    assert tokenize("moyens financiers") == tokenize("moyens financements")  # an adjective and its noun
    assert tokenize("contraintes budgétaires") == tokenize("contraintes budget")
    assert tokenize("qu'est-ce qui empêche") == tokenize("les freins")
    assert tokenize("le fric") == tokenize("la thune") == tokenize("le budget")  # familiar words for money
    assert tokenize("en dehors des Hauts-de-France") == tokenize("hors des Hauts-de-France")
    assert tokenize("les sondés") == tokenize("les répondants") and tokenize("sondage") != tokenize("sondés")
    assert tokenize("pour nourrir mon propos") == tokenize("pour nourrir")  # "propos" never stands for "proposer"
    assert tokenize("ils proposent") == tokenize("proposer")
    # "possèdent" keeps its "-ent" (its verb writes "é"): the lexicon gives it, so it meets "disposent"
    assert tokenize("ils possèdent") == tokenize("il possède") == tokenize("ils disposent") == tokenize("disposer")


def test_present_tense_of_er_verbs_meets_the_infinitive_and_nouns_stay():
    # Snowball keeps "-ent" on: "participent" would never meet "participer".
    assert tokenize("ils participent") == tokenize("participer")
    assert tokenize("ils utilisent") == tokenize("utiliser")
    assert tokenize("le moment") == ["moment"] and tokenize("un agent") == ["agent"]


def test_words_of_different_meaning_the_stemmer_joins_stay_apart():
    # Snowball gives "collect" for all three; collections are not collective initiatives.
    assert tokenize("les collections") != tokenize("les collectives")
    assert tokenize("collectif") == tokenize("collectives")
    assert tokenize("collection") == tokenize("collections")
    assert len({*tokenize("collections collectives collectivités")}) == 3
    index = BM25Index(["Les initiatives collectives du réseau.", "La mise en ligne des collections du musée."])
    assert index.scores(tokenize("collections en ligne")).argmax() == 1


def test_stems_shared_by_words_of_other_meanings_are_split():
    """Thirty-first session: a team is no equipment, a municipality no communication, an average no means."""
    for one, other in [("équipe", "équipements"), ("commune", "communication"), ("moyens", "moyenne"),
                       ("raison", "raisonné"), ("indiquer", "indicateurs"), ("attentes", "attention"),
                       ("directement", "direction")]:
        assert tokenize(one) != tokenize(other)
    assert tokenize("équipement") == tokenize("équipements") and tokenize("équipe") == tokenize("équipes")
    index = BM25Index(["Les équipes des musées sont sensibilisées.", "Limiter les équipements numériques."])
    assert index.scores(tokenize("les équipes")).argmax() == 0
    assert index.scores(tokenize("équipements")).argmax() == 1


def test_a_noun_in_ent_is_not_read_as_a_verb():
    """"référent" is no form of "référer" (the verb writes "ils réfèrent"): singular and plural meet, and
    neither meets "références", which Snowball stems like "référents"."""
    assert tokenize("un référent") == tokenize("les référents") == tokenize("la référente")
    assert tokenize("les références") != tokenize("les référents")
    assert tokenize("ils participent") == tokenize("participer")  # a verb's form is still the verb
    index = BM25Index(["Une page de références sur les normes.", "Un référent numérique dans le musée."])
    assert index.scores(tokenize("les référents numériques")).argmax() == 1


def test_singular_and_plural_meet_where_snowball_keeps_them_apart():
    """Snowball keeps a plural "-s" after "o", "u" or "i" ("photos", "contenus") and gives "pet" for "petit"
    alone: each plural meets its singular, and words ending in "-s" of their own stay whole."""
    assert tokenize("un contenu") == tokenize("des contenus")
    assert tokenize("une photo") == tokenize("des photos")
    assert tokenize("un petit musée") == tokenize("les petits musées")
    assert tokenize("le mois") != tokenize("moi") and tokenize("une fois") == ["fois"]


TEXTS = ["Le budget numérique des musées.", "Le questionnaire de l'enquête, diffusé en ligne.",
         "La stratégie numérique des musées du réseau.", "", "Stratégie, stratégie et budget."]


def test_saved_index_loads_memory_mapped_without_pickle_and_scores_the_same(tmp_path):
    import json

    import numpy as np

    built = BM25Index(TEXTS)
    built.save(tmp_path / "lexical")
    for path in (tmp_path / "lexical").glob("*.npy"):
        np.load(path, allow_pickle=False)  # plain arrays: loading refuses pickled objects
    for path in (tmp_path / "lexical").glob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))
    loaded = BM25Index.load(tmp_path / "lexical", expected_size=len(TEXTS))
    query = tokenize("stratégie budget musées")
    assert np.allclose(built.scores(query), loaded.scores(query))
    expected_df: dict[str, int] = {}
    for text in TEXTS:
        for term in set(tokenize(text)):
            expected_df[term] = expected_df.get(term, 0) + 1
    assert dict(loaded.df) == expected_df == dict(built.df)
    assert loaded.idf(tokenize("stratégie")[0]) == built.idf(tokenize("stratégie")[0])
    assert loaded.correct(tokenize("questionaire")) == tokenize("questionnaire")
    assert loaded.surface_words["numérique"] == 2  # accented word forms kept for the question normaliser


def test_a_saved_index_for_other_chunks_or_rules_is_refused(tmp_path):
    import json

    import pytest

    BM25Index(TEXTS).save(tmp_path / "lexical")
    with pytest.raises(ValueError):
        BM25Index.load(tmp_path / "lexical", expected_size=len(TEXTS) + 1)
    meta = tmp_path / "lexical" / "lexical.json"
    meta.write_text(json.dumps({**json.loads(meta.read_text()), "tokenizer": "other"}), encoding="utf-8")
    with pytest.raises(ValueError):
        BM25Index.load(tmp_path / "lexical")
    with pytest.raises(ValueError):
        BM25Index.load(tmp_path / "nothing-here")


def test_swapped_letters_are_corrected_too():
    index = BM25Index(["La stratégie numérique des musées.", "Le questionnaire de l'enquête."])
    assert index.correct(tokenize("startégie")) == tokenize("stratégie")
    assert index.correct(tokenize("questoinnaire")) == tokenize("questionnaire")


def test_the_index_build_saves_the_lexical_index_and_search_loads_it(hash_settings, monkeypatch):
    from assistant import lexical, retrieval, store
    from assistant.embeddings import get_embedder
    from assistant.indexer import update_index

    update_index(hash_settings)
    index = store.load(hash_settings.index_dir)
    assert (index.path / retrieval.LEXICAL_DIR / "lexical.json").is_file()
    built: list[int] = []
    original = lexical.BM25Index.__init__

    def counting_init(self, texts=()):
        built.append(len(texts))
        original(self, texts)

    monkeypatch.setattr(lexical.BM25Index, "__init__", counting_init)  # spy only: behaviour unchanged
    search = retrieval.HybridSearch(index, get_embedder("hash"), hash_settings)
    assert built == []  # loaded from disk, not rebuilt from the chunk texts
    hits = search.search("stratégie numérique")
    assert "34 %" in hits[0].chunk.text
    # An index saved before the lexical files existed still works: rebuilt in memory.
    import shutil

    shutil.rmtree(index.path / retrieval.LEXICAL_DIR)
    search = retrieval.HybridSearch(store.load(hash_settings.index_dir), get_embedder("hash"), hash_settings)
    assert built == [len(index.chunks)]
    assert "34 %" in search.search("stratégie numérique")[0].chunk.text
    # ... and saved for the next start, which loads it again.
    retrieval.HybridSearch(store.load(hash_settings.index_dir), get_embedder("hash"), hash_settings)
    assert built == [len(index.chunks)]
    assert sorted(p.name for p in index.path.iterdir() if p.name.startswith(".")) == []


def test_canonical_text_writes_the_lexicon_s_word_for_the_embedder():
    from assistant.lexical import canonical_text

    assert canonical_text("Des boîtes extérieures pour le digital ?") == "Des prestataire extérieures pour le numérique ?"
    # Forms of one word (a country and its adjective, irregular verbs) stay as written.
    assert canonical_text("Un musée belge ouvert le lundi") == "Un musée belge ouvert le lundi"
