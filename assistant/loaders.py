"""Turns user files (PDF, DOCX, HTML, Markdown, TXT, CSV) into Documents, parsing in a killable worker process."""
from __future__ import annotations

import atexit
import json
import logging
import multiprocessing
import os
import stat
import threading
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

from .config import Settings
from .errors import DocumentError
from .parsers import check_size, format_number, parse_file
from .records import ADDED_KIND, Document, Passage
from .textclean import strip_controls

SUPPORTED_SUFFIXES: frozenset[str] = frozenset({".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt", ".csv"})
_FORMATS = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html", ".md": "markdown",
            ".markdown": "markdown", ".txt": "txt", ".csv": "csv"}
_WORKER_START_TIMEOUT_S = 60.0

@dataclass
class LoadResult:
    """What became of one file: a Document, or the French reason it was skipped."""

    path: Path
    document: Document | None  # None when skipped
    error: str | None  # French reason when skipped, e.g. "PDF chiffré : mot de passe requis"
    warnings: list[str] = field(default_factory=list)  # French notes on a kept document (rows cut...)


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[LoadResult]]:
    """Expand files and folders (recursive, sorted, supported suffixes only); missing paths,
    unsupported files, links leading out of a folder, special files and folders without any
    supported file come back as LoadResult errors.

    Inside folders, hidden entries, Office lock files (~$...) and other suffixes are skipped silently;
    a file reached twice (named, and inside a named folder) is kept once. Links are not followed
    out of the folder being added; a path named on its own is taken as the user named it.
    """
    files: list[Path] = []
    errors: list[LoadResult] = []
    seen: set[Path] = set()
    for given in paths:
        path = Path(given).expanduser()
        try:
            if not path.exists():
                errors.append(LoadResult(path, None, "fichier ou dossier introuvable" if not path.is_symlink()
                                         else "lien symbolique cassé"))
                continue
            if path.is_dir():
                found, skipped = _walk_folder(path)
                errors.extend(skipped)
                if not found and not skipped:
                    errors.append(LoadResult(path, None, "aucun fichier pris en charge dans ce dossier ; formats "
                                                         f"acceptés : {', '.join(sorted(SUPPORTED_SUFFIXES))}"))
            elif not path.is_file():
                errors.append(LoadResult(path, None, _SPECIAL_FILE))
                continue
            elif path.suffix.lower() in SUPPORTED_SUFFIXES:
                found = [path]
            else:
                errors.append(LoadResult(path, None, _unsupported_message(path)))
                continue
            for item in found:
                if item.resolve() not in seen:
                    seen.add(item.resolve())
                    files.append(item)
        except OSError as exc:
            errors.append(LoadResult(path, None, f"accès impossible ({exc.__class__.__name__})"))
    return files, errors


_SPECIAL_FILE = "fichier spécial (tube, périphérique ou socket) : ignoré"


def _walk_folder(root: Path) -> tuple[list[Path], list[LoadResult]]:
    """Supported regular files under `root`, without following links that lead outside it."""
    base = root.resolve()
    found: list[Path] = []
    skipped: list[LoadResult] = []
    for folder, dirs, names in os.walk(root, followlinks=False):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "~$")))
        for d in list(dirs):
            if (here / d).is_symlink():  # a linked folder is walked only when it stays inside root
                dirs.remove(d)
                if _inside(here / d, base):
                    continue  # its files are reached through their real place
                skipped.append(LoadResult(here / d, None, "lien symbolique vers un dossier hors du dossier ajouté : "
                                                          "non suivi"))
        for name in names:
            path = here / name
            if name.startswith((".", "~$")) or path.suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            if path.is_symlink():
                if not path.exists():
                    skipped.append(LoadResult(path, None, "lien symbolique cassé"))
                    continue
                if not _inside(path, base):
                    skipped.append(LoadResult(path, None, "lien symbolique vers un fichier hors du dossier ajouté : "
                                                          "non suivi"))
                    continue
            mode = path.stat().st_mode
            if not stat.S_ISREG(mode):
                skipped.append(LoadResult(path, None, _SPECIAL_FILE))
                continue
            found.append(path)
    found.sort(key=lambda p: p.relative_to(root).as_posix().lower())
    return found, skipped


def _inside(path: Path, base: Path) -> bool:
    try:
        path.resolve().relative_to(base)
        return True
    except (ValueError, OSError, RuntimeError):
        return False


def load_document(path: Path, settings: Settings) -> Document:
    """Parse one file into a Document; raises DocumentError(French reason). Runs under a time limit.

    The parse runs in a "spawn" worker process: like any multiprocessing user, a calling script must
    be run with `python -m` or keep its top-level code under `if __name__ == "__main__":`.
    """
    path = Path(path).expanduser()
    if not path.exists():
        raise DocumentError("fichier introuvable")
    if path.is_dir():
        raise DocumentError("c'est un dossier, pas un fichier")
    if not path.is_file():
        raise DocumentError(_SPECIAL_FILE)
    if path.suffix.lower() not in SUPPORTED_SUFFIXES:
        raise DocumentError(_unsupported_message(path))
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DocumentError(f"lecture du fichier impossible ({exc.__class__.__name__})") from None
    if size == 0:
        raise DocumentError("fichier vide")
    check_size(size, settings.max_file_bytes)
    resolved, fmt = path.resolve(), _FORMATS[path.suffix.lower()]
    reply = _run_in_worker({"path": str(resolved), "format": fmt, "max_file_bytes": settings.max_file_bytes,
                            "max_unzipped_bytes": settings.max_unzipped_bytes}, float(settings.parse_timeout_s))
    if not reply.get("ok"):
        raise DocumentError(str(reply.get("error") or "échec de l'analyse du fichier"))
    data = reply["doc"]
    name = strip_controls(path.name, keep_newlines=False) or "document"
    return Document(
        doc_id=resolved.as_posix(),
        title=data.get("title") or strip_controls(path.stem, keep_newlines=False) or name,
        source=name,
        passages=[Passage(p["text"], p["section"], p["page"], p["metadata"]) for p in data["passages"]],
        kind=ADDED_KIND,
        fmt=data.get("fmt") or "text",
        metadata={**data.get("metadata", {}), "path": resolved.as_posix(), "format": fmt, "size": size},
        content_hash=data["content_hash"],
    )


def load_documents(paths: Iterable[Path], settings: Settings,
                   progress: Callable[[int, int, Path], None] | None = None) -> list[LoadResult]:
    """discover + load_document for each, never raising for one bad file; dedups identical content
    (same content_hash → later ones reported as "doublon de <first>").

    `progress(i, total, path)` is called before file i (1-based) is parsed; discovery errors come first.
    """
    files, results = discover(paths)
    first_by_hash: dict[str, Path] = {}
    for i, path in enumerate(files, 1):
        if progress is not None:
            progress(i, len(files), path)
        try:
            doc = load_document(path, settings)
        except DocumentError as exc:
            results.append(LoadResult(path, None, str(exc)))
            continue
        except Exception as exc:  # one bad file must not stop the others
            results.append(LoadResult(path, None, f"erreur inattendue ({exc.__class__.__name__})"))
            continue
        first = first_by_hash.setdefault(doc.content_hash, path)
        results.append(LoadResult(path, doc, None, document_warnings(doc)) if first == path else
                       LoadResult(path, None, f"doublon de {first.name}"))
    return results


def document_warnings(doc: Document) -> list[str]:
    """What the user must know about a document that was kept only in part (French)."""
    notes = []
    kept, read = doc.metadata.get("truncated_at_rows"), doc.metadata.get("rows_read")
    if kept:
        notes.append(f"tronqué : {_count(kept)} lignes indexées sur {_count(read) if read else 'plus de ' + _count(kept)}"
                     f" lues (limite de {_count(kept)} lignes par fichier CSV ; les suivantes ne sont pas "
                     f"consultables)")
    pages = doc.metadata.get("unreadable_pages")
    if pages:
        notes.append(f"page(s) illisible(s) ignorée(s) : {', '.join(str(p) for p in pages[:20])}")
    return notes


def _count(value: Any) -> str:
    return f"{int(value):,}".replace(",", "\u202f")


def _unsupported_message(path: Path) -> str:
    suffix = path.suffix.lower() or "sans extension"
    return f"format non pris en charge ({suffix}) ; formats acceptés : {', '.join(sorted(SUPPORTED_SUFFIXES))}"


class _Worker:
    """A spawned child process that parses files on request: JSON over a pipe, nothing unpickled from it."""

    def __init__(self) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe(duplex=True)
        self.process = ctx.Process(target=_worker_main, args=(child,), name="assistant-loader", daemon=True)
        self.process.start()
        child.close()
        try:  # wait for the worker's imports, so start-up does not eat into the parse time limit
            ready = self.conn.poll(_WORKER_START_TIMEOUT_S) and self.conn.recv_bytes() == b"ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.kill()
            raise DocumentError("le processus d'analyse des fichiers n'a pas pu démarrer")

    def request(self, payload: dict[str, Any], timeout: float) -> dict[str, Any] | None:
        """The worker's reply, or None when it did not answer within `timeout` seconds."""
        self.conn.send_bytes(json.dumps(payload).encode("utf-8"))
        return json.loads(self.conn.recv_bytes().decode("utf-8")) if self.conn.poll(timeout) else None

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


_worker: _Worker | None = None
_worker_lock = threading.Lock()


def _run_in_worker(request: dict[str, Any], timeout: float) -> dict[str, Any]:
    global _worker
    with _worker_lock:
        if _worker is None or not _worker.process.is_alive():
            _worker = _Worker()
        worker = _worker
        try:
            reply = worker.request(request, timeout)
        except (EOFError, OSError, ValueError):
            reply = {"ok": False, "error": "l'analyse s'est arrêtée brutalement "
                                           "(fichier malformé ou mémoire insuffisante)"}
            _worker = None
            worker.kill()
        if reply is None:  # too slow: kill it, the next file gets a fresh worker
            _worker = None
            worker.kill()
            raise DocumentError(f"analyse interrompue après {format_number(timeout)} s")
        return reply


def shutdown_worker() -> None:
    """Stop the parsing worker if one runs (also done at interpreter exit)."""
    global _worker
    with _worker_lock:
        worker, _worker = _worker, None
    if worker is not None:
        try:
            worker.conn.send_bytes(b"")  # asks it to exit
            worker.process.join(2)
        except (OSError, ValueError):
            pass
        worker.kill()


atexit.register(shutdown_worker)


def _worker_main(conn: Any) -> None:
    """Entry point of the worker process: parse requests until an empty message or EOF."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's business
    logging.disable(logging.CRITICAL)  # parsers' warnings would clutter the user's terminal
    warnings.simplefilter("ignore")
    conn.send_bytes(b"ready")
    while True:
        try:
            data = conn.recv_bytes()
        except (EOFError, OSError):
            return
        if not data:
            return
        reply = _handle_request(json.loads(data.decode("utf-8")))
        conn.send_bytes(json.dumps(reply, default=str).encode("ascii"))  # ASCII: survives lone surrogates


def _handle_request(request: dict[str, Any]) -> dict[str, Any]:
    """Parse one file; every failure becomes a French message, never a traceback."""
    try:
        return {"ok": True, "doc": parse_file(request)}
    except DocumentError as exc:
        return {"ok": False, "error": str(exc)}
    except MemoryError:
        return {"ok": False, "error": "mémoire insuffisante pour analyser ce fichier"}
    except OSError as exc:
        return {"ok": False, "error": f"lecture du fichier impossible ({exc.__class__.__name__})"}
    except Exception as exc:
        return {"ok": False, "error": f"erreur inattendue pendant l'analyse ({exc.__class__.__name__})"}


