"""Issue 9: hostile and fault cases, each reproduced with fixtures made here, run through the real CLI
(hash embedder for speed: what is tested is ingestion, the index on disk and the exit codes)."""
from __future__ import annotations

import json
import os
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from assistant import store
from assistant.registry import COPIES_DIR, REGISTRY_FILE, read_registry
from tests.conftest import run_cli

FACT = "Le musée de Lillebonne a ouvert un atelier de numérisation 3D en mars 2023 pour les scolaires."
QUESTION = "Quand le musée de Lillebonne a-t-il ouvert son atelier de numérisation 3D ?"


@pytest.fixture
def env(tmp_path, tiny_corpus):
    return {"MUSENOR_INDEX_DIR": str(tmp_path / "idx"), "MUSENOR_CORPUS_DIR": str(tiny_corpus),
            "MUSENOR_EMBEDDER": "hash"}


def _ok(*args, env, code=0):
    result = run_cli(*args, env=env)
    assert result.returncode == code, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    return result


def _added_doc(tmp_path: Path, name: str = "atelier.txt", text: str = FACT) -> Path:
    path = tmp_path / "docs" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _index_texts(env) -> str:
    return "\n".join(c.text for c in store.load(Path(env["MUSENOR_INDEX_DIR"])).chunks)


def _version(env) -> Path:
    return store.current_version(Path(env["MUSENOR_INDEX_DIR"]))


# ----------------------------------------------------------------------------- 1. never lose added documents

@pytest.mark.parametrize("damage", ["truncated-vectors", "deleted-current", "garbage-manifest", "binary-current",
                                    "documents-not-a-dict"])
@pytest.mark.parametrize("command", [["index"], ["index", "--rebuild"], ["index", "--add", "OTHER"]])
def test_a_damaged_index_keeps_every_added_document(tmp_path, env, damage, command):
    doc = _added_doc(tmp_path)
    _ok("index", "--add", str(doc), env=env)
    doc.unlink()  # the original is gone too: only the copy kept beside the index remains
    version = _version(env)
    if damage == "truncated-vectors":
        data = (version / "vectors.faiss").read_bytes()
        (version / "vectors.faiss").write_bytes(data[: len(data) // 2])
    elif damage == "deleted-current":
        (Path(env["MUSENOR_INDEX_DIR"]) / "CURRENT").unlink()
    elif damage == "garbage-manifest":
        (version / "manifest.json").write_text("{pas du json", encoding="utf-8")
    elif damage == "binary-current":
        (Path(env["MUSENOR_INDEX_DIR"]) / "CURRENT").write_bytes(b"\xff\xfe\x00\x81garbage")
    else:
        manifest = json.loads((version / "manifest.json").read_text(encoding="utf-8"))
        manifest["documents"] = ["not", "a", "dict"]
        (version / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    other = _added_doc(tmp_path, "autre.txt", "Le musée de Bavay prête des tablettes aux visiteurs.")
    args = [str(other) if a == "OTHER" else a for a in command]
    _ok(*args, env=env)
    assert FACT in _index_texts(env)
    info = json.loads(_ok("info", env=env).stdout)
    assert info["added_documents"] == (2 if "--add" in command else 1)


def test_ask_after_current_is_deleted_still_cites_the_added_document(tmp_path, env):
    doc = _added_doc(tmp_path)
    _ok("index", "--add", str(doc), env=env)
    (Path(env["MUSENOR_INDEX_DIR"]) / "CURRENT").unlink()
    data = json.loads(_ok("ask", "--json", QUESTION, env=env).stdout)
    assert any(s["source"] == "atelier.txt" for s in data["sources"])


def test_a_rebuild_that_would_lose_documents_stops_and_says_so(tmp_path, env):
    doc = _added_doc(tmp_path)
    _ok("index", "--add", str(doc), env=env)
    index_dir = Path(env["MUSENOR_INDEX_DIR"])
    doc.unlink()
    for copy in (index_dir / COPIES_DIR).iterdir():
        copy.unlink()  # neither the original nor the copy can be read any more
    (_version(env) / "vectors.faiss").write_bytes(b"IxFI")
    before = sorted(p.name for p in index_dir.iterdir())
    result = _ok("index", "--rebuild", env=env, code=6)
    assert "perdrait 1 document(s) ajouté(s)" in result.stderr and str(doc) in result.stderr
    assert "--remove" in result.stderr
    assert sorted(p.name for p in index_dir.iterdir()) == before  # nothing was written or deleted
    assert doc.resolve().as_posix() in read_registry(index_dir).entries
    # the user decides: removing it explicitly lets the rebuild go on
    removed = _ok("index", "--remove", str(doc), env=env)
    assert "Retiré" in removed.stdout
    assert json.loads(_ok("info", env=env).stdout)["added_documents"] == 0


def test_registry_lives_outside_versions_and_follows_adds_and_removes(tmp_path, env):
    doc = _added_doc(tmp_path)
    _ok("index", "--add", str(doc), env=env)
    index_dir = Path(env["MUSENOR_INDEX_DIR"])
    registry = read_registry(index_dir)
    entry = registry.entries[doc.resolve().as_posix()]
    assert registry.version == _version(env).name
    assert (index_dir / COPIES_DIR / entry.copy).read_text(encoding="utf-8") == FACT
    assert not list(index_dir.glob(f"v-*/{REGISTRY_FILE}"))
    _ok("index", "--remove", str(doc), env=env)
    assert read_registry(index_dir).entries == {}
    assert not list((index_dir / COPIES_DIR).iterdir())  # the copy goes with the document


def test_an_index_without_registry_gets_one_from_its_manifest(tmp_path, env):
    doc = _added_doc(tmp_path)
    _ok("index", "--add", str(doc), env=env)
    index_dir = Path(env["MUSENOR_INDEX_DIR"])
    (index_dir / REGISTRY_FILE).unlink()  # as built before the registry existed
    _ok("index", env=env)
    assert doc.resolve().as_posix() in read_registry(index_dir).entries


# ----------------------------------------------------------------------------- 3. links and special files

def test_links_out_of_an_added_folder_and_special_files_are_skipped(tmp_path, env):
    secret = tmp_path / "hors" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("MOTDEPASSE-SECRET du serveur.", encoding="utf-8")
    folder = tmp_path / "ajout"
    folder.mkdir()
    (folder / "vrai.txt").write_text(FACT, encoding="utf-8")
    (folder / "lien.txt").symlink_to(secret)
    (folder / "dossier-lie").symlink_to(secret.parent, target_is_directory=True)
    (folder / "interne.txt").symlink_to(folder / "vrai.txt")  # stays inside: same file, kept once
    os.mkfifo(folder / "tube.txt")
    result = _ok("index", "--add", str(folder), env=env, code=1)
    assert "lien symbolique vers un fichier hors du dossier ajouté" in result.stdout
    assert "lien symbolique vers un dossier hors du dossier ajouté" in result.stdout
    assert "fichier spécial" in result.stdout and "tube.txt" in result.stdout
    texts = _index_texts(env)
    assert FACT in texts and "MOTDEPASSE" not in texts
    assert json.loads(_ok("info", env=env).stdout)["added_documents"] == 1


# ----------------------------------------------------------------------------- 4. terminal escapes

def test_control_characters_never_reach_the_terminal(tmp_path, env):
    doc = _added_doc(tmp_path, "pi\x1b[2Jege\x07.txt",
                     "Le musée de Lillebonne\x1b]52;c;cm0gLXJmIH4=\x07 a ouvert un atelier de numérisation 3D "
                     "en mars 2023\x9b31m pour les scolaires.\x1b[0m")
    result = _ok("index", "--add", str(doc), env=env)
    assert not any(c in result.stdout + result.stderr for c in "\x1b\x07\x9b")
    for chunk in store.load(Path(env["MUSENOR_INDEX_DIR"])).chunks:
        assert not any(c in chunk.text + chunk.title + chunk.source for c in "\x1b\x07\x9b")
    answer = _ok("ask", QUESTION, env=env)
    assert "Lillebonne" in answer.stdout
    assert not any(c in answer.stdout + answer.stderr for c in "\x1b\x07\x9b")


# ----------------------------------------------------------------------------- 6. YAML bomb

def test_yaml_alias_bomb_is_refused_and_metadata_stays_bounded(tmp_path, env):
    bomb = ["---", 'a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    bomb += [f"a{i}: &a{i} [*a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}, *a{i-1}]"
             for i in range(1, 9)]
    bomb += ["title: Bombe", "---", "# Bombe", "", "Texte."]
    path = _added_doc(tmp_path, "bombe.md", "\n".join(bomb))
    assert len(path.read_bytes()) < 1000
    big = _added_doc(tmp_path, "meta.md", "---\n" + "".join(f"k{i}: {'v' * 900}\n" for i in range(15)) +
                     "title: Beaucoup de métadonnées\n---\n" + FACT)
    result = _ok("index", "--add", str(path), str(big), env=env, code=1)
    assert "bombe.md" in result.stdout and "alias" in result.stdout
    manifest = _version(env) / "manifest.json"
    assert manifest.stat().st_size < 50_000
    kept = store.load(Path(env["MUSENOR_INDEX_DIR"])).documents[big.resolve().as_posix()]["metadata"]
    assert all(len(v) <= 500 for v in kept.values() if isinstance(v, str))


# ----------------------------------------------------------------------------- 7. forged sizes in vectors.faiss

def test_forged_size_field_is_refused_before_any_allocation(tmp_path, env):
    _ok("index", env=env)
    vectors = _version(env) / "vectors.faiss"
    data = bytearray(vectors.read_bytes())
    data[37:45] = struct.pack("<Q", 1_000_000_000)  # the code vector's length, in floats: 4 GB
    vectors.write_bytes(bytes(data))
    probe = ("import resource, sys; from pathlib import Path; from assistant import store\n"
             "try:\n    store.load(Path(sys.argv[1]))\nexcept Exception as exc:\n    print(type(exc).__name__)\n"
             "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)")
    out = subprocess.run([sys.executable, "-c", probe, env["MUSENOR_INDEX_DIR"]], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[1], timeout=120).stdout.split()
    assert out[0] == "IndexCorruptError"
    assert int(out[1]) < 1_000_000  # peak RSS in KiB: far below the 4 GB the forged field asks for
    result = _ok("info", env=env, code=3)
    assert "endommagé" in result.stderr


# ----------------------------------------------------------------------------- 8. CSV cap and progress

def test_csv_over_the_row_cap_says_what_was_cut_and_progress_has_counts(tmp_path, env):
    rows = ["musee;visiteurs"] + [f"Musée numéro {i};{i * 7}" for i in range(1, 12_001)]
    path = _added_doc(tmp_path, "grand.csv", "\n".join(rows) + "\n")
    result = _ok("index", "--add", str(path), env=env, code=1)
    assert "grand.csv" in result.stdout and "10\u202f000 lignes indexées sur 12\u202f000 lues" in result.stdout
    assert "Lecture des fichiers (1/1)" in result.stderr
    assert re.search(r"Calcul des vecteurs \((1\d{4})/\1\) : 100 %", result.stderr)
    assert "reste environ" in result.stderr or "fait en" in result.stderr


# ----------------------------------------------------------------------------- 9. JSONL with a bad line

def test_a_bad_jsonl_line_gets_its_own_error_and_the_batch_goes_on(tmp_path, env):
    _ok("index", env=env)
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        '{"id": "a", "question": "Quelle part des répondants a une stratégie numérique ?"}\n'
        '{"id": "b\\ud800", "question": "Quel outil pour le questionnaire ?"}\n'
        '{pas du json\n'
        '{"id": "d", "question": "Avec quel outil le questionnaire a-t-il été diffusé ?"}\n', encoding="utf-8")
    result = _ok("ask", "--jsonl", str(questions), env=env, code=2)
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["a", "b\ufffd", None, "d"]
    assert rows[0]["answered"] and rows[3]["answered"]
    assert "Unicode" in rows[1]["error"] and rows[1]["line"] == 2
    assert "JSON invalide" in rows[2]["error"] and rows[2]["line"] == 3
    assert "Erreur interne" not in result.stderr and "ligne 2" in result.stderr


# ----------------------------------------------------------------------------- 10. causes and exit codes

def test_index_dir_that_is_a_file(tmp_path, env):
    target = tmp_path / "fichier"
    target.write_text("x", encoding="utf-8")
    for command in (["index"], ["ask", "question ?"], ["info"]):
        result = _ok(*command, env={**env, "MUSENOR_INDEX_DIR": str(target)}, code=5)
        assert "est un fichier, pas un dossier" in result.stderr and "--rebuild" not in result.stderr


def test_unknown_embedder_is_refused_before_anything(env):
    _ok("index", env=env)
    result = _ok("ask", "--embedder", "foobar", "question ?", env=env, code=2)
    assert "inconnu" in result.stderr and "--rebuild" not in result.stderr


def test_chunk_with_a_number_as_text_is_damage_not_an_internal_error(env):
    _ok("index", env=env)
    chunks = _version(env) / "chunks.jsonl"
    lines = chunks.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    first["text"] = 12345
    chunks.write_text("\n".join([json.dumps(first)] + lines[1:]) + "\n", encoding="utf-8")
    result = _ok("ask", "Quelle part des répondants a une stratégie numérique ?", env=env, code=3)
    assert "endommagé" in result.stderr and "interne" not in result.stderr
    _ok("index", env=env)  # and the next build repairs it
    _ok("ask", "Quelle part des répondants a une stratégie numérique ?", env=env)


def test_binary_current_is_damage_with_a_rebuild_that_works(env):
    _ok("index", env=env)
    (Path(env["MUSENOR_INDEX_DIR"]) / "CURRENT").write_bytes(bytes(range(256)))
    result = _ok("info", env=env, code=3)
    assert "--rebuild" in result.stderr
    _ok("index", "--rebuild", env=env)
    _ok("info", env=env)


@pytest.mark.parametrize("args,needle", [
    (["ask", "--top-k", "abc", "q"], "valeur invalide (entier attendu)"),
    (["index", "--inconnu"], "arguments non reconnus"),
    (["chat", "--index-dir"], "une valeur est attendue"),
])
def test_argparse_messages_are_french(args, needle):
    result = run_cli(*args)
    assert result.returncode == 2 and needle in result.stderr and "utilisation :" in result.stderr


def _permission_denied_inside(monkeypatch, folder: Path) -> None:
    """Root ignores permission bits, so as root the denial is simulated where files are opened
    (io.open, builtins.open, os.open): the tests run as root here."""
    import builtins
    import io

    def denying(real):
        def opener(path, *args, **kwargs):
            if isinstance(path, (str, os.PathLike)) and os.fspath(path).startswith(str(folder)):
                raise PermissionError(13, "Permission denied", os.fspath(path))
            return real(path, *args, **kwargs)
        return opener

    monkeypatch.setattr(io, "open", denying(io.open))
    monkeypatch.setattr(builtins, "open", denying(builtins.open))
    monkeypatch.setattr(os, "open", denying(os.open))


def test_read_only_index_dir_fails_before_any_work(tmp_path, tiny_corpus, monkeypatch, capsys):
    from assistant import cli, indexer

    index_dir = tmp_path / "lecture-seule"
    index_dir.mkdir()
    embedded = []
    monkeypatch.setattr(indexer, "_embed", lambda *a, **k: embedded.append(1))  # spy: must never be reached
    if os.geteuid() == 0:
        _permission_denied_inside(monkeypatch, index_dir)
    else:
        index_dir.chmod(0o555)
    doc = _added_doc(tmp_path)
    code = cli.main(["index", "--index-dir", str(index_dir), "--corpus-dir", str(tiny_corpus), "--embedder", "hash",
                     "--add", str(doc)])
    err = capsys.readouterr().err
    assert code == 5 and "n'est pas accessible en écriture" in err and "--rebuild" not in err
    assert embedded == [] and "Lecture des fichiers" not in err


def test_unreadable_index_dir_says_permissions_not_rebuild(tmp_path, tiny_corpus, monkeypatch, capsys):
    from assistant import cli

    index_dir = tmp_path / "idx"
    assert cli.main(["index", "--index-dir", str(index_dir), "--corpus-dir", str(tiny_corpus),
                     "--embedder", "hash"]) == 0
    capsys.readouterr()
    if os.geteuid() == 0:
        _permission_denied_inside(monkeypatch, index_dir)
    else:
        index_dir.chmod(0o000)
    try:
        code = cli.main(["info", "--index-dir", str(index_dir), "--corpus-dir", str(tiny_corpus),
                         "--embedder", "hash"])
    finally:
        index_dir.chmod(0o755)
    err = capsys.readouterr().err
    assert code == 5 and "droits insuffisants" in err and "--rebuild" not in err


def test_an_internal_error_has_its_own_exit_code(monkeypatch, capsys):
    from assistant import cli

    def bug(args, out):  # a simulated programming error: no real input triggers one any more
        raise ZeroDivisionError("division by zero")

    monkeypatch.setitem(cli.COMMANDS, "info", bug)
    assert cli.main(["info"]) == 70
    err = capsys.readouterr().err
    assert "Erreur interne" in err and "Traceback" not in err


# ----------------------------------------------------------------------------- 11. smaller cases

def test_folder_without_supported_file_says_so(tmp_path, env):
    folder = tmp_path / "vide"
    folder.mkdir()
    (folder / "image.png").write_bytes(b"\x89PNG")
    result = _ok("index", "--add", str(folder), env=env, code=1)
    assert "aucun fichier pris en charge" in result.stdout


def test_removing_a_corpus_file_says_it_belongs_to_the_corpus(env, tiny_corpus):
    result = _ok("index", "--remove", str(tiny_corpus / "survey" / "strategie.md"), env=env, code=1)
    assert "fait partie du corpus" in result.stdout and "Non trouvé" not in result.stdout


# ----------------------------------------------------------------------------- 12. an empty corpus

def test_an_empty_corpus_serves_only_added_documents(tmp_path):
    empty = tmp_path / "corpus-vide"
    empty.mkdir()
    env = {"MUSENOR_INDEX_DIR": str(tmp_path / "idx"), "MUSENOR_CORPUS_DIR": str(empty), "MUSENOR_EMBEDDER": "hash"}
    _ok("index", env=env)
    info = json.loads(_ok("info", env=env).stdout)
    assert info["corpus_documents"] == 0 and "ne sert que les documents ajoutés" in info["note"]
    assert not json.loads(_ok("ask", "--json", QUESTION, env=env).stdout)["answered"]
    _ok("index", "--add", str(_added_doc(tmp_path)), env=env)
    data = json.loads(_ok("ask", "--json", QUESTION, env=env).stdout)
    assert data["answered"] and "mars 2023" in data["answer"]
    assert json.loads(_ok("info", env=env).stdout)["added_documents"] == 1


def test_the_newer_of_registry_and_version_says_what_was_added(hash_settings, tmp_path):
    """A build stopped between writing its version and added.json: the version is newer and wins;
    a leftover older version beside a newer registry: the registry wins."""
    from assistant.indexer import _registered, update_index
    from assistant.loaders import load_document
    from assistant.registry import write_registry

    doc = load_document(_added_doc(tmp_path), hash_settings)
    update_index(hash_settings, add=[doc])
    index_dir = hash_settings.index_dir
    current = store.load(index_dir)
    entries = read_registry(index_dir).entries
    write_registry(index_dir, {}, "v-00000000000000-older")  # stale registry: the version is newer
    assert set(_registered(hash_settings, current)[0]) == set(entries)
    write_registry(index_dir, entries, "v-99999999999999-newer")
    bare = store.IndexStore(chunks=[], vectors=current.vectors, manifest={**current.manifest, "documents": {}},
                            path=current.path)  # an older version that does not hold the document
    assert set(_registered(hash_settings, bare)[0]) == set(entries)


def test_an_index_from_before_the_copies_gets_them_while_originals_exist(tmp_path, env):
    doc = _added_doc(tmp_path)
    _ok("index", "--add", str(doc), env=env)
    index_dir = Path(env["MUSENOR_INDEX_DIR"])
    (index_dir / REGISTRY_FILE).unlink()  # an index built before added.json and index/added/ existed
    for copy in (index_dir / COPIES_DIR).iterdir():
        copy.unlink()
    _ok("index", env=env)
    entry = read_registry(index_dir).entries[doc.resolve().as_posix()]
    assert (index_dir / COPIES_DIR / entry.copy).read_text(encoding="utf-8") == FACT
    doc.unlink()
    (_version(env) / "vectors.faiss").write_bytes(b"IxFI")
    _ok("index", "--rebuild", env=env)
    assert FACT in _index_texts(env)
