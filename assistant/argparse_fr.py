"""argparse speaking French: its own messages (usage errors, help headings) translated, exit status 2 on misuse."""
from __future__ import annotations

import argparse
import sys

# argparse's own messages (usage errors, help headings), in French. argparse looks them up through
# its module-level gettext functions at call time, so they are translated by wrapping those.
_ARGPARSE_FR = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments positionnels",
    "options": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments non reconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r (choix possibles : %(choices)s)",
    "expected one argument": "une valeur est attendue",
    "expected at least one argument": "au moins une valeur est attendue",
    "expected at most one argument": "au plus une valeur est attendue",
    "invalid %(type)s value: %(value)r": "valeur invalide (%(type)s attendu) : %(value)r",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "not allowed with argument %s": "incompatible avec l'argument %s",
    "ignored explicit argument %r": "valeur explicite ignorée : %r",
    "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : %(option)s peut désigner %(matches)s",
    "unexpected option string: %s": "option inattendue : %s",
    "can't open '%(filename)s': %(error)s": "impossible d'ouvrir « %(filename)s » : %(error)s",
    "expected %s argument": "%s valeur attendue",
    "expected %s arguments": "%s valeurs attendues",
}
_ARGPARSE_TYPES = {"int": "entier", "float": "nombre"}


def _fr(message: str) -> str:
    return _ARGPARSE_FR.get(message, message)


def _fr_plural(singular: str, plural: str, n: int) -> str:
    return _fr(singular if n == 1 else plural)


argparse._ = _fr  # type: ignore[attr-defined]
argparse.ngettext = _fr_plural  # type: ignore[attr-defined]


class FrenchArgumentParser(argparse.ArgumentParser):
    """argparse with its usage errors in French and exit status 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        for english, french in _ARGPARSE_TYPES.items():
            message = message.replace(f"({english} attendu)", f"({french} attendu)")
        self.print_usage(sys.stderr)
        self.exit(2, f"Erreur : arguments invalides ({message}). Voir : python -m assistant --help\n")
