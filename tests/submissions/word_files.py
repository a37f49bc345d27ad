"""Real .docx files for the Word import tests, built with python-docx.

python-docx has no footnote API, so ``word_file`` writes the footnotes part (word/footnotes.xml),
its relationship and its content type itself: a paragraph text ``[[note:N]]`` becomes a reference
to the Nth of ``notes``, as Word writes it.
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_FOOTNOTES_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
_FOOTNOTES_CONTENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"


def word_file(build, *, notes: tuple[str, ...] = ()) -> bytes:
    """The bytes of a .docx: ``build(document)`` fills a python-docx Document; ``notes`` are its footnotes."""
    import docx

    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    data = lean_styles(buffer.getvalue())
    return with_footnotes(data, notes) if notes else data


_STYLE = re.compile(r"<w:style\b[^>]*>.*?</w:style>", re.S)
_STYLE_ID = re.compile(r'w:styleId="([^"]+)"')
_STYLE_USE = re.compile(r'<w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"')


def lean_styles(data: bytes) -> bytes:
    """The file with only the styles its text uses and the defaults, as Word writes them.

    python-docx's template defines 164 styles and their latent list (350 KB, twice); parsing them was
    most of a conversion's time in the tests. What the converter reads of the styles is unchanged.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {name: source.read(name) for name in source.namelist() if name != "word/stylesWithEffects.xml"}
    used = set(_STYLE_USE.findall(parts["word/document.xml"].decode()))

    def keep(match: re.Match) -> str:
        style = match.group(0)
        opening = style[: style.index(">")]
        style_id = _STYLE_ID.search(opening)
        return style if 'w:default="1"' in opening or (style_id and style_id.group(1) in used) else ""

    styles = re.sub(r"<w:latentStyles\b.*?</w:latentStyles>", "", parts["word/styles.xml"].decode(), flags=re.S)
    parts["word/styles.xml"] = _STYLE.sub(keep, styles).encode()
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = re.sub(
        r'<Override PartName="/word/stylesWithEffects.xml"[^>]*/>', "", types
    ).encode()
    rels = parts["word/_rels/document.xml.rels"].decode()
    parts["word/_rels/document.xml.rels"] = re.sub(
        r'<Relationship [^>]*Target="stylesWithEffects.xml"/>', "", rels
    ).encode()
    return zipped(parts)


def with_footnotes(data: bytes, notes: tuple[str, ...]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    parts = {name: source.read(name) for name in source.namelist()}
    body = parts["word/document.xml"].decode()
    for number in range(1, len(notes) + 1):
        placeholder = f"<w:t>[[note:{number}]]</w:t>"
        assert placeholder in body, f"no paragraph run holds [[note:{number}]]"
        body = body.replace(placeholder, f'<w:footnoteReference w:id="{number}"/>')
    parts["word/document.xml"] = body.encode()
    separators = (
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
        "</w:footnote>"
    )
    footnotes = "".join(
        f'<w:footnote w:id="{number}"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> '
        f"{escape(text)}</w:t></w:r></w:p></w:footnote>"
        for number, text in enumerate(notes, start=1)
    )
    parts["word/footnotes.xml"] = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W}">'
        f"{separators}{footnotes}</w:footnotes>"
    ).encode()
    rels = parts["word/_rels/document.xml.rels"].decode()
    parts["word/_rels/document.xml.rels"] = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rIdFootnotes" Type="{_FOOTNOTES_TYPE}" Target="footnotes.xml"/></Relationships>',
    ).encode()
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace(
        "</Types>", f'<Override PartName="/word/footnotes.xml" ContentType="{_FOOTNOTES_CONTENT}"/></Types>'
    ).encode()
    return zipped(parts)


def zipped(parts: dict[str, bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def add_link(paragraph, text: str, url: str) -> None:
    """A hyperlink run (python-docx has no API for one either)."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    relationship = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relationship)
    run = OxmlElement("w:r")
    text_element = OxmlElement("w:t")
    text_element.text = text
    run.append(text_element)
    link.append(run)
    paragraph._p.append(link)


def sample_document(document) -> None:
    """Headings, a list, a table, a link and two footnotes (with ``notes=SAMPLE_NOTES``)."""
    document.add_heading("Children in detention", level=1)
    paragraph = document.add_paragraph("Children are held with adults in three prisons.")
    paragraph.add_run("[[note:1]]")
    paragraph.add_run(" The law forbids it ")
    add_link(paragraph, "since 2015", "https://example.org/law")
    paragraph.add_run(".")
    document.add_heading("Recommendations", level=2)
    document.add_paragraph("Separate children from adults.", style="List Bullet")
    document.add_paragraph("Publish the figures.", style="List Bullet")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Prison"
    table.cell(0, 1).text = "Children"
    table.cell(1, 0).text = "Kamiti"
    table.cell(1, 1).text = "41"
    closing = document.add_paragraph("Figures from the ministry.")
    closing.add_run("[[note:2]]")


SAMPLE_NOTES = ("Report of the ombudsman, 2024.", "Answer to a request of 3 May 2025.")
