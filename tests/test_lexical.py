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
