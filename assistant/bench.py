"""Benchmark: speed, memory and dev-set quality, side by side with a plain BM25-over-chunks baseline.

`python -m assistant bench [--questions FILE]` prints a table. Figures come from this run on
this machine; nothing here asserts a target (timings are never tests).
"""
from __future__ import annotations

import importlib.util
import json
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, TextIO

import bm25s

from .answer import split_sentences
from .chunking import chunk_documents
from .config import PROJECT_ROOT, Settings
from .corpus import load_corpus
from .records import Answer, Chunk, Source

DEFAULT_QUESTIONS = PROJECT_ROOT.parent / "shared" / "eval" / "dev_questions.jsonl"


class BaselineBM25:
    """The baseline: BM25 with plain lower-case word tokens, top chunk's best sentence, never declines."""

    def __init__(self, chunks: list[Chunk]):
        self.chunks = chunks
        self.model = bm25s.BM25()
        self.model.index([self._tokens(c.text) or [""] for c in chunks], show_progress=False)

    @staticmethod
    def _tokens(text: str) -> list[str]:
        return re.findall(r"\w+", text.lower())

    def ask(self, question: str) -> Answer:
        started = time.perf_counter()
        query = self._tokens(question)
        scores = self.model.get_scores(query)
        best = int(scores.argmax())
        chunk = self.chunks[best]
        sentences = split_sentences(chunk.text) or [chunk.text]
        words = set(query)
        sentence = max(sentences, key=lambda s: len(words & set(self._tokens(s))))
        source = Source(n=1, title=chunk.title, text=chunk.text, source=chunk.source, section=chunk.section,
                        page=chunk.page, score=float(scores[best]))
        return Answer(question=question, answered=True, text=f"{sentence} [1]", sources=[source],
                      latency_ms=(time.perf_counter() - started) * 1000)


def _load_scorer(questions_path: Path) -> Callable[[list[dict], list[dict]], dict] | None:
    """The shared scorer's `score` function when shared/eval/score.py is beside the questions."""
    path = questions_path.parent / "score.py"
    if not path.exists():
        return None
    spec = importlib.util.spec_from_file_location("shared_score", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module.score


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(round(q * (len(ordered) - 1)))))]


def _run_questions(ask: Callable[[str], Answer], questions: list[dict], repeat: int = 3) -> tuple[list[dict], list[float]]:
    answers, latencies = [], []
    for item in questions:
        answer = None
        for _ in range(repeat):
            started = time.perf_counter()
            answer = ask(item["question"])
            latencies.append((time.perf_counter() - started) * 1000)
        answers.append({"id": item.get("id"), **answer.to_dict()})  # type: ignore[union-attr]
    return answers, latencies


_CHILD = """
import runpy, sys
sys.argv = sys.argv[1:]
try:
    runpy.run_module("assistant", run_name="__main__")
except SystemExit:
    pass
# VmHWM is this process's own peak (ru_maxrss would carry the parent's peak over fork+exec).
peak = [l for l in open("/proc/self/status") if l.startswith("VmHWM")]
print(peak[0].split()[1] if peak else "nan", file=sys.stderr)
"""


def _batch_subprocess(settings: Settings, questions_path: Path, index_dir: Path) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of `ask --jsonl` in a fresh process on a built index (cold start included)."""
    cmd = [sys.executable, "-c", _CHILD, "assistant", "ask", "--jsonl", str(questions_path),
           "--index-dir", str(index_dir), "--embedder", settings.embedder]
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=PROJECT_ROOT)
    wall = time.perf_counter() - started
    lines = proc.stderr.strip().splitlines()
    rss_kb = float(lines[-1]) if lines else float("nan")
    return wall, rss_kb / 1024


def run_benchmark(settings: Settings, questions_file: str | None, out: TextIO) -> int:
    from .embeddings import clear_cache
    from .engine import Engine
    from .indexer import update_index

    questions_path = Path(questions_file) if questions_file else DEFAULT_QUESTIONS
    if not questions_path.is_file():
        from .errors import InputError

        raise InputError(f"Fichier de questions introuvable : {questions_path}")
    questions = [json.loads(line) for line in questions_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    scorer = _load_scorer(questions_path)
    rows: dict[str, dict[str, Any]] = {"assistant": {}, "baseline BM25": {}}

    with tempfile.TemporaryDirectory(prefix="musenor-bench-") as tmp:
        bench_settings = settings.with_overrides(index_dir=Path(tmp) / "index")
        # Build (fresh index directory, embedder loaded on first use inside the timing).
        clear_cache()
        started = time.perf_counter()
        update_index(bench_settings)
        rows["assistant"]["build_s"] = time.perf_counter() - started
        started = time.perf_counter()
        chunks = chunk_documents(load_corpus(settings.corpus_dir), settings)
        baseline = BaselineBM25(chunks)
        rows["baseline BM25"]["build_s"] = time.perf_counter() - started

        clear_cache()
        started = time.perf_counter()
        engine = Engine.load(bench_settings)
        engine.ask("Quelle part des musées a une stratégie numérique ?")
        rows["assistant"]["cold_start_s"] = time.perf_counter() - started
        rows["baseline BM25"]["cold_start_s"] = rows["baseline BM25"]["build_s"]

        for name, ask in (("assistant", engine.ask), ("baseline BM25", baseline.ask)):
            answers, latencies = _run_questions(ask, questions)
            rows[name]["warm_p50_ms"] = statistics.median(latencies)
            rows[name]["warm_p95_ms"] = _percentile(latencies, 0.95)
            if scorer is not None:
                result = scorer(questions, answers)
                for key in ("accuracy", "grounded", "abstention"):
                    rows[name][key] = result[key]
        wall, rss = _batch_subprocess(settings, questions_path, bench_settings.index_dir)
        rows["assistant"]["batch_wall_s"] = wall
        rows["assistant"]["batch_peak_rss_mb"] = rss
    rows["assistant"]["this_process_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # (this process also holds the baseline and the build, so it peaks higher than a user's process)

    keys = ["build_s", "cold_start_s", "warm_p50_ms", "warm_p95_ms", "batch_wall_s", "batch_peak_rss_mb",
            "this_process_peak_rss_mb", "accuracy", "grounded", "abstention"]
    out.write(f"Benchmark — {len(questions)} questions de {questions_path}, embedder {settings.embedder}, "
              f"{len(chunks)} passages\n")
    out.write(f"{'mesure':<26}{'assistant':>14}{'baseline BM25':>16}\n")
    for key in keys:
        values = [rows[name].get(key) for name in ("assistant", "baseline BM25")]
        cells = [f"{v:>.3f}" if isinstance(v, float) else ("—" if v is None else str(v)) for v in values]
        out.write(f"{key:<26}{cells[0]:>14}{cells[1]:>16}\n")
    out.write("(batch_* : `ask --jsonl` sur toutes les questions dans un processus neuf, démarrage à froid compris)\n")
    return 0
