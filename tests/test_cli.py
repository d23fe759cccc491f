"""The CLI contract, run as a user runs it: `python -m assistant ...` in a fresh process."""
import json

import pytest

from tests.conftest import run_cli


@pytest.fixture(scope="module")
def index_env(tmp_path_factory):
    index_dir = tmp_path_factory.mktemp("cli") / "index"
    result = run_cli("index", "--index-dir", str(index_dir))
    assert result.returncode == 0, result.stderr
    return {"MUSENOR_INDEX_DIR": str(index_dir)}


def test_ask_prints_answer_and_sources(index_env):
    result = run_cli("ask", "Quelle part des musées a une stratégie numérique ?", env=index_env)
    assert result.returncode == 0, result.stderr
    assert "34 %" in result.stdout and "Sources :" in result.stdout and "[1]" in result.stdout


def test_ask_json(index_env):
    result = run_cli("ask", "--json", "Avec quel outil le questionnaire a-t-il été diffusé ?", env=index_env)
    data = json.loads(result.stdout)
    assert data["answered"] and "Framaforms" in data["answer"]
    assert {"title", "text", "source", "section", "page", "score"} <= set(data["sources"][0])


def test_ask_jsonl_contract(index_env, tmp_path):
    """The JSONL contract; the first question is also a known reader regression (see the README),
    checked separately in test_ask_counts_the_structures so that this test keeps guarding the shape."""
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        '{"id": "a", "question": "Combien de structures ont participé à l\'enquête ?"}\n'
        '{"id": "b", "question": "Quelle est la recette de la pâte à crêpes ?"}\n'
        '{"id": "c", "question": "   "}\n', encoding="utf-8")
    result = run_cli("ask", "--jsonl", str(questions), env=index_env)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]  # only JSON on stdout
    assert [r["id"] for r in rows] == ["a", "b", "c"]
    for row in rows:
        assert {"id", "question", "answered", "answer", "sources", "latency_ms"} <= set(row)
    assert rows[0]["answered"]
    assert rows[0]["sources"][0]["page"] is None
    assert not rows[1]["answered"]
    assert not rows[2]["answered"] and "vide" in rows[2]["error"]


@pytest.mark.parametrize("args,needle", [
    (["ask", ""], "vide"),
    (["ask", "--jsonl", "/nonexistent/q.jsonl"], "introuvable"),
    (["ask"], "Aucune question"),
    (["ask", "--top-k", "0", "question"], "top-k"),
])
def test_bad_input_exits_2_with_a_french_message(args, needle, tmp_path):
    result = run_cli(*args, env={"MUSENOR_INDEX_DIR": str(tmp_path / "none")})
    assert result.returncode == 2
    assert needle in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


def test_malformed_jsonl_exits_2(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "question": "ok ?"}\n{pas du json\n', encoding="utf-8")
    result = run_cli("ask", "--jsonl", str(bad))
    assert result.returncode == 2 and "ligne 2" in result.stderr and "Traceback" not in result.stderr


def test_missing_index_is_built_with_a_notice(tmp_path, tiny_corpus):
    env = {"MUSENOR_INDEX_DIR": str(tmp_path / "idx"), "MUSENOR_CORPUS_DIR": str(tiny_corpus)}
    result = run_cli("ask", "--json", "Quelle part des répondants a une stratégie numérique ?", env=env)
    assert result.returncode == 0, result.stderr
    assert "construction" in result.stderr
    assert "34 %" in json.loads(result.stdout)["answer"]


def test_corrupt_index_gives_a_rebuild_command(tmp_path, tiny_corpus):
    env = {"MUSENOR_INDEX_DIR": str(tmp_path / "idx"), "MUSENOR_CORPUS_DIR": str(tiny_corpus),
           "MUSENOR_EMBEDDER": "hash"}
    assert run_cli("index", env=env).returncode == 0
    version = next(p for p in (tmp_path / "idx").iterdir() if p.name.startswith("v-"))
    (version / "vectors.faiss").write_bytes(b"corrupt")
    result = run_cli("info", env=env)
    assert result.returncode == 3 and "--rebuild" in result.stderr and "Traceback" not in result.stderr
    assert run_cli("index", "--rebuild", env=env).returncode == 0
    assert run_cli("info", env=env).returncode == 0


def test_index_skips_when_unchanged(index_env):
    result = run_cli("index", env=index_env)
    assert result.returncode == 0 and "rien à refaire" in result.stdout


def test_index_says_when_it_only_rebuilt_the_lexical_index(index_env):
    """Documents unchanged but the lexical index saved with other word rules (a tokenizer changed since):
    `index` rebuilds that cache and says so instead of "rien à refaire"; the next run has nothing to do."""
    from pathlib import Path

    from assistant.retrieval import LEXICAL_DIR
    index_dir = Path(index_env["MUSENOR_INDEX_DIR"])
    meta = index_dir / (index_dir / "CURRENT").read_text(encoding="utf-8").strip() / LEXICAL_DIR / "lexical.json"
    saved = json.loads(meta.read_text(encoding="utf-8"))
    meta.write_text(json.dumps({**saved, "tokenizer": "older-rules"}), encoding="utf-8")
    result = run_cli("index", env=index_env)
    assert result.returncode == 0 and "index lexical a été reconstruit" in result.stdout
    assert json.loads(meta.read_text(encoding="utf-8"))["tokenizer"] == saved["tokenizer"]
    assert "rien à refaire" in run_cli("index", env=index_env).stdout


def test_ask_counts_the_structures(index_env):
    result = run_cli("ask", "--json", "Combien de structures ont participé à l'enquête ?", env=index_env)
    assert result.returncode == 0, result.stderr
    assert "53" in json.loads(result.stdout)["answer"]


def test_a_partial_answer_says_so_before_the_parts_found():
    from assistant.cli import format_answer
    from assistant.records import PARTIAL, Answer
    printed = format_answer(Answer("Q ?", False, "53 structures [1]. Pour « X », je ne trouve pas.", partial=True))
    assert printed.startswith(PARTIAL) and "53 structures [1]" in printed
    assert PARTIAL not in format_answer(Answer("Q ?", True, "53 structures [1]."))
