"""What in a question is context rather than topic: courtesy, a clause setting something aside, a
preamble about the asker or the talk, and the names the question gives (those that place the asker are
not asked about). Split out of `questions.py`, which reads the kind of value asked for.
"""
from __future__ import annotations

import re
from typing import Callable, Container

from .lexical import tokenize
from .questions import ASKING, SETTING, UNKNOWN_TO_ASKER
# A clause setting something aside ("À part Musenor, quels réseaux …", "…, hormis la Région ?"):
# what it names is not asked for, and its words would draw the reader to it.
ASIDE = re.compile(r"(?:^|(?<=[,;:])|(?<=[,;:] ))\s*(?:à part|mis à part|hormis|excepté|"
                   r"outre)\s*[^,;:?!.]+?\s*(?:[,;:]|(?=\s*[?!.]?\s*$))", re.IGNORECASE)


ASIDE_NAME = re.compile(r"^\W*(?:à part|a part|mis à part|hormis|excepté|en dehors de)\s+(?:le |la |les |l['’])?(?!(?:le|la|les)\b)[\w-]+(?=\s+\S)(?!\s+(?:de|du|des|d['’]|à|au|aux|en)\b)",
                        re.IGNORECASE)


# Courtesy names no topic ("…, stp" is read "s'il te plaît"): a greeting that opens, a thanks or a please.
COURTESY = re.compile(r"^\W*(?:bonjour|bonsoir|salut|coucou|hello|merci)\b[\s,!.]*|[\s,]*\b(?:s['’]il (?:te|vous) pla[iî]t|"
                      r"merci(?: d['’]avance| beaucoup| bien)?)\b[\s,!.]*(?=[?!.]*\s*$|[^\w\s])", re.IGNORECASE)


def without_aside(question: str) -> str:
    """The question without courtesy, and without a clause that sets something aside when a question remains."""
    question = COURTESY.sub(" ", question).strip(" ,;!.") or question
    rest, found = ASIDE.subn(" ", question)
    if not found or not ASKING.search(rest):  # typed without its comma: the one name after it ("a part musenor les …")
        rest, found = ASIDE_NAME.subn(" ", question)
    rest = re.sub(r"\s*,\s*(?=[?!.]|$)", " ", rest)
    rest = re.sub(r"\s+", " ", rest).strip()
    return rest[:1].upper() + rest[1:] if found and ASKING.search(rest) else question


# The asker speaking of themselves before a colon ("Nouvelle dans l'équipe : …", "Je rédige le compte rendu
# pour notre CA : …"), when it names no topic ("J'écris une note sur l'inclusion : quels constats ?" does).
SELF = r"(?:je|j['’]|moi|nous)"  # the asker speaking (here and in SELF_CLAUSE)
PREAMBLE = re.compile(rf"^\W*(?:{SELF}|nouvelle|nouveau)\b(?P<head>[^:?]*):\s*(?P<rest>.+)$", re.IGNORECASE)
# The talk an answer is for, said first ("Pour ma slide d'ouverture : combien …"): a setting, no topic.
TALK_PREAMBLE = re.compile(r"^\W*(?:pour|dans)\s+(?:ma|mon|mes|une?|la|le|les|l['’]|notre|nos|cette|ce)\b(?P<head>[^:?]*):\s*"
                           r"(?P<rest>.+)$", re.IGNORECASE)
# A preamble names its topic with "sur …", "concernant …", or by what it presents or speaks of ("Je dois présenter
# la méthode de l'enquête : …").
TOPIC_NAMED = re.compile(r"\b(?:sur|concernant|à propos d|présenter\s+(?:la|le|les|l['’])|parler\s+(?:de|du|des|d['’]))", re.IGNORECASE)


def without_preamble(question: str) -> str:
    """The question after a preamble about the asker or the talk it is for ("Pour ma slide d'ouverture :"),
    when that preamble asks nothing and names no topic ("Je ne connais pas les WCAG :" names one)."""
    match = PREAMBLE.match(question)
    if not match and (talk := TALK_PREAMBLE.match(question)) and SETTING.search(question[:talk.start("rest")]):
        match = talk
    before = question[:match.start("rest")] if match else ""
    if not match or not ASKING.search(match.group("rest")) or ASKING.search(before) \
            or TOPIC_NAMED.search(match.group("head")) or UNKNOWN_TO_ASKER.search(before):
        return question
    return match.group("rest")


# A name inside the question (capitalised, not its first word): "… de l'Australie", "… ceux de Bretagne".
NAME = re.compile(r"(?:(?<=[\w,;:»)] )|(?<=['’]))([A-ZÀ-Ý][\w-]+(?:[ -][A-ZÀ-Ý][\w-]+)*)")


# The asker speaking of themselves before the question ("Je bosse dans un musée de l'Aisne, comment …",
# "… de l'Aisne… est-ce que …", "Je suis médiatrice dans le Pas-de-Calais. C'est vrai que … ?"): the names
# there place the asker, they are not what is asked about.
SELF_CLAUSE = re.compile(rf"(?:^|[.!?;:…]\s*)\W*(?:(?:bonjour|salut|bonsoir|hello)\W+)?{SELF}\b"
                         r"[^,;:?!.…]*(?:[,;:…]|\.+(?=\s))", re.IGNORECASE)


def unknown_names(question: str, known: Callable[[list[str]], list[str]], vocabulary: Container[str]) -> list[str]:
    """The names the question gives that the collection never uses, even with a typo corrected by
    `known` ("Australie", "Bretagne"): the collection cannot say anything about them."""
    out = []
    for name in asked_names(question):
        found = tokenize(name)
        if len(name) > 2 and found and all(t not in vocabulary for t in known(found)):  # not "JC", "PC"
            out.append(name)
    return out


# Another edition of a survey than the one asked about ("la précédente enquête", "l'enquête antérieure"): not
# "la dernière enquête", which is often the one the collection gives.
OTHER_EDITION = re.compile(r"\b(?:(?P<before>précédente?s?|ancienne?s?|antérieure?s?)\s+(?:enquêtes?|études?|éditions?|questionnaires?)"
                           r"|(?:enquêtes?|études?|éditions?|questionnaires?)\s+(?P<after>précédente?s?|antérieure?s?|passée?s?))\b",
                           re.IGNORECASE)


def other_editions(question: str, known: Callable[[list[str]], list[str]], vocabulary: Container[str]) -> list[str]:
    """Another edition of a survey the question asks about ("la précédente enquête Musenor") when the
    collection never uses the word that sets it apart: the collection gives no other edition to compare with."""
    return [m.group(0) for m in OTHER_EDITION.finditer(question)
            if all(t not in vocabulary for t in known(tokenize(m.group("before") or m.group("after"))))]


def asked_names(question: str) -> list[str]:
    """The names the question asks about: not in a clause where the asker speaks of themselves, nor in
    one that sets a talk ("Post LinkedIn : …")."""
    aside = [m.span() for m in SELF_CLAUSE.finditer(question)]
    # The clause naming a talk's setting ("Post LinkedIn :", "Pour un post LinkedIn sur …, quel …", "… de
    # subvention à la DRAC :") places the request.
    aside += [m.span() for m in re.finditer(r"[^.!?;:,]+(?=[:;.,])", question) if SETTING.search(m.group(0))]
    return [m.group(1) for m in NAME.finditer(question) if not any(start <= m.start() < end for start, end in aside)]
