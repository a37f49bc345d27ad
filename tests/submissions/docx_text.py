"""Reads a DOCX back: its parts, their XML, and each paragraph's text as Word reads it."""

import io
import zipfile

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def parts(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def xml(docx: bytes, name: str):
    from lxml import etree

    return etree.fromstring(parts(docx)[name], parser=etree.XMLParser(resolve_entities=False, no_network=True))


def paragraph_text(paragraph) -> str:
    """A w:p's text as Word reads it: its w:t runs, with line breaks and tabs as spaces."""
    pieces = []
    for node in paragraph.iter(f"{{{W}}}t", f"{{{W}}}br", f"{{{W}}}tab", f"{{{W}}}cr"):
        pieces.append(node.text or "" if node.tag == f"{{{W}}}t" else " ")
    return "".join(pieces)
