"""Progress of long steps: counts, share done and an estimate of the time left, as plain French messages.

A step reports through the `Progress` callback (a function taking a message), so the app's
progress bar and the terminal read the same thing. A message about counted work is a
`StepUpdate`: still a `str` ("Calcul des vecteurs (120/1000) : 12 %, reste environ 35 s") for
callers that only print or parse text, with its counts as attributes for those that draw a bar.
"""
from __future__ import annotations

import shutil
import sys
import time
from typing import Any, Callable, TextIO

from .textclean import printable

Progress = Callable[[str], None]


class StepUpdate(str):
    """A progress message carrying its step name and counts."""

    step: str
    done: int
    total: int

    def __new__(cls, text: str, step: str, done: int, total: int) -> "StepUpdate":
        obj = super().__new__(cls, text)
        obj.step, obj.done, obj.total = step, done, total
        return obj


def format_duration(seconds: float) -> str:
    """A duration as a French reader expects it: "8 s", "3 min 05 s", "1 h 02 min"."""
    seconds = max(0, int(round(seconds)))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min {seconds % 60:02d} s"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


class Meter:
    """Counts the work of one step and reports it with an estimate from the rate so far."""

    def __init__(self, step: str, total: int, say: Progress | None):
        self.step, self.total, self.say = step, max(0, int(total)), say
        self.started = time.perf_counter()

    def message(self, done: int, detail: str = "") -> StepUpdate:
        """The update for `done` units out of the total (the estimate needs at least one done)."""
        elapsed = time.perf_counter() - self.started
        share = done / self.total if self.total else 1.0
        text = f"{self.step} ({done}/{self.total}) : {round(100 * share)} %"
        if 0 < done < self.total:
            text += f", reste environ {format_duration(elapsed / done * (self.total - done))}"
        elif done >= self.total and self.total:
            text += f", fait en {format_duration(elapsed)}"
        if detail:
            text += f" — {detail}"
        return StepUpdate(text, self.step, done, self.total)

    def update(self, done: int, detail: str = "") -> None:
        if self.say is not None and self.total:
            self.say(self.message(done, detail))


class TerminalProgress:
    """Shows the indexer's progress on stderr: a tqdm bar per counted step on a terminal, else a line
    per update at most every few seconds (and at the end of each step)."""

    PRINT_EVERY_S = 5.0

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.bars: dict[str, Any] = {}
        self.printed: dict[str, float] = {}

    def __call__(self, message: str) -> None:
        if not isinstance(message, StepUpdate):
            self._print(message)
        elif self.tty:
            self._bar(message)
        else:
            now = time.monotonic()
            if message.done >= message.total or now - self.printed.get(message.step, -1e9) >= self.PRINT_EVERY_S:
                self.printed[message.step] = now
                self._print(message)

    def _bar(self, update: StepUpdate) -> None:
        from tqdm import tqdm

        bar = self.bars.get(update.step)
        size = shutil.get_terminal_size((100, 20))
        if bar is None:
            bar = self.bars[update.step] = tqdm(
                total=update.total, desc=update.step, file=self.stream, leave=True,
                # sizes given: a terminal that reports none (0 rows) would make tqdm hide the bar
                ncols=max(60, min(size.columns, 120)), nrows=max(5, size.lines),
                bar_format="{desc} : {n_fmt}/{total_fmt} {bar} {percentage:3.0f} % [{elapsed}, reste {remaining}]")
        bar.n = update.done
        bar.refresh()
        if update.done >= update.total:
            bar.close()
            del self.bars[update.step]

    def _print(self, message: str) -> None:
        print(printable(message), file=self.stream, flush=True)
