"""Files of formats clausescan does not read, whatever their name says, are one error row each
that names the format and says what to do: an Outlook message, an Excel or PowerPoint file (old or
new), an OpenDocument file, Rich Text, gzip and tar. Never the XML parts of an Office file as rows
of their own, never RTF markup judged as text, never "an old Word document" for an e-mail. A
macro-enabled Word file is read (its macros never run), a web page saved as one file (MHTML) is
a web page, not an e-mail, and a file of blank space says so."""
from __future__ import annotations

import gzip
import io
import json
import tarfile
import zipfile

import pytest
from typer.testing import CliRunner

from clausescan.cli import app
from clausescan.extract import extract
from conftest import docx_bytes
from test_hostile_input import assert_human_sentence

CLAUSE = "3. Disclosure. The Vendor shall not sell or share Agency Data with any third party."
CONTRACT = f"SERVICES AGREEMENT\n\nBetween Vendor, Inc. and the City of Alder.\n\n{CLAUSE}\n"


def ole(stream_names: list[str], text: bytes = b"") -> bytes:
    """An OLE compound file's header, then directory entries (128 bytes each, the name first, in
    UTF-16), then `text`: what the format is told by."""
    entries = b"".join((name + "\0").encode("utf-16-le").ljust(128, b"\0") for name in ["Root Entry", *stream_names])
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1".ljust(512, b"\0") + entries.ljust(512, b"\0") + text


def zipped(members: dict[str, bytes | str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def workbook() -> bytes:
    import openpyxl
    book = openpyxl.Workbook()
    book.active.append(["Town", "Retention"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def tar(members: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        for name, text in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(text.encode())
            archive.addfile(info, io.BytesIO(text.encode()))
    return out.getvalue()


def macro_enabled_docx() -> bytes:
    """A .docm: a Word file under the macro-enabled content type, with a VBA project part."""
    plain = zipfile.ZipFile(io.BytesIO(docx_bytes(lambda d: [d.add_paragraph(p) for p in CONTRACT.split("\n\n")])))
    members = {item.filename: plain.read(item) for item in plain.infolist()}
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b"wordprocessingml.document.main+xml", b"wordprocessingml.document.main+xml-unused").replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml-unused",
        b"application/vnd.ms-word.document.macroEnabled.main+xml")
    members["word/vbaProject.bin"] = ole(["VBA", "dir"], b"Sub AutoOpen()\r\nEnd Sub\r\n")
    return zipped(members)


DISGUISED = {
    # file name: (its bytes, the kind it is, words its row's reason holds)
    "signed.msg": (ole(["__substg1.0_0037001F", "__substg1.0_1000001F"], CONTRACT.encode("utf-16-le")), "msg",
                   "Outlook message"),
    "budget.doc": (ole(["Workbook", "SummaryInformation"]), "spreadsheet", "spreadsheet"),
    "deck.doc": (ole(["PowerPoint Document"]), "slides", "PowerPoint"),
    "sheet-named.docx": (workbook(), "spreadsheet", "spreadsheet"),
    "slides.docx": (zipped({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": "<p:presentation/>"}), "slides",
                    "PowerPoint"),
    "terms.odt": (zipped({"mimetype": "application/vnd.oasis.opendocument.text",
                          "content.xml": f"<office:text><text:p>{CLAUSE}</text:p></office:text>"}), "opendocument",
                  "OpenDocument"),
    "terms-rtf.pdf": (("{\\rtf1\\ansi{\\fonttbl{\\f0 Arial;}}\\f0 " + CONTRACT.replace("\n", "\\par ") + "}").encode(),
                      "rtf", "Rich Text"),
    "terms.txt.gz": (gzip.compress(CONTRACT.encode()), "gzip", "decompress"),
    "records.tar": (tar({"a.txt": CONTRACT, "b.txt": CONTRACT}), "tar", "tar archive"),
    "blank.txt": (b"  \n\t\r\n" * 50, "blank", "blank"),
    "saved-page.pdf": (("From: <Saved by Blink>\r\nSnapshot-Content-Location: https://example.invalid/terms\r\n"
                        "Subject: Terms\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n"
                        '\ttype="text/html"; boundary="b1"\r\n\r\n--b1\r\nContent-Type: text/html\r\n\r\n'
                        f"<html><body><p>{CLAUSE}</p></body></html>\r\n--b1--\r\n").encode(), "html", "web page"),
}


@pytest.mark.parametrize("name", DISGUISED)
def test_a_format_clausescan_does_not_read_is_named_in_its_row(tmp_path, name):
    data, kind, reason = DISGUISED[name]
    doc = extract(tmp_path / name, data=data)
    assert (doc.kind, doc.status) == (kind, "error")
    assert reason in doc.error and "0 bytes" not in doc.error and "old Word" not in doc.error
    assert_human_sentence(doc.error)


def test_an_old_word_document_that_mentions_a_workbook_is_still_word(tmp_path):
    text = "Attach the Workbook and the PowerPoint Document to this memo.".encode("utf-16-le")
    doc = extract(tmp_path / "memo.doc", data=ole(["WordDocument", "1Table"], b"\0" * 3 + text))
    assert doc.kind == "doc" and "old Word (.doc)" in doc.error


def test_each_disguised_file_is_one_row_in_a_batch_and_a_macro_enabled_word_file_is_read(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name, (data, _, _) in DISGUISED.items():
        (folder / name).write_bytes(data)
    (folder / "macros.docx").write_bytes(macro_enabled_docx())
    out = tmp_path / "f.json"
    result = CliRunner().invoke(app, ["scan", str(folder), "--no-cache", "--json", str(out)])
    assert result.exit_code == 3, result.output
    rows = {d["file"].removeprefix(str(folder) + "/"): d for d in json.loads(out.read_text())["documents"]}
    assert sorted(rows) == sorted([*DISGUISED, "macros.docx"])   # an Office file's XML parts are no rows
    assert all(rows[name]["status"] == "error" for name in DISGUISED)
    macros = rows["macros.docx"]
    assert macros["status"] == "ok" and macros["kind"] == "docx"
    assert any(f["rule"] == "data-sale" and "shall not sell" in f["quote"] for f in macros["findings"])


def test_an_html_e_mail_with_inline_pictures_is_still_an_e_mail():
    from clausescan.extract.sniff import sniff
    message = ("From: clerk@alder.example\r\nTo: analyst@example.org\r\nSubject: Signed terms\r\n"
               "Date: Mon, 2 Mar 2026 10:00:00 -0500\r\nMessage-ID: <1234.5678@alder.example>\r\nMIME-Version: 1.0\r\n"
               'Content-Type: multipart/related; type="text/html"; boundary="b1"\r\n\r\n--b1\r\n'
               f"Content-Type: text/html\r\n\r\n<html><body><p>{CLAUSE}</p></body></html>\r\n--b1--\r\n").encode()
    assert sniff(message, "signed.eml") == "email"
