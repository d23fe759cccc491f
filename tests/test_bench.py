"""The benchmark runs end to end at a tiny size (figures printed, never asserted: no timing tests)."""
from __future__ import annotations

import io
import json

import pytest

from assistant.bench import parse_sizes, run_benchmark, synthetic_chunks, write_sized_index
from assistant.errors import InputError
from tests.conftest import run_cli


def test_synthetic_chunks_are_deterministic_and_their_vocabulary_keeps_growing(hash_settings):
    from assistant import store
    from assistant.indexer import update_index
    from assistant.lexical import words

    update_index(hash_settings)
    base = store.load(hash_settings.index_dir).chunks
    small, large = synthetic_chunks(base, 100), synthetic_chunks(base, 1000)
    assert [c.text for c in small] == [c.text for c in synthetic_chunks(base, 100)]
    assert len({c.chunk_id for c in large}) == 1000
    vocabulary = lambda chunks: {w for c in chunks for w in words(c.text)}  # noqa: E731
    assert len(vocabulary(large)) > 2 * len(vocabulary(small))  # Heaps' law, not a saturated vocabulary


def test_a_sized_index_loads_with_its_lexical_index_and_answers(hash_settings, tmp_path):
    from assistant import store
    from assistant.engine import Engine
    from assistant.indexer import update_index
    from assistant.retrieval import LEXICAL_DIR

    update_index(hash_settings)
    write_sized_index(hash_settings.index_dir, tmp_path / "sized", 500)
    index = store.load(tmp_path / "sized")
    assert len(index.chunks) == 500 and (index.path / LEXICAL_DIR / "lexical.json").is_file()
    engine = Engine(hash_settings.with_overrides(index_dir=tmp_path / "sized"), index)
    assert "34 %" in engine.ask("Quelle part des répondants a une stratégie numérique ?").text


def test_bench_prints_the_main_table_and_the_size_table(hash_settings, tmp_path):
    questions = tmp_path / "questions.jsonl"
    questions.write_text("\n".join(json.dumps({"id": f"q{i}", "question": q}) for i, q in enumerate(
        ["Quelle part des répondants a une stratégie numérique ?", "Avec quel outil le questionnaire a-t-il été diffusé ?"])),
        encoding="utf-8")
    out = io.StringIO()
    assert run_benchmark(hash_settings, str(questions), out, sizes=[400], repeat=1) == 0
    text = out.getvalue()
    for key in ("build_s", "cold_start_s", "warm_p95_ms", "batch_peak_rss_mb"):
        assert key in text
    assert "Passage à l'échelle" in text and "BM25_p95_ms" in text
    assert "passages synthétiques tirés des phrases du corpus" in text  # says whether PIAF's were read too
    rows = [line.split() for line in text.splitlines() if line.strip().split()[:2][-1:] in (["corpus"], ["synthétique"])]
    assert [row[1] for row in rows] == ["corpus", "synthétique"] and rows[1][0] == "400"


def test_bad_sizes_are_refused_in_french():
    assert parse_sizes("1720, 20_000") == [1720, 20000]
    assert parse_sizes("") == []
    for bad in ("abc", "0", "-5"):
        with pytest.raises(InputError):
            parse_sizes(bad)
    result = run_cli("bench", "--sizes", "beaucoup", "--embedder", "hash")
    assert result.returncode == 2 and "--sizes" in result.stderr and "Traceback" not in result.stderr
