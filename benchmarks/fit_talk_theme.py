"""Fit the weight of a theme's row rank against its fiche rank when a talk request's theme is chosen
(config `talk_row_rank_weight`, `talk.best_theme`).

Procedure (thirty-first session; rerun after changing the corpus, the indicators table or retrieval, then
copy the printed value into assistant/config.py):

1. Each question of kind "talk" with expected strings in the given sets is read as `Engine.ask` reads it
   (SMS forms, asides); those that are not talk requests (`talk_request.is_talk_request`) are left out.
2. Its topic (`talk_request.talk_topic`) is searched as `talk.theme_rows` searches it; each theme gets its
   best row rank and best fiche rank (`talk.theme_ranks`), and is "right" when one of its rows holds one
   of the question's expected strings (matched as fit_reader matches an answer). Questions where no theme is right, or
   where no fiche is among the hits (the rows are then taken in their own order), are left out.
3. For weights from 0.25 to 4, the number of questions whose chosen theme (`talk.best_theme`) is right;
   the printed weight is the middle of the weights reaching the most.

    python benchmarks/fit_talk_theme.py            # every tuning set of tests/data

The held-out sets (fit_reader.HELD_OUT) are refused.

(Thirty-first session: 342 questions; 311 right at every weight from 0.75 to 1.25, 310 at 1.5, 309 at 0.5
and 2, 307 at 0.25, 305 at 3, 298 at 4. Printed 1, the value the code had used unfitted.)
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from fit_reader import HELD_OUT, matches, norm, refuse_held_out  # noqa: E402

from assistant.config import get_settings  # noqa: E402
from assistant.engine import Engine  # noqa: E402
from assistant.question_context import without_aside  # noqa: E402
from assistant.sms import normalise_question  # noqa: E402
from assistant.talk import best_theme, theme_ranks, theme_search  # noqa: E402
from assistant.talk_request import is_talk_request, talk_topic  # noqa: E402

WEIGHTS = (0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0)


def rows(engine: Engine, items: list[dict]) -> list[tuple[dict[str, tuple[int, int]], set[str]]]:
    """(each theme's ranks, the themes whose rows hold an expected string) for each usable talk request."""
    out = []
    search = engine.search
    for item in items:
        if item.get("kind") != "talk" or not item.get("expect"):
            continue
        query = without_aside(normalise_question(item["question"], search.bm25))
        if not is_talk_request(query):
            continue
        found, hits = theme_search(search, talk_topic(query), engine._indicator_count)
        ranks = theme_ranks(found, hits)
        right = {str(r.chunk.metadata.get("theme", "")) for r in found
                 if any(matches(group, norm(r.chunk.text)) for group in item["expect"])}
        if right and ranks:
            out.append((ranks, right))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--musenor", nargs="*", default=None, help="question sets (default: the tuning sets of tests/data)")
    args = parser.parse_args()
    paths = args.musenor
    if paths is None:
        paths = [str(p) for p in sorted((ROOT / "tests" / "data").glob("*_questions.jsonl")) if p.name not in HELD_OUT]
    refuse_held_out(parser, paths)
    engine = Engine.load(get_settings())
    data = []
    for path in paths:
        data += rows(engine, [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()])
    right = {w: sum(best_theme(ranks, w) in good for ranks, good in data) for w in WEIGHTS}
    for weight, count in right.items():
        print(f"weight {weight:g}: {count} / {len(data)}")
    top = max(right.values())
    print(f"talk_row_rank_weight = {float(np.median([w for w, c in right.items() if c == top])):g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
