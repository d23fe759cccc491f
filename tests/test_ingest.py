"""`index --add/--remove` end to end: real loaders, real embedder, real FAISS, citations to pages."""
import json

import pytest

from tests.conftest import SEED, run_cli
from tests.test_loaders import make_pdf


@pytest.fixture
def env(tmp_path, tiny_corpus):
    return {"MUSENOR_INDEX_DIR": str(tmp_path / "idx"), "MUSENOR_CORPUS_DIR": str(tiny_corpus)}


def _ask(question, env):
    result = run_cli("ask", "--json", question, env=env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_added_pdf_is_cited_with_its_page(tmp_path, env):
    pdf = tmp_path / "rapport.pdf"
    pdf.write_bytes(make_pdf(["Introduction du rapport annuel du musee.",
                              "Le musee de Lewarde a accueilli 150000 visiteurs en 2023."]))
    bad = tmp_path / "faux.pdf"
    bad.write_text("pas un pdf", encoding="utf-8")
    result = run_cli("index", "--add", str(pdf), str(bad), env=env)
    assert result.returncode == 1  # some files were skipped
    assert "faux.pdf" in result.stdout and "Traceback" not in result.stderr + result.stdout
    data = _ask("Combien de visiteurs le musee de Lewarde a-t-il accueillis en 2023 ?", env)
    assert data["answered"] and "150000" in data["answer"]
    assert data["sources"][0]["source"] == "rapport.pdf" and data["sources"][0]["page"] == 2

    again = run_cli("index", "--add", str(pdf), env=env)
    assert "rien à refaire" in again.stdout
    removed = run_cli("index", "--remove", str(pdf), env=env)
    assert removed.returncode == 0 and "Retiré" in removed.stdout
    assert not _ask("Combien de visiteurs le musee de Lewarde a-t-il accueillis en 2023 ?", env)["answered"]


@pytest.mark.skipif(not SEED.exists(), reason="the survey text lives in ../shared/seed")
def test_survey_text_added_as_a_document_answers_with_a_citation_to_it(env):
    assert run_cli("index", "--add", str(SEED), env=env).returncode == 0
    data = _ask("Combien de structures ont répondu à l'enquête dans les Hauts-de-France ?", env)
    assert data["answered"] and "48" in data["answer"]
    assert any(s["source"] == SEED.name for s in data["sources"])
