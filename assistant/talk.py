"""Answers for talk preparation: the key figures of a theme, from the indicators table, and the messages
of a whole survey, from its conclusions.

A talk request ("pour une conférence sur la présence en ligne, quels chiffres citer ?") is answered with
2–4 indicator rows of one theme, each with its base and [n], conflicts flagged, then the best statement
of that theme's fiches; a request for the survey's messages with its conclusion section, in order.
Both read with the extractive answerer's reader (`answer.py`). The wording of a talk request is read here
too: what makes one, its topic without the words about the talk, a request for the survey's messages.
"""
from __future__ import annotations

import os
import re

from .answer import Evidence, ExtractiveAnswerer, citer, clean_sentence, short_claim, source_of, states_value
from .parts import split_parts
from .lexical import BM25Index
from .questions import ASKING, NAME, TALK_KINDS
from .reader import ABSENCE, PERCENT, Scored, core
from .refusal import name_rarity
from .records import Answer
from .retrieval import Hit, HybridSearch

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
                  r"bullet[- ]?points?)\b",
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
WHOLE_SURVEY = re.compile(r"\b(?:de|sur) (?:l['’]|cette )(?:enquête|étude)\b|\b(?:de|sur) ce (?:questionnaire|sondage)\b",
                          re.IGNORECASE)
OTHER_SUBJECT = re.compile(r"\bsur (?!(?:l['’]|cette )(?:enquête|étude)|le numérique\b|(?:les )?(?:usages|pratiques) numériques\b)"
                           r"(?:la |le |les |l['’]|leurs? |ses? )?\w", re.IGNORECASE)
# Examples asked for ("des exemples", "des noms", "des initiatives exemplaires"): places and actions, which
# a question answers; a theme's figures do not.
EXAMPLES = re.compile(r"\b(?:exemples?|noms|initiatives exemplaires|cas concrets?)\b", re.IGNORECASE)
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
                         rf"je prépare|préparer|je présente|présenter|pour|{TALK_KINDS}|une|un|mon|ma|mes|notre|nos|nous|"
                         r"présentation|forts?|marquants|parlants|mettre|(?:deux|trois|quatre|\d+) ou (?:trois|quatre|cinq|\d+)|deux|trois|quatre|cinq|"
                         r"quels?|quelles?|sont|les|chiffres?|clés?|"
                         r"citer|donner|retenir|mettre en avant|constats?|messages?|grands|principaux|parler|dire|dis|quoi|je dois|retiens|je|"
                         r"demain|aujourd['’]hui|bientôt|prochainement|(?:la |cette )?semaine prochaine|(?:le )?mois prochain|"
                         r"tu peux|peux-tu|pourrais-tu|vous pouvez|pouvez-vous|s['’]il (?:te|vous) pla[îi]t|me|moi|"
                         r"(?:en |une |la )?réunion(?: de [\w-]+| d['’][\w-]+)?|(?:une |la )?journées? d['’]études?|"
                         r"(?:en|j['’]ai|on a|nous avons|pendant|durant) (?:\d+|deux|trois|quatre|cinq|dix|quinze|quelques) minutes|"
                         r"tu (?:me |nous )?donnes?|essentiel|bullet[- ]?points?|(?:chiffres )?à l['’]appui|"
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


def origins(row: Hit) -> list[str]:
    """The documents an indicator row cites (its `origin` column, ";"-separated)."""
    return [o.strip() for o in str(row.chunk.metadata.get("origin", "")).split(";") if o.strip()]


def theme_rows(search: HybridSearch, topic: str, indicator_count: int, k: int = 6,
               figures_asked: bool = True) -> list[Hit]:
    """Indicator rows for a talk on `topic`, best first: those of the theme on which the rows' own
    ranking and the ranking of the fiches they cite or that declare the theme (a fiche's prose tells its
    theme better than a row's short claim; the rows' `source` column names their fiches, a fiche's
    `theme` front matter its themes) agree best — the smallest sum
    of the theme's best row rank and best fiche rank (then rows of other themes when it has only one);
    without a cited fiche, the rows closest to the topic. Empty when no figures are asked for and the
    passage closest to the topic is a fiche no row cites and that declares no theme: the topic is one the
    table gives no figure for ("les obstacles au numérique : de quoi parler ?"), and its messages answer
    the talk (`engine.Engine._answer`)."""
    vector = search.embed_query(topic)
    rows = search.search(topic, k=indicator_count, kinds=["indicator"], query_vector=vector)
    hits = search.search(topic, k=10, query_vector=vector)
    cited_anywhere = {origin for row in rows for origin in origins(row)}
    closest = hits[0].chunk if hits else None
    if not figures_asked and rows and closest is not None and closest.kind != "indicator" \
            and closest.source not in cited_anywhere and not closest.metadata.get("theme"):
        return []
    fiche_rank: dict[str, int] = {}
    declared: dict[str, int] = {}  # theme -> best rank of a fiche declaring it (a resource fiche no row cites)
    for rank, hit in enumerate(hits):
        fiche_rank.setdefault(hit.chunk.source, rank)
        if hit.chunk.kind != "indicator":
            for theme in str(hit.chunk.metadata.get("theme", "")).split(";"):
                if theme.strip():
                    declared.setdefault(theme.strip(), rank)
    best: dict[str, tuple[int, int]] = {}  # theme -> (best row rank, best fiche rank)
    for rank, row in enumerate(rows):
        theme = str(row.chunk.metadata.get("theme", ""))
        cited = [fiche_rank[origin] for origin in origins(row) if origin in fiche_rank]
        row_best, fiche_best = best.get(theme, (rank, declared.get(theme, len(hits))))
        best[theme] = (min(row_best, rank), min([fiche_best, *cited]))
    if not best or all(f == len(hits) for _, f in best.values()):
        return rows[:k]
    theme = min(best, key=lambda t: (sum(best[t]), best[t][1]))
    chosen = [r for r in rows if str(r.chunk.metadata.get("theme", "")) == theme]
    return (chosen if len(chosen) >= 2 else chosen + [r for r in rows if r.position != chosen[0].position])[:k]


def findings(reader: ExtractiveAnswerer, question: str, query: str, evidence: Evidence) -> Answer | None:
    """The messages of a whole survey: the statements of the section that best answers `query`
    (its conclusions), in their own order, as many as the answer holds; None when there are none."""
    statements = [s for s in reader.score(query, evidence) if s.hit.chunk.kind != "indicator"
                  and not ABSENCE.search(core(s.text))]
    if not statements:
        return None
    section = (statements[0].hit.chunk.source, statements[0].hit.chunk.section)
    ordered = sorted((s for s in statements if (s.hit.chunk.source, s.hit.chunk.section) == section),
                     key=lambda s: (s.hit.position, s.order))
    # An opening all the statements share ("Selon la conclusion de l'enquête, …") is said once.
    texts = [clean_sentence(s.text) for s in ordered]
    opening = os.path.commonprefix(texts) if len(texts) > 1 else ""
    opening = opening[:opening.rfind(", ") + 2] if ", " in opening else ""
    lines = [t[len(opening):] for t in texts]
    head = f"À retenir ({opening[:1].lower()}{opening[1:].rstrip(', ')}) :" if opening else "À retenir :"
    # Messages before figures (a talk's figures come from the indicators table): statements without
    # a proportion are kept first, then the others while there is room; all said in their own order.
    room = (evidence.max_chars or reader.settings.max_answer_total_chars) - len(head)
    kept: set[int] = set()
    for i in sorted(range(len(lines)), key=lambda i: bool(PERCENT.search(lines[i]))):
        if len(lines[i]) + 6 <= room:
            kept.add(i)
            room -= len(lines[i]) + 6
    cite, sources = citer()
    text = head + "".join(f" {lines[i][:1].upper()}{lines[i][1:]} [{cite(ordered[i].hit)}]" for i in sorted(kept))
    return Answer(question=question, answered=True, text=text, sources=sources)

def key_figures(reader: ExtractiveAnswerer, question: str, figures: list[Hit], evidence: Evidence) -> Answer:
    """2–4 key figures of a theme (indicator rows, at least one: `engine.Engine._answer` asks the topic
    itself when there are none), each cited, bases said once, conflicts flagged; then the best statement of
    the fiches on that theme as a key message."""
    theme = figures[0].chunk.metadata.get("theme")
    chosen = [h for h in figures if h.chunk.metadata.get("theme") == theme][:4]
    if len(chosen) < 2:
        chosen = figures[:2]
    cite, sources = citer()
    lines: list[str] = []
    bases: list[str] = []
    shown: set[str] = set()
    unexplained = False  # a disputed row shown without the figure the other source gives
    limit = evidence.max_chars or reader.settings.max_answer_total_chars  # a part of a longer answer has less
    budget = limit - 20
    least = 1 if evidence.max_chars else 2  # figures said even past the budget
    messages = wants_messages(question)  # messages asked: up to three statements, and fewer figures unless asked for
    examples = bool(EXAMPLES.search(question))  # examples asked beside the figures: room for them
    for hit in chosen[:2 if examples or (messages and not asks_figures(question)) else 4]:
        if hit.chunk.chunk_id in shown:
            continue  # said beside the row it disputes
        others = [o for o in reader.conflicts([hit], evidence) if o.chunk.chunk_id not in shown]
        line = short_claim(hit.chunk.metadata.get("short_claim") or hit.chunk.text)
        base = str(hit.chunk.metadata.get("base") or "")
        more = [base] if base and base not in bases else []
        said = " ; ".join(lines + [line + "".join(f" ({other_source(o)} [00])" for o in others)])
        if len(lines) >= least and len("Chiffres clés : " + said + " Base : " + said_bases(bases + more)) + 8 > budget:
            break
        line = f"{line} [{cite(hit)}]" + "".join(f" ({other_source(o)} [{cite(o)}])" for o in others)
        shown |= {hit.chunk.chunk_id, *(o.chunk.chunk_id for o in others)}
        unexplained |= bool(hit.chunk.metadata.get("conflict_group")) and not others
        lines.append(line)
        bases += more
    text = "Chiffres clés : " + " ; ".join(lines) + "."
    if bases:
        text += " Base : " + said_bases(bases) + "."
    if unexplained:
        text += " Attention, certaines sources divergent sur ces chiffres."
    # Statements on the talk's theme: the words about the talk ("messages clés") are no topic; the
    # fiches the chosen rows cite come first (they are the theme's prose).
    fiches = {origin for h in chosen for origin in origins(h)}
    statements = [s for s in reader.score(talk_topic(question), evidence) if s.hit.chunk.kind != "indicator"
                  and not ABSENCE.search(core(s.text))  # what the corpus does not say is no message
                  and not _repeats_figures(s.text, text)]
    if not messages and not examples:  # a survey's messages and examples cut across themes; a theme's figures do not
        statements.sort(key=lambda s: s.hit.chunk.source not in fiches)  # stable: the reader's order otherwise
    if examples:  # an example is an instance: statements naming one come first, in the reader's order
        statements.sort(key=lambda s: not names_instance(s.text, evidence.bm25, reader.settings.name_rarest_idf))
    kept: list[Scored] = []
    for statement in statements[:3 if messages else 2 if examples else 1]:
        if kept and statement.probability < reader.settings.reader_runner_up * kept[0].probability:
            break  # the reader's own threshold for a further sentence
        said = " ".join(clean_sentence(s.text) for s in kept + [statement])
        if len(text) + len(said) + 25 + 5 * len(kept) > limit:
            break
        kept.append(statement)
    if kept:
        text += " À retenir : " + " ".join(f"{clean_sentence(s.text)} [{cite(s.hit)}]" for s in kept)
    return Answer(question=question, answered=True, text=text, sources=sources)


def names_instance(sentence: str, bm25: BM25Index, rarest_idf: float) -> bool:
    """The sentence names a place or body (a capitalised name after its first word) as rare in the collection
    as a name that restricts a question (`refusal.names_elsewhere`'s fitted threshold): "Au LaM, …", "À
    Saint-Omer, …", not "Selon l'enquête Musenor, …", whose name is the collection's own subject."""
    return any(name_rarity(name, bm25) >= rarest_idf for name in NAME.findall(core(sentence)))


UNSTATED = re.compile(r"^(?P<head>.*?)\s*\((?P<note>[^()]*non précisée?s?[^()]*)\)$")


def said_bases(bases: list[str]) -> str:
    """The bases of several figures, said once: those the survey does not state exactly ("répondants à
    l'enquête (61 personnes de 53 structures ; base exacte de la question non précisée)", "musées répondants
    (base exacte non précisée : 61 répondants, 53 structures)") share one note with the first count given."""
    unstated = [m for m in map(UNSTATED.match, bases) if m]
    if len(unstated) < 2:
        return " ; ".join(bases)
    counts = [part.strip() for m in unstated for part in re.split(r"[;:]", m.group("note"))
              if re.search(r"\d", part) and "non précisé" not in part]
    note = "bases exactes non précisées" + (f" ; {counts[0]}" if counts else "")
    heads = [m.group("head") for m in unstated]
    return " ; ".join([b for b in bases if not UNSTATED.match(b)] + [f"{' ; '.join(heads)} ({note})"])


def other_source(row: Hit) -> str:
    """A disputed figure as the other source gives it, said beside the row it disputes: "autre source :
    selon la conclusion, près d'un tiers (1/3)" — where it comes from (the qualifier in parentheses that
    ends its label, else its section) and its value."""
    label, _, value = short_claim(row.chunk.metadata.get("short_claim") or row.chunk.text).rpartition(" : ")
    qualifier = re.search(r"\(([^()]*)\)\s*$", label)
    where = qualifier.group(1) if qualifier else f"« {row.chunk.section} »"
    said = re.sub(r"\bde (?=[aeiouyhéèê])", "d'", f"{where} {value}" if where.endswith(" de") else f"{where}, {value}")
    return f"autre source : {said}"


def _repeats_figures(sentence: str, said: str) -> bool:
    """The sentence's percentages are all already in `said` (and it has some)."""
    values = re.findall(r"\d+(?:,\d+)?\s?%", sentence)
    return bool(values) and all(v in said for v in values)


FOR_TALK = "Pour votre intervention, chiffres clés du thème : "


def with_key_figures(answer: Answer, figures: list[Hit], limit: int, most: int = 2) -> Answer:
    """A question asked for a talk ("Pour ma slide : quelles priorités …?"), answered, with up to `most`
    key figures of its theme added (indicator rows not already cited, not stating a value the answer
    gives and not disputed by another source), each with its base and [n], while the whole stays within
    `limit` characters."""
    if not answer.answered or not figures:
        return answer
    theme = figures[0].chunk.metadata.get("theme")
    cited = {s.chunk_id for s in answer.sources}
    lines: list[str] = []
    sources = list(answer.sources)
    for hit in figures:
        meta = hit.chunk.metadata
        if len(lines) >= most:
            break
        if meta.get("theme") != theme or hit.chunk.chunk_id in cited or meta.get("conflict_group"):
            continue  # a disputed figure needs its counterpart and a warning: the talk answer proper gives them
        if states_value(meta, answer.text):
            continue  # the answer already gives this figure
        base = str(meta.get("base") or "")
        line = short_claim(meta.get("short_claim") or hit.chunk.text) + (f" (base : {base})" if base else "")
        line = f"{line} [{len(sources) + 1}]"
        if len(answer.text) + len(FOR_TALK) + sum(len(x) + 3 for x in lines + [line]) + 1 > limit:
            break
        lines.append(line)
        sources.append(source_of(len(sources) + 1, hit.chunk, hit.score))
    if not lines:
        return answer
    answer.text = f"{answer.text} {FOR_TALK}{' ; '.join(lines)}."
    answer.sources = sources
    return answer
