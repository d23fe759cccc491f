"""Load test of the app's question path: N concurrent sessions sharing one Engine.

The Streamlit app keeps a single Engine per process (st.cache_resource) and gives each session its
own Conversation; this script does the same with threads, asks the dev questions in a loop for a
bounded time, and prints latency percentiles. It prints figures and asserts nothing.

    python benchmarks/load_app.py                      # 10 sessions, 60 s at most
    python benchmarks/load_app.py --sessions 20 --seconds 30 --questions ../shared/eval/dev_questions.jsonl
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.config import get_settings  # noqa: E402
from assistant.engine import Conversation, Engine  # noqa: E402

DEFAULT_QUESTIONS = ROOT.parent / "shared" / "eval" / "dev_questions.jsonl"
FALLBACK = ["Quelle part des musées a une stratégie numérique ?", "Et pour les réseaux ?",
            "Qu'est-ce que le RGAA ?", "Combien de structures ont répondu à l'enquête ?"]


def read_questions(path: Path) -> list[str]:
    if not path.is_file():
        return FALLBACK
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line)["question"] for line in lines if line.strip()] or FALLBACK


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60.0, help="time limit of the run")
    parser.add_argument("--rounds", type=int, default=1, help="passes over the questions per session")
    parser.add_argument("--questions", type=Path, default=DEFAULT_QUESTIONS)
    parser.add_argument("--index-dir", help="index to use (default: $MUSENOR_INDEX_DIR or ./index)")
    args = parser.parse_args()

    settings = get_settings(index_dir=args.index_dir)
    questions = read_questions(args.questions)
    started = time.perf_counter()
    engine = Engine.load(settings, progress=lambda m: print(m, file=sys.stderr))
    print(f"Engine loaded in {time.perf_counter() - started:.1f} s ({len(engine.index.chunks)} chunks, "
          f"embedder {settings.embedder}); {len(questions)} questions, {args.sessions} sessions")

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.monotonic() + args.seconds
    barrier = threading.Barrier(args.sessions)

    def session(number: int) -> None:
        conversation = Conversation()  # one per session, as in the app
        own = questions[number % len(questions):] + questions[:number % len(questions)]
        barrier.wait()
        for _ in range(args.rounds):
            for question in own:
                if time.monotonic() > deadline:
                    return
                t0 = time.perf_counter()
                try:
                    engine.ask(question, conversation)
                except Exception as exc:  # counted, not raised: this is a measurement
                    with lock:
                        errors.append(f"{exc.__class__.__name__}: {exc}")
                    continue
                with lock:
                    latencies.append((time.perf_counter() - t0) * 1000)

    threads = [threading.Thread(target=session, args=(n,), daemon=True) for n in range(args.sessions)]
    wall = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(max(0.0, deadline - time.monotonic()) + 30)
    wall = time.perf_counter() - wall

    if not latencies:
        print("No answer completed.", *errors[:5], sep="\n")
        return
    print(f"answers: {len(latencies)} in {wall:.1f} s ({len(latencies) / wall:.1f}/s), errors: {len(errors)}")
    print(f"latency ms: p50 {percentile(latencies, 0.50):.0f}, p95 {percentile(latencies, 0.95):.0f}, "
          f"max {max(latencies):.0f}, mean {statistics.fmean(latencies):.0f}")
    for message in sorted(set(errors))[:5]:
        print("error:", message)


if __name__ == "__main__":
    main()
