"""Reading documents into a source's text: each file kind, each encoding, and each kind of bad file.

The fixtures live in tests/data; the ones whose exact bytes matter are rebuilt by
tests/data/make_fixtures.py and checked against the committed copies first.
"""
from __future__ import annotations

import importlib.util
import io
import shutil
import unicodedata
from pathlib import Path

import pytest

from sijill.db.store.basics import ProjectError
from sijill.db.text.documents import ImportedText, TextImportError, guess_language, read_document, text_from_paste

DATA = Path(__file__).resolve().parents[1] / "data"


def _fixture_builder():
    spec = importlib.util.spec_from_file_location("make_fixtures", DATA / "make_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_fixtures_are_what_the_builder_writes():
    for name, data in _fixture_builder().build().items():
        assert (DATA / name).read_bytes() == data, f"{name} differs: run tests/data/make_fixtures.py"


# ---- each kind ----------------------------------------------------------------------------------
def test_english_text_file():
    doc = read_document(DATA / "english.txt")
    assert isinstance(doc, ImportedText)
    assert doc.kind == "txt"
    assert doc.title == "Drone strike reported near the Syrian border"
    assert doc.language == "en"
    assert doc.pages == [] and doc.warnings == []
    assert doc.text.startswith("Drone strike reported near the Syrian border\n\nA drone struck a logistics depot")
    assert doc.text.endswith("No group has claimed the attack so far.")
    assert doc.text.count("\n\n") == 3


def test_french_markdown_keeps_text_and_paragraphs_drops_marks_and_urls():
    raw = (DATA / "french.md").read_bytes().decode("utf-8")
    assert "e\u0301" in raw  # the fixture holds a decomposed é ...
    doc = read_document(DATA / "french.md")
    assert "\u0301" not in doc.text and "\u0302" not in doc.text  # ... which comes out composed (NFC)
    assert doc.text == unicodedata.normalize("NFC", doc.text)
    assert doc.kind == "md"
    assert doc.language == "fr"
    assert doc.title == "Attaque de drone près de la frontière"
    assert doc.text.split("\n\n") == [
        "Attaque de drone près de la frontière",
        "Publié le 28 janvier 2024",
        "Samedi dernier, un drone a visé un dépôt de carburant près de la frontière syrienne, selon deux "
        "responsables locaux.",
        "L'un d'eux a déclaré que l'attaque n'avait fait aucune victime ; l'autre a évoqué des dégâts "
        "matériels importants. Voir le communiqué pour les détails.",
        "Réactions",
        "Aucun groupe n'a revendiqué l'attaque pour l'instant.",
    ]
    for mark in ("#", "**", "*", "](", "http", "photo du dépôt"):
        assert mark not in doc.text


def test_markdown_code_and_lists_keep_their_lines(tmp_path):
    f = tmp_path / "notes.md"
    f.write_text("Intro line one\nline two.\n\n- first item\n- second item\n\n```\nx = 1\ny = 2\n```\n", "utf-8")
    doc = read_document(f)
    assert doc.text == "Intro line one line two.\n\n- first item\n- second item\n\nx = 1\ny = 2"
    assert doc.title == "Intro line one line two."


def test_html_keeps_readable_paragraphs_and_drops_scripts_styles_and_remote_references():
    doc = read_document(DATA / "page.html")
    assert doc.kind == "html"
    assert doc.title == "Statement on the night raid"
    assert doc.language == "en"
    assert doc.text == (
        "Statement on the night raid\n\n"
        "The ministry said the raid began shortly after midnight & ended before dawn.\n\n"
        "Residents described heavy gunfire\nand two explosions.\n\n"
        "Officials promised an inquiry \u2014 the second this year.\n\n"
        "First claim\nSecond claim\n\n"
        "See the full report for details."
    )
    for gone in ("trackVisitor", "secret-tracking-id", "injected text", "font-family", "Enable JavaScript",
                 "photo of the street", "http", "Home", "<", ">", "&amp;", "&mdash;"):
        assert gone not in doc.text


def test_html_without_extension_is_sniffed_and_declared_language_wins(tmp_path):
    f = tmp_path / "saved_page"
    f.write_text('<!doctype html><html lang="ar"><body><p>The text is English but declared Arabic.</p>'
                 "<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table></body></html>",
                 "utf-8")
    doc = read_document(f)
    assert doc.kind == "html"
    assert doc.language == "ar"
    assert doc.text == "The text is English but declared Arabic.\n\na\tb\nc\td"
    assert doc.title == "The text is English but declared Arabic."


def test_arabic_text_file():
    doc = read_document(DATA / "arabic.txt")
    assert doc.language == "ar"
    assert doc.title == "هجوم بطائرة مسيّرة قرب الحدود"
    assert "استهدفت مستودعاً للوقود قرب الحدود السورية" in doc.text
    assert doc.text == (DATA / "arabic.txt").read_text("utf-8").strip()


def test_utf16_with_bom_is_decoded_with_its_emoji_and_newlines_normalised():
    doc = read_document(DATA / "utf16le_bom.txt")
    assert doc.text == "Rapport du 3 mars : deux frappes signalées \U0001F681 près d'al-Qaïm.\nSeconde ligne."
    assert "\r" not in doc.text and "\ufeff" not in doc.text
    assert doc.language == "fr"


def test_utf8_bom_is_dropped(tmp_path):
    f = tmp_path / "bom.txt"
    f.write_bytes(b"\xef\xbb\xbfHello there.\r\n")
    assert read_document(f).text == "Hello there."


def test_pdf_text_per_page_with_page_starts():
    doc = read_document(DATA / "report.pdf")
    assert doc.kind == "pdf"
    assert doc.title == "Security report, March"  # from the document information
    assert doc.text == ("Monthly security report\nTwo rocket attacks were recorded in March.\n\n"
                        "Annex\nCasualty figures remain unconfirmed.")
    assert doc.pages == [(0, 1), (68, 2)]
    assert doc.text[68:].startswith("Annex")
    assert doc.warnings == []


def test_pdf_with_a_page_without_text_warns(tmp_path):
    fx = _fixture_builder()
    data = fx.make_pdf([fx.text_stream(["Only page one has text."]), b"0 0 1 rg 10 10 50 50 re f"])
    f = tmp_path / "half.pdf"
    f.write_bytes(data)
    doc = read_document(f)
    assert doc.text == "Only page one has text."
    assert doc.pages == [(0, 1), (23, 2)]
    assert len(doc.warnings) == 1 and "page(s) without text" in doc.warnings[0] and "2" in doc.warnings[0]
    assert doc.title == "Only page one has text."


def test_pasted_text_is_normalised():
    pasted = "  First line  \r\nSecond\u00adline\u2029\u2029\u2029\n\n\nThird: cafe\u0301\x07\n\n"
    assert text_from_paste(pasted) == "First line\nSecondline\n\nThird: café"
    with pytest.raises(TextImportError, match="pasted text is empty"):
        text_from_paste(" \n\t\u2029 ")


def test_language_guess():
    assert guess_language("Le ministère a déclaré que les frappes ont visé des dépôts dans la région.") == "fr"
    assert guess_language("The ministry said that the strikes hit depots in the region.") == "en"
    assert guess_language("قالت الوزارة إن الضربات أصابت مستودعات in the region") == "ar"


# ---- bad files ----------------------------------------------------------------------------------
def test_mis_encoded_file_is_reported_with_the_byte_offset():
    with pytest.raises(TextImportError) as err:
        read_document(DATA / "cp1252.txt")
    message = str(err.value)
    assert "cp1252.txt" in message
    assert "not valid UTF-8 at byte 9" in message  # "Communiqu" is 9 bytes, then 0xE9 (é in cp1252)
    assert "0xE9" in message and "re-save the file as UTF-8" in message
    assert isinstance(err.value, ProjectError)


def test_invalid_byte_far_into_the_file(tmp_path):
    f = tmp_path / "late.txt"
    f.write_bytes(b"a" * 1234 + b"\xff rest")
    with pytest.raises(TextImportError, match="at byte 1234"):
        read_document(f)


def test_empty_and_blank_files(tmp_path):
    with pytest.raises(TextImportError, match="empty.txt: is empty"):
        read_document(DATA / "empty.txt")
    blank = tmp_path / "blank.md"
    blank.write_bytes(b" \n\t\n  ")
    with pytest.raises(TextImportError, match="is empty"):
        read_document(blank)
    markup_only = tmp_path / "only_script.html"
    markup_only.write_text("<html><script>var x = 1;</script></html>", "utf-8")
    with pytest.raises(TextImportError, match="is empty"):
        read_document(markup_only)


def test_binary_files_are_not_text(tmp_path):
    with pytest.raises(TextImportError, match="picture.png: is not a text file .*PNG"):
        read_document(DATA / "picture.png")
    renamed = tmp_path / "picture.txt"
    shutil.copy(DATA / "picture.png", renamed)
    with pytest.raises(TextImportError, match="is not a text file"):
        read_document(renamed)
    blob = tmp_path / "data.md"
    blob.write_bytes(b"abc\x00\x01\x02" * 100)
    with pytest.raises(TextImportError, match="is not a text file"):
        read_document(blob)


def test_pdf_without_text_layer():
    with pytest.raises(TextImportError, match=r"scanned.pdf: has no text layer \(scanned\?\); run OCR first"):
        read_document(DATA / "scanned.pdf")


def test_damaged_and_fake_pdfs(tmp_path):
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes((DATA / "report.pdf").read_bytes()[:400])
    with pytest.raises(TextImportError, match="truncated.pdf: is not a readable PDF"):
        read_document(truncated)
    fake = tmp_path / "fake.pdf"
    fake.write_text("just some text with a .pdf name", "utf-8")
    with pytest.raises(TextImportError, match="fake.pdf: is not a PDF"):
        read_document(fake)


def test_password_protected_pdf(tmp_path):
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=DATA / "report.pdf")
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(buf.getvalue())
    with pytest.raises(TextImportError, match="locked.pdf: is protected by a password"):
        read_document(locked)

    writer = PdfWriter(clone_from=DATA / "report.pdf")
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    restricted = tmp_path / "restricted.pdf"  # permissions only: opens without a password
    restricted.write_bytes(buf.getvalue())
    assert read_document(restricted).text.startswith("Monthly security report")


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(TextImportError, match="nowhere.txt: no such file"):
        read_document(tmp_path / "nowhere.txt")
    with pytest.raises(TextImportError, match="is a folder"):
        read_document(tmp_path)
