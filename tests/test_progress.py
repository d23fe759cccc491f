"""Progress of long steps: counts and time left, for the terminal (tqdm) and for the app's callback."""
import io
import re

from assistant.progress import Meter, StepUpdate, TerminalProgress, format_duration


class _Terminal(io.StringIO):
    def isatty(self) -> bool:  # a terminal, as far as tqdm can tell
        return True


def test_meter_messages_carry_counts_and_an_estimate():
    seen = []
    meter = Meter("Calcul des vecteurs", 1000, seen.append)
    for done in (0, 250, 1000):
        meter.update(done)
    assert all(isinstance(m, StepUpdate) for m in seen)
    assert [(m.done, m.total) for m in seen] == [(0, 1000), (250, 1000), (1000, 1000)]
    assert re.fullmatch(r"Calcul des vecteurs \(250/1000\) : 25 %, reste environ \d+ s", seen[1])
    assert seen[2].startswith("Calcul des vecteurs (1000/1000) : 100 %, fait en")
    # the app's progress bar reads "(done/total)" from the text
    assert re.search(r"\((\d+)/(\d+)\)", seen[1]).groups() == ("250", "1000")


def test_terminal_draws_a_bar_and_a_pipe_gets_lines():
    terminal = _Terminal()
    progress = TerminalProgress(terminal)
    meter = Meter("Lecture des fichiers", 4, progress)
    for done in range(5):
        meter.update(done)
    assert "Lecture des fichiers : 2/4" in terminal.getvalue() and "reste" in terminal.getvalue()
    pipe = io.StringIO()
    lines = TerminalProgress(pipe)
    meter = Meter("Lecture des fichiers", 4, lines)
    for done in range(5):
        meter.update(done)
    printed = pipe.getvalue().splitlines()
    assert printed[0].startswith("Lecture des fichiers (0/4)") and printed[-1].startswith("Lecture des fichiers (4/4)")
    assert len(printed) == 2  # throttled: the first update and the end


def test_durations_read_as_french():
    assert [format_duration(s) for s in (8, 185, 3720)] == ["8 s", "3 min 05 s", "1 h 02 min"]
