"""What a question asks for, read from its wording: the kind of value, and its form (two parts, a
follow-up; a talk to prepare is read in `talk.py`). These patterns check refusals and shape answers; they
never pick sentences.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .lexical import tokenize, words
from .textclean import word_list

# "beaucoup de" asks how many, unless a preposition makes it describe a thing ("les musées avec beaucoup de visiteurs").
QUANTITY = re.compile(
    r"\b(combien|cb|pourcentage|proportion|quelle part|part des|(?<!\bde )la part d(?:e|u|['’])|taux|nombre|chiffres?|pourcent|moyenne?|"
    r"de combien|how many|how much|what share|what percentage|what proportion|percentage|(?<!\bavec )(?<!\bsans )(?<!\bpour )(?<!\bà )(?<!\bdans )beaucoup (?=de |d['’]))\b|%",
    re.IGNORECASE)
# "Only X?" is answered by how many are X and how many are not ("l'enquête ne concernait que des musées des
# Hauts-de-France ?", "y a que des musées hdf qui ont répondu ?").
ONLY = re.compile(r"\b(?:ne|n['’])\s*(?:[\w-]+\s+){0,3}?que\s+(?:des|les|d['’])|\by\s*a(?:vait)?\s+que\s+(?:des|les)\b|"
                  r"\b(?:uniquement|exclusivement)\s+(?:des|les)\b", re.IGNORECASE)
PERCENT_Q = re.compile(r"\b(pourcentage|proportion|taux|quelle part|quelles parts|what share|percentage|"
                       r"what proportion)\b|%", re.IGNORECASE)
# "prix" is a price, not an award ("le prix Nobel", "prix Goncourt": a name follows).
# A budget is an amount when it is averaged, summed or asked for ("budget moyen", "quel budget"), not when a
# share of museums has one ("un budget dédié").
MONEY_Q = re.compile(r"\b(euros?|€|montants?|coûts?|coûte|coûté|prix(?!\s+(?-i:[A-ZÀ-Ý]))|salaires?|tarifs?|"
                     r"dépenses?|how much money|cost|budgets? (?:moyens?|annuels?|total|totaux|global|globaux)|"
                     r"quel budget|quel(?:le)?s? (?:est|sont|était|serait) (?:le|les|leur|son|sa) budgets?|"
                     r"combien d['’]argent)\b", re.IGNORECASE)
# "quand" asks a date as a question word, not when it opens a clause ("ont dit oui quand on leur a demandé")
# nor in the adverb "quand même" ("fermés mais font quand même des animations").
CLAUSE_SUBJECT = (r"on|il|ils|elle|elles|je|j['’]|tu|nous|vous|les?|la|l['’]|une?|des|ce|c['’]|ça|cela|leurs?|ses|son|"
                  r"sa|mon|ma|mes|notre|nos|votre|vos")
# A question that opens on a clause setting the scene ("Quand les équipes sont sensibilisées, comment …"):
# the clause asks nothing unless its verb is inverted ("Quand les musées ont-ils …, et …").
# Typed without its comma, the clause ends where a subject pronoun takes it up in a question of its own
# ("qd ya une sensibilisation ds les equipes elle passe par koi").
SCENE = re.compile(rf"^\s*(?:quand|qd|lorsqu['’]?|si|s['’]|dès que|une fois que)\s*(?:{CLAUSE_SUBJECT})\b"
                   r"(?:(?:(?!-(?:t-)?(?:il|ils|elle|elles|on)\b|\best-ce\b)[^,?])*,(?!\s*(?:et|and)\b)|"
                   r"[^,?]*?(?=\s(?:il|ils|elle|elles|ça|c['’]est|on)\s[^,?]*\b(?:quoi|comment|combien|quel(?:le)?s?|pourquoi|où)\b))",
                   re.IGNORECASE)
DATE_Q = re.compile(rf"^\W*(?:quand|qd)\b|\bc['’ ]?(?:est|était|sera|serait) (?:quand|qd)\b|\b(?:quand|qd)\b(?!\s+(?:{CLAUSE_SUBJECT}|même|meme|mm)\b)|"
                    r"depuis quand|jusqu['’]à quand|en quelle année|à quelles? (?:dates?|périodes?|époques?)|"
                    r"quelles? (?:dates?|périodes?|années?)|quels? (?:jours?|mois)\b|\bwhen\b|what year|"
                    r"\bquel(?:le)?s? (?:est|sont|était|étaient|sera|seront) (?:la |les )?(?:dates?|années?|jours?|mois)\b",
                    re.IGNORECASE)
# A unit of measure the question asks its figure in ("combien de tonnes de CO2", "en kWh"): the evidence
# must give a figure in that unit. Each unit's forms, in the question and in the evidence alike.
UNITS = {
    "tonne": r"tonnes?|t ?(?:éq\.? ?)?CO2|teqCO2|kt|mégatonnes?",
    "kilogramme": r"kilos?|kilogrammes?|kg",
    "wattheure": r"[kMGT]Wh|(?:kilo|méga|giga|téra)?watts?[- ]heures?",
    "watt": r"[kMG]W|(?:kilo|méga|giga)?watts?",
    "litre": r"litres?|m3|m³",
    "mètre": r"kilomètres?|km|mètres? carrés|m²|m2|hectares?|mètres?",
    "octet": r"[kMGT]o|(?:kilo|méga|giga|téra)?octets?|[kMGT]B",
}
UNIT_Q = {unit: re.compile(rf"\b(?:combien|cb|nombre|quantité|volume|poids|en|de|d['’])\s+(?:de |d['’])?(?:{forms})\b",
                           re.IGNORECASE) for unit, forms in UNITS.items()}
UNIT_TEXT = {unit: re.compile(rf"\d\s*(?:{forms}{'|m' if unit == 'mètre' else ''})\b", re.IGNORECASE)
             for unit, forms in UNITS.items()}
# A duration ("combien de temps faut-il pour …", "quelle durée"): a figure in a unit of time, or the two
# dates of a span ("du 6 décembre 2024 au 27 janvier 2025"). A "combien" question still needs a figure too
# (reader.has_kind), and dates are none: a span answers beside a figure, not alone ("… remplir le
# questionnaire ?" is no question about the survey's dates; measured, the span alone lost a tuning question).
UNIT_Q["durée"] = re.compile(r"\b(?:combien|cb) (?:de |d['’])\s*(?:temps|minutes|heures|jours|semaines|mois|ans|années)\b|\b(?:quelle|la) durée\b",
                             re.IGNORECASE)
UNIT_TEXT["durée"] = re.compile(r"(?:\b\d+(?:[.,]\d+)?|\b(?:deux|trois|quatre|cinq|six|sept|huit|neuf|dix|quinze|vingt|trente))\s*"
                                r"(?:(?:(?:millièmes?|centièmes?|dixièmes?) de )?secondes?|s|min(?:utes?)?|heures?|h|"
                                r"jours?|semaines?|mois|ans|années?|siècles?|décennies?)\b|"
                                r"\bdu\s+\d{1,2}(?:er)?\s+[^\W\d_]+(?:\s+\d{4})?\s+au\s+\d", re.IGNORECASE)
# Asking for a name: "qui est …", "qui dirige …", "comment s'appelle …", "le nom du …".
QUI_IS = r"\bqui\s+(?:est|sont|était|étaient|dirige|préside)\b"
CALLED = r"\bcomment s['’]appel\w+\s+(?:la personne|le|la|les)\b|\b(?:le|son|leur) nom (?:de la personne|du|de la)\b|\b(?:les|leurs|ses) noms (?:des|de ces|de leurs)\b"
C_EST_QUI = r"\bc['’]est qui\s+(?:le|la|les|l['’])"  # spoken order: "c'est qui le président ?"
PERSON_Q = re.compile(rf"^\W*(?:qui|who)\b|(?<!\bce ){QUI_IS}|{CALLED}|{C_EST_QUI}", re.IGNORECASE)
# Of those, the ones asking for a name; "qui organise …" may be answered by a group ("les talibans", "le
# gouvernement fédéral"), which no capital marks, and so may "par qui sont …".
NAMED_Q = re.compile(rf"^\W*(?:qui|who)\s+(?:est|sont|était|étaient|is|was|are)\b|(?<!\bce )(?<!\bpar ){QUI_IS}|{CALLED}|{C_EST_QUI}",
                     re.IGNORECASE)
# A role without its article, said as a role of something ("qui est actuellement président de l'association ?"):
# no definition asked ("qui est Musenor ?"), a role's holder.
ROLE_ADVERB, ROLE_OF = r"(?:actuellement\s+|aujourd['’]hui\s+|donc\s+)?", r"(?:ou\s+[\w-]+\s+)?(?:de|du|des|d['’])\s"
ROLE_AHEAD = rf"{ROLE_ADVERB}[\w-]+\s+{ROLE_OF}"
ROLE_Q = re.compile(rf"\b(?:qui\s+(?:est|sont|était|étaient)|c['’]est qui)\s+{ROLE_ADVERB}"
                    rf"(?:(?:le|la|les|l['’])\s*([\w-]+)|([\w-]+)(?=\s+{ROLE_OF}))", re.IGNORECASE)
# "qui préside / dirige …" asks for the holder of a role: the answer names the role or the verb.
ROLE_VERB = re.compile(r"\bqui\s+(?:a\s+)?(présid|dirig)\w*", re.IGNORECASE)
ROLE_FORMS = {"présid": ("préside", "président", "présidente", "présidence"),
              "dirig": ("dirige", "directeur", "directrice", "direction")}
ADDRESS_Q = re.compile(r"\b(?:où (?:est|se trouve|trouver)|adresse|url|lien)\b.*\b(?:site|portail|page|web)\b|"
                       r"\b(?:site|portail) (?:web|internet)\b.*\b(?:où|adresse)\b", re.IGNORECASE)
LISTING = re.compile(r"(?:^|[,:;]\s)\s*(?:quel(?:le)?s\b|kel(?:le)?s?\b|comment\b|pourquoi\b|pk\b|"
                     r"(?:de|sur|avec|par|à|dans|parmi) quel(?:le)?s\b|qu['’]est-ce qui\b|que (?:font|proposent|retenir)\b|"
                     r"concrètement\b|est-ce que certains\b)", re.IGNORECASE)
# "Musenor, c'est quel type de structure ?", "c'est quoi comme structure ?" ask what it is (read first: the
# noun names the kind of answer, not the term, and retrieval does not look for it).
KIND_ASKED = (r"\bc['’]est (?:quel(?:le)? (?:type|genre|sorte|forme) d['’]?e?\s*|quoi (?:exactement |au juste |donc )?comme )[\w-]+|"
              r"\bquel(?:le)? (?:type|genre|sorte|forme) d['’]?e?\s*(?:structure|organisme|organisation) (?:est|sont)\b")
# "c'est quoi le chiffre ?" asks for a value, not a definition.
VALUE_NOUN = r"(?:chiffres?|pourcentages?|nombres?|parts?|taux|proportions?|montants?|dates?|durées?)\b"
DEFINITION = re.compile(rf"({KIND_ASKED}|qu['’]est[- ]ce que?\b|(?:c['’]est quoi|\bc koi\b)(?!\s+(?:le|la|les|l['’])\s*{VALUE_NOUN})|\bque fait\b|(?<!\bce )\bqui est (?!le\b|la\b|les\b|l['’]|{ROLE_AHEAD})|\bà quoi\s+(?:\w+\s+){{0,2}}?ser(?:t|s|v\w*)\b|\bser(?:t|vent|vait|vaient)\s+à\s+quoi\b|"
                        r"\bque signifie(?:nt)?\b|\bsignifie(?:nt)? quoi\b|\bque désigne(?:nt)?\b|\bdésigne(?:nt)? quoi\b|\bça veut dire\b|\bveulent dire\b|\bce que c['’]est\b|\bde quoi s['’]agit|\bwhat is\b|qu['’]est-ce que c['’]est|"
                        r"\bconsiste(?:nt)? en quoi\b|\ben quoi consiste|\bcorrespond(?:ent)? à quoi\b|\bporte(?:nt)? sur quoi\b)",
                        re.IGNORECASE)
# A question opening on "pourquoi" asks for reasons, even when it mentions a quantity ("pk bcp de freins ?").
REASON_Q = re.compile(r"^\W*(?:pourquoi|pk|pq|why)\b", re.IGNORECASE)
# "… ou pas ?" offers both answers: it asks whether, not about those who do not.
# "n'ont personne" and "n'ont rien" ask about those without.
NEGATIVE_Q = re.compile(r"(?<!\bou )\b(?:pas|aucune?|jamais|sans|ni|pa)\b|\b(?:ne|n['’])\s*(?:[\w-]+\s+){0,2}?(?:personne|rien)\b",
                        re.IGNORECASE)
# "Que signifie le sigle RGAA ?": an acronym (two capitals or more: "RGAA", "ProMETHEE") means its expansion.
ACRONYM_Q = re.compile(r"\b(?:que (?:signifie|signifient|veut dire|veulent dire)|ça veut dire|signification|abréviation|acronyme|sigle)\b",
                       re.IGNORECASE)
ACRONYM = re.compile(r"\b[\w-]*[A-Z][\w-]*[A-Z][\w-]*\b")
# The acronym a definition question is about ("les WCAG, c'est quoi ?"): capitals only, as acronyms are
# written ("ProMETHEE" is a name, not an acronym to spell out).
CAPITALS_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
# "La prochaine rencontre, c'est quand ?", "Une nouvelle édition est-elle prévue, et pour quand ?" ask for a
# date still to come.
FUTURE_Q = re.compile(r"\b(?:prochaine?s?|à venir|aura lieu|auront lieu|(?:est|sont)(?:-(?:t-)?(?:il|elle|ils|elles))? prévue?s?|"
                      r"prévue?s? pour quand|next|upcoming)\b",
                      re.IGNORECASE)
# An average asked or given ("en moyenne", "budget moyen"), not "les moyens" (resources) nor "le moyen de".
AVERAGE = re.compile(r"\bmoyennes?\b|\b(?!(?:le|un|au|du|ce|quel)\b)\w+ moyen\b", re.IGNORECASE)
# What a tool did ("a été utilisé", "a servi"): the kind of the question, not a topic the passage must share
# ("… menée à l'aide de Framaforms"), so `without_form_words` drops it.
TOOL_USED = (r"(?:(?:a|ont|avait|avaient) été |était |étaient |est |sont )?(?:utilisée?s?|employée?s?)|"
             r"(?:a|ont|avait|avaient) servi|servai(?:t|ent)|sert")
TOOL_VERB = re.compile(rf"\b(?P<tool>(?:outil|logiciel|progiciel|plateforme)s?)\s+(?:{TOOL_USED})\b", re.IGNORECASE)
# "Avec quel outil l'enquête a-t-elle été faite ?", "Quel logiciel …": the name of the tool used, not a kind of tool.
TOOL_Q = re.compile(r"\bquel(?:le)?s?\s+(?:logiciel|progiciel)s?\b|\bquoi\s+comme\s+(?:outil|logiciel|plateforme|appli(?:cation)?)s?\b|"
                    r"\b(?:avec|par|sur|via|grâce à|à l['’]aide de)\s+quel(?:le)?s?\s+(?:outil|logiciel|plateforme|formulaire|"
                    r"appli(?:cation)?|service)s?\b|\b(?:quel(?:le)?|l['’]|le|la)\s*(?:outil|logiciel|plateforme)s?\s+"
                    rf"(?:{TOOL_USED}|(?:a été |ont été |était |est )?choisie?s?)\b", re.IGNORECASE)
# Opening hours ("horaires", "à quelle heure"): a time of day, which a year or a month does not give. A count
# asked about them ("côté horaires, combien ouvrent tous les jours ?") asks a figure, not a time.
# An e-mail address or a phone number ("l'adresse mail de Musenor", "un numéro de téléphone"), which a web
# address does not give; a count asked about them ("combien envoient des e-mails ?") asks a figure.
CONTACT_Q = re.compile(r"\b(?:e-?mails?|(?:adresses?|le|un|son|votre) mail|courriels?|numéros? de (?:téléphone|tél|portable)|téléphones?)\b", re.IGNORECASE)
# A human being's name ("la personne qui a piloté l'enquête", "le nom de la personne", "citer nommément"): a
# first name and a surname, or an initial, not a tool's or a place's single capitalised word.
HUMAN_Q = re.compile(r"\b(?:la|quelle) personne\b|\bnom de la personne\b|\bprénoms?\b|\bnommément\b", re.IGNORECASE)
HOURS_Q = re.compile(r"\b(?:horaires?|à quelle heure|heures? d['’]ouverture|ouvert(?:e|s|es)? à quelle heure)\b",
                     re.IGNORECASE)

# A talk's setting: a talk, a document written from the survey, an audience ("talk.py" reads talk requests).
TALK_KINDS = (r"(?:conférence|intervention|exposé|talk|table ronde|colloque|discours|webinaire|séminaire|atelier|"
              r"diaporama|diapos?|slides?|powerpoint|"
              # documents written from the survey, and audiences spoken to
              r"article|newsletter|lettre d['’]info(?:rmation)?|poster|affiche|encart|communiqué|billet|post|podcast|"
              r"argumentaire|note (?:sur|de synthèse|interne|pour)|(?:demande|dossier) de subvention|compte[ -]rendu|(?:mon|un|notre) rapport|rapport (?:aux|pour|d['’]activité|annuel)|"
              r"(?:aux|pour les|devant (?:des|les|mes|nos)) (?:élus|collègues|partenaires)|"
              r"conseil d['’]administration|au CA|j['’]interviens|rendez-vous avec|journées? pro(?:fessionnel(?:le)?s?)?"
              r")")  # a request's setting, never its topic
SETTING = re.compile(rf"\b{TALK_KINDS}\b", re.IGNORECASE)
# The talk a question is put for ("pour un encart de rapport", "dans ma conférence", "en une slide", "lors d'un
# webinaire"): a setting, never a topic (refusal.asked_clauses, parts.topic_of).
TALK_SETTING = re.compile(rf"\b(?:pour|dans|en|lors d['’]|en vue d['’]|à citer dans|à citer lors d['’])\s*"
                          rf"(?:(?:un|une|mon|ma|mes|notre|nos|le|la|les|l['’]|ce|cette)\s*)?{TALK_KINDS}\b"
                          r"(?:\s+(?:de|du|des|d['’])\s*[\w-]+)?", re.IGNORECASE)

# A question word opens a question (or a part of one: see parts.py); "donne-moi …" asks too.
INTERROGATIVE = r"(?:combien|quel(?:le)?s?\b|quelle part|qu['’]|que\b|qui\b|où\b|quand\b|comment\b|how\b|what\b|who\b)"
ASKING = re.compile(rf"(?:^|\s){INTERROGATIVE}|-(?:t-)?(?:il|ils|elle|elles|on)\b|\best-ce\b|\bquoi\s*$|\bà quoi\b|"
                    r"\b(?:dis|dites|donne|donnez|indique|indiquez|rappelle|rappelez)-(?:moi|nous)\b", re.IGNORECASE)


# "avoir lieu" says that something happens: "lieu" there is no place and no topic ("quand a eu lieu l'enquête").
LIGHT_VERB = re.compile(r"\b(?:a|ont|aura|auront|avait|avaient|aurait|avoir|a-t-(?:il|elle)|ont-(?:ils|elles)|"
                        r"va|vont)(?:\s+(?:-t-)?(?:il|elle|ils|elles))?\s+(?:eu\s+|avoir\s+)?lieu\b", re.IGNORECASE)


# The noun of "quel jour", "en quelle année", "à quelle date" names the kind of value asked, not the topic:
# the sentence giving the date ("menée du 6 décembre …") need not say "jour".
DATE_TYPE = re.compile(r"\b(quel(?:le)?s?)\s+(?:jours?|dates?|années?|mois|heures?|périodes?|époques?|siècles?)\b",
                       re.IGNORECASE)


# Likewise "combien de temps", "la durée", "a duré" ask for a duration: "temps" is no topic ("… manquent de temps").
DURATION_TYPE = re.compile(r"\b(combien|cb)\s+de\s+temps\b|\b(?:la |quelle )?durée\b|\b(?:a|ont|avait|avaient) duré\b",
                           re.IGNORECASE)


# Words that soften a question without naming its topic ("c'est quoi au juste ?").
HEDGE = re.compile(r"\b(?:au juste|du coup|en gros|en fait|en bref|en deux mots|grosso modo|donc|alors|au total|en tout|au final|"
                   r"finalement|en somme|en général|généralement|globalement|dans l['’]ensemble|d['’]habitude|"
                   r"en règle générale)\b", re.IGNORECASE)


# The asker saying what they do not know ("Je ne connais pas le RGAA, …", "on me parle de Musenor"): their
# state, not the topic, whose "connaître" would draw the reader to "… connaissent les normes".
UNKNOWN_TO_ASKER = re.compile(r"\b(?:je|j['’])\s*(?:ne\s+|n['’]\s*)?(?:connais|comprends|sais|connaissais)\s+(?:pas|mal|rien|guère)\b|"
                              r"\bon me parle(?:\s+\w+){0,3}?\s+(?=de\b|du\b|des\b|d['’])|"
                              r"\bj['’]ai (?:entendu|vu) parler\b|"
                              r"\bje (?:dé|de)couvre\s+(?:(?:le|la|les|l['’])\s*)?(?=(?-i:[A-ZÀ-Ý]))",  # "Je découvre Musenor :", a name
                              re.IGNORECASE)


def without_form_words(question: str) -> str:
    """The question without the words that shape it rather than name its topic, for weighing its terms:
    a light-verb phrase ("a eu lieu" → "a eu"), the noun of a date question ("quel jour" → "quel"), the
    verb of a definition question ("à quoi servait" → "") or of a tool question ("quel outil a été utilisé"
    → "quel outil"), hedges ("au juste") and the asker saying what they do not know ("je ne connais pas")."""
    question = LIGHT_VERB.sub(lambda m: m.group(0)[: m.group(0).lower().rfind("lieu")], question)
    if TOOL_Q.search(question):  # a tool asked: "quel outil a servi" → "quel outil"
        question = TOOL_VERB.sub(r"\g<tool>", question)
    question = UNKNOWN_TO_ASKER.sub(" ", HEDGE.sub(" ", DEFINITION.sub(" ", question)))
    return DURATION_TYPE.sub(lambda m: m.group(1) or " ", DATE_TYPE.sub(r"\1", question))


def asked(question: str) -> str:
    """The question without the clause that sets its scene ("Quand les équipes sont sensibilisées, …")."""
    scene = SCENE.match(question)
    return question[scene.end():] if scene else question


@dataclass(frozen=True)
class Asks:
    """The kind of value a question calls for."""

    figure: bool
    percent: bool
    money: bool
    date: bool
    person: bool
    address: bool
    listing: bool
    definition: bool
    negative: bool
    hours: bool = False
    human: bool = False  # a human being's name
    contact: bool = False  # an e-mail address or a phone number
    tool: bool = False  # the name of the tool something was done with
    named: bool = False  # the person asked for is named (a capital marks the answer)
    acronym: str | None = None  # the capitals of an acronym whose meaning is asked ("RGAA")
    future: bool = False  # a date still to come ("la prochaine …, c'est quand ?")
    average: bool = False  # a figure that is an average ("combien en moyenne ?")
    unit: str | None = None  # the unit of measure the figure is asked in ("combien de tonnes de CO2")
    defines: str | None = None  # the acronym a definition question is about ("WCAG" in "les WCAG, c'est quoi ?")
    words: frozenset[str] = field(default=frozenset(), repr=False)  # the question's own words: a name it gives is not an answer to "qui"

    @classmethod
    def of(cls, question: str) -> "Asks":
        whole = question
        question = asked(question)  # a clause setting the scene asks for nothing
        definition = bool(DEFINITION.search(question))
        figure = bool(QUANTITY.search(question) or ONLY.search(question)) and not definition and not REASON_Q.search(question)
        date = bool(DATE_Q.search(question))
        return cls(figure=figure, percent=bool(PERCENT_Q.search(question)),
                   money=bool(MONEY_Q.search(question)), date=date,
                   person=bool(PERSON_Q.search(question)) and not definition,
                   address=bool(ADDRESS_Q.search(question)), listing=bool(LISTING.search(question)),
                   definition=definition, negative=bool(NEGATIVE_Q.search(whole)),
                   hours=bool(HOURS_Q.search(question)) and not figure, tool=bool(TOOL_Q.search(question)),
                   contact=bool(CONTACT_Q.search(question)) and not figure,
                   human=bool(HUMAN_Q.search(whole)) and not figure,
                   named=bool(NAMED_Q.search(question)) and not definition, acronym=acronym_asked(whole),
                   future=date and bool(FUTURE_Q.search(whole)), average=figure and bool(AVERAGE.search(whole)),
                   unit=next((u for u, pattern in UNIT_Q.items() if pattern.search(question)), None),
                   defines=next(iter(CAPITALS_ACRONYM.findall(whole)), None) if definition else None,
                   words=frozenset(words(question)))

    @property
    def single_fact(self) -> bool:
        return (self.figure or self.date or self.money or self.person or self.address or self.hours
                or self.contact) and not self.listing


def acronym_asked(question: str) -> str | None:
    """The capitals of the acronym whose meaning the question asks ("PEPR" in "Que veut dire PEPR ?")."""
    if not ACRONYM_Q.search(question):
        return None
    found = [m.group(0) for m in ACRONYM.finditer(question) if sum(c.isupper() for c in m.group(0)) >= 2]
    return "".join(c for c in found[0] if c.isupper()) if found else None


def is_quantity_question(question: str) -> bool:
    """True for questions asking a figure ("combien", "quelle part", "quel pourcentage"...)."""
    return Asks.of(question).figure


# "Pourquoi … ne … pas (plus) …" and "qu'est-ce qui empêche …" ask what stands in the way: obstacles.
WHY_NOT = re.compile(r"^\W*(?:pourquoi|pk|pq|why)\b(?=.*\b(?:pas|plus|jamais|not)\b)|\bqu['’]est-ce qui (?:empêche|bloque|freine)\b",
                     re.IGNORECASE)


# "Qu'est-ce que Musenor compte faire maintenant que l'enquête est finie ?" asks what comes next: the plans
# and ways forward a document gives "pour la suite".
NEXT_STEPS = re.compile(r"\b(?:compte|comptent|prévoit|prévoient)\s+(?:de\s+)?faire\b|"
                        r"\b(?:prochaines?|futures?)\s+étapes?\b", re.IGNORECASE)


def with_implied_topic(question: str) -> str:
    """The question with the topic its form implies: a "why not" question asks for obstacles, a question on
    what comes next for the plans "pour la suite"."""
    if WHY_NOT.search(question) and "obstacle" not in question.lower():
        return f"{question} (obstacles)"
    if NEXT_STEPS.search(question) and not QUANTITY.search(question) \
            and not re.search(r"\bpistes?\b", question, re.IGNORECASE):  # "combien comptent faire …" asks a figure
        return f"{question} (suite, pistes)"
    return question


def search_query(question: str) -> str:
    """What retrieval looks for: the question, and for a "when" question the word "date", so that
    passages giving dates come up when its other words are everywhere ("l'enquête, elle a eu lieu
    quand ?"). Only retrieval reads it: a word the question does not say is never counted missing."""
    question = UNKNOWN_TO_ASKER.sub(" ", question).strip()  # "Je ne connais pas le RGAA, …" looks for the RGAA
    question = re.sub(KIND_ASKED, "c'est quoi", question, flags=re.IGNORECASE)  # "… quel type de structure": no structures
    return f"{question} (date)" if DATE_Q.search(asked(question)) and "date" not in question.lower() else question


COUNT_WORD, OF = r"\b(?:combien|cb|nombre|how many)\s+", r"(?:de\s+|d['’]\s*|des\s+)"
COUNTED = re.compile(rf"{COUNT_WORD}{OF}?([^\W\d_][\w-]*)", re.IGNORECASE)
COUNTED_NOUN = re.compile(rf"{COUNT_WORD}{OF}([^\W\d_][\w-]*)", re.IGNORECASE)  # "combien en …" names none


def counted_term(question: str) -> str | None:
    """The term a "combien de …" question counts ("combien de structures" → the term of "structures")."""
    match = COUNTED.search(question)
    found = tokenize(match.group(1)) if match else []
    return found[0] if found else None


def defined_term(question: str) -> str | None:
    """The term a definition question asks about: the first after "c'est quoi" ("c'est quoi exactement
    Musenor ?" → the term of "Musenor"), else the last before it ("Musenor, c'est quoi au juste ?"), a relative
    clause after it left out."""
    match = DEFINITION.search(question)
    if not match:
        return None
    after = tokenize(HEDGE.sub(" ", question[match.end():]))
    # A relative clause qualifies the term before it: "Les normes WCAG dont parle l'enquête, c'est quoi ?"
    head = re.sub(r"(?<=\w)\s+(?:dont|qui|que|qu['’]|où)\b.*$", "", question[:match.start()], flags=re.IGNORECASE)
    before = tokenize(HEDGE.sub(" ", head))
    return after[0] if after else (before[-1] if before else None)


def role_words(question: str) -> list[tuple[str, ...]]:
    """The roles a "qui est le … ?" or "qui préside … ?" question asks about, each as the words that
    name it (("président",), ("préside", "président", …))."""
    return [(m.group(1) or m.group(2),) for m in ROLE_Q.finditer(question)] + \
        [ROLE_FORMS[m.group(1).lower()] for m in ROLE_VERB.finditer(question)]


def in_english(question: str) -> bool:
    """Most of the question's words are English and not French, and words only French are rare among
    them ("Quel temps fera-t-il ce week-end ?" is French): its words cannot be matched against a French
    corpus word for word (the multilingual embedder still reads it)."""
    found = [w for w in words(question) if len(w) > 2 and w.isalpha()]
    english = [w for w in found if w in word_list("en") and w not in word_list("fr")]
    french = [w for w in found if w in word_list("fr") and w not in word_list("en")]
    return bool(found) and len(english) >= 0.5 * len(found) and 3 * len(french) <= len(english)
