"""What makes a question a talk-preparation request and what it is about: the wording of "pour une conférence
sur …, quels chiffres citer ?", "les constats à retenir sur …", its topic without the words about the talk,
and the things that topic names. `talk` answers such requests.
"""
from __future__ import annotations

import re

from .lexical import tokenize
from .parts import split_parts
from .questions import ASKING, TALK_KINDS

# The words opening a talk ("un mot d'accueil"): a talk is asked for, and they are no part of its topic.
WELCOME = r"(?:mot|discours) d['’](?:accueil|introduction|ouverture)"
# Talk preparation: "pour une conférence sur …, quels chiffres citer ?", "les constats à retenir sur …"; a
# request for the figures (plural) of a theme gets the same key figures.
TALK = re.compile(rf"\b({TALK_KINDS}|présentation (?:sur|à|au|aux|devant)|pour (?:une|1) présentation|"
                  r"journée d['’]études?|prise de parole|je présente|(?:je dois|je vais|on doit|nous devons|nous allons) présenter|(?:chiffres?|stats?|statistiques|données) (?:clés|forts|marquants|parlants)|"
                  r"(?:constats?|messages?) (?:à )?retenir|(?:messages?|constats?|enseignements?) (?:clés|forts|essentiels|importants|majeurs|principaux)|"
                  r"(?:grands|principaux) (?:messages|constats|enseignements)|(?:ma|notre) présentation|"
                  r"quels (?:sont les )?chiffres|de quoi parler|quoi dire|que dire|"
                  r"je dis quoi|qu['’]est-ce que (?:je|j['’]|on|nous) (?:(?:dois|doit|devons|peux|peut|pourrais|pourrait|vais|va) "
                  r"(?:dire|raconter|mettre en avant|retenir)|retiens|retient|retenons)|que (?:dois|puis)-je dire|que retenir|"
                  r"minutes pour parler|(?:pendant|durant|en) (?:\d+|deux|trois|quatre|cinq|dix|quinze|quelques) minutes|"
                  r"bullet[- ]?points?|phrases? (?:chiffrées|à dire|d['’]accroche|de conclusion|de clôture|d['’]introduction)|"
                  rf"{WELCOME}|(?:je dois|je vais|on doit|nous devons|nous allons) intervenir|(?:prépare|rédige|écris)[- ](?:moi|nous))\b",
                  re.IGNORECASE)
# A talk's setting with a question of its own ("Je clôture un séminaire : quelles pistes pour la suite ?")
# asks that question; a talk request asks what to say or show (figures, messages, points…).
TALK_ASKS = re.compile(r"\b(?:citer|dire|dis|retenir|mettre en avant|parler|présenter|montrer|chiffres?|données|"
                       r"mets|mettrais|mettre(?! en (?:place|œuvre|oeuvre|ligne))|"  # "qu'est-ce que je mets ?"
                       r"stats?|statistiques|messages?|constats?|idées?|points?|éléments?|arguments?|infos?|"
                       r"informations?|pourcentages)\b|(?:les|des) %", re.IGNORECASE)
# "… , j'aimerais le mettre sur ma diapo": the pronoun stands for the answer to the question asked, so the
# verb asks for nothing more to show.
ANSWER_PRONOUN_VERB = re.compile(r"\b(?:le|la|les|l['’])\s*(?:citer|dire|retenir|présenter|montrer|mettre|mets|mettrais|utiliser)\b",
                                 re.IGNORECASE)
# What to say "about that": the question asked just before.
BACK_REFERENCE = re.compile(r"(?:\?|\.)\s*[^?.]*\b(?:là-dessus|là dessus|à ce sujet|sur ce (?:point|sujet)|sur (?:ça|cela))\b",
                            re.IGNORECASE)
MESSAGES = re.compile(r"\b(?:messages?|constats?|enseignements?|conclusions?|bilan|ressort(?:-il)?|se dégage|retenir|résum\w*|quoi dire|que dire|je dis quoi|idées? (?:forces?|clés))\b",
                      re.IGNORECASE)
# A request for the messages of the survey as a whole ("les grands messages de l'enquête"), not of a theme
# ("… sur la stratégie numérique"): the survey is named and no other subject follows "sur".
# The survey may also be what is summed up or presented ("si je résume l'enquête", "présenter l'enquête").
WHOLE_SURVEY = re.compile(r"\b(?:de|sur|résum\w*|présent\w*) (?:l['’]|cette )(?:enquête|étude)\b"
                          r"|\b(?:de|sur|résum\w*|présent\w*) ce (?:questionnaire|sondage)\b", re.IGNORECASE)
OTHER_SUBJECT = re.compile(r"\bsur (?!(?:l['’]|cette )(?:enquête|étude)|le numérique\b|(?:les )?(?:usages|pratiques) numériques\b)"
                           r"(?:la |le |les |l['’]|leurs? |ses? )?\w", re.IGNORECASE)
# Examples asked for ("des exemples", "des noms", "des initiatives exemplaires"): places and actions, which
# a question answers; a theme's figures do not.
EXAMPLES = re.compile(r"\b(?:exemples?|noms|liste|initiatives exemplaires|cas concrets?)\b", re.IGNORECASE)
# "quel(le)s [sont les] [quatre] <nom>": the thing a question asks for. A talk request asks for what to say
# or show; a question naming something else ("quelles pistes d'action", "les quatre mots d'ordre") asks for it.
WHICH_THING = re.compile(r"\bquel(?:le)?s?\s+(?:(?:sont|est|seraient|serait)\s+)?(?:les\s+|la\s+|le\s+|l['’])?"
                         r"(?:(?:deux|trois|quatre|cinq|\d+|ou|et|principa\w+|grand\w*|premi\w+)\s+)*([\w-]+)", re.IGNORECASE)
TALK_THINGS = re.compile(r"(?:chiffres?|stats?|statistiques|données?|messages?|constats?|idées?|points?|éléments?|"
                         r"arguments?|infos?|informations?|enseignements?|exemples?|résultats?|faits?|tendances?|"
                         r"pourcentages?|indicateurs?|sujets?|thèmes?|aspects?|angles?|choses?|conclusions?|"
                         r"leçons?|retenir|citer|dire|mettre|utiliser|choisir|montrer|présenter)", re.IGNORECASE)


def asks_a_thing(question: str) -> bool:
    """The request asks "quel(le)s …" of something other than what to say or show (figures, messages,
    points…): a question of its own, put for a talk."""
    first = split_parts(question)[0]  # "qu'est-ce qui ressort …, et quel rôle pour les réseaux ?" asks the messages first
    return any(not TALK_THINGS.fullmatch(m.group(1)) for m in WHICH_THING.finditer(first))


FIGURE_WORDS = re.compile(r"\b(?:chiffres?|chiffrée?s?|stats?|statistiques|pourcentages?|données|nombres?|combien|taux|proportions?)\b", re.IGNORECASE)
# Words about the talk itself; never inside a compound name ("Pas-de-Calais" keeps its "de").
TALK_FILLER = re.compile(rf"(?<![\w-])("
                         # the speaker's need, not the topic ("il me faut", "j'aurais besoin de", "je voudrais")
                         r"(?<!['’])il (?:me |nous )?(?:faut|faudrait)|(?:j['’]ai|j['’]aurais|nous avons|nous aurions|on a|on aurait) besoin(?: d['’]| de)?|"
                         r"je voudrais|je veux|j['’]aimerais|nous voudrions|nous aimerions|on voudrait|"
                         # the survey's whole population, never one theme of it ("les musées des Hauts-de-France")
                         r"(?:des |en |dans les )?hauts-de-france|(?:des |en )?hdf|"
                         # the channel a post goes to ("un post LinkedIn"), no topic
                         r"posts? (?:sur |pour )?(?:linkedin|instagram|facebook|twitter|bluesky|mastodon)|"
                         rf"je prépare|préparer|(?:prépare|rédige|écris)(?:[- ](?:moi|nous))?|phrases?(?: chiffrées)?|je présente|présenter|pour|{TALK_KINDS}|une|un|mon|ma|mes|notre|nos|nous|"
                         r"présentation|forts?|marquants|parlants|mettre|(?:deux|trois|quatre|\d+) ou (?:trois|quatre|cinq|\d+)|deux|trois|quatre|cinq|"
                         r"quels?|quelles?|sont|les|chiffres?|clés?|"
                         r"citer|donner|retenir|mettre en avant|constats?|messages?|grands|principaux|parler|dire|dis|quoi|je dois|retiens|je|"
                         r"demain|aujourd['’]hui|bientôt|prochainement|(?:la |cette )?semaine prochaine|(?:le )?mois prochain|"
                         r"tu peux|peux-tu|pourrais-tu|vous pouvez|pouvez-vous|s['’]il (?:te|vous) pla[îi]t|me|moi|"
                         r"(?:en |une |la )?réunion(?: de [\w-]+| d['’][\w-]+)?|(?:une |la )?journées? d['’]études?|"
                         r"(?:en|j['’]ai|on a|nous avons|pendant|durant) (?:\d+|deux|trois|quatre|cinq|dix|quinze|quelques) minutes|"
                         rf"tu (?:me |nous )?donnes?|essentiel|bullet[- ]?points?|{WELCOME}|(?:d['’])?accroche|percutante?s?|"
                         r"(?:chiffres )?à l['’]appui|"
                         r"à|sur|de|des|du|la|le)(?![\w-])|"
                         # where in the talk ("pour ouvrir mon intervention", "en ouverture de journée"): no topic
                         rf"(?<![\w-])(?:(?:pour|en)\s+)?(?:ouvrir|ouverture|introduire|introduction|lancer|clôturer|clôture|conclure|conclusion)"
                         rf"\s+(?:de\s+|d['’]|du\s+)?(?:ma\s+|mon\s+|la\s+|le\s+|l['’]|notre\s+|cette\s+|une\s+|un\s+)?"
                         rf"(?:{TALK_KINDS}|journée d['’]études?|journée|séance|rencontre|réunion|présentation)(?![\w-])|"
                         r"(?<![\w-])l['’]",
                         re.IGNORECASE)


# A question first, then where its answer will go ("… ? Je veux illustrer ça dans la lettre d'info.").
QUESTION_THEN_CONTEXT = re.compile(r"^(?P<question>[^?]+\?)\s*(?P<context>[^?]+?)[.!\s]*$")


def question_before_context(question: str) -> str:
    """The question alone when it comes first and a sentence about the talk it is for follows ("Comment les
    équipes se forment-elles ? Je veux illustrer ça dans la lettre d'info."), asking nothing and naming no
    figures or messages in the question itself, nor figures in the sentence after it; else the question as
    it is."""
    match = QUESTION_THEN_CONTEXT.match(question.strip())
    if not match or not TALK.search(match.group("context")) or TALK.search(match.group("question")) \
            or TALK_ASKS.search(match.group("question")) or FIGURE_WORDS.search(match.group("context")):
        return question  # "… ? J'ai besoin des chiffres pour mon intervention." asks the figures of its theme
    return match.group("question")


def is_talk_request(question: str) -> bool:
    """A request for figures or messages to use in a talk, rather than one fact: a talk's setting
    followed by a question of its own that asks for nothing to say or show asks that question, and so
    does a question followed by the talk it is for (`question_before_context`)."""
    if asks_a_thing(question):
        return False  # "Quelles pistes d'action …, à présenter en fin de conférence ?" asks for the pistes
    if wants_survey_findings(question):  # "les grands messages de l'enquête ?" needs no talk named
        return True
    if not TALK.search(question) or question_before_context(question) != question:
        return False
    if asks_examples(question):
        return False  # "des exemples de musées engagés, à citer dans mon intervention ?" asks for the examples
    if BACK_REFERENCE.search(question) and ASKING.search(BACK_REFERENCE.split(question)[0]):
        return False  # "… est-ce que la taille joue ? Qu'est-ce que je peux dire là-dessus ?" asks that question
    return not ASKING.search(question) or bool(TALK_ASKS.search(ANSWER_PRONOUN_VERB.sub(" ", question)))


def asks_examples(question: str) -> bool:
    """Examples asked for, without figures ("des exemples de musées engagés, à citer dans mon intervention ?"):
    places and actions, which a question answers, not a theme's figures."""
    return bool(EXAMPLES.search(question)) and not asks_figures(question)


def examples_for_talk(question: str) -> str | None:
    """The topic of examples asked for a talk ("Je fais un post LinkedIn sur les initiatives écolo des musées,
    tu me donnes quelques exemples ?"), without the words about the talk, which are no topic and which the
    passages never hold; None for any other question."""
    return talk_topic(question) if TALK.search(question) and asks_examples(question) else None


def wants_messages(question: str) -> bool:
    """A talk request asking what to say (messages, findings, a summary) more than figures."""
    return bool(MESSAGES.search(question))


def wants_survey_findings(question: str) -> bool:
    """A talk request for the messages of the survey as a whole, which its conclusions give."""
    return (wants_messages(question) and bool(WHOLE_SURVEY.search(question)) and not OTHER_SUBJECT.search(question)
            and not asks_figures(question))


def asks_figures(question: str) -> bool:
    """The request names figures ("quels chiffres", "les stats clés"), not only what to say."""
    return bool(FIGURE_WORDS.search(question))


def talk_topic(question: str) -> str:
    """The theme of a talk request, without the words about the talk itself."""
    topic = TALK_FILLER.sub(" ", question.rstrip("?"))
    topic = re.sub(r"[,;:?!.]", " ", topic)  # "… t'as les chiffres ? c'est pour demain": no stops inside a topic
    return re.sub(r"\s+", " ", topic).strip() or question


# A talk topic naming several things ("l'outil et les dates", "la dépendance aux prestataires et la
# fréquentation des sites") asks for each of them.
TOPIC_AND = re.compile(r"\s+(?:et|ainsi que|and)\s+", re.IGNORECASE)


def topic_parts(topic: str) -> list[str]:
    """The things a talk topic names, each with words of its own ("méthode enquête outil et dates" →
    ["méthode enquête outil", "dates"]), not the kind of thing to say ("exemple concret et chiffré …");
    the topic alone when it names one."""
    parts = [p for p in TOPIC_AND.split(topic) if tokenize(p)
             and not TALK_THINGS.match(p)]  # "exemple concret et chiffré …": what to say, not a thing
    return parts if len(parts) > 1 else [topic]
