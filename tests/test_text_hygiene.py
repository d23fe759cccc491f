"""Text hygiene at ingestion (issue 7 item 5, issue 9 items 4, 5, 11): fixtures are generated here."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import docx
import pytest

from assistant import loaders
from assistant.config import Settings
from assistant.errors import DocumentError
from assistant.feedback import FeedbackStore
from assistant.loaders import load_document
from assistant.textclean import join_pdf_lines, strip_controls, strip_markup
from tests.conftest import run_cli
from tests.test_loaders import make_pdf, rewrite_zip


@pytest.fixture(scope="module", autouse=True)
def _stop_worker_at_end():
    yield
    loaders.shutdown_worker()


def _write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


# ----------------------------------------------------------------------------- PDF line wraps

WRAPPED = ("Les ateliers du musée de Gravelines ont lieu chaque mercredi après-midi dans la salle des\n"
           "fêtes de la mairie, avec une médiatrice spécialisée dans l'accompagnement numé-\n"
           "rique des familles et des bénévoles du quartier. Il faut peut-\n"
           "être réserver par téléphone auprès de l'accueil du musée.\n"
           "Horaires\n"
           "• le mercredi de 14 h à 17 h\n"
           "• le samedi de 10 h à 12 h")


def test_pdf_lines_and_hyphens_are_joined_before_chunking(tmp_path):
    doc = load_document(_write(tmp_path, "ateliers.pdf", make_pdf([WRAPPED])), Settings())
    text = doc.passages[0].text
    assert "dans la salle des fêtes de la mairie" in text
    assert "l'accompagnement numérique des familles" in text  # a typesetting hyphen is dropped
    assert "Il faut peut-être réserver" in text  # a compound keeps its hyphen
    assert "\nHoraires\n• le mercredi de 14 h à 17 h\n• le samedi" in text  # headings and list items stay lines


def test_an_uploaded_pdf_answers_with_the_whole_sentence(tmp_path, tiny_corpus):
    pdf = _write(tmp_path, "ateliers.pdf", make_pdf([WRAPPED]))
    env = {"MUSENOR_INDEX_DIR": str(tmp_path / "idx"), "MUSENOR_CORPUS_DIR": str(tiny_corpus),
           "MUSENOR_EMBEDDER": "hash"}
    assert run_cli("index", "--add", str(pdf), env=env).returncode == 0
    result = run_cli("ask", "--json", "Où ont lieu les ateliers du musée de Gravelines le mercredi ?", env=env)
    answer = json.loads(result.stdout)["answer"]
    assert "salle des fêtes de la mairie" in answer and "salle des." not in answer


def test_join_keeps_paragraph_ends_fitted_from_the_page():
    page = ("Introduction\n"
            "Le réseau réunit quarante musées qui partagent leurs outils et leurs\n"
            "pratiques numériques depuis plusieurs années déjà, dans toute la\n"
            "région.\n"
            "Les Hauts-de-\n"
            "France financent une partie des projets.")
    assert join_pdf_lines([page])[0] == (
        "Introduction\n"
        "Le réseau réunit quarante musées qui partagent leurs outils et leurs pratiques numériques depuis "
        "plusieurs années déjà, dans toute la région.\n"
        "Les Hauts-de-France financent une partie des projets.")


# ----------------------------------------------------------------------------- titles and control characters

def test_markup_is_stripped_from_titles(tmp_path):
    md = load_document(_write(tmp_path, "article.md", "# <i>Le Petit Prince</i> et **Saint-Exupéry**\n\nTexte."),
                       Settings())
    assert md.title == "Le Petit Prince et Saint-Exupéry"
    page = "<html><head><title>Le &lt;b&gt;musée&lt;/b&gt; &amp; ses jardins</title></head><body><p>" \
           "Le musée ouvre ses jardins aux visiteurs chaque été, du mardi au dimanche.</p></body></html>"
    assert load_document(_write(tmp_path, "page.html", page), Settings()).title == "Le musée & ses jardins"
    assert strip_markup('[Le site](https://exemple.fr) <a href="x">lien</a>') == "Le site lien"


def test_control_characters_are_stripped_from_text_titles_and_names(tmp_path):
    text = "---\ntitle: \"Titre\\e[31m rouge\\a\"\n---\nLigne\x1b]0;titre\x07 un\x9b2J.\r\nLigne\tdeux."
    doc = load_document(_write(tmp_path, "fi\x1bche.md", text), Settings())
    assert doc.title == "Titre[31m rouge" and doc.source == "fiche.md"
    assert doc.passages[0].text == "Ligne]0;titre un2J.\nLigne\tdeux."
    assert strip_controls("a\x00b\x7fc\u202ed\ud800") == "abcd\ufffd"


# ----------------------------------------------------------------------------- DOCX and HTML corners

def _docx_bytes(title_style: bool = True) -> bytes:
    document = docx.Document()
    if title_style:
        document.add_paragraph("Bilan de la médiation", style="Title")
    document.add_paragraph("Le musée a accueilli 300 classes pendant l'année scolaire.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_without_core_properties_is_not_titled_word_document(tmp_path):
    def drop_core(name, data):
        if name == "docProps/core.xml":
            return None
        if name in ("_rels/.rels", "[Content_Types].xml"):  # the references to it go too
            return re.sub(rb"<(Relationship|Override)[^>]*docProps/core\.xml\"[^>]*/>", b"", data)
        return data

    doc = load_document(_write(tmp_path, "bilan.docx", rewrite_zip(_docx_bytes(), drop_core)), Settings())
    assert doc.title == "Bilan de la médiation"
    plain = load_document(_write(tmp_path, "notes-2024.docx", rewrite_zip(_docx_bytes(False), drop_core)),
                          Settings())
    assert plain.title == "notes-2024"


def test_docx_with_a_doctype_in_a_part_not_named_xml_is_refused(tmp_path):
    evil = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><r>&e;</r>'

    def add_part(name, data):
        if name == "[Content_Types].xml":
            return data.replace(b"</Types>", b'<Override PartName="/word/extra.bin" '
                                             b'ContentType="application/xml"/></Types>')
        return data

    data = rewrite_zip(_docx_bytes(), add_part)
    with io.BytesIO(data) as buffer:
        import zipfile

        with zipfile.ZipFile(buffer, "a") as archive:
            archive.writestr("word/extra.bin", evil)
        data = buffer.getvalue()
    with pytest.raises(DocumentError, match="DOCTYPE"):
        load_document(_write(tmp_path, "piege.docx", data), Settings())


def test_deeply_nested_html_is_read_not_reported_empty(tmp_path):
    depth = 5000
    page = "<html><body>" + "<div>" * depth + "<p>Le musée de Douai ouvre un laboratoire numérique en 2025.</p>" \
           + "</div>" * depth + "</body></html>"
    doc = load_document(_write(tmp_path, "profond.html", page), Settings())
    assert "Le musée de Douai ouvre un laboratoire numérique en 2025." in doc.passages[0].text


# ----------------------------------------------------------------------------- feedback CSV export

def test_feedback_csv_escapes_formula_cells(tmp_path):
    store = FeedbackStore(tmp_path / "avis.sqlite3")
    store.add("=HYPERLINK(\"http://exemple.invalid\",\"clic\")", "+33 % des musées", rating=1,
              comment="@SUM(A1:A9)", session="-2+3")
    store.add("\tquestion avec tabulation", "\rréponse", rating=0, comment="Très utile")
    rows = list(csv.reader(io.StringIO(store.to_csv())))
    cells = [cell for row in rows[1:] for cell in row]
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert rows[1][4] == "'=HYPERLINK(\"http://exemple.invalid\",\"clic\")"
    assert rows[1][5] == "'+33 % des musées" and rows[1][8] == "'@SUM(A1:A9)" and rows[1][3] == "'-2+3"
    assert rows[2][4] == "'\tquestion avec tabulation" and rows[2][8] == "Très utile"
