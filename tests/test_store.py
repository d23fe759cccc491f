import json

import numpy as np
import pytest

from assistant import store
from assistant.errors import IndexCorruptError, IndexMissingError
from assistant.records import Chunk


def _chunks(n):
    return [Chunk(chunk_id=f"d#{i}", doc_id="d", title="T", source="d.md", text=f"texte {i}") for i in range(n)]


def _vectors(n, dim=4):
    v = np.random.default_rng(0).random((n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _manifest(dim=4):
    return {"embedder": "hash", "dim": dim, "documents": {}}


def test_save_then_load_round_trip(tmp_path):
    vectors = _vectors(3)
    store.save(tmp_path, _chunks(3), vectors, _manifest())
    loaded = store.load(tmp_path)
    assert [c.text for c in loaded.chunks] == ["texte 0", "texte 1", "texte 2"]
    assert loaded.search(vectors[1], 1)[0][0] == 1
    assert np.allclose(loaded.vectors_at([2]), vectors[2:3])
    assert loaded.manifest["chunk_count"] == 3


def test_missing_index_has_a_clear_message(tmp_path):
    with pytest.raises(IndexMissingError, match="python -m assistant index"):
        store.load(tmp_path / "nothing")


def test_crash_while_writing_leaves_the_previous_index_usable(tmp_path, monkeypatch):
    store.save(tmp_path, _chunks(2), _vectors(2), _manifest())

    def crash(*args, **kwargs):
        raise KeyboardInterrupt  # as if the process were interrupted mid-write

    monkeypatch.setattr(store.json, "dumps", crash)
    with pytest.raises(KeyboardInterrupt):
        store.save(tmp_path, _chunks(5), _vectors(5), _manifest())
    monkeypatch.undo()
    assert len(store.load(tmp_path).chunks) == 2
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_chunk_count_mismatch_is_detected(tmp_path):
    version = store.save(tmp_path, _chunks(3), _vectors(3), _manifest())
    lines = (version / "chunks.jsonl").read_text(encoding="utf-8").splitlines()
    (version / "chunks.jsonl").write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    with pytest.raises(IndexCorruptError, match="incohérent.*--rebuild"):
        store.load(tmp_path)


@pytest.mark.parametrize("damage", ["garbage-manifest", "garbage-vectors", "bad-pointer"])
def test_damaged_files_are_reported_not_raised_raw(tmp_path, damage):
    version = store.save(tmp_path, _chunks(2), _vectors(2), _manifest())
    if damage == "garbage-manifest":
        (version / "manifest.json").write_text("{pas du json", encoding="utf-8")
    elif damage == "garbage-vectors":
        (version / "vectors.faiss").write_bytes(b"\x00" * 10)
    else:
        (tmp_path / "CURRENT").write_text("../../etc", encoding="utf-8")
    with pytest.raises(IndexCorruptError):
        store.load(tmp_path)


def test_nothing_is_pickled(tmp_path):
    version = store.save(tmp_path, _chunks(1), _vectors(1), _manifest())
    json.loads((version / "manifest.json").read_text(encoding="utf-8"))
    for path in version.iterdir():
        assert not path.read_bytes().startswith(b"\x80")  # pickle protocol marker


def test_a_version_swapped_out_while_being_read_is_replaced_by_the_new_one(tmp_path, monkeypatch):
    store.save(tmp_path, _chunks(2), _vectors(2), _manifest())
    real_current = store.current_version
    calls = []

    def racing_current(index_dir):
        version = real_current(index_dir)
        if not calls:  # a concurrent build swaps versions right after the pointer was read
            store.save(tmp_path, _chunks(3), _vectors(3), _manifest())
        calls.append(version)
        return version

    monkeypatch.setattr(store, "current_version", racing_current)
    assert len(store.load(tmp_path).chunks) == 3
