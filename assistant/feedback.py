"""Users' 👍/👎 on answers, kept in SQLite so that they survive restarts and concurrent sessions.

    store = FeedbackStore(settings.data_dir / FEEDBACK_FILE)
    row_id = store.add(question, answer_text, sources, rating=1, comment="")
    store.update(row_id, comment="Très utile pour ma présentation")
    store.list()    -> [FeedbackEntry, ...] newest first
    store.to_csv()  -> the whole table as CSV text (French headers), for the Musenor team

Every write opens its own connection and runs one short transaction; the database is in WAL
mode with a busy timeout, so several Streamlit sessions (threads) or processes can write at
the same time without losing a row.
"""
from __future__ import annotations

import csv
import io
import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from .errors import AssistantError

FEEDBACK_FILE = "feedback.sqlite3"
BUSY_TIMEOUT_MS = 10_000
RATING_LABELS = {1: "utile", 0: "pas utile"}  # st.feedback("thumbs"): 1 = 👍, 0 = 👎

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    session TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    sources TEXT NOT NULL DEFAULT '[]',
    rating INTEGER NOT NULL CHECK (rating IN (0, 1)),
    comment TEXT NOT NULL DEFAULT ''
)
"""
_COLUMNS = ("id", "created_at", "updated_at", "session", "question", "answer", "sources", "rating", "comment")
CSV_HEADERS = ("id", "date", "mise_a_jour", "session", "question", "reponse", "sources", "avis", "commentaire")
MAX_COMMENT_CHARS = 2_000


@dataclass(frozen=True)
class FeedbackEntry:
    """One stored opinion on one answer."""

    id: int
    created_at: str
    updated_at: str
    session: str
    question: str
    answer: str
    sources: list[dict[str, Any]]
    rating: int
    comment: str

    @property
    def rating_label(self) -> str:
        return RATING_LABELS.get(self.rating, str(self.rating))


class FeedbackError(AssistantError):
    """The feedback database cannot be written or read."""


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class FeedbackStore:
    """A small SQLite table of opinions; safe to share between threads (a connection per call)."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = self._connect()
            try:
                conn.execute("PRAGMA journal_mode=WAL")  # persistent: readers never block the writer
                conn.execute(_SCHEMA)
            finally:
                conn.close()
        except (OSError, sqlite3.Error) as exc:
            raise FeedbackError(f"Impossible d'ouvrir la base des avis {self.path} ({exc}).") from exc

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        return conn

    def _write(self, sql: str, params: Iterable[Any]) -> sqlite3.Cursor:
        """One short write transaction (BEGIN IMMEDIATE takes the write lock up front, waiting when busy)."""
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                cursor = conn.execute(sql, tuple(params))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            return cursor
        except sqlite3.Error as exc:
            raise FeedbackError(f"L'avis n'a pas pu être enregistré ({exc}).") from exc
        finally:
            conn.close()

    def add(self, question: str, answer: str, sources: list[dict[str, Any]] | None = None, rating: int = 1,
            comment: str = "", session: str = "") -> int:
        """Store one opinion and return its id."""
        rating = _check_rating(rating)
        now = _now()
        cursor = self._write(
            "INSERT INTO feedback (created_at, updated_at, session, question, answer, sources, rating, comment) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (now, now, session, question, answer, json.dumps(sources or [], ensure_ascii=False), rating,
             (comment or "").strip()[:MAX_COMMENT_CHARS]),
        )
        return int(cursor.lastrowid or 0)

    def update(self, entry_id: int, rating: int | None = None, comment: str | None = None) -> None:
        """Change the rating and/or the comment of a stored opinion (the user changed their mind)."""
        sets, params = ["updated_at = ?"], [_now()]
        if rating is not None:
            sets.append("rating = ?")
            params.append(_check_rating(rating))
        if comment is not None:
            sets.append("comment = ?")
            params.append(comment.strip()[:MAX_COMMENT_CHARS])
        self._write(f"UPDATE feedback SET {', '.join(sets)} WHERE id = ?", (*params, int(entry_id)))

    def list(self, limit: int | None = None) -> list[FeedbackEntry]:
        """Stored opinions, newest first."""
        sql = f"SELECT {', '.join(_COLUMNS)} FROM feedback ORDER BY id DESC"
        params: tuple[Any, ...] = ()
        if limit is not None:
            sql += " LIMIT ?"
            params = (int(limit),)
        conn = self._connect()
        try:
            rows = conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise FeedbackError(f"Les avis n'ont pas pu être lus ({exc}).") from exc
        finally:
            conn.close()
        return [FeedbackEntry(*row[:6], json.loads(row[6] or "[]"), *row[7:]) for row in rows]

    def count(self) -> int:
        conn = self._connect()
        try:
            return int(conn.execute("SELECT COUNT(*) FROM feedback").fetchone()[0])
        except sqlite3.Error as exc:
            raise FeedbackError(f"Les avis n'ont pas pu être lus ({exc}).") from exc
        finally:
            conn.close()

    def to_csv(self) -> str:
        """Every opinion as CSV (oldest first), sources as JSON in one column; text cells that a
        spreadsheet would run as a formula are escaped (see `csv_cell`)."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_HEADERS)
        for e in reversed(self.list()):
            writer.writerow([e.id, *(csv_cell(v) for v in (e.created_at, e.updated_at, e.session, e.question,
                                                            e.answer, json.dumps(e.sources, ensure_ascii=False),
                                                            e.rating_label, e.comment))])
        return out.getvalue()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A text cell safe to open in a spreadsheet: one starting with =, +, -, @, a tab or a carriage
    return gets a leading apostrophe, so it is shown as text instead of run as a formula (the
    OWASP advice against CSV injection)."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _check_rating(rating: int) -> int:
    if rating not in RATING_LABELS:
        raise FeedbackError(f"Avis invalide : {rating!r} (attendu 0 ou 1).")
    return int(rating)
