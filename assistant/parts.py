"""Questions asked in several parts ("Combien de répondants et combien de structures ?"): where they split,
and what a later part leaves to an earlier one (its frame, its object, its subject, the thing it counts)."""
from __future__ import annotations

import re

from .followups import FOLLOW_UP, FRAME, PROPER_NAME, follow_up_query, name_swapped
from .lexical import tokenize
from .pairs import paired
from .question_context import NAME, SELF
from .questions import (ASKING, CLAUSE_SUBJECT, COUNTED_NOUN, DEFINITION, INTERROGATIVE, QUANTITY, SCENE, TALK_SETTING,
                        without_form_words)

# Two-part questions: a second interrogative after "et", "ainsi que", "mais aussi" or a comma.
# A second part may also put its question word last ("… a démarré quel jour et s'est terminée quand ?") or
# stand for the first part's thing ("le pourcentage de … et celui qui …"); "qui" inside a part is a relative.
QUESTION_WORDS = r"(?:combien|cb|quel(?:le)?s?|quand|qd|où|comment|pourquoi|pk)"
# A later part may also ask with "quoi", an inverted verb ("y en a-t-il") or "est-ce que".
LATER_ASK = r"\bquoi\b|-(?:t-)?(?:il|ils|elle|elles|on)\b|\best-ce\b"
SECOND_ASK = re.compile(rf"\b{QUESTION_WORDS}\b|{LATER_ASK}|^(?:qui|(?:celui|celle|celles|ceux)"
                        r"\s+(?:qui|dont|avec|sans|ayant|de|des|du|d['’]))\b", re.IGNORECASE)
PART_SPLIT = re.compile(rf"\s*(?:,\s*(?:et|and|puis|et puis|et aussi|mais|mais aussi)\s+|\s+(?:et|and|puis|et puis|et aussi|mais aussi)\s+|,\s*)"
                        rf"(?={INTERROGATIVE}|est-ce que|(?:sur|à|avec|de|en|pour|par|dans)\s+quoi\b)"
                        r"|\s*,?\s+et\s+(?=c['’]est quoi\b)", re.IGNORECASE)  # "…, et c'est quoi …", "…, et sur quoi …"
INDIRECT = re.compile(r"^ce (qu['’]|que )|^(combien|comment|pourquoi|où|quand|quel(?:le)?s?|qui)\b", re.IGNORECASE)
ALSO_SPLIT = re.compile(r"\s*,?\s+ainsi qu(?:e\s+|['’])", re.IGNORECASE)

# The question words of a part and the noun they ask about ("quel jour", "combien de structures").
ASKED_WORDS = re.compile(r"\b(?:quel(?:le)?s?\s+[\w-]+|combien(?:\s+de|\s+d['’])?(?:\s*[\w-]+)?|quand|qd|où|comment|pourquoi)\b",
                         re.IGNORECASE)

# The asker speaking before the first noun of a part ("Je dois présenter la méthodo …"): no topic to lend.
SELF_LEAD = re.compile(rf"^\W*{SELF}\s*(?:[\w-]+\s+){{0,3}}?(?=(?:le|la|les|l['’]|un|une|des|du)\b)", re.IGNORECASE)


def topic_of(part: str) -> str:
    """A part without its question words and their noun ("Quels outils sont recensés dans les expos" → "sont
    recensés dans les expos"), without the asker's own words before its first noun ("Je dois présenter") and
    without the talk it is for ("en une slide"): its topic, lent to a later part that names none ("Combien"
    would ask a figure; "présenter" would ask for the survey's presentation)."""
    topic = TALK_SETTING.sub(" ", SELF_LEAD.sub("", ASKED_WORDS.sub(" ", part)))
    return re.sub(r"\s+", " ", topic).strip(" ,:?")


# A second part standing for the first part's thing ("… et celui qui …") and that thing: the first part's
# frame ("Quelle part des musées") or its first noun, with its complement ("le pourcentage de musées").
PRONOUN = re.compile(r"^(?:celui|celle|celles|ceux)\s+(qui|dont|avec|sans|ayant|de|des|du|d['’])", re.IGNORECASE)
COMPLEMENT = r"\s+(?:(?:des|du|de)\s+|d['’]\s*)"  # "… de musées", "… d'accessibilité"
NOUN_GROUP = re.compile(rf"(?<!\bà )(?<!\ben )(?<!\bpour )(?<!\bdans )(?<!\bsur )(?<!\bpar )\b(?:le|la|les|l['’])\s*"
                        rf"[\w-]+(?:{COMPLEMENT}[\w-]+)?", re.IGNORECASE)


def thing_named(first: str, with_complement: bool) -> str:
    """What "celui" stands for in a second part: the first part's first noun not governed by a
    preposition ("à la fois" is not asked about), else its frame ("Quelle part des musées"); its
    complement ("de musées") unless the pronoun brings its own ("celui des structures")."""
    group = NOUN_GROUP.search(first)
    frame = FRAME.match(first)
    named = group.group(0) if group else frame.group(1) if frame else ""
    return named if with_complement else re.split(COMPLEMENT, named, maxsplit=1, flags=re.IGNORECASE)[0]


# "en" standing for the first part's object.
EN_CLITIC = re.compile(r"\b(?:(n['’])en\s*|en\s+)(?=(?:a|ont|est|sont|fait|font|propose\w*|possède\w*|dispose\w*)\b)",
                       re.IGNORECASE)

# The subject of a part that opens on it ("L'enquête a démarré …", "Les musées ont-ils …").
SUBJECT = re.compile(r"^\s*((?:l['’]|les?\s+|la\s+|ce\s+|cette\s+|ces\s+)[\w-]+(?:\s+[\w-]+){0,2}?)(?=\s+(?:a|ont|est|sont|"
                     r"était|étaient|avait|avaient|fait|font|va|vont|peut|peuvent)(?:-t-|-)?\b)", re.IGNORECASE)


# A later part that points back at the first part's thing with "ça", "en" or "les autres" ("… ? Et combien pensent
# s'en doter ?", "… ? Et les autres, elles viennent d'où ?") is read with the first part's topic.
ANAPHOR = re.compile(r"(?:^|\s)(?:ça|cela|sinon|s['’]en|n['’]en|y en|d['’]en|en\s+(?=a\b|ont\b|est\b|sont\b)|les autres|"
                     r"parmi (?:eux|elles))\b|\bqu['’](?:il|elle)s?\b", re.IGNORECASE)


# A later part opening on a subject pronoun ("et elle s'est terminée quand ?") speaks of the first part's thing.
SUBJECT_PRONOUN = re.compile(r"^\s*(?:il|elle|ils|elles)\s+(?=\w)(?!(?:y|en)\s+a\b)", re.IGNORECASE)


# A later part that leaves out the first part's verb ("Quel pourcentage cite l'inclusion, et quel pourcentage
# le numérique durable ?"): its question words and a noun group, nothing else. It asks the first part's
# question of another thing: the first part's object is swapped for it when the verb leads straight to it.
DETERMINER = r"(?:le|la|les|l['’]|un|une|des|du)"
ASK_HEAD = r"(?:combien|cb|quel(?:le)?s?\s+[\w-]+)"  # "combien", "quel pourcentage"
OF_NOUN = r"\s+(?:(?:des|de|du)\s+|d['’]\s*)[\w-]+"  # "de répondants", "des musées", "d'établissements"
# An object pronoun before a verb ("combien de musées le connaissent", "qui l'appliquent"): it stands for the
# thing a definition part asks about.
OBJECT_CLITIC = re.compile(r"\b(?:le|la|les|l['’])\s*(?=[a-zà-ÿ-]+(?:ent|ait|aient|ont)\b)", re.IGNORECASE)
# "… et quelle part la prévoit ?": an object pronoun and a verb, not a determiner and a noun.
CLITIC_VERB = re.compile(r"^(?:le|la|les|l['’])\s*(?![\w-]*ment$)[\w-]+(?:ent|oit|ait|ît|it|ont)$", re.IGNORECASE)
GAPPED = re.compile(rf"^\s*{ASK_HEAD}\s+(?:pour\s+)?({DETERMINER}\s*[\w-]+(?:\s+[\w-]+){{0,4}})\s*$",
                    re.IGNORECASE)
VERB_OBJECT = re.compile(rf"^\s*({ASK_HEAD}(?:{OF_NOUN})?\s+[\w-]+\s+)"
                         rf"{DETERMINER}\s*[\w-]+(?:\s+(?!(?:comme|pour|dans|en|à|au|aux|chez|parmi|sur|avec|selon|"
                         r"depuis|par|de|des|du|d['’])\b)[\w-]+)*", re.IGNORECASE)


# Two quantities named in a row ("deux chiffres : la part de musées qui …, et la part qui …"): one part each.
QUANTITY_NOUN = r"(?:(?:la |le |les )?(?:part|nombre|pourcentage|proportion|taux)s?)\b"
QUANTITY_PAIR = re.compile(rf"\b{QUANTITY_NOUN}.*?(,?\s+et\s+)(?={QUANTITY_NOUN})", re.IGNORECASE)


# A later part asking through a preposition ("…, et avec quel outil ?") has no subject of its own: it asks
# about the first part's thing.
PREPOSITION_ASK = re.compile(r"^\s*(?:avec|dans|par|pour|sur|en|à|chez|depuis|pendant|via)\s+(?:quel(?:le)?s?|qui|quoi)\b",
                             re.IGNORECASE)


# "…, et lequel …": the second part asks the first part's question of another thing ("Quel musée a répondu
# pour Lens, et lequel pour Tourcoing ?").
WHICH_SPLIT = re.compile(r"\s*,?\s+et\s+(?:lequel|laquelle|lesquels|lesquelles)\b", re.IGNORECASE)
PREPOSITION = r"(?:pour|à|au|aux|dans|en|de|du|sur|chez|avec)"


# A sentence after a question mark that asks with a question word of its own (not "donne-moi …").
OWN_ASK = re.compile(rf"(?:^|\s){INTERROGATIVE}|\bd['’]où\b|\b(?:lequel|laquelle|lesquels|lesquelles)\b|\bquoi\b|-(?:t-)?(?:il|ils|elle|elles|on)\b|\best-ce\b", re.IGNORECASE)


# A request after a question mark ("… ? Cite un exemple pour les enfants.", "… ? et tu peux me citer une
# action ?"): a second question when it brings words of its own.
REQUEST = re.compile(r"^(?:(?:et|and)\s+)?(?:du coup\s+|alors\s+|aussi\s+)?(?:(?:tu peux|vous pouvez|peux-tu|pouvez-vous|"
                     r"pourrais-tu|pourriez-vous)\s+(?:me\s+|nous\s+)?)?(?:cite[rz]?|donne[rz]?|indique[rz]?|précise[rz]?)\b",
                     re.IGNORECASE)


# A name alone after the question ("…, et Caudry ?", "… et pour Saint-Omer ?"): the same question of it.
# Without a comma or a preposition, "connaît WCAG et RGAA" asks one thing of both.
NAME_PREPOSITION = r"(?:pour|à|au|chez)\s+"
TRAILING_NAME = re.compile(rf"(?:,\s*(?:et|ou)\s+(?:{NAME_PREPOSITION})?|\s+(?:et|ou)\s+{NAME_PREPOSITION})"
                           rf"(?P<name>{PROPER_NAME})\s*$")
# "lequel" agrees with the interrogative it stands for: "lesquels" is no "quelle part".
WHICH_FORMS = {"lequel": "quel", "laquelle": "quelle", "lesquels": "quels", "lesquelles": "quelles"}
PLURAL_GROUP = re.compile(r"\bdes\s+([^\W\d_][\w-]*(?:\s+(?:ou|et)\s+[\w-]+)?(?:\s+(?!(?:ou|et|qui|que|dans|pour|sur)\b)[\w-]+){0,2})",
                          re.IGNORECASE)


def _which(first: str, rest: str, which: str = "") -> str:
    """The second part of "Quel musée a répondu pour Lens, et lequel pour Tourcoing": the first part's
    question words with the rest ("Quel musée organise …"), or, when the rest is only a complement, the
    first part with its complement after the same preposition swapped ("Quel musée a répondu pour Tourcoing").
    "lesquels" that cannot stand for the first part's "quelle part" stands for its last plural group
    ("… dans des réseaux ou projets collectifs, et lesquels citer ?" → "quels réseaux ou projets collectifs citer")."""
    asked = ASKED_WORDS.search(first)
    head = asked.group(0) if asked else ""
    form = WHICH_FORMS.get(which.split()[-1].lower(), "") if which.split() else ""
    if form.endswith("s") and head and not head.lower().split()[0].endswith("s") \
            and (groups := PLURAL_GROUP.findall(first)):
        head = f"{form} {groups[-1]}"
    complement = re.fullmatch(rf"\s*({PREPOSITION})\s+(.+)", rest, re.IGNORECASE)
    if complement:  # the user's words go in as they are: no group reference is read in them
        swapped, count = re.subn(rf"\b{complement.group(1)}\s+[^,;:?]+$", lambda _: f"{complement.group(1)} {complement.group(2)}",
                                 first, flags=re.IGNORECASE)
        if count:
            return swapped
    return f"{head} {rest.strip()}".strip()


# Two counted nouns for one verb ("Combien de répondants et de structures ont participé ?").
COUNTED_PAIR = re.compile(r"^\s*(combien|cb)\s+((?:de|d['’])\s*[\w-]+)\s+et\s+((?:de|d['’])\s*[\w-]+)(?=\s)",
                          re.IGNORECASE)


# A part that is only its question words and their noun ("combien de répondants", after a setting), before a
# part that says what is counted of its own noun ("… et combien de structures ont participé à l'enquête"): the
# predicate goes with both. "L'enquête s'est déroulée entre quelles dates" has a predicate of its own.
BARE_COUNT = re.compile(rf"^(?:[^,:]*[,:]\s*)?{ASK_HEAD}(?:{OF_NOUN})?$", re.IGNORECASE)  # the whole part, after a setting
COUNT_PREDICATE = re.compile(rf"^{ASK_HEAD}{OF_NOUN}\s+(?P<predicate>.+)$", re.IGNORECASE)


# "quand et comment l'enquête a été menée": a bare question word takes the predicate of the next one.
BARE_WORD = re.compile(r"^(?:[^,:]*[,:]\s*)?(?:quand|qd|comment|où|pourquoi)$", re.IGNORECASE)
WORD_PREDICATE = re.compile(r"^(?:quand|qd|comment|où|pourquoi)\s+(?P<predicate>[^,;]+)", re.IGNORECASE)


def _shared_predicate(parts: list[str], resolved: list[str]) -> list[str]:
    """The resolved parts, each part left as asked that ends on its question words and noun (or on a bare
    question word) given the predicate of the part after it."""
    out = list(resolved)
    for i in range(len(parts) - 2, -1, -1):
        if out[i] == f"{parts[i]} ?" and BARE_COUNT.search(parts[i]) and (after := COUNT_PREDICATE.match(parts[i + 1])):
            resolved_after = COUNT_PREDICATE.match(out[i + 1].removesuffix(" ?")) or after
            out[i] = f"{parts[i]} {resolved_after.group('predicate')} ?"
        elif out[i] == f"{parts[i]} ?" and BARE_WORD.search(parts[i]) and (said := WORD_PREDICATE.match(parts[i + 1])):
            out[i] = f"{parts[i]} {said.group('predicate').strip()} ?"
    return out


# A part with a verb and its object of its own ("…, et quelle part a un référent ?") borrows no predicate.
OWN_PREDICATE = re.compile(r"\b(?:a|ont|est|sont|dispose\w*|possède\w*|fait|font|utilise\w*|propose\w*)\s+"
                           r"(?:une?|des|du|de la|les?|la|l['’])\s*[\w-]+", re.IGNORECASE)


# A tag after a question asking for its examples ("… ? genre quoi", "… ? lesquels", "… ? par exemple").
EXAMPLE_TAG = re.compile(r"^(?:(?:genre|comme|du genre|style|par exemple)\s+(?:quoi|lesquels|lesquelles|qui|ça)|lesquels|"
                         r"lesquelles|lesquel|laquelle|lequel|par exemple|c['’]est-à-dire|genre)\W*$", re.IGNORECASE)


def _after_question_mark(body: str) -> list[str] | None:
    """A second question of its own after a question mark or a semicolon ("… on trouve qui ? et le Musée
    Matisse est dans quelle ville"), or a request there ("… ? Cite un exemple pour les enfants"), about the
    first part's topic. A question saying the first again in other words is not one: a question of its own
    needs one word of its own ("… ? et y en a-t-il beaucoup qui ont un référent"), a request two ("… ?
    Donne-moi le pourcentage exact" asks the first again)."""
    mark = re.search(r"(?:\?|\s;)\s*(?:(?:et|and)\s+)?|,\s*(?:et\s+(?:puis\s+)?|puis\s+)(?=(?:tu|vous|peux|pouvez|pourr\w+|cite|donne|indique|précise)\b)",
                     body, re.IGNORECASE)  # "…, puis pouvez-vous citer un exemple ?" requests after it too
    if not mark:
        return None
    first, second = body[:mark.start()].strip(), body[mark.end():].strip()
    if EXAMPLE_TAG.match(second):
        return None  # "… ? genre quoi", "… ? lesquels" asks the first question's examples: one part
    own = bool(OWN_ASK.search(re.sub(r"(?<=\w)\s+que\b", " ", second)))  # "Je veux préciser que …" asks nothing
    if not OWN_ASK.search(first) or not (own or REQUEST.search(second)) \
            or len(set(tokenize(second)) - set(tokenize(first))) < (1 if own else 2):
        return None
    if (not own or _points_back(second) or len(set(tokenize(second))) <= 1) and (topic := topic_of(first)):
        second = f"{second} ({topic})"
    return [f"{first} ?", f"{second} ?"]


# "… y en a-t-il un qui ne se visite que sur réservation": the part says what it asks about in its own clause.
OWN_RELATIVE = re.compile(r"\b(?:un|une|certains|certaines|d['’]autres|plusieurs)\s+(?:qui|dont|où)\b", re.IGNORECASE)


def _points_back(part: str) -> bool:
    """A later part pointing back at the first part's thing without naming an object of its own ("et combien
    pensent s'en doter" does; "et combien ont des financements prévus pour ça" names its own)."""
    return bool(ANAPHOR.search(part)) and not OWN_PREDICATE.search(ASKED_WORDS.sub(" ", part)) \
        and not OWN_RELATIVE.search(part)


def split_parts(question: str) -> list[str]:
    """A question in two parts or more as its parts ("Combien de répondants et combien de structures ?"),
    else [question].

    A second part without its own question word ("…, ainsi qu'un budget dédié ?") borrows the first
    part's frame ("Quelle part des musées a"); a very short one borrows the first part's topic, or its
    subject when it opens on a verb ("L'enquête a démarré quel jour et s'est terminée quand ?"). A second
    part may put its question word last or stand for the first part's thing ("… et celui qui …", "et
    combien n'en ont aucune"); one naming its own subject ("et qu'a fait Caudry ?") or given as an
    indirect question ("ainsi que ce qu'a fait …") stands alone. "puis" and "et aussi" join parts too.
    """
    body = question.strip().rstrip("?.! ").strip()
    if both_asked := paired(body):
        return both_asked
    if both := COUNTED_PAIR.match(body):  # "Combien de répondants et de structures ont …": each counted
        rest = body[both.end():]
        return [f"{both.group(1)} {both.group(2)}{rest} ?", f"{both.group(1)} {both.group(3)}{rest} ?"]
    parts = _split_at_asks(body)
    if len(parts) > 1 and ("?" in parts[0] or not ASKING.search(RELATIVE.sub(" ", parts[0]))) and (after_mark := _after_question_mark(body)):
        # "… de combien ? Et à Saint-Omer, qu'est-ce qui …": the mark parts them first; so it does after a
        # setting ("Parmi les répondants, combien … ; et y en a-t-il un qui …")
        return after_mark
    if len(parts) == 1 and (pair := QUANTITY_PAIR.search(body)):  # the setting before the first goes with both
        return [f"{body[:pair.start(1)]} ?", f"{body[:pair.start()]}{body[pair.end():]} ?"]
    if len(parts) == 1 and (after_mark := _after_question_mark(body)):
        return after_mark
    if len(parts) == 1 and (again := re.search(r"\?\s*(?=(?:et|and)\b)", body, re.IGNORECASE)):
        second = body[again.end():]  # "… c'est quel % ? et l'inclusion": a follow-up in the same message
        if FOLLOW_UP.match(second) and len(tokenize(second)) <= 4 and not ASKING.search(second):
            return [f"{body[:again.start()].strip()} ?", f"{follow_up_query(body[:again.start()], second)} ?"]
    tail = TRAILING_NAME.search(body) if len(parts) == 1 else None
    if tail and (swapped := name_swapped(body[:tail.start()], tail.group("name"))):
        return [f"{body[:tail.start()].strip()} ?", f"{swapped} ?"]  # "Que fait Guise sur l'écologie, et Caudry ?"
    if len(parts) == 1 and (which := WHICH_SPLIT.search(body)):
        first = body[:which.start()]
        return [f"{first} ?", f"{_which(first, body[which.end():], which.group(0))} ?"]
    setting = ""
    if len(parts) > 2 and not ASKING.search(parts[0]) and body[len(parts[0]):].lstrip().startswith(","):
        setting, parts = parts[0], parts[1:]  # "Dans les priorités d'avenir, combien … et combien …": each part's setting
    if len(parts) == 1 and QUANTITY.search(body):
        also = [p.strip(" ,") for p in ALSO_SPLIT.split(body) if p.strip(" ,")]
        if len(also) == 2:
            frame = FRAME.match(also[0])
            verb = re.match(r"^(.*?\b(?:a|ont|est|sont|dispose|disposent|possède|possèdent)\b)", also[0], re.IGNORECASE)
            head = verb.group(1) if verb else (frame.group(1) if frame else "")
            if indirect := INDIRECT.match(also[1]):  # "…, ainsi que ce qu'a fait Caudry": a question of its own
                parts = [also[0], f"{indirect.group(1) or indirect.group(2)}{also[1][indirect.end():]}"]
            else:
                parts = [also[0], f"{head} {also[1]}".strip()] if head else [body]
    if len(parts) == 1 and body.count(" et ") == 1:
        halves = [p.strip(" ,") for p in body.split(" et ")]
        if (ASKING.search(halves[0]) or QUANTITY.search(halves[0]) or DEFINITION.search(halves[0])) \
                and SECOND_ASK.search(halves[1]) \
                and tokenize(halves[0]) and tokenize(halves[1]):
            parts = halves
    if len(parts) < 2 or not tokenize(parts[0]) or not (ASKING.search(RELATIVE.sub(" ", parts[0]))
                                                        or (ASKING.search(parts[0]) and PRONOUN.match(parts[1]))
                                                        or DEFINITION.search(parts[0])):  # "C'est quoi le RGAA, et …"
        # "Pour ma présentation, quelle part … ?", "Parmi les musées qui …, combien … ?": one question; but
        # "la part des musées qui …, et celle qui …" asks for two things, the second standing for the first
        return [question]
    first = parts[0]
    if (scene := SCENE.match(body)) and scene.end() > len(first):  # `first` opens `body`
        return [question]  # the first "part" only sets the scene of the question
    resolved = [first + " ?"] + [_resolved(first, _counting(parts[:i], part)) + " ?" for i, part in enumerate(parts) if i]
    resolved = _shared_predicate(parts, resolved)
    return [f"{setting}, {part[:1].lower()}{part[1:]}" for part in resolved] if setting else resolved


# "qui", "que" after a noun relate a clause to it ("les musées qui font …", "le budget, en euros, que les
# musées consacrent …"): they ask nothing unless the verb is inverted ("que fait-il", "qu'est-ce").
INVERTED = r"(?:-(?:t-)?(?:il|elle|on|ils|elles)\b|est-ce)"  # "que fait-il", "qu'est-ce": a question
RELATIVE = re.compile(r"(?<!c['’]est)(?<!\best)(?<!\bà)(?<!\bde)(?<!\bpar)(?<!\bpour)(?<!\bavec)(?<!\bsur)"
                      rf"(?<![,;:?])(?<!^)\s+(?:qui|que|qu['’]|où(?=\s+(?:le|la|les|l['’]|on|ils?|elles?|ces?|cette|"
                      rf"une?|des|leurs?|son|sa|ses)\b))\b(?![^,;:?]*{INVERTED})", re.IGNORECASE)  # "les musées où le …"


# "quand" before a subject opens a clause ("…, quand c'est le cas", "…, quand elles existent"), as in
# questions.DATE_Q: it asks no date unless its verb is inverted.
SUBORDINATE = re.compile(rf"(?:quand|qd|lorsqu['’]?)\s*(?:{CLAUSE_SUBJECT})(?:\b|(?<=['’]))", re.IGNORECASE)


def _split_at_asks(body: str) -> list[str]:
    """The body cut before each new question word; a piece after a bare comma that opens on a relative
    "que"/"qui" ("…, en euros, que les musées consacrent …") or on a clause ("…, quand c'est le cas") stays
    with the piece before it."""
    parts: list[str] = []
    start = 0
    for cut in [*PART_SPLIT.finditer(body), None]:
        piece = body[start:cut.start() if cut else len(body)].strip(" ,;")
        # After a bare comma, a relative "que"/"qui" or a clause "quand c'est le cas" belongs to the piece before.
        clause = re.match(r"(?:que|qui|qu['’])\b", piece, re.IGNORECASE) or SUBORDINATE.match(piece)
        if piece and parts and clause and not re.search(INVERTED, piece, re.IGNORECASE) \
                and body[:start].rstrip().endswith(","):
            parts[-1] = f"{parts[-1]}, {piece}"
        elif piece:
            parts.append(piece)
        start = cut.end() if cut else start
    return parts


def _counting(before: list[str], part: str) -> str:
    """A part whose "combien" has no noun ("…, et combien se trouvent …", "combien d'entre elles …") with the
    noun the nearest earlier part counts ("Combien de structures …"): the same thing is counted."""
    bare = re.match(r"\s*(?:et\s+)?(combien|cb)\s+(?:d['’]entre\s+(?:eux|elles)\s+)?"
                    r"(?!de\b|d['’]|des\b|co[uû]te|vaut|valent|dure|pèse)", part,
                    re.IGNORECASE)  # "combien d'entre elles" counts them too; "combien coûte" asks a price
    counted = next((m for m in (COUNTED_NOUN.search(p) for p in reversed(before)) if m), None)
    return f"{part[:bare.end(1)]} de {counted.group(1)} {part[bare.end():]}" if bare and counted else part


def _resolved(first: str, second: str) -> str:
    """A later part of a question with what it leaves to the first part (its frame, object or topic)."""
    if (gapped := GAPPED.match(second)) and not re.search(INVERTED, second, re.IGNORECASE) \
            and not CLITIC_VERB.match(gapped.group(1)) and (verb := VERB_OBJECT.match(first)):
        second = f"{verb.group(1)}{gapped.group(1)}{first[verb.end():]}"  # "quel pourcentage cite le numérique durable"
    elif (subject := SUBJECT_PRONOUN.match(second)) and (group := NOUN_GROUP.search(first)):
        second = f"{group.group(0)} {second[subject.end():]}"  # "… l'enquête …, et elle s'est terminée quand"
    elif pronoun := PRONOUN.match(second):
        brings_own = re.fullmatch(r"de|des|du|d['’]", pronoun.group(1), re.IGNORECASE)  # "celui des structures"
        second = f"{thing_named(first, not brings_own)} {second[pronoun.start(1):]}".strip()
        if _points_back(second) and (topic := topic_of(first)):  # "celle qui envisage d'en construire une"
            second = f"{second} ({topic})"
    elif DEFINITION.search(first) and OBJECT_CLITIC.search(second) \
            and (defined := re.sub(r"\s+", " ", without_form_words(first)).strip(" ,?")):
        second = f"{second} ({defined})"  # "Le RGAA, c'est quoi, et combien de musées le connaissent ?"
    elif PREPOSITION_ASK.match(second) and not set(tokenize(second)) & set(tokenize(first)) \
            and (topic := topic_of(first)):
        second = f"{second} ({topic})"  # "avec quel outil (c'était l'enquête)"
    elif len(set(tokenize(second)) - set(tokenize(first))) <= 1:
        frame = FRAME.match(first)
        if frame and (clitic := EN_CLITIC.search(second)):  # "combien n'en ont aucune": "en" is the first part's object
            thing = re.sub(r"^\s*[\w-]+\s+", "", first[frame.end():])  # " ont une stratégie" → "une stratégie"
            second = f"{second[:clitic.start()]}{clitic.group(1) or ''}{second[clitic.end():]}".strip()
            if negated := re.search(r"\b(aucune?|pas|plus|jamais)$", second, re.IGNORECASE):  # "n'ont pas de stratégie"
                bare = re.sub(r"^(?:une?|des|du|de la|les?|la|l['’])\s*", "", thing, flags=re.IGNORECASE)
                thing = bare if negated.group(1).lower().startswith("aucun") else f"de {bare}"
            second = re.sub(r"\s+", " ", f"{second} {thing}").strip()
        elif OWN_PREDICATE.search(ASKED_WORDS.sub(" ", second)):
            pass  # "…, et quelle part a un référent ?" asks its own question of the same group
        elif frame:
            second = f"{second} {first[frame.end():].strip()}".strip()
        elif (subject := SUBJECT.match(first)) and not re.match(INTERROGATIVE, second, re.IGNORECASE):
            second = f"{subject.group(1)} {second}"  # "L'enquête a démarré quel jour" lends "L'enquête"
        elif NAME.search(second) and not set(NAME.findall(second)) & set(NAME.findall(first)):
            pass  # "…, et qu'a fait Caudry ?" names its own subject: the first part's would drown it
        else:  # the first part's topic, without its own question words ("Combien" would ask a figure)
            topic = topic_of(first)
            second = f"{second} ({topic})" if topic else second
    elif _points_back(second) and (topic := topic_of(first)):
        second = f"{second} ({topic})"  # "et y en a-t-il côté Belgique" (réseaux ou initiatives collectives …)
    return second
