from assistant.chunking import chunk_document, embedding_text
from assistant.config import Settings
from assistant.records import Document, Passage


def test_markdown_headings_become_sections():
    doc = Document("d", "Titre", "d.md", [Passage("# Titre\nIntro.\n## Budget\nUn tiers a un budget.\n## Temps\nLe temps manque.")],
                   fmt="markdown")
    chunks = chunk_document(doc, Settings())
    assert [c.section for c in chunks] == ["Titre", "Budget", "Temps"]
    assert chunks[1].text == "Un tiers a un budget."
    assert [c.chunk_id for c in chunks] == ["d#0", "d#1", "d#2"]
    assert embedding_text(chunks[1]).startswith("Titre — Budget")


def test_long_text_is_split_and_pages_are_kept():
    text = " ".join(f"Phrase numéro {i} de la page." for i in range(200))
    doc = Document("p", "PDF", "p.pdf", [Passage(text, page=1), Passage("Page deux.", page=2)])
    chunks = chunk_document(doc, Settings(chunk_size=300, chunk_overlap=0))
    assert len(chunks) > 5
    assert all(len(c.text) <= 300 for c in chunks)
    assert chunks[-1].page == 2 and chunks[0].page == 1


def test_records_give_one_chunk_each_with_their_metadata():
    doc = Document("i", "Indicateurs", "i.csv", [Passage("A : 34 %.", "S", metadata={"value": "34"}),
                                                  Passage("B : 40 %.", "S")], fmt="records", kind="indicator")
    chunks = chunk_document(doc, Settings())
    assert [c.text for c in chunks] == ["A : 34 %.", "B : 40 %."]
    assert chunks[0].metadata == {"value": "34"} and chunks[0].kind == "indicator"


def test_a_fiche_s_declared_theme_goes_with_each_of_its_chunks():
    doc = Document("r", "Low-tech", "r.md", [Passage("# Low-tech\nIntro.\n## Sobriété\nMoins d'écrans.")], fmt="markdown",
                   metadata={"theme": "écologie", "tags": ["low-tech"]})
    chunks = chunk_document(doc, Settings())
    assert [c.metadata for c in chunks] == [{"theme": "écologie"}, {"theme": "écologie"}]
    listed = Document("l", "Liste", "l.md", [Passage("# Liste\nTexte.")], fmt="markdown",
                      metadata={"theme": ["écologie", "réseaux"]})
    assert chunk_document(listed, Settings())[0].metadata == {"theme": "écologie ; réseaux"}
    plain = Document("p", "Note", "p.md", [Passage("# Note\nTexte.")], fmt="markdown")
    assert chunk_document(plain, Settings())[0].metadata == {}
