"""ZIP archives from records portals: each member is its own document, unsafe members refused."""
from __future__ import annotations

import io
import zipfile

import clausescan

CONTRACT = b"1. Data\n1.1 Vendor shall not sell, rent or lease Agency Data to any person.\n"


def make_zip(path, members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def by_file(result):
    return {d.document.file: d for d in result.documents}


def test_members_are_documents_cited_inside_the_archive(tmp_path):
    inner = io.BytesIO()
    make_zip(inner, {"nested/msa.txt": CONTRACT})
    path = make_zip(tmp_path / "records.zip", {
        "town/msa.txt": CONTRACT,
        "town/empty.pdf": b"",
        "inner.zip": inner.getvalue(),
        "__MACOSX/._msa.txt": b"junk",
    })
    docs = by_file(clausescan.scan([path], workers=1))
    assert list(docs) == [f"{path}!inner.zip!nested/msa.txt", f"{path}!town/empty.pdf", f"{path}!town/msa.txt"]
    assert docs[f"{path}!town/msa.txt"].findings[0].polarity == "safeguard"
    assert docs[f"{path}!inner.zip!nested/msa.txt"].document.status == "ok"
    assert docs[f"{path}!town/empty.pdf"].document.error == "the file is empty (0 bytes)."


def test_zip_slip_member_is_refused(tmp_path):
    path = make_zip(tmp_path / "evil.zip", {"../../etc/cron.d/x.txt": CONTRACT, "ok.txt": CONTRACT})
    docs = by_file(clausescan.scan([path], workers=1))
    refused = docs[f"{path}!../../etc/cron.d/x.txt"].document
    assert refused.status == "error" and "zip-slip" in refused.error
    assert docs[f"{path}!ok.txt"].document.status == "ok"
    assert not (tmp_path.parent / "etc").exists()


def test_zip_bomb_member_is_refused(tmp_path):
    path = make_zip(tmp_path / "bomb.zip", {"huge.txt": b"0" * 50_000_000})
    (doc,) = [d.document for d in clausescan.scan([path], workers=1).documents]
    assert doc.status == "error" and "zip bomb" in doc.error


def test_damaged_archive_is_one_error_row(tmp_path):
    path = tmp_path / "broken.zip"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    (doc,) = [d.document for d in clausescan.scan([path], workers=1).documents]
    assert doc.status == "error" and doc.error.endswith(".")
