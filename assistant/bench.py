"""Benchmark: speed, memory and dev-set quality, side by side with a plain BM25-over-chunks baseline.

`python -m assistant bench [--questions FILE] [--sizes 1720,20000,100000]` prints two tables:
the bundled corpus (build, cold start, warm latency, memory, accuracy), then the same engine at
larger sizes, where the corpus is padded with synthetic chunks (see `synthetic_chunks`; their
vectors are random unit vectors, while questions still go through the real embedder). Each size
is measured in a fresh process. Figures come from this run on this machine; nothing here
asserts a target (timings are never tests).
"""
from __future__ import annotations

import importlib.util
import json
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable, Sequence, TextIO

import bm25s
import numpy as np

from .config import PROJECT_ROOT, Settings
from .records import Answer, Chunk, Source

DEFAULT_QUESTIONS = PROJECT_ROOT.parent / "shared" / "eval" / "dev_questions.jsonl"
PIAF_DEV = PROJECT_ROOT.parent / "shared" / "eval" / "piaf" / "piaf-v1.0-dev.json"
DEFAULT_SIZES = (1720, 20_000, 100_000)  # PIAF dev half's size, then two synthetic corpora
SENTENCE = re.compile(r"(?<=[.!?])\s+")


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
        query = [t for t in self._tokens(question) if t in self.model.vocab_dict]
        scores = self.model.get_scores(query) if query else np.zeros(len(self.chunks))
        best = int(scores.argmax())
        chunk = self.chunks[best]
        sentences = [s for s in SENTENCE.split(chunk.text.replace("\n", " ")) if len(s) >= 12] or [chunk.text]
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


def _peak_rss_mb() -> float:
    """This process's own peak RSS (VmHWM; ru_maxrss would carry the parent's peak over fork+exec)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM"):
                    return float(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


_CHILD = """
import runpy, sys
sys.argv = sys.argv[1:]
try:
    runpy.run_module("assistant", run_name="__main__")
except SystemExit:
    pass
from assistant.bench import _peak_rss_mb
print(_peak_rss_mb() * 1024, file=sys.stderr)
"""


def _batch_subprocess(settings: Settings, questions_path: Path, index_dir: Path) -> tuple[float, float]:
    """Wall time and peak RSS (MB) of `ask --jsonl` in a fresh process on a built index (cold start included)."""
    cmd = [sys.executable, "-c", _CHILD, "assistant", "ask", "--jsonl", str(questions_path),
           "--index-dir", str(index_dir), "--embedder", settings.embedder, "--corpus-dir", str(settings.corpus_dir)]
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=PROJECT_ROOT)
    wall = time.perf_counter() - started
    lines = proc.stderr.strip().splitlines()
    try:
        rss_kb = float(lines[-1])
    except (IndexError, ValueError):
        rss_kb = float("nan")
    return wall, rss_kb / 1024


# ---------------------------------------------------------------------------------------------
# Synthetic sizes


def _source_sentences(chunks: Sequence[Chunk]) -> list[str]:
    """Real French sentences to recombine: the corpus's, plus PIAF's Wikipedia paragraphs when present."""
    texts = [c.text for c in chunks]
    if PIAF_DEV.is_file():
        data = json.loads(PIAF_DEV.read_text(encoding="utf-8"))["data"]
        texts += [p["context"] for article in data for p in article["paragraphs"]]
    return [s.strip() for t in texts for s in SENTENCE.split(t.replace("\n", " ")) if len(s.strip()) >= 30]


def synthetic_chunks(base: Sequence[Chunk], count: int, seed: int = 0) -> list[Chunk]:
    """`count` made-up chunks of real French sentences, about a real chunk's length.

    Each takes 2-4 sentences at random and replaces one word in ten by a made-up word drawn
    from a Zipf law over 200,000 forms, so that the vocabulary keeps growing with the corpus as
    real text does (Heaps' law) instead of saturating at the corpus's few thousand words.
    Grouped 20 to a document, as pages of added PDFs.
    """
    rng = np.random.default_rng(seed)
    sentences = _source_sentences(base)
    syllables = [c + v for c in "bcdfglmnprstv" for v in ("a", "e", "i", "o", "u", "é", "ou", "on")]
    ranks = rng.zipf(1.3, size=count * 8)
    out = []
    for i in range(count):
        picked = [sentences[j] for j in rng.integers(0, len(sentences), size=int(rng.integers(2, 5)))]
        words = " ".join(picked).split()
        for w in rng.integers(0, len(words), size=max(1, len(words) // 10)):
            rank = int(ranks[(i * 8 + w) % len(ranks)]) % 200_000
            words[w] = "".join(syllables[(rank >> (6 * k)) % len(syllables)] for k in range(3))
        doc = i // 20
        out.append(Chunk(chunk_id=f"synth-{doc:06d}-{i % 20:02d}", doc_id=f"synth-{doc:06d}",
                         title=f"Document synthétique {doc}", source=f"synthetique/{doc:06d}.txt",
                         text=" ".join(words)[:450], page=i % 20 + 1, kind="added"))
    return out


def write_sized_index(real_index_dir: Path, target_dir: Path, size: int, seed: int = 0) -> float:
    """Copy the real index padded with synthetic chunks to `size` chunks; returns the write time (s).

    The manifest keeps the real corpus's fingerprint, so the engine loads it without rebuilding;
    synthetic chunks and their sentences get random unit vectors (only the question goes through the
    embedder), the real ones keep theirs, as `index` would store them.
    """
    from . import sentences, store
    from .retrieval import lexical_writer

    real = store.load(real_index_dir)
    extra = synthetic_chunks(real.chunks, max(0, size - len(real.chunks)), seed)
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal((len(extra), real.vectors.d)).astype(np.float32)
    noise /= np.linalg.norm(noise, axis=1, keepdims=True)
    vectors = np.vstack([real.vectors_at(list(range(len(real.chunks)))), noise])
    chunks = list(real.chunks) + extra
    documents = dict(real.documents)
    for chunk in extra[::20]:
        documents[chunk.doc_id] = {"title": chunk.title, "source": chunk.source, "kind": "added", "origin": "added",
                                   "content_hash": chunk.doc_id, "chunks": 20, "metadata": {}}
    table = _sized_sentences(real, extra, rng)
    manifest = {**real.manifest, "documents": documents}
    writers = [lexical_writer(chunks)]
    if table is not None:
        manifest["sentences"] = sentences.manifest_entry(table)
        writers.append(sentences.writer(table))
    started = time.perf_counter()
    store.save(target_dir, chunks, vectors, manifest, writers=writers)
    return time.perf_counter() - started


def _sized_sentences(real, extra: list[Chunk], rng: np.random.Generator):
    """The real index's sentence table followed by the synthetic chunks' sentences (random unit vectors)."""
    from .sentences import SentenceTable, chunk_sentences, load_table

    table = load_table(real.path, real.manifest, len(real.chunks))
    if table is None:
        return None
    texts, chunk, row = list(table.texts), table.chunk.tolist(), table.row.tolist()
    start = len(real.chunks)
    new = [(start + i, text) for i, c in enumerate(extra) for text in chunk_sentences(c)]
    noise = rng.standard_normal((len(new), table.vectors.shape[1])).astype(np.float32)
    noise /= np.linalg.norm(noise, axis=1, keepdims=True)
    base = table.vectors.shape[0]
    texts += [t for _, t in new]
    chunk += [p for p, _ in new]
    row += list(range(base, base + len(new)))
    matrix = np.vstack([np.asarray(table.vectors), noise])
    return SentenceTable.create(texts, np.asarray(chunk, dtype=np.int32), np.asarray(row, dtype=np.int32), matrix)


def measure_index(index_dir: str, corpus_dir: str, embedder: str, questions_file: str, repeat: int) -> dict:
    """Run in a fresh process: cold start of the engine on a built index, warm latency, memory; BM25 beside."""
    from . import store
    from .config import get_settings
    from .embeddings import get_embedder
    from .engine import Engine

    settings = get_settings(index_dir=index_dir, corpus_dir=corpus_dir, embedder=embedder)
    get_embedder(embedder).embed_array(["échauffement"], is_query=True)  # model load: not the index's
    questions = [json.loads(line) for line in Path(questions_file).read_text(encoding="utf-8").splitlines() if line.strip()]
    started = time.perf_counter()
    index = store.load(settings.index_dir)
    loaded = time.perf_counter() - started
    engine = Engine(settings, index)
    ready = time.perf_counter() - started
    _, latencies = _run_questions(engine.ask, questions, repeat)
    row: dict[str, Any] = {"chunks": len(index.chunks), "index_load_s": loaded, "cold_start_s": ready,
                           "warm_p50_ms": statistics.median(latencies), "warm_p95_ms": _percentile(latencies, 0.95),
                           "peak_rss_mb": _peak_rss_mb()}
    started = time.perf_counter()
    baseline = BaselineBM25(index.chunks)
    row["bm25_cold_start_s"] = time.perf_counter() - started
    _, latencies = _run_questions(baseline.ask, questions, repeat)
    row["bm25_warm_p50_ms"] = statistics.median(latencies)
    row["bm25_warm_p95_ms"] = _percentile(latencies, 0.95)
    return row


def _measure_in_child(index_dir: Path, settings: Settings, questions_path: Path, repeat: int) -> dict:
    args = [str(index_dir), str(settings.corpus_dir), settings.embedder, str(questions_path), repeat]
    code = ("import json, sys; from assistant.bench import measure_index; "
            f"print(json.dumps(measure_index(*{args!r})))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=PROJECT_ROOT)
    if proc.returncode != 0:
        from .errors import AssistantError

        raise AssistantError(f"La mesure de l'index {index_dir} a échoué : {proc.stderr.strip()[-400:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def parse_sizes(text: str) -> list[int]:
    """"1720,20000" → [1720, 20000]; InputError (French) on anything else."""
    from .errors import InputError

    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError:
        raise InputError(f"--sizes attend des nombres de passages séparés par des virgules, pas « {text} ».") from None
    if any(not 1 <= s <= 1_000_000 for s in sizes):
        raise InputError("--sizes : chaque taille doit être comprise entre 1 et 1 000 000 passages.")
    return sizes


# ---------------------------------------------------------------------------------------------


def run_benchmark(settings: Settings, questions_file: str | None, out: TextIO, sizes: Sequence[int] = DEFAULT_SIZES,
                  repeat: int = 3) -> int:
    from .chunking import chunk_documents
    from .corpus import load_corpus
    from .embeddings import clear_cache
    from .engine import Engine
    from .errors import InputError
    from .indexer import update_index

    questions_path = Path(questions_file) if questions_file else DEFAULT_QUESTIONS
    if not questions_path.is_file():
        raise InputError(f"Fichier de questions introuvable : {questions_path}")
    if not 1 <= repeat <= 20:
        raise InputError("--repeat doit être compris entre 1 et 20.")
    questions = [json.loads(line) for line in questions_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    scorer = _load_scorer(questions_path)
    rows: dict[str, dict[str, Any]] = {"assistant": {}, "baseline BM25": {}}
    size_rows: list[dict[str, Any]] = []

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
            answers, latencies = _run_questions(ask, questions, repeat)
            rows[name]["warm_p50_ms"] = statistics.median(latencies)
            rows[name]["warm_p95_ms"] = _percentile(latencies, 0.95)
            if scorer is not None:
                result = scorer(questions, answers)
                for key in ("accuracy", "grounded", "abstention"):
                    rows[name][key] = result[key]
        del engine
        wall, rss = _batch_subprocess(bench_settings, questions_path, bench_settings.index_dir)
        rows["assistant"]["batch_wall_s"] = wall
        rows["assistant"]["batch_peak_rss_mb"] = rss
        rows["assistant"]["this_process_peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        # (this process also holds the baseline and the build, so it peaks higher than a user's process)

        size_rows.append({"label": "corpus", "write_s": None,
                          **_measure_in_child(bench_settings.index_dir, bench_settings, questions_path, repeat)})
        for size in sizes:
            if size <= len(chunks):
                continue
            target = Path(tmp) / f"size-{size}"
            write_s = write_sized_index(bench_settings.index_dir, target, size)
            size_rows.append({"label": "synthétique", "write_s": write_s,
                              **_measure_in_child(target, bench_settings, questions_path, repeat)})
            shutil.rmtree(target, ignore_errors=True)

    keys = ["build_s", "cold_start_s", "warm_p50_ms", "warm_p95_ms", "batch_wall_s", "batch_peak_rss_mb",
            "this_process_peak_rss_mb", "accuracy", "grounded", "abstention"]
    out.write(f"Benchmark — {len(questions)} questions de {questions_path}, embedder {settings.embedder}, "
              f"{len(chunks)} passages\n")
    out.write(f"{'mesure':<26}{'assistant':>14}{'baseline BM25':>16}\n")
    for key in keys:
        values = [rows[name].get(key) for name in ("assistant", "baseline BM25")]
        out.write(f"{key:<26}{_cell(values[0]):>14}{_cell(values[1]):>16}\n")
    out.write("(batch_* : `ask --jsonl` sur toutes les questions dans un processus neuf, démarrage à froid compris)\n\n")
    _write_sizes(size_rows, out)
    return 0


def _cell(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else ("—" if value is None else str(value))


def _write_sizes(size_rows: list[dict[str, Any]], out: TextIO) -> None:
    out.write("Passage à l'échelle — chaque taille mesurée dans un processus neuf ; import et chargement du modèle exclus\n")
    header = ["passages", "origine", "écriture_s", "chargement_s", "démarrage_s", "p50_ms", "p95_ms",
              "pic_RSS_Mo", "BM25_démarrage_s", "BM25_p50_ms", "BM25_p95_ms"]
    keys = ["chunks", "label", "write_s", "index_load_s", "cold_start_s", "warm_p50_ms", "warm_p95_ms", "peak_rss_mb",
            "bm25_cold_start_s", "bm25_warm_p50_ms", "bm25_warm_p95_ms"]
    widths = [max(len(h), 10) + 2 for h in header]
    out.write("".join(f"{h:>{w}}" for h, w in zip(header, widths)) + "\n")
    for row in size_rows:
        out.write("".join(f"{_cell(row.get(k)):>{w}}" for k, w in zip(keys, widths)) + "\n")
    out.write("(écriture : index complet avec BM25 à partir des passages et vecteurs, sans calcul d'embeddings ; "
              "démarrage : chargement de l'index et du moteur ; BM25 de référence : reconstruit à chaque démarrage, "
              "meilleure phrase du premier passage)\n")
    # The synthetic chunks recombine the corpus's sentences and, when found, PIAF's: two runs compare only
    # when they read the same ones (a git worktree outside the project's folder does not see ../shared).
    piaf = " et de PIAF" if PIAF_DEV.is_file() else f", sans PIAF ({PIAF_DEV} absent)"
    out.write(f"(passages synthétiques tirés des phrases du corpus{piaf})\n")
