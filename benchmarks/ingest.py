"""Ingestion benchmark: incremental `--add` on an existing index, side by side with a full rebuild.

Measures, on generated documents (real PDF/DOCX/HTML/TXT files written to a temp dir):
  1. adding one 20-page PDF to an existing index of the bundled corpus;
  2. adding 200 pages of mixed documents (PDF, DOCX, HTML, TXT);
and, as the baseline, the same end state rebuilt from scratch (`--rebuild`, everything re-embedded).
Prints figures and peak RSS; asserts nothing.

    python benchmarks/ingest.py
"""
from __future__ import annotations

import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import docx  # noqa: E402

from assistant.config import get_settings  # noqa: E402
from assistant.indexer import update_index  # noqa: E402
from assistant.loaders import load_documents, shutdown_worker  # noqa: E402
from tests.test_loaders import make_pdf  # noqa: E402

WORDS = ("musée collection médiation numérique public exposition visite atelier réseau patrimoine "
         "accessibilité durabilité inventaire restauration conservation archive photographie").split()


def _page(rng: random.Random, n: int) -> str:
    lines = []
    for i in range(25):
        words = " ".join(rng.choice(WORDS) for _ in range(10))
        lines.append(f"Page {n}, ligne {i} : {words}.")
    return "\n".join(lines)


def make_corpus(folder: Path, pages: int) -> list[Path]:
    """Mixed documents totalling about `pages` pages: half PDF, the rest DOCX, HTML and TXT."""
    rng = random.Random(0)
    files, page = [], 0
    while page < pages:
        kind = ("pdf", "pdf", "docx", "html", "txt")[len(files) % 5]
        path = folder / f"doc{len(files):03d}.{kind}"
        count = 10 if kind == "pdf" else 5
        texts = [_page(rng, page + i) for i in range(count)]
        if kind == "pdf":
            path.write_bytes(make_pdf(texts))
        elif kind == "docx":
            document = docx.Document()
            for i, text in enumerate(texts):
                document.add_heading(f"Section {i}", level=1)
                document.add_paragraph(text)
            document.save(path)
        elif kind == "html":
            body = "".join(f"<h2>Section {i}</h2><p>{t}</p>" for i, t in enumerate(texts))
            path.write_text(f"<html><head><title>Doc</title><script>var x=1;</script></head><body>{body}</body></html>",
                            encoding="utf-8")
        else:
            path.write_text("\n\n".join(texts), encoding="utf-8")
        files.append(path)
        page += count
    return files


def timed_add(settings, paths: list[Path]) -> tuple[float, int]:
    started = time.perf_counter()
    docs = [r.document for r in load_documents(paths, settings) if r.document is not None]
    report = update_index(settings, add=docs)
    return time.perf_counter() - started, report.chunk_count


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="musenor-ingest-") as tmp:
        root = Path(tmp)
        settings = get_settings(index_dir=root / "index")
        started = time.perf_counter()
        update_index(settings)
        base_build = time.perf_counter() - started

        pdf = root / "rapport20.pdf"
        rng = random.Random(1)
        pdf.write_bytes(make_pdf([_page(rng, i) for i in range(20)]))
        add_pdf, chunks_pdf = timed_add(settings, [pdf])

        mixed_dir = root / "mixed"
        mixed_dir.mkdir()
        files = make_corpus(mixed_dir, 200)
        add_mixed, chunks_mixed = timed_add(settings, files)

        started = time.perf_counter()
        update_index(settings, force=True)
        rebuild = time.perf_counter() - started
        shutdown_worker()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'mesure':<44}{'secondes':>10}")
    print(f"{'index du corpus fourni (construction)':<44}{base_build:>10.2f}")
    print(f"{'ajout incrémental : 1 PDF de 20 pages':<44}{add_pdf:>10.2f}   ({chunks_pdf} passages au total)")
    print(f"{'ajout incrémental : 200 pages mixtes':<44}{add_mixed:>10.2f}   ({len(files)} fichiers, "
          f"{chunks_mixed} passages au total)")
    print(f"{'référence : reconstruction complète':<44}{rebuild:>10.2f}   (tout revectorisé)")
    print(f"pic de mémoire (RSS) : {rss:.0f} Mo")
    return 0


if __name__ == "__main__":
    sys.exit(main())
