"""Members' inputs from Word: a .docx converted into a section's text with mammoth.

mammoth reads the document's structure, not its look: headings (Word's Heading 1-3 become the
section's h2-h4, as the section's own title is above them), paragraphs, bold and italic, lists,
tables, links and footnotes. Its HTML then goes through the same gate as every other text a section
receives: the limits (submissions/text_limits.py), the one cleaner (submissions/sanitize.py), the
limits again and the one word count (upr_portal/wordcount.py). Images are dropped before they are
read (a submission is text under a word limit), and so is everything the cleaner does not allow.

Footnotes and endnotes become the portal's footnotes: mammoth writes a call as
``<sup><a href="#footnote-N">[N]</a></sup>`` and the notes as a closing ``<ol>``; each call is
replaced by ``<span data-footnote="">note text</span>`` holding its note as plain text (the editor's
footnote holds plain text), a link in a note keeping its address in brackets when its text differs.

The file is refused with a plain message, before mammoth reads anything, when it is over
``WORD_IMPORT_MAX_BYTES``, is not a zip archive (an old .doc, a PDF, a renamed file), has no
word/document.xml (a spreadsheet, an OpenDocument text), or would unpack to more than
``MAX_UNPACKED_BYTES`` (a zip bomb): zipfile stops each member at the size the archive declares, so
the sum of the declared sizes bounds what mammoth can unpack.

mammoth and tinyhtml5 are imported inside the functions: only the import view needs them.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from submissions.errors import SubmissionError
from submissions.sanitize import clean_html
from submissions.text_limits import check_text
from upr_portal.wordcount import FOOTNOTE_ATTRIBUTE, WordCount, count_html

logger = logging.getLogger(__name__)

# What mammoth may unpack from one file: 50 MB is 100 times the text a section may hold, and far more
# than the XML of a 300-page report; an image-heavy file still fits, as images hardly compress.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 2_000

# Word's built-in heading styles, one level down: the section's title is the heading above them.
STYLE_MAP = "\n".join(
    [
        "p[style-name='Title'] => h2:fresh",
        "p[style-name='Heading 1'] => h2:fresh",
        "p[style-name='Heading 2'] => h3:fresh",
        "p[style-name='Heading 3'] => h4:fresh",
        "p[style-name='Heading 4'] => h4:fresh",
        "p[style-name='Heading 5'] => h4:fresh",
        "p[style-name='Heading 6'] => h4:fresh",
    ]
)

_NOTE_CALL = re.compile(r"#((?:foot|end)note-[0-9]+)\Z")
_NOTE_ITEM = re.compile(r"(?:foot|end)note-[0-9]+\Z")
_SPACES = re.compile(r"\s+")
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, and password-protected .docx
_ZIP = b"PK\x03\x04"


@dataclass(frozen=True)
class ImportedText:
    """A Word file converted and cleaned: the text a section would hold, its count and what was lost."""

    html: str
    words: WordCount
    warnings: tuple[str, ...]


def max_upload_bytes() -> int:
    return settings.WORD_IMPORT_MAX_BYTES


def refuse_oversized(size: int) -> None:
    """Raises SubmissionError when a file of ``size`` bytes is over the limit: checked before reading it."""
    if size > max_upload_bytes():
        raise SubmissionError(
            _("This file is %(size)s; a Word file to import can be at most %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_upload_bytes())},
            code="too_large",
        )


def convert_docx(data: bytes) -> ImportedText:
    """The section text made from the bytes of a .docx; SubmissionError (TextRefused for a text over a
    limit) says in plain words why a file cannot be imported."""
    refuse_oversized(len(data))
    _refuse_if_not_word(data)
    html, warnings = _mammoth_html(data)
    html = _portal_footnotes(html)
    check_text(html)
    cleaned = clean_html(html)
    check_text(cleaned)
    return ImportedText(html=cleaned, words=count_html(cleaned), warnings=tuple(warnings))


def _not_word(reason: str) -> SubmissionError:
    return SubmissionError(
        _("This file is not a Word document (.docx): %(reason)s") % {"reason": reason}, code="not_word"
    )


def _refuse_if_not_word(data: bytes) -> None:
    if data.startswith(_OLE2):
        raise _not_word(
            _(
                "it is an older Word file (.doc) or a password-protected one. Open it in Word, remove "
                "the password if it has one, and save it as a Word document (.docx)."
            )
        )
    if data.startswith(b"%PDF"):
        raise _not_word(_("it is a PDF. Ask for the Word file it was made from, or copy its text into the editor."))
    if not data.startswith(_ZIP):
        raise _not_word(_("it is neither a .docx nor any other kind of office document."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError):
        raise _not_word(_("the file is damaged or incomplete. Save it again in Word and upload it again.")) from None
    names = {member.filename for member in members}
    if "word/document.xml" not in names:
        raise _not_word(
            _(
                "it holds no Word text (an OpenDocument file or a spreadsheet perhaps). Save it as a "
                "Word document (.docx) first."
            )
        )
    if len(members) > MAX_ARCHIVE_MEMBERS or sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
        raise _not_word(
            _("it would unpack to more than %(limit)s, far more than any text holds.")
            % {"limit": filesizeformat(MAX_UNPACKED_BYTES)}
        )


def _mammoth_html(data: bytes) -> tuple[str, list[str]]:
    import mammoth

    images = []

    def drop_image(image) -> list:
        images.append(image)  # never opened: its bytes are not read
        return []

    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data),
            style_map=STYLE_MAP,
            convert_image=drop_image,
            ignore_empty_paragraphs=True,
            # The document's own style map (a docx can carry one for mammoth) is not ours to trust.
            include_embedded_style_map=False,
        )
    except Exception:
        # mammoth raises whatever its XML and zip readers raise on a malformed part (KeyError,
        # ExpatError, BadZipFile, ValueError...): all of them mean the same thing to the person.
        logger.info("A Word import could not be read", exc_info=True)
        raise _not_word(_("the file is damaged or not a real Word document. Save it again in Word.")) from None
    warnings = [message.message for message in result.messages]
    if images:
        warnings.insert(
            0,
            ngettext(
                "%(count)d image left out: a submission is text under a word limit.",
                "%(count)d images left out: a submission is text under a word limit.",
                len(images),
            )
            % {"count": len(images)},
        )
    return result.value, warnings


def _portal_footnotes(html: str) -> str:
    """mammoth's note calls replaced by the portal's footnote markup, and its list of notes removed."""
    import tinyhtml5

    body = tinyhtml5.parse(html, namespace_html_elements=False).find("body")
    notes: dict[str, str] = {}
    for note_list in list(body.iter("ol")):
        items = list(note_list)
        if items and all(item.tag == "li" and _NOTE_ITEM.match(item.get("id", "")) for item in items):
            for item in items:
                notes[item.get("id")] = _note_text(item)
            _remove(body, note_list)
    for parent in list(body.iter()):
        for index, child in enumerate(list(parent)):
            note_id = _note_call(child)
            if note_id is None:
                continue
            footnote = ET.Element("span", {FOOTNOTE_ATTRIBUTE: ""})
            footnote.text = notes.get(note_id, "")
            footnote.tail = child.tail
            parent.remove(child)
            parent.insert(index, footnote)
    return (body.text or "") + "".join(ET.tostring(child, encoding="unicode", method="html") for child in body)


def _note_call(element: ET.Element) -> str | None:
    """The note id a ``<sup><a href="#footnote-N">`` call points to; None for anything else."""
    if element.tag != "sup" or len(element) != 1 or (element.text or "").strip():
        return None
    link = element[0]
    found = _NOTE_CALL.search(link.get("href", "")) if link.tag == "a" else None
    return found.group(1) if found else None


def _note_text(item: ET.Element) -> str:
    parts: list[str] = []

    def walk(element: ET.Element) -> None:
        href = element.get("href", "")
        if element.tag == "a" and href.startswith("#"):  # the note's link back to its call
            parts.append(element.tail or "")
            return
        parts.append(element.text or "")
        for child in element:
            walk(child)
        text = "".join(element.itertext()).strip()
        if element.tag == "a" and href and text and text != href and not href.startswith("mailto:"):
            parts.append(f" ({href})")
        if element.tag in ("p", "li", "br"):
            parts.append(" ")
        if element is not item:
            parts.append(element.tail or "")

    walk(item)
    return _SPACES.sub(" ", "".join(parts)).strip()


def _remove(root: ET.Element, element: ET.Element) -> None:
    for parent in root.iter():
        if element in list(parent):
            # Keep the text that followed the removed element.
            index = list(parent).index(element)
            if element.tail:
                if index:
                    previous = parent[index - 1]
                    previous.tail = (previous.tail or "") + element.tail
                else:
                    parent.text = (parent.text or "") + element.tail
            parent.remove(element)
            return
