"""Tests of the loaders: every fixture file is generated here, in tmp_path."""
from __future__ import annotations

import io
import subprocess
import sys
import zipfile
import zlib
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader, PdfWriter

from assistant import loaders, parsers
from assistant.config import Settings
from assistant.errors import DocumentError
from assistant.loaders import SUPPORTED_SUFFIXES, LoadResult, discover, load_document, load_documents
from assistant.records import content_hash

PROJECT = Path(__file__).resolve().parents[1]
SEED_TXT = PROJECT.parent / "shared" / "seed" / "000_849e909592f16662.txt"


@pytest.fixture(scope="module", autouse=True)
def _stop_worker_at_end():
    yield
    loaders.shutdown_worker()


@pytest.fixture
def settings() -> Settings:
    return Settings()


# ----------------------------------------------------------------------------- fixture builders

def make_pdf(pages: list[str | bytes | None], title: str | None = None, compress: bool = False) -> bytes:
    """A minimal valid PDF written by hand: one Helvetica text stream per page (None = blank page,
    bytes = raw content stream), a correct xref table, and an optional /Info title."""
    objects: list[bytes] = [b"", b""]  # 1: catalog, 2: page tree, filled in below
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for page in pages:
        if page is None:
            content = b""
        elif isinstance(page, bytes):
            content = page
        else:
            ops = []
            for n, line in enumerate(page.split("\n")):
                escaped = line.encode("cp1252").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
                ops.append(b"BT /F1 12 Tf 72 %d Td (%s) Tj ET" % (760 - 16 * n, escaped))
            content = b"\n".join(ops)
        if compress:
            content = zlib.compress(content)
        filters = b" /Filter /FlateDecode" if compress else b""
        objects.append(b"<< /Length %d%s >>\nstream\n%s\nendstream" % (len(content), filters, content))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >>"
                       b" /Contents %d 0 R >>" % len(objects))
        kids.append(len(objects))
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    if title:
        objects.append(b"<< /Title (%s) >>" % title.encode("cp1252"))
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    info = b" /Info %d 0 R" % len(objects) if title else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, info, xref)
    return bytes(out)


def encrypt_pdf(data: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="proprietaire", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_docx(title: str = "Guide des visites") -> bytes:
    document = docx.Document()
    document.core_properties.title = title
    document.add_paragraph("Introduction générale au réseau des musées.")
    document.add_heading("Horaires d'ouverture", level=1)
    document.add_paragraph("Le musée est ouvert du mardi au dimanche.")
    table = document.add_table(rows=2, cols=2)
    for r, row in enumerate([("Public", "Tarif"), ("Adulte", "8 euros")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_heading("Vide", level=2)  # a heading with no body
    document.add_heading("Accessibilité", level=2)
    document.add_paragraph("Des visites en langue des signes sont proposées.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rewrite_zip(data: bytes, change) -> bytes:
    """A copy of a zip whose members go through change(name, bytes) -> bytes (None drops it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = change(info.filename, source.read(info))
            if content is not None:
                target.writestr(info.filename, content)
    return out.getvalue()


def write(tmp_path: Path, name: str, data: bytes | str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode(encoding) if isinstance(data, str) else data)
    return path


def error_of(path: Path, settings: Settings) -> str:
    with pytest.raises(DocumentError) as caught:
        load_document(path, settings)
    return str(caught.value)


# ----------------------------------------------------------------------------- PDF

def test_pdf_one_passage_per_page_with_metadata(tmp_path, settings):
    data = make_pdf(["Première page du rapport\nLes musées du réseau", None, "Troisième page : 61 répondants"],
                    title="Rapport d'enquête")
    path = write(tmp_path, "rapport.pdf", data)
    doc = load_document(path, settings)
    assert [(p.page, p.text) for p in doc.passages] == [
        (1, "Première page du rapport\nLes musées du réseau"), (3, "Troisième page : 61 répondants")]
    assert doc.title == "Rapport d'enquête"
    assert doc.doc_id == path.resolve().as_posix() and doc.source == "rapport.pdf"
    assert doc.kind == "added" and doc.fmt == "text"
    assert doc.content_hash == content_hash(data)
    assert doc.metadata["path"] == path.resolve().as_posix()
    assert doc.metadata["format"] == "pdf" and doc.metadata["size"] == len(data) and doc.metadata["pages"] == 3


def test_pdf_without_title_uses_file_stem(tmp_path, settings):
    doc = load_document(write(tmp_path, "bilan-2024.pdf", make_pdf(["Bilan annuel", "Suite"])), settings)
    assert doc.title == "bilan-2024"


def test_encrypted_pdf_needs_password(tmp_path, settings):
    path = write(tmp_path, "secret.pdf", encrypt_pdf(make_pdf(["Texte confidentiel"]), "motdepasse"))
    assert error_of(path, settings) == "PDF chiffré : mot de passe requis, fichier ignoré"


def test_encrypted_pdf_with_empty_user_password_is_read(tmp_path, settings):
    path = write(tmp_path, "protege.pdf", encrypt_pdf(make_pdf(["Texte protégé contre la copie"]), ""))
    assert load_document(path, settings).passages[0].text == "Texte protégé contre la copie"


def test_pdf_without_text_layer(tmp_path, settings):
    message = error_of(write(tmp_path, "scan.pdf", make_pdf([None, None])), settings)
    assert message.startswith("aucun texte extractible (PDF scanné ?)") and "OCR" in message


def test_truncated_pdf(tmp_path, settings):
    data = make_pdf(["Une page", "Une autre page"])
    assert "tronqué" in error_of(write(tmp_path, "coupe.pdf", data[: len(data) // 2]), settings)


def test_text_file_renamed_pdf(tmp_path, settings):
    message = error_of(write(tmp_path, "faux.pdf", "Ceci est un simple texte."), settings)
    assert message == "ce fichier n'est pas un PDF valide (en-tête %PDF- absent)"


def test_twenty_page_pdf_from_a_cold_worker_keeps_every_page(tmp_path, settings):
    # Speed is measured by benchmarks/ingest.py, not asserted here.
    loaders.shutdown_worker()
    pages = [f"Page {n} : la médiation numérique au musée." for n in range(1, 21)]
    path = write(tmp_path, "long.pdf", make_pdf(pages))
    doc = load_document(path, settings)
    assert [p.page for p in doc.passages] == list(range(1, 21))


# ----------------------------------------------------------------------------- DOCX

def test_docx_sections_follow_headings_and_keep_tables(tmp_path, settings):
    data = make_docx()
    doc = load_document(write(tmp_path, "guide.docx", data), settings)
    assert doc.title == "Guide des visites" and doc.fmt == "text" and doc.content_hash == content_hash(data)
    assert [p.section for p in doc.passages] == ["", "Horaires d'ouverture", "Accessibilité"]
    assert doc.passages[0].text == "Introduction générale au réseau des musées."
    assert "Le musée est ouvert du mardi au dimanche." in doc.passages[1].text
    assert "Public | Tarif" in doc.passages[1].text and "Adulte | 8 euros" in doc.passages[1].text
    assert doc.passages[2].text.startswith("Accessibilité\n")


def test_docx_over_unzipped_limit_is_refused(tmp_path, settings):
    path = write(tmp_path, "gros.docx", make_docx())
    message = error_of(path, replace(settings, max_unzipped_bytes=10_000))
    assert message.startswith("document Word refusé") and "décompressé" in message


def test_docx_with_absurd_compression_ratio_is_refused(tmp_path, settings):
    buffer = io.BytesIO(make_docx())
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/zeros.bin", bytes(20 * 1024 * 1024))  # 20 MB -> about 20 kB
    message = error_of(write(tmp_path, "bombe.docx", buffer.getvalue()), settings)
    assert message == "document Word refusé : taux de compression anormal (archive piégée ?)"


def test_docx_with_external_entity_is_refused(tmp_path, settings):
    def add_entity(name: str, content: bytes) -> bytes:
        if name != "word/document.xml":
            return content
        declaration, rest = content.split(b"?>", 1)
        doctype = b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        return declaration + b"?>" + doctype + rest.replace(b"Introduction", b"&xxe;Introduction", 1)

    path = write(tmp_path, "xxe.docx", rewrite_zip(make_docx(), add_entity))
    assert "DOCTYPE/ENTITY" in error_of(path, settings)


def test_docx_that_is_not_a_zip(tmp_path, settings):
    message = error_of(write(tmp_path, "faux.docx", "pas un document Word"), settings)
    assert message == "ce fichier n'est pas un document Word .docx valide (archive ZIP attendue)"


# ----------------------------------------------------------------------------- HTML

SCRIPTS = "".join(f"<script>var fuite{i} = 'SCRIPTLEAK {i}'; function f{i}() {{ return {i}; }}</script>\n"
                  for i in range(150))
SCRIPT_PAGE = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Horaires du musée</title>{SCRIPTS}
<style>body {{ color: red }} /* STYLELEAK */</style></head><body><nav><a href="/">Accueil</a></nav>{SCRIPTS}
<main><h1>Horaires d'ouverture</h1><p>Le musée est ouvert du mardi au dimanche de 10 h à 18 h.</p>
<h2>Tarifs</h2><p>L'entrée est gratuite le premier dimanche du mois pour tous les publics.</p></main>
{SCRIPTS}<noscript>NOSCRIPTLEAK</noscript></body></html>"""


def test_html_full_of_scripts_keeps_only_the_text(tmp_path, settings):
    doc = load_document(write(tmp_path, "page.html", SCRIPT_PAGE), settings)
    text = "\n".join(p.text for p in doc.passages)
    assert "Le musée est ouvert du mardi au dimanche de 10 h à 18 h." in text
    assert "gratuite le premier dimanche" in text
    for leak in ("SCRIPTLEAK", "STYLELEAK", "NOSCRIPTLEAK", "function"):
        assert leak not in text
    assert doc.fmt == "markdown" and "## Tarifs" in text
    assert doc.title == "Horaires du musée" and doc.kind == "added"


def test_html_plain_fallback_drops_scripts():
    # The fallback runs when trafilatura finds nothing; called directly (in-process) here.
    text = parsers._html_plain_text(SCRIPT_PAGE)
    assert "Le musée est ouvert du mardi au dimanche de 10 h à 18 h." in text
    assert "Tarifs" in text.splitlines()
    assert "LEAK" not in text and "Horaires du musée" not in text


def test_htm_in_latin1_with_declared_charset(tmp_path, settings):
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
            "<title>Écomusée</title></head><body><p>Visite guidée de l'écomusée à Fourmies, été comme hiver, "
            "pour 8 € seulement.</p></body></html>")
    doc = load_document(write(tmp_path, "eco.htm", page, "cp1252"), settings)  # latin-1 label, cp1252 bytes
    assert "Visite guidée de l'écomusée à Fourmies, été comme hiver, pour 8 € seulement." in doc.passages[0].text
    assert doc.title == "Écomusée"


# ----------------------------------------------------------------------------- Markdown, TXT, CSV

def test_markdown_front_matter(tmp_path, settings):
    text = "---\ntitle: Fiche médiation\ntype: fiche\ntags: [numérique, médiation]\n---\n# Autre titre\n\nCorps du texte."
    doc = load_document(write(tmp_path, "fiche.md", text), settings)
    assert doc.title == "Fiche médiation" and doc.kind == "added" and doc.fmt == "markdown"
    assert doc.metadata["tags"] == ["numérique", "médiation"] and doc.metadata["format"] == "markdown"
    assert doc.passages[0].text == "# Autre titre\n\nCorps du texte."
    assert doc.doc_id == (tmp_path / "fiche.md").resolve().as_posix() and doc.source == "fiche.md"


def test_markdown_title_from_first_heading(tmp_path, settings):
    doc = load_document(write(tmp_path, "notes.markdown", "Intro\n\n## Le premier titre\n\nTexte."), settings)
    assert doc.title == "Le premier titre"


def test_txt_in_latin1(tmp_path, settings):
    text = "Enquête : 61 répondants.\nÉlève, déjà, où, façade, œuvre."
    doc = load_document(write(tmp_path, "notes.txt", text, "cp1252"), settings)
    assert doc.passages[0].text == text and doc.metadata["encoding"] == "cp1252"
    assert doc.title == "notes" and doc.fmt == "text"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16"])
def test_decode_common_encodings(encoding):
    text = "Le musée de l'œuvre" if encoding != "latin-1" else "Le musée de l'été"
    assert parsers._decode(text.encode(encoding))[0] == text


def test_csv_with_semicolons(tmp_path, settings):
    data = "musée;ville;taux\nMusée des Beaux-Arts;Lille;1,5\nÉcomusée;Fourmies;\n\n"
    doc = load_document(write(tmp_path, "musees.csv", data, "cp1252"), settings)
    assert doc.fmt == "records" and doc.metadata["separator"] == ";"
    assert [(p.section, p.text) for p in doc.passages] == [
        ("ligne 2", "musée : Musée des Beaux-Arts ; ville : Lille ; taux : 1,5"),
        ("ligne 3", "musée : Écomusée ; ville : Fourmies")]


def test_malformed_csv(tmp_path, settings):
    message = error_of(write(tmp_path, "casse.csv", "a,b\n1,2\n3,4,5\n6,7\n"), settings)
    assert message == "CSV mal formé : nombre de colonnes irrégulier à la ligne 3"


def test_csv_rows_are_capped(monkeypatch):
    # Only the cap is lowered; the parser runs in-process here.
    monkeypatch.setattr(parsers, "MAX_CSV_ROWS", 3)
    data = ("id,nom\n" + "".join(f"{i},musée {i}\n" for i in range(10))).encode()
    parsed = parsers._parse_csv(data, {})
    assert len(parsed["passages"]) == 3 and parsed["metadata"]["truncated_at_rows"] == 3


# ----------------------------------------------------------------------------- limits and failures

@pytest.mark.parametrize("content", [b"", b"  \n\t \r\n"])
def test_empty_files(tmp_path, settings, content):
    assert error_of(write(tmp_path, "vide.txt", content), settings) == "fichier vide"


def test_oversize_file(tmp_path, settings):
    path = write(tmp_path, "gros.txt", b"a" * (3 * 1024 * 1024 // 2))
    message = error_of(path, replace(settings, max_file_bytes=1024 * 1024))
    assert message == "fichier trop volumineux (1,5 Mo) : la limite est de 1 Mo"


def test_unsupported_suffix(tmp_path, settings):
    message = error_of(write(tmp_path, "tableau.xlsx", b"PK"), settings)
    assert message.startswith("format non pris en charge (.xlsx)") and ".pdf" in message and ".csv" in message


def test_slow_parse_is_interrupted_and_worker_replaced(tmp_path, settings):
    # A real pathological input: tens of thousands of text operators in one (tiny, compressed) page.
    ops = b"\n".join(b"BT /F1 12 Tf %d %d Td (ab) Tj ET" % (i % 500, i % 700) for i in range(40_000))
    slow = write(tmp_path, "lent.pdf", make_pdf([ops], compress=True))
    quick = write(tmp_path, "rapide.txt", "Texte court.")
    load_document(quick, settings)
    first_pid = loaders._worker.process.pid
    load_document(quick, settings)
    assert loaders._worker.process.pid == first_pid  # one worker reused across files
    assert error_of(slow, replace(settings, parse_timeout_s=0.3)) == "analyse interrompue après 0,3 s"
    assert loaders._worker is None  # the stuck worker was killed
    assert load_document(quick, settings).passages[0].text == "Texte court."
    assert loaders._worker.process.pid != first_pid


def test_unexpected_parser_exception_becomes_french_message(tmp_path, monkeypatch):
    # Mocked parser (in-process) to force an exception no real fixture raises deterministically.
    def broken(raw, request):
        raise ValueError("Traceback (most recent call last): détail interne")

    monkeypatch.setitem(parsers._PARSERS, "txt", broken)
    path = write(tmp_path, "a.txt", "du texte")
    reply = loaders._handle_request({"path": str(path), "format": "txt", "max_file_bytes": 1000,
                                     "max_unzipped_bytes": 1000})
    assert reply == {"ok": False, "error": "erreur inattendue pendant l'analyse (ValueError)"}


# ----------------------------------------------------------------------------- discover / load_documents

def test_discover_expands_folders_and_reports_bad_paths(tmp_path):
    for name in ("b/deux.md", "a.txt", "b/A/un.csv", "c/image.png", ".cache/x.txt", "b/~$verrou.docx"):
        write(tmp_path, name, "x")
    lone = write(tmp_path, "seul.xlsx", "x")
    files, errors = discover([tmp_path, tmp_path / "a.txt", tmp_path / "absent.pdf", lone])
    assert [p.relative_to(tmp_path).as_posix() for p in files] == ["a.txt", "b/A/un.csv", "b/deux.md"]
    assert [(e.path.name, e.document) for e in errors] == [("absent.pdf", None), ("seul.xlsx", None)]
    assert errors[0].error == "fichier ou dossier introuvable"
    assert errors[1].error.startswith("format non pris en charge (.xlsx)")


def test_load_documents_dedups_and_never_raises(tmp_path, settings):
    write(tmp_path, "a.txt", "Le même texte.")
    write(tmp_path, "b.txt", "Le même texte.")
    write(tmp_path, "c.pdf", "pas un pdf")
    write(tmp_path, "d.md", "# Fiche\n\nAutre texte.")
    calls = []
    results = load_documents([tmp_path, tmp_path / "manquant.txt"], settings,
                             progress=lambda i, total, path: calls.append((i, total, path.name)))
    assert calls == [(1, 4, "a.txt"), (2, 4, "b.txt"), (3, 4, "c.pdf"), (4, 4, "d.md")]
    assert all(isinstance(r, LoadResult) for r in results)
    summary = [(r.path.name, r.document is not None, r.error) for r in results]
    assert summary[0] == ("manquant.txt", False, "fichier ou dossier introuvable")
    assert summary[1] == ("a.txt", True, None)
    assert summary[2] == ("b.txt", False, "doublon de a.txt")
    assert summary[3][:2] == ("c.pdf", False) and "%PDF-" in summary[3][2]
    assert summary[4] == ("d.md", True, None)


def test_supported_suffixes():
    assert SUPPORTED_SUFFIXES == {".pdf", ".docx", ".html", ".htm", ".md", ".markdown", ".txt", ".csv"}


def test_module_import_stays_light():
    code = ("import sys, assistant.loaders; heavy = {'torch', 'faiss', 'pandas', 'pypdf', 'docx', 'trafilatura'};"
            "print(sorted(heavy & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], cwd=PROJECT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.skipif(not SEED_TXT.exists(), reason="shared seed file absent")
def test_seed_text_file(settings):
    doc = load_document(SEED_TXT, settings)
    assert doc.fmt == "text" and doc.metadata["format"] == "txt"
    assert "61 répondants" in doc.passages[0].text
