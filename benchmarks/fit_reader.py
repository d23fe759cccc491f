"""Fit the reader's weights and thresholds (assistant/reader.py, values stored in assistant/config.py).

Procedure (rerun after changing the reader's features, then copy the printed values into config.py):

1. Questions with known answers: the Musenor sets given with --musenor (each line {question, expect,
   answerable}) answered on the bundled corpus's index, and PIAF questions (--piaf-json, with
   --piaf-index/--piaf-corpus an index holding its articles, built by ../shared/eval/piaf.py) answered on
   theirs. PIAF questions that ../shared/eval/piaf.py samples for its score are left out (--piaf-skip,
   its questions.jsonl), so the PIAF figure stays a measurement and not a fit.
2. Every sentence the reader reads for a question (the sentences of the top passages) is a row of
   features (reader.FEATURES); its label is 1 when it holds the expected answer (every expected string
   of one group for Musenor, the gold span for PIAF). Two-part and talk questions are left out: they
   are answered part by part or from the indicators table.
3. A logistic regression (scikit-learn, L2, C=1) is fitted on the rows, each question weighing the
   same and each source (Musenor, PIAF) weighing half: its coefficients are `reader_weights`, its
   intercept `reader_bias`.
4. With those weights the full answerer runs on the cached evidence for a grid of thresholds:
   `reader_min_probability` is the highest that declines at most 5 % of the answerable questions whose
   evidence holds the answer, picking the best share of right refusals; `reader_runner_up` maximises
   the share of correct answers (every expected group in the answer, at most 700 characters).

    python benchmarks/fit_reader.py --musenor ../shared/eval/dev_questions.jsonl tests/data/*.jsonl SET_C \\
        --piaf-json ../shared/eval/piaf/piaf-v1.0-dev.json --piaf-index /tmp/piaf/index \\
        --piaf-corpus /tmp/piaf/corpus --piaf-skip /tmp/piaf/questions.jsonl --piaf-questions 600
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.answer import ExtractiveAnswerer  # noqa: E402
from assistant.config import get_settings  # noqa: E402
from assistant.engine import Engine, clean_question  # noqa: E402
from assistant.questions import is_talk_request, split_parts  # noqa: E402
from assistant.reader import FEATURES  # noqa: E402


DEBUG = False


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKD", (text or "").lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[\u2019'`]", "'", text)
    text = re.sub(r"[\u2010-\u2015\-]", " ", text)
    text = re.sub(r"[^\w%' ]+", " ", text)
    text = re.sub(r"(\d) %", r"\1%", text)
    return re.sub(r"\s+", " ", text).strip()


def matches(group, text: str) -> bool:
    for alt in group if isinstance(group, list) else [group]:
        if alt.startswith("re:") and re.search(alt[3:], text):
            return True
        if not alt.startswith("re:") and norm(alt) in text:
            return True
    return False


def collect(engine: Engine, items: list[dict], source: str) -> list[dict]:
    """Evidence and sentence features of each question (one retrieval per question, cached)."""
    out = []
    answerer = engine.answerer
    for item in items:
        question, _ = clean_question(item["question"], engine.settings.max_question_chars)
        if len(split_parts(question)) > 1 or is_talk_request(question):
            continue
        evidence = engine.evidence(question)
        scored = answerer.score(question, evidence)
        expect = item.get("expect", [])
        # A sentence is right when it holds every expected group; when none does, one holding a group.
        hold = [sum(matches(g, norm(s.text)) for g in expect) for s in scored]
        need = len(expect) if expect and len(expect) in hold else 1
        labels = [int(bool(expect) and h >= need) for h in hold]
        out.append({"question": question, "evidence": evidence, "source": source, "expect": expect,
                    "answerable": item.get("answerable", True),
                    "x": np.array([s.features for s in scored]) if scored else np.zeros((0, len(FEATURES))),
                    "y": np.array(labels)})
    return out


def correct(item: dict, answer) -> bool:
    text = norm(answer.text)
    if not item["answerable"]:
        return not answer.answered
    return answer.answered and len(answer.text) <= 700 and all(matches(g, text) for g in item["expect"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--musenor", nargs="*", default=[])
    parser.add_argument("--index-dir")
    parser.add_argument("--piaf-json")
    parser.add_argument("--piaf-index")
    parser.add_argument("--piaf-corpus")
    parser.add_argument("--piaf-skip")
    parser.add_argument("--piaf-questions", type=int, default=600)
    parser.add_argument("--debug", action="store_true", help="print wrong answers and wrongful declines")
    args = parser.parse_args()
    from sklearn.linear_model import LogisticRegression

    data: list[dict] = []
    settings = get_settings(index_dir=args.index_dir)
    engines = []
    if args.musenor:
        engine = Engine.load(settings)
        engines.append(engine)
        for path in args.musenor:
            items = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()]
            data += collect(engine, items, "musenor")
    if args.piaf_json:
        skip = set()
        if args.piaf_skip and Path(args.piaf_skip).exists():
            skip = {json.loads(line)["id"] for line in open(args.piaf_skip, encoding="utf-8") if line.strip()}
        qas = [{"id": qa["id"], "question": qa["question"], "expect": [qa["answers"][0]["text"]]}
               for art in json.loads(Path(args.piaf_json).read_text(encoding="utf-8"))["data"]
               for p in art["paragraphs"] for qa in p["qas"] if qa["answers"] and qa["id"] not in skip
               and len(norm(qa["answers"][0]["text"])) >= 2]
        random.Random(7).shuffle(qas)
        piaf = Engine.load(get_settings(index_dir=args.piaf_index, corpus_dir=args.piaf_corpus))
        engines.append(piaf)
        data += collect(piaf, qas[: args.piaf_questions], "piaf")
    print(f"{len(data)} questions, {sum(len(d['y']) for d in data)} sentences", file=sys.stderr)

    rows = [d for d in data if len(d["y"])]
    counts = {s: sum(1 for d in rows if d["source"] == s) for s in ("musenor", "piaf")}
    x = np.vstack([d["x"] for d in rows])
    y = np.concatenate([d["y"] for d in rows])
    w = np.concatenate([np.full(len(d["y"]), 1.0 / len(d["y"]) / counts[d["source"]]) for d in rows])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=1.0, max_iter=2000).fit((x - mean) / scale, y, sample_weight=w * len(rows))
    raw = model.coef_[0] / scale  # back to the features' own units
    weights = tuple(round(float(c), 3) for c in raw)
    bias = round(float(model.intercept_[0] - (raw * mean).sum()), 3)
    print("weights:", dict(zip(FEATURES, weights)), "bias:", bias, file=sys.stderr)

    def run(min_p: float, runner: float) -> dict:
        result = {"answerable": 0, "wrong_declines": 0, "unanswerable": 0, "right_refusals": 0,
                  "correct": {"musenor": 0, "piaf": 0}, "n": {"musenor": 0, "piaf": 0}}
        for engine in engines:
            engine.answerer = ExtractiveAnswerer(replace(engine.settings, reader_weights=weights, reader_bias=bias,
                                                         reader_min_probability=min_p, reader_runner_up=runner))
        for d in data:
            engine = engines[0] if d["source"] == "musenor" and args.musenor else engines[-1]
            answer = engine.answerer.answer(d["question"], d["evidence"])
            result["n"][d["source"]] += 1
            result["correct"][d["source"]] += correct(d, answer)
            if not d["answerable"]:
                result["unanswerable"] += 1
                result["right_refusals"] += not answer.answered
            elif d["y"].any():
                result["answerable"] += 1
                result["wrong_declines"] += not answer.answered
                if not answer.answered and DEBUG:
                    print("  declined:", d["question"], "|", answer.text[:150], file=sys.stderr)
            if d["answerable"] and answer.answered and not correct(d, answer) and DEBUG:
                print("  wrong:", d["question"], "|", answer.text[:200], file=sys.stderr)
        return result

    global DEBUG
    DEBUG = args.debug
    run(0.0, 0.8)
    DEBUG = False
    best = None
    for min_p in (0.02, 0.05, 0.08, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4):
        r = run(min_p, 0.8)
        wrong = r["wrong_declines"] / max(1, r["answerable"])
        right = r["right_refusals"] / max(1, r["unanswerable"])
        print(f"min_p={min_p}: wrongful declines {wrong:.3f}, right refusals {right:.3f}", file=sys.stderr)
        if wrong <= 0.05 and (best is None or right >= best[1]):
            best = (min_p, right)
    min_p = best[0] if best else 0.02
    best_runner = None
    for runner in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01):
        r = run(min_p, runner)
        share = sum(r["correct"][s] / max(1, r["n"][s]) for s in r["n"] if r["n"][s]) / max(1, sum(1 for s in r["n"] if r["n"][s]))
        print(f"runner_up={runner}: correct {r['correct']} of {r['n']}", file=sys.stderr)
        if best_runner is None or share > best_runner[1]:
            best_runner = (runner, share)
    print(json.dumps({"reader_weights": weights, "reader_bias": bias, "reader_min_probability": min_p,
                      "reader_runner_up": best_runner[0]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
