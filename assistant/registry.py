"""The list of documents a user added, kept outside the index versions, with a copy of each file.

Damage to a version (truncated vectors, deleted CURRENT, garbage manifest) must never lose the
user's documents, so what was added lives beside the versions, not inside them::

    index/
      added.json                 {"format": 1, "version": <index version it matches>, "documents": {...}}
      added/<hash><suffix>       a copy of each added file, re-read by a rebuild if the version is lost

`added.json` is replaced atomically (write, fsync, rename) after each build, under the build lock.
The copy means a rebuild does not depend on the original file still being where it was.
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import time
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from .errors import AccessError

REGISTRY_FILE = "added.json"
COPIES_DIR = "added"
REGISTRY_FORMAT = 1


@dataclass
class AddedEntry:
    """One added document: its id (the original file's absolute path), how it is cited, where its bytes are."""

    doc_id: str
    title: str
    source: str
    content_hash: str
    path: str = ""  # original file, absolute
    copy: str = ""  # file name inside index/added/, "" when no copy could be kept
    kind: str = "added"
    added_at: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "AddedEntry":
        names = {f.name for f in fields(cls)}
        values = {k: str(v) for k, v in data.items() if k in names and isinstance(v, (str, int, float))}
        if not values.get("doc_id") or not values.get("content_hash"):
            raise ValueError("entry without doc_id or content_hash")
        values.setdefault("title", values["doc_id"])
        values.setdefault("source", Path(values["doc_id"]).name)
        return cls(**values)


@dataclass
class Registry:
    """What `added.json` holds: the index version it was written with, and the entries."""

    version: str
    entries: dict[str, AddedEntry]


class RegistryUnreadable(Exception):
    """added.json exists but cannot be parsed (the caller decides what that means)."""


def read_registry(index_dir: Path) -> Registry | None:
    """The registry, or None when there is none; raises RegistryUnreadable when it is damaged."""
    path = index_dir / REGISTRY_FILE
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        return None
    except PermissionError as exc:
        raise AccessError(f"Lecture impossible de {path} : droits insuffisants.") from exc
    except OSError as exc:
        raise RegistryUnreadable(str(exc)) from exc
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict) or not isinstance(data.get("documents"), dict):
            raise ValueError("not a registry")
        entries = {}
        for doc_id, item in data["documents"].items():
            if not isinstance(item, dict):
                raise ValueError("bad entry")
            entry = AddedEntry.from_dict({**item, "doc_id": doc_id})
            entries[entry.doc_id] = entry
        return Registry(version=str(data.get("version", "")), entries=entries)
    except (ValueError, UnicodeDecodeError, TypeError) as exc:
        raise RegistryUnreadable(str(exc)) from exc


def write_registry(index_dir: Path, entries: dict[str, AddedEntry], version: str) -> None:
    """Replace added.json atomically with these entries, noting the index version they match."""
    data = {"format": REGISTRY_FORMAT, "version": version, "written_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "documents": {k: {f: v for f, v in e.to_dict().items() if f != "doc_id"} for k, e in entries.items()}}
    _atomic_write(index_dir / REGISTRY_FILE, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def copy_path(index_dir: Path, entry: AddedEntry) -> Path | None:
    """Where the kept copy of an added file is, or None when there is none."""
    return index_dir / COPIES_DIR / entry.copy if entry.copy else None


def keep_copy(index_dir: Path, original: Path, expected_hash: str) -> str:
    """Copy an added file into index/added/ (atomically) and return the copy's name.

    Returns "" when the file is gone or its bytes no longer match what was indexed (it changed
    since it was read): then only the original path is recorded.
    """
    name = f"{expected_hash}{original.suffix.lower()[:12]}"
    target = index_dir / COPIES_DIR / name
    if target.is_file() and _hash_file(target) == expected_hash:
        return name
    try:
        data = original.read_bytes()
    except OSError:
        return ""
    if hashlib.sha256(data).hexdigest()[:16] != expected_hash:
        return ""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _atomic_write(target, data)
    except PermissionError as exc:
        raise AccessError(f"Écriture impossible dans {target.parent} : droits insuffisants.") from exc
    except OSError as exc:
        raise AccessError(f"Écriture impossible dans {target.parent} ({exc.strerror or exc.__class__.__name__}).") \
            from exc
    return name


def prune_copies(index_dir: Path, keep: set[str]) -> None:
    """Delete kept copies that no registered document uses any more."""
    folder = index_dir / COPIES_DIR
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.is_file() and path.name not in keep:
            try:
                path.unlink()
            except OSError:
                pass


def _hash_file(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    except OSError:
        return ""


def _atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
