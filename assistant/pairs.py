"""Two things asked about at once in one question ("que veulent dire WCAG et RGAA ?", "entre X et Y, lequel
…", "X et Y, ils font quoi ?", "d'une part …, d'autre part …"): one part each, before any other split."""
from __future__ import annotations

import re

from .questions import ACRONYM_Q, ASKING, DEFINITION

# Two acronyms whose meaning is asked together ("que veulent dire les sigles WCAG et RGAA ?"): one part each.
ACRONYM_PAIR = re.compile(r"\b([A-Z][\w-]*[A-Z][\w-]*)\s+(?:et|ou|&)\s+(?:(?:les?|la|l['’])\s*)?([A-Z][\w-]*[A-Z][\w-]*)\b")



# Two things compared ("Entre X et Y, lequel est le plus élevé ?", "Y a-t-il plus de X que de Y ?"): each
# one's figure is asked.
COMPARED = re.compile(r"(?:^|[:,]\s*)entre\s+(?P<x>.+?)\s+et\s+(?P<y>.+?)\s*,\s*(?:lequel|laquelle|lesquels|lesquelles|"
                      r"qui|quel(?:le)?s?)\b|\b(?:plus|moins)\s+(?:de\s+|d['’])(?P<x2>[^?.!]+?)\s+qu(?:e\s+|['’]\s*)(?:avec\s+|chez\s+)?"
                      r"(?:de\s+|d['’])?(?P<y2>[^?.!]+)", re.IGNORECASE)

# Two groups compared through "ou" ("y a plus de musées qui ont une stratégie ou qui n'en ont pas ?"): each
# group's count is asked; "en" in the second stands for the first one's object.
COMPARED_OR = re.compile(r"\b(?:plus|moins)\s+(?:de\s+|d['’])(?P<noun>[\w-]+)\s+(?P<x>(?:qui|avec|sans)\s+[^?]+?)\s+ou\s+"
                         r"(?:(?:de\s+|d['’])(?P=noun)\s+)?(?P<y>(?:qui|avec|sans)\b[^?]*)", re.IGNORECASE)
EN_BACK = re.compile(r"(?:^|\s)(?:n['’]en|en)(?=\s)", re.IGNORECASE)

# "… d'une part X, et d'autre part Y": the words before go with each.
ONE_HAND = re.compile(r"\bd['’]une part\s+(?P<x>.+?)\s*,?\s+(?:et\s+)?d['’]autre part\s*,?\s+(?P<y>[^?]+)", re.IGNORECASE)


# Two subjects put first, then asked about through a pronoun ("Le Familistère et Saint-Omer, ils font quoi ?",
# "L'inclusion et le numérique durable, c'est combien ?").
DISLOCATED = re.compile(r"^(?P<setting>[^:]*:\s*)?(?P<x>[^,:;?]+?)\s+et\s+(?P<y>[^,:;?]+?)\s*,\s*"
                        r"(?P<rest>(?:ils|elles|c['’]est|ce sont|ça fait|ça donne)\s+[^?]+)$", re.IGNORECASE)


# What asks through the pronoun or of each: a question word.
PRONOUN_ASKS = re.compile(r"\b(?:quoi|combien|cb|quel(?:le)?s?|quand|qd|où|comment|pourquoi|pk)\b", re.IGNORECASE)
# Two subjects and one question asked of each ("Prestataires et référent : quel pourcentage pour chacun ?",
# "Quelle part pour le référent et pour les prestataires, respectivement ?"): one part each.
EACH = r"\s*,?\s*(?:pour\s+)?(?:chacun(?:e)?s?(?:\s+d['’](?:entre\s+)?(?:eux|elles))?|respectivement)\b"
EACH_AFTER_LIST = re.compile(rf"^(?P<x>[^,:;?]+?)\s+et\s+(?P<y>[^,:;?]+?)\s*[:,]\s*(?P<rest>[^?]*?){EACH}(?P<tail>[^?]*)$",
                             re.IGNORECASE)
EACH_IN_QUESTION = re.compile(rf"^(?P<head>.*?\b(?P<prep>pour|chez|à|dans|sur)\s+)(?P<x>[^,:;?]+?)\s+et\s+"
                              rf"(?:(?P=prep)\s+)?(?P<y>[^,:;?]+?){EACH}(?P<tail>[^?]*)$", re.IGNORECASE)


def with_and_without(first: str, second: str) -> str:
    """The second side of a comparison that is only "avec" or "sans" ("… avec une stratégie que sans"): the first
    side with that word in place of its own, the same thing with and without; else the second side as it is."""
    bare = second.strip().lower()
    if bare in ("sans", "avec") and (other := re.search(r"\b(avec|sans)\b", first, re.IGNORECASE)):
        return f"{first[:other.start()]}{bare}{first[other.end():]}"
    return second


def paired(body: str) -> list[str] | None:
    """Two acronyms whose meaning is asked, two things compared, two subjects asked about through a pronoun,
    or "d'une part …, d'autre part …", as one part each; else None."""
    pair = DISLOCATED.match(body)
    if pair and PRONOUN_ASKS.search(pair.group("rest")) and not ASKING.search(f" {pair.group('x')}"):
        setting = pair.group("setting") or ""  # "Combien de X et de Y, ils …" asks first: not this form
        return [f"{setting}{pair.group(side).strip()} : {pair.group('rest')} ?" for side in ("x", "y")]
    if (each := EACH_AFTER_LIST.match(body)) and PRONOUN_ASKS.search(each.group("rest")):
        return [f"{each.group(side).strip()} : {each.group('rest').strip()}{each.group('tail').rstrip()} ?" for side in ("x", "y")]
    if (each := EACH_IN_QUESTION.match(body)) and PRONOUN_ASKS.search(each.group("head")):
        return [f"{each.group('head')}{each.group(side).strip()}{each.group('tail').rstrip()} ?" for side in ("x", "y")]
    if hands := ONE_HAND.search(body):
        return [f"{body[:hands.start()]}{hands.group(side).strip(' ,')} ?" for side in ("x", "y")]
    if (pair := ACRONYM_PAIR.search(body)) and (ACRONYM_Q.search(body) or DEFINITION.search(body)):
        return [f"{body[:pair.start()]}{name}{body[pair.end():]} ?" for name in pair.groups()]
    if compared := COMPARED_OR.search(body):
        noun, x, y = compared.group("noun"), compared.group("x").strip(" ,"), compared.group("y").strip(" ,")
        y = with_and_without(x, y)  # "avec un référent ou sans"
        return [f"Combien de {noun} {x} ?", f"Combien de {noun} {y}{f' ({x})' if EN_BACK.search(y) else ''} ?"]
    if compared := COMPARED.search(body):
        if compared.group("x2"):  # "plus de X que de Y" compares counts
            things = [re.sub(r"^(?:des|les|de|d['’])\s*", "", t.strip(" ,"), flags=re.IGNORECASE)
                      for t in (compared.group("x2"), compared.group("y2"))]
            things[1] = with_and_without(things[0], things[1])  # "plus de musées avec une stratégie que sans"
            return [f"Combien de {thing} ?" for thing in things]
        return [f"Quel chiffre pour {thing.strip(' ,')} ?" for thing in (compared.group("x"), compared.group("y"))]
    return None
