"""Fit the reader's weights and thresholds (assistant/reader.py, values stored in assistant/config.py).

Procedure (rerun after changing the reader's features, then copy the printed values into config.py):

1. Questions with known answers: the Musenor sets given with --musenor (each line {question, expect,
   answerable}) answered on the bundled corpus's index, and PIAF questions (--piaf-json, with
   --piaf-index/--piaf-corpus an index holding its articles, built by ../shared/eval/piaf.py) answered on
   theirs. PIAF questions that ../shared/eval/piaf.py samples for its score are left out (--piaf-skip,
   its questions.jsonl), so the PIAF figure stays a measurement and not a fit.
2. Every sentence the reader reads for a question (the sentences of the top passages) is a row of
   features (reader.FEATURES); its label is 1 when it holds the expected answer (every expected string
   of one group for Musenor, the gold span for PIAF). Questions are read as `Engine.ask` reads them
   (SMS forms expanded). Two-part and talk questions are left out: they are answered part by part or
   from the indicators table.
3. A listwise ranker is fitted on the questions whose sentences hold the answer (`fit_listwise`): a
   softmax over each question's sentences, the loss being minus the log of the mass on the right
   ones, L2-penalised, each question weighing the same and each source (Musenor, PIAF) weighing half.
   Its coefficients are `reader_weights`. (It replaced a pointwise logistic regression: in 5-fold
   cross-validation the right sentence came first for 0.89 of Musenor and 0.645 of PIAF questions,
   against 0.83 and 0.63.) The `counted` feature (the claim gives a number of what "combien de …"
   counts) was kept on its 3 × 5-fold cross-validated gain on the 83 count questions — right sentence
   first for 0.803 of them, against 0.775 without it — overall it changes nothing measurable (0.881
   and 0.653 with it, 0.886 and 0.650 without).
4. Refusals (since the eleventh session `refusal_weights`, `refusal_bias` and `refusal_threshold` come
   from benchmarks/fit_refusal.py, which reads questions as `Engine.ask` does; this step is kept for
   refitting everything at once): one row per question, the features of the best sentence that fits the question
   (answer.candidate, then refusal.RefusalModel.features), label 1
   for an answerable question whose evidence holds the answer, 0 for an unanswerable one (Musenor
   questions only: PIAF has no unanswerable one); a second, class-balanced logistic regression gives
   `refusal_weights` / `refusal_bias`. PIAF still bounds the wrongful declines in step 5.
5. With those weights the full answerer runs on the cached evidence for a grid of thresholds:
   `refusal_threshold` is the one with the most right refusals that declines at most 5 % of the
   answerable questions whose evidence holds the answer, pooled over Musenor and PIAF;
   (A second threshold for the bundled corpus's passages, chosen the same way on the Musenor
   questions alone, was tried: 0.3, refusing 0.72 of our unanswerable questions at 5 % wrongful
   declines — but on three sets written by other people its wrongful declines were far higher, and
   overall it scored 141 of 175 against 146 with the single threshold; it was removed. Choosing it
   on out-of-fold reader scores did no better: 135 of 175.)
   `reader_runner_up` (a second or third
   sentence for a question calling for a list or an explanation), then `reader_runner_up_single` (a
   second sentence for a question asking one fact; 1.01 = never) are each the most concise value
   whose share of correct answers (every expected group in the answer, at most 700 characters),
   averaged over the Musenor and PIAF questions, is within one standard error of the best (`pick`).

    python ../shared/eval/piaf.py --work /tmp/piaf      # builds the PIAF index once
    python benchmarks/fit_reader.py --musenor ../shared/eval/dev_questions.jsonl \\
        tests/data/blind_tuning_questions.jsonl tests/data/generalisation_questions.jsonl \\
        tests/data/heldout2_questions.jsonl tests/data/fit_questions.jsonl \\
        tests/data/blind_s5_questions.jsonl tests/data/blind_s6_questions.jsonl tests/data/blind_s7_questions.jsonl \\
        tests/data/blind_s8_questions.jsonl tests/data/blind_s10_questions.jsonl tests/data/blind_s12_questions.jsonl \\
        --piaf-json ../shared/eval/piaf/piaf-v1.0-dev.json --piaf-index /tmp/piaf/index \\
        --piaf-corpus /tmp/piaf/corpus --piaf-skip /tmp/piaf/questions.jsonl --piaf-questions 600

(Sixth session: the values in config.py come from this command, 574 Musenor questions of which 161
unanswerable, after sentence vectors got their passage's title as context; the thresholds are searched
every 0.01 up to 0.30. The same fit without s5–s12 kept the threshold at 0.10: the validation sets
scored one question lower in all, and "Quelle est la météo à Lille demain ?" came out answerable.)

(Seventh session: the same command with blind_s15 and blind_s17 added (673 Musenor questions) gave a
threshold of 0.18 and `reader_runner_up_single` 0.3; the validation sets scored the same in all (s18 +1,
s4 -1) and PIAF went from 0.695 to 0.69; with 1,500 PIAF questions instead of 600, PIAF went to 0.68
and the validation sets lost 3 questions. The sixth session's values were kept.)

(Eighth session: `reader_confident` in config.py — the softmax share above which the reader's top sentence
answers without the question's role words or numbers — was chosen on a grid, not by this script: see its
comment there.)

The held-out sets (tests/data/blind_heldout_questions.jsonl, blind_final_questions.jsonl,
blind_s3_questions.jsonl, blind_s4_questions.jsonl, blind_s13_questions.jsonl, blind_s18_questions.jsonl,
blind_s22_questions.jsonl, blind_s26_questions.jsonl, blind_s29_questions.jsonl, blind_s32_questions.jsonl,
blind_s35_questions.jsonl, blind_s38_questions.jsonl, blind_s41_questions.jsonl, blind_s46_questions.jsonl,
blind_s51_questions.jsonl, blind_s55_questions.jsonl, blind_s59_questions.jsonl, blind_s64_questions.jsonl, blind_s70_questions.jsonl, blind_s75_questions.jsonl, blind_s81_questions.jsonl, blind_s86_questions.jsonl, blind_s92_questions.jsonl, blind_s98_questions.jsonl, blind_s102_questions.jsonl, blind_s105_questions.jsonl, blind_s110_questions.jsonl, blind_s113_questions.jsonl, blind_s117_questions.jsonl, blind_s121_questions.jsonl, blind_s125_questions.jsonl, blind_s129_questions.jsonl, blind_s133_questions.jsonl, blind_s137_questions.jsonl, blind_s141_questions.jsonl, blind_s145_questions.jsonl, blind_s149_questions.jsonl, blind_s153_questions.jsonl, blind_s9_questions.jsonl and the untouched blind_s11_questions.jsonl, blind_s14_questions.jsonl,
blind_s16_questions.jsonl, blind_s20_questions.jsonl, blind_s24_questions.jsonl, blind_s27_questions.jsonl and
blind_s30_questions.jsonl, blind_s33_questions.jsonl, blind_s36_questions.jsonl, blind_s39_questions.jsonl, blind_s44_questions.jsonl, blind_s49_questions.jsonl, blind_s50_questions.jsonl, blind_s54_questions.jsonl, blind_s58_questions.jsonl, blind_s63_questions.jsonl, blind_s68_questions.jsonl, blind_s69_questions.jsonl, blind_s73_questions.jsonl, blind_s74_questions.jsonl, blind_s78_questions.jsonl, blind_s79_questions.jsonl, blind_s83_questions.jsonl, blind_s84_questions.jsonl, blind_s90_questions.jsonl, blind_s91_questions.jsonl, blind_s95_questions.jsonl, blind_s97_questions.jsonl, blind_s101_questions.jsonl, blind_s104_questions.jsonl, blind_s111_questions.jsonl, blind_s112_questions.jsonl, blind_s116_questions.jsonl, blind_s120_questions.jsonl, blind_s124_questions.jsonl, blind_s128_questions.jsonl, blind_s132_questions.jsonl, blind_s136_questions.jsonl, blind_s140_questions.jsonl, blind_s144_questions.jsonl, blind_s148_questions.jsonl and blind_s152_questions.jsonl) judge the result and are refused here (`HELD_OUT`).

(Tenth session: the same command with s15–s31's tuning sets added — 896 Musenor questions — gave other
weights (absence −4.47, counted 1.97) and a threshold of 0.19; end to end the tuning sets lost 9 questions
and the validation sets 2. The sixth session's values were kept.)
"""
from __future__ import annotations

import argparse
import json
import math
import random
import re
import sys
import unicodedata
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.answer import ExtractiveAnswerer, never_named  # noqa: E402
from assistant.config import get_settings  # noqa: E402
from assistant.engine import Engine, clean_question  # noqa: E402
from assistant.parts import split_parts  # noqa: E402
from assistant.reader import FEATURES  # noqa: E402
from assistant.sms import normalise_question  # noqa: E402
from assistant.talk_request import is_talk_request  # noqa: E402


DEBUG = False
HELD_OUT = ("blind_heldout_questions.jsonl", "blind_final_questions.jsonl", "blind_s3_questions.jsonl",
            "blind_s4_questions.jsonl", "blind_s9_questions.jsonl", "blind_s11_questions.jsonl",
            "blind_s13_questions.jsonl", "blind_s14_questions.jsonl", "blind_s16_questions.jsonl",
            "blind_s18_questions.jsonl", "blind_s20_questions.jsonl",
            "blind_s22_questions.jsonl", "blind_s24_questions.jsonl", "blind_s26_questions.jsonl",
            "blind_s27_questions.jsonl", "blind_s29_questions.jsonl", "blind_s30_questions.jsonl",
            "blind_s32_questions.jsonl", "blind_s33_questions.jsonl", "blind_s35_questions.jsonl",
            "blind_s36_questions.jsonl", "blind_s38_questions.jsonl", "blind_s39_questions.jsonl",
            "blind_s41_questions.jsonl", "blind_s44_questions.jsonl", "blind_s46_questions.jsonl",
            "blind_s49_questions.jsonl", "blind_s50_questions.jsonl", "blind_s51_questions.jsonl",
            "blind_s54_questions.jsonl", "blind_s55_questions.jsonl", "blind_s58_questions.jsonl",
            "blind_s59_questions.jsonl", "blind_s63_questions.jsonl", "blind_s64_questions.jsonl",
            "blind_s68_questions.jsonl", "blind_s69_questions.jsonl", "blind_s70_questions.jsonl",
            "blind_s73_questions.jsonl", "blind_s74_questions.jsonl", "blind_s75_questions.jsonl",
            "blind_s78_questions.jsonl", "blind_s79_questions.jsonl", "blind_s81_questions.jsonl",
            "blind_s83_questions.jsonl", "blind_s84_questions.jsonl", "blind_s86_questions.jsonl",
            "blind_s90_questions.jsonl", "blind_s91_questions.jsonl", "blind_s92_questions.jsonl",
            "blind_s95_questions.jsonl", "blind_s97_questions.jsonl", "blind_s98_questions.jsonl",
            "blind_s101_questions.jsonl", "blind_s102_questions.jsonl",
            "blind_s104_questions.jsonl", "blind_s105_questions.jsonl", "blind_s110_questions.jsonl",
            "blind_s111_questions.jsonl", "blind_s112_questions.jsonl", "blind_s113_questions.jsonl",
            "blind_s116_questions.jsonl", "blind_s117_questions.jsonl",
            "blind_s120_questions.jsonl", "blind_s121_questions.jsonl",
            "blind_s124_questions.jsonl", "blind_s125_questions.jsonl",
            "blind_s128_questions.jsonl", "blind_s129_questions.jsonl",
            "blind_s132_questions.jsonl", "blind_s133_questions.jsonl",
            "blind_s136_questions.jsonl", "blind_s137_questions.jsonl",
            "blind_s140_questions.jsonl", "blind_s141_questions.jsonl",
            "blind_s144_questions.jsonl", "blind_s145_questions.jsonl",
            "blind_s148_questions.jsonl", "blind_s149_questions.jsonl",
            "blind_s152_questions.jsonl", "blind_s153_questions.jsonl")


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


def piaf_questions(piaf_json: str, skip_path: str | None, count: int) -> list[dict]:
    """`count` PIAF questions ({id, question, expect}) in a fixed shuffled order, leaving out those
    ../shared/eval/piaf.py scores (its questions.jsonl, `skip_path`), so the PIAF figure stays a measurement."""
    skip = set()
    if skip_path and Path(skip_path).exists():
        skip = {json.loads(line)["id"] for line in open(skip_path, encoding="utf-8") if line.strip()}
    qas = [{"id": qa["id"], "question": qa["question"], "expect": [qa["answers"][0]["text"]]}
           for art in json.loads(Path(piaf_json).read_text(encoding="utf-8"))["data"]
           for p in art["paragraphs"] for qa in p["qas"] if qa["answers"] and qa["id"] not in skip
           and len(norm(qa["answers"][0]["text"])) >= 2]
    random.Random(7).shuffle(qas)
    return qas[:count]


def collect(engine: Engine, items: list[dict], source: str) -> list[dict]:
    """Evidence and sentence features of each question (one retrieval per question, cached)."""
    out = []
    answerer = engine.answerer
    for item in items:
        question, _ = clean_question(item["question"], engine.settings.max_question_chars)
        question = normalise_question(question, engine.search.bm25)  # as Engine.ask reads it
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


def fit_listwise(data: list[dict], l2: float = 1.0) -> tuple[float, ...]:
    """Reader weights: a softmax over each question's sentences, fitted (L-BFGS, L2 penalty `l2`) to give
    the sentences holding the answer the most mass; each question weighs the same within its source and
    each source (Musenor, PIAF) half. Features are standardised for the fit, weights returned in their units."""
    from scipy.optimize import minimize

    rows = [d for d in data if len(d["y"]) and d["y"].any()]
    counts = {s: sum(1 for d in rows if d["source"] == s) for s in ("musenor", "piaf")}
    x = np.vstack([d["x"] for d in rows])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    xs = [(d["x"] - mean) / scale for d in rows]
    ys = [d["y"].astype(bool) for d in rows]
    ws = [0.5 / counts[d["source"]] for d in rows]

    def loss(w: np.ndarray) -> tuple[float, np.ndarray]:
        value, grad = 0.5 * l2 * float(w @ w) / len(rows), l2 * w / len(rows)
        for xq, yq, wq in zip(xs, ys, ws):
            z = xq @ w
            p = np.exp(z - z.max())
            p /= p.sum()
            mass = p[yq].sum()
            value -= wq * np.log(mass + 1e-12)
            target = np.zeros_like(p)
            target[yq] = p[yq] / mass
            grad = grad - wq * (xq.T @ (target - p))
        return value, grad

    result = minimize(loss, np.zeros(x.shape[1]), jac=True, method="L-BFGS-B")
    return tuple(round(float(c), 3) for c in result.x / scale)


def correct(item: dict, answer) -> bool:
    text = norm(answer.text)
    if not item["answerable"]:
        return not answer.answered
    return answer.answered and len(answer.text) <= 700 and all(matches(g, text) for g in item["expect"])


def add_data_arguments(parser: argparse.ArgumentParser) -> None:
    """The options naming the Musenor index and the PIAF questions and index a fit reads."""
    parser.add_argument("--index-dir")
    parser.add_argument("--piaf-json")
    parser.add_argument("--piaf-index")
    parser.add_argument("--piaf-corpus")
    parser.add_argument("--piaf-skip")
    parser.add_argument("--piaf-questions", type=int, default=600)


def parse_data_arguments(parser: argparse.ArgumentParser) -> argparse.Namespace:
    """The parsed options; a held-out set given with --musenor is refused."""
    args = parser.parse_args()
    refuse_held_out(parser, args.musenor)
    return args


def refuse_held_out(parser: argparse.ArgumentParser, paths: list[str]) -> None:
    """Stop with an error when one of `paths` is a held-out set (`HELD_OUT`): those judge, never fit."""
    held_out = [p for p in paths if Path(p).name in HELD_OUT]
    if held_out:
        parser.error(f"jeu réservé, jamais utilisé pour ajuster : {', '.join(held_out)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--musenor", nargs="*", default=[])
    add_data_arguments(parser)
    parser.add_argument("--debug", action="store_true", help="print wrong answers and wrongful declines")
    args = parse_data_arguments(parser)
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
        piaf = Engine.load(get_settings(index_dir=args.piaf_index, corpus_dir=args.piaf_corpus))
        engines.append(piaf)
        data += collect(piaf, piaf_questions(args.piaf_json, args.piaf_skip, args.piaf_questions), "piaf")
    print(f"{len(data)} questions, {sum(len(d['y']) for d in data)} sentences", file=sys.stderr)

    weights = fit_listwise(data)
    print("weights:", dict(zip(FEATURES, weights)), file=sys.stderr)

    def configure(**changes) -> None:
        for engine in engines:
            engine.answerer = ExtractiveAnswerer(replace(engine.settings, reader_weights=weights, **changes))

    def engine_of(d: dict) -> Engine:
        return engines[0] if d["source"] == "musenor" and args.musenor else engines[-1]

    # Refusal model: one row per question, from its best sentence under the fitted weights.
    configure()
    qx, qy, qw = [], [], []
    for d in data:
        if (d["answerable"] and not d["y"].any()) or d["source"] != "musenor":
            continue  # evidence without the answer teaches nothing; PIAF has no unanswerable question
        answerer = engine_of(d).answerer
        scored = answerer.score(d["question"], d["evidence"])
        if not scored:
            continue
        best = answerer.candidate(d["question"], scored)
        if best is None or never_named(d["question"], d["evidence"].bm25):
            continue  # declined by the answerer's rules before the model is asked
        qx.append(answerer.refusal.features(d["question"], best, d["evidence"].bm25, scored))
        qy.append(int(d["answerable"]))
        qw.append(1.0)
    qx_, qy_ = np.array(qx), np.array(qy)
    qmean, qscale = qx_.mean(axis=0), qx_.std(axis=0)
    qscale[qscale == 0] = 1.0
    refusal = LogisticRegression(C=1.0, max_iter=2000, class_weight="balanced").fit(
        (qx_ - qmean) / qscale, qy_, sample_weight=np.array(qw) * len(qy))
    rraw = refusal.coef_[0] / qscale
    refusal_weights = tuple(round(float(c), 3) for c in rraw)
    refusal_bias = round(float(refusal.intercept_[0] - (rraw * qmean).sum()), 3)
    print("refusal weights:", refusal_weights, "bias:", refusal_bias, file=sys.stderr)

    def run(threshold: float, runner: float, single: float = 1.01) -> dict:
        result = {"answerable": 0, "wrong_declines": 0, "unanswerable": 0, "right_refusals": 0,
                  "correct": {"musenor": 0, "piaf": 0}, "n": {"musenor": 0, "piaf": 0}}
        configure(refusal_weights=refusal_weights, refusal_bias=refusal_bias, refusal_threshold=threshold,
                  reader_runner_up=runner, reader_runner_up_single=single)
        for d in data:
            answer = engine_of(d).answerer.answer(d["question"], d["evidence"])
            result["n"][d["source"]] += 1
            result["correct"][d["source"]] += correct(d, answer)
            if not d["answerable"]:
                result["unanswerable"] += 1
                result["right_refusals"] += not answer.answered
                if answer.answered and DEBUG:
                    print("  answered unanswerable:", d["question"], "|", answer.text[:150], file=sys.stderr)
            elif d["y"].any():
                result["answerable"] += 1
                result["wrong_declines"] += not answer.answered
                if not answer.answered and DEBUG:
                    print("  declined:", d["question"], "|", answer.text[:150], file=sys.stderr)
            if d["answerable"] and answer.answered and not correct(d, answer) and DEBUG:
                print("  wrong:", d["question"], "|", answer.text[:200], file=sys.stderr)
        return result

    best = None
    for threshold in (*np.arange(0.01, 0.301, 0.01), *np.arange(0.35, 0.96, 0.05)):  # finer where it matters
        r = run(float(threshold), 0.8)
        wrong = r["wrong_declines"] / max(1, r["answerable"])
        right = r["right_refusals"] / max(1, r["unanswerable"])
        print(f"threshold={threshold:.2f}: wrongful declines {wrong:.3f}, right refusals {right:.3f}", file=sys.stderr)
        if wrong <= 0.05 and (best is None or right >= best[1]):
            best = (round(float(threshold), 2), right)
    threshold = best[0] if best else 0.05
    def pick(name: str, values: tuple[float, ...], run_with) -> float:
        """The most concise value (the highest ratio: fewest added sentences) whose share of correct
        answers, averaged over Musenor and PIAF, is within one standard error of the best value's (the
        one-standard-error rule): containing the answer alone would always favour longer answers."""
        results = []
        for value in values:
            r = run_with(value)
            shares = [(r["correct"][s] / r["n"][s], r["n"][s]) for s in r["n"] if r["n"][s]]
            mean = sum(p for p, _ in shares) / len(shares)
            error = math.sqrt(sum(p * (1 - p) / n for p, n in shares)) / len(shares)
            results.append((value, mean, error))
            print(f"{name}={value}: correct {r['correct']} of {r['n']}, mean {mean:.3f}", file=sys.stderr)
        _, top, error = max(results, key=lambda v: v[1])
        return max(value for value, mean, _ in results if mean >= top - error)

    grid = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.01)
    runner = pick("runner_up", grid, lambda v: run(threshold, v))
    single = pick("runner_up_single", grid, lambda v: run(threshold, runner, v))
    global DEBUG
    DEBUG = args.debug
    run(threshold, runner, single)
    print(json.dumps({"reader_weights": weights, "refusal_weights": refusal_weights,
                      "refusal_bias": refusal_bias, "refusal_threshold": threshold,
                      "reader_runner_up": runner, "reader_runner_up_single": single}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
