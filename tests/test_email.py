"""Records offices answer by e-mail: the message is a document, and so is each attachment."""
from __future__ import annotations

import shutil

from clausescan.extract import extract
from clausescan.extract.sniff import sniff
from clausescan.pipeline import scan


def test_an_email_is_sniffed_by_content_and_a_pasted_from_line_is_not(fixture_file):
    assert sniff(fixture_file("records-reply.eml").read_bytes()) == "email"
    assert sniff(b"From: the Vendor\nVendor shall not sell Agency Data.\n") == "txt"


def test_the_message_text_is_read_with_its_headers(fixture_file):
    doc = extract(fixture_file("records-reply.eml"))
    assert (doc.kind, doc.status) == ("email", "ok")
    text = doc.pages[0].text
    assert "Subject: Public records request 26-114" in text
    assert "vendor\u2019s terms say: Vendor shall not sell Agency Data" in text   # decoded, not quoted-printable


def test_an_html_only_message_is_read_as_text_without_scripts(fixture_file):
    text = extract(fixture_file("html-only-reply.eml")).pages[0].text
    assert "Vendor shall not sell Agency Data" in text and "<p>" not in text and "var x" not in text


def test_each_attachment_is_scanned_as_its_own_document(fixture_file, tmp_path):
    folder = tmp_path / "brill"
    folder.mkdir()
    shutil.copy(fixture_file("records-reply.eml"), folder / "reply.eml")
    result = scan([folder], workers=1)
    by_name = {d.document.file.split("brill/")[-1]: d for d in result.documents}
    assert list(by_name) == ["reply.eml", "reply.eml!alpr-agreement.pdf", "reply.eml!empty.bin"]
    # the clerk's cover note paraphrases the terms: correspondence, not a contract, so no verdicts from it
    assert by_name["reply.eml"].document_kind == "correspondence" and not by_name["reply.eml"].summary
    attachment = by_name["reply.eml!alpr-agreement.pdf"]
    assert attachment.document.kind == "pdf" and attachment.findings
    assert attachment.findings[0].file.endswith("reply.eml!alpr-agreement.pdf")
    empty = by_name["reply.eml!empty.bin"].document
    assert empty.status == "error" and "empty" in empty.error


def test_a_forwarded_message_is_a_message_with_its_own_attachments(fixture_file, tmp_path):
    from email import message_from_bytes, policy
    from email.message import EmailMessage

    forward = EmailMessage()
    forward["From"], forward["To"], forward["Subject"] = "chief@townofbrill.example", "clerk@townofbrill.example", "Fw"
    forward.set_content("Forwarding the vendor's reply.")
    forward.add_attachment(message_from_bytes(fixture_file("records-reply.eml").read_bytes(), policy=policy.default))
    path = tmp_path / "fw.eml"
    path.write_bytes(bytes(forward))
    names = [d.document.file.split("fw.eml")[-1] for d in scan([path], workers=1).documents]
    assert names == ["", "!attachment-1", "!attachment-1!alpr-agreement.pdf", "!attachment-1!empty.bin"]


def test_a_message_inside_a_zip_keeps_its_attachments(fixture_file, tmp_path):
    import zipfile

    archive = tmp_path / "records.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("replies/reply.eml", fixture_file("records-reply.eml").read_bytes())
    names = [d.document.file.split("records.zip")[-1] for d in scan([archive], workers=1).documents]
    assert names == ["!replies/reply.eml", "!replies/reply.eml!alpr-agreement.pdf", "!replies/reply.eml!empty.bin"]
