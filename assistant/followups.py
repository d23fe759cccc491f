"""Follow-ups: a short question after another ("Et pour le référent numérique ?", "et Boulogne-sur-Mer ?")
read as the previous question with its topic replaced, not piled onto it.
"""
from __future__ import annotations

import re

from .lexical import tokenize
from .questions import ASKING
from .textclean import word_list

FRAME = re.compile(r"^\s*((?:quelle part|quelle proportion|quel pourcentage|combien|quel(?:le)?s?|how many|"
                   r"what share|what percentage)(?:\s+(?:des|de|du|of|the|est|sont)\b|\s+d['’])*\s*[\w-]+)",
                   re.IGNORECASE)
FRAME_INSIDE = re.compile(r"\b(?:quel(?:le)?s?\s+(?:part|pourcentage|proportion|chiffre|taux|nombre)\b|quel(?:le)?\s*%|combien)",
                          re.IGNORECASE)
FOLLOW_UP = re.compile(r"^\s*(?:et|mais|aussi|idem|pareil|même chose|and|what about)\b(?:\s+(?:pour|en|sur|côté|concernant|"
                       r"au sujet de|for|about))?\s*", re.IGNORECASE)


def follow_up_query(previous: str, question: str) -> str | None:
    """The query for a follow-up, or None when the question stands on its own.

    "Et pour le référent numérique ?" after "Quelle part des musées a une stratégie numérique ?"
    brings a new topic: it replaces the previous one under the previous question's frame
    ("Quelle part des musées … référent numérique"). A follow-up with no new topic of its own
    ("Et ceux qui ne les connaissent pas ?") keeps the previous question and adds itself.
    """
    marker = FOLLOW_UP.match(question)
    short = len(tokenize(question)) <= 3
    standalone = re.search(r"\b(qu|quel|combien|comment|qui)", question, re.IGNORECASE)
    if not marker and not (short and not standalone):
        return None
    rest = question[marker.end():] if marker else question
    new_terms = set(tokenize(rest)) - set(tokenize(previous))
    if not new_terms:
        return f"{previous} {question}"
    if swapped := name_swapped(previous, rest):
        return swapped
    frame = FRAME.match(previous)
    asked = FRAME_INSIDE.search(previous)  # "… c'est quel % ?": the question words come last
    head = frame.group(1) if frame else asked.group(0) if asked else " ".join(previous.split()[:3])
    return f"{head} {rest.strip()}"


# A follow-up that is only a name ("Et Boulogne-sur-Mer ?", "et pour le Familistère de Guise ?").
PROPER_NAME = r"(?:(?:le|la|les|l['’])\s*)?[A-ZÀ-Ý][\w'’-]*(?:\s+(?:(?:de|du|des|d['’])\s*)?[A-ZÀ-Ý][\w'’-]*)*"
BARE_NAME = re.compile(rf"^\s*{PROPER_NAME}\s*[?.!]?\s*$")
NAME_IN = re.compile(PROPER_NAME)


def name_swapped(previous: str, rest: str) -> str | None:
    """The previous question about the name a follow-up gives instead of the one it named ("Saint-Omer fait
    quoi … ?" then "et Boulogne-sur-Mer ?"), or None when the follow-up is no bare name or the previous
    question names nothing (a capitalised first word counts when it is no French word)."""
    if not BARE_NAME.match(rest):
        return None
    for match in NAME_IN.finditer(previous):
        first_word = match.group(0).split()[0].lower()
        if match.start() == 0 and (first_word in word_list("fr") or ASKING.match(match.group(0))):
            continue  # "Quelle …", "Combien …": a sentence's capital, not a name
        return f"{previous[:match.start()]}{rest.strip(' ?.!')}{previous[match.end():]}".strip()
    return None
