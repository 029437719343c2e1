"""E-mail messages saved as .eml: records offices often answer with the contract attached to a
message, or the terms pasted into one. The message's text is read as a document, and each
attachment becomes a document of its own, cited as `reply.eml!contract.pdf`, as ZIP members are."""
from __future__ import annotations

import email
import email.errors
import email.policy
import re
from collections.abc import Iterator
from html.parser import HTMLParser

from ..errors import InputError
from ..inputs import printable_name
from ..models import Page
from .archive import Member
from .text import read_text

SHOWN_HEADERS = ("From", "To", "Date", "Subject")
def _message(data: bytes):
    try:
        return email.message_from_bytes(data, policy=email.policy.default)
    except Exception as exc:   # the email package raises many kinds on broken input
        raise InputError("the e-mail message is damaged and could not be read.") from exc


def read_email(data: bytes) -> list[Page]:
    """The message's headers and text (the plain part, or the HTML part's text) as one page. A
    message pasted as plain text (no MIME headers) is read as the text it is."""
    message = _message(data)
    if "MIME-Version" not in message and "Content-Type" not in message:
        return read_text(data)
    header = "\n".join(f"{name}: {message[name]}" for name in SHOWN_HEADERS if message[name])
    body = message.get_body(preferencelist=("plain", "html"))
    text = ""
    if body is not None:
        try:
            content = body.get_content()
        except (LookupError, UnicodeError):   # a charset Python does not know
            content = (body.get_payload(decode=True) or b"").decode("latin-1")
        text = _html_text(content) if body.get_content_type() == "text/html" else content
    return [Page(number=1, text=f"{header}\n\n{text}".replace("\r\n", "\n"))]


def iter_attachments(data: bytes, name: str) -> Iterator[Member]:
    """Each attachment of the message, as a document of its own (containers.expand opens an
    attached archive, or a forwarded message, which has attachments of its own)."""
    try:
        parts = list(_message(data).iter_attachments())
    except InputError:
        return   # the message itself becomes the error row
    for number, part in enumerate(parts, start=1):
        inner = f"{name}!{printable_name(part.get_filename() or f'attachment-{number}')}"
        try:
            content = bytes(part.get_content()) if part.get_content_type() == "message/rfc822" \
                else part.get_payload(decode=True)
        except Exception:
            content = None
        if any(isinstance(defect, _BASE64_DEFECTS) for defect in part.defects):
            yield Member(inner, None, "the attachment's base64 encoding is damaged, so its content is not what was sent.")
        elif content:
            yield Member(inner, content)
        else:
            yield Member(inner, None, "the attachment is empty or damaged and could not be decoded.")


_BASE64_DEFECTS = (email.errors.InvalidBase64CharactersDefect, email.errors.InvalidBase64PaddingDefect,
                   email.errors.InvalidBase64LengthDefect)


class _TextOf(HTMLParser):
    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        self.skip += tag in ("script", "style")
        if tag in self.BLOCKS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        self.skip -= tag in ("script", "style") and self.skip > 0

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def _html_text(html: str) -> str:
    parser = _TextOf()
    parser.feed(html)
    return re.sub(r"\n{3,}", "\n\n", "".join(parser.parts))
