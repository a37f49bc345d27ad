"""Members' inputs from Word: the conversion (submissions/imports.py), the service and the pages."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from coalitions.models import AuditEvent
from submissions.errors import SubmissionError, TextRefused
from submissions.imports import MAX_UNPACKED_BYTES, convert_docx
from submissions.models import Section, SectionVersion
from submissions.services.imports import word_import_discard, word_import_pending
from tests.factories import write_text
from tests.submissions.word_files import SAMPLE_NOTES, add_link, sample_document, word_file, zipped

pytestmark = pytest.mark.django_db

SAMPLE_HTML = (
    "<h2>Children in detention</h2>"
    '<p>Children are held with adults in three prisons.<span data-footnote="">Report of the ombudsman, 2024.</span>'
    ' The law forbids it <a href="https://example.org/law" rel="noopener noreferrer nofollow">since 2015</a>.</p>'
    "<h3>Recommendations</h3>"
    "<ul><li>Separate children from adults.</li><li>Publish the figures.</li></ul>"
    "<table><tbody><tr><td><p>Prison</p></td><td><p>Children</p></td></tr>"
    "<tr><td><p>Kamiti</p></td><td><p>41</p></td></tr></tbody></table>"
    '<p>Figures from the ministry.<span data-footnote="">Answer to a request of 3 May 2025.</span></p>'
)
SAMPLE_BODY_WORDS = 33
SAMPLE_NOTE_WORDS = 13


def sample_file() -> bytes:
    return word_file(sample_document, notes=SAMPLE_NOTES)


def refusal(data: bytes) -> SubmissionError:
    with pytest.raises(SubmissionError) as raised:
        convert_docx(data)
    return raised.value


# The conversion.


def test_convert_keeps_headings_lists_tables_links_and_footnotes_as_the_portals():
    converted = convert_docx(sample_file())

    assert converted.html == SAMPLE_HTML
    assert (converted.words.body, converted.words.notes) == (SAMPLE_BODY_WORDS, SAMPLE_NOTE_WORDS)
    assert converted.warnings == ()


def test_convert_moves_word_headings_one_level_down_under_the_section_title():
    def build(document):
        for level in (1, 2, 3, 4):
            document.add_heading(f"Level {level}", level=level)

    assert convert_docx(word_file(build)).html == "<h2>Level 1</h2><h3>Level 2</h3><h4>Level 3</h4><h4>Level 4</h4>"


def test_convert_keeps_a_notes_link_address_beside_its_text():
    def build(document):
        document.add_paragraph("A finding.").add_run("[[note:1]]")

    data = word_file(build, notes=("See the report.",))
    # The note's text written by hand with a link: replace the note's run by a hyperlink in footnotes.xml.
    parts = {
        name: zipfile.ZipFile(io.BytesIO(data)).read(name) for name in zipfile.ZipFile(io.BytesIO(data)).namelist()
    }
    parts["word/footnotes.xml"] = parts["word/footnotes.xml"].replace(
        b'<w:r><w:t xml:space="preserve"> See the report.</w:t></w:r>',
        b'<w:r><w:t xml:space="preserve"> See </w:t></w:r><w:hyperlink r:id="rIdNoteLink" '
        b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:r><w:t>the report</w:t>'
        b"</w:r></w:hyperlink><w:r><w:t>.</w:t></w:r>",
    )
    parts["word/_rels/footnotes.xml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        b'relationships"><Relationship Id="rIdNoteLink" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/hyperlink" Target="https://example.org/report" TargetMode="External"/></Relationships>'
    )

    converted = convert_docx(zipped(parts))

    assert (
        converted.html == '<p>A finding.<span data-footnote="">See the report (https://example.org/report).</span></p>'
    )
    assert converted.words.notes == 4


def test_convert_leaves_script_in_the_text_harmless_and_drops_unsafe_links():
    def build(document):
        paragraph = document.add_paragraph('<script>alert("x")</script> <img src=x onerror=alert(1)>')
        add_link(paragraph, "click", "javascript:alert(1)")

    converted = convert_docx(word_file(build))

    assert converted.html == ('<p>&lt;script&gt;alert("x")&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;click</p>')


def test_convert_drops_images_and_says_so(tmp_path):
    from PIL import Image

    image = tmp_path / "logo.png"
    Image.new("RGB", (4, 4), "red").save(image)

    def build(document):
        document.add_paragraph("Before the picture.")
        document.add_picture(str(image))

    converted = convert_docx(word_file(build))

    assert converted.html == "<p>Before the picture.</p>"
    assert converted.warnings == ("1 image left out: a submission is text under a word limit.",)


def test_convert_passes_on_mammoths_warnings():
    from docx.enum.style import WD_STYLE_TYPE

    def build(document):
        document.styles.add_style("Member Quote", WD_STYLE_TYPE.PARAGRAPH)
        document.add_paragraph("Quoted words.", style="Member Quote")

    converted = convert_docx(word_file(build))

    assert converted.html == "<p>Quoted words.</p>"
    assert converted.warnings == ("Unrecognised paragraph style: Member Quote (Style ID: MemberQuote)",)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"Dear coordinator, here is our input.", "it is neither a .docx nor any other kind of office document."),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "it is a PDF."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "it is an older Word file (.doc)"),
        (b"PK\x03\x04 truncated", "the file is damaged or incomplete."),
    ],
    ids=["text", "pdf", "doc", "damaged-zip"],
)
def test_convert_refuses_what_is_not_a_word_document(data, reason):
    error = refusal(data)

    assert error.code == "not_word"
    assert error.message.startswith(f"This file is not a Word document (.docx): {reason}")


def test_convert_refuses_a_zip_without_word_text():
    opendocument = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})

    assert refusal(opendocument).message == (
        "This file is not a Word document (.docx): it holds no Word text (an OpenDocument file or a spreadsheet "
        "perhaps). Save it as a Word document (.docx) first."
    )


def test_convert_refuses_a_word_file_with_broken_xml():
    parts = {
        name: zipfile.ZipFile(io.BytesIO(sample_file())).read(name)
        for name in zipfile.ZipFile(io.BytesIO(sample_file())).namelist()
    }
    parts["word/document.xml"] = b"<w:document><unclosed>"

    assert refusal(zipped(parts)).message == (
        "This file is not a Word document (.docx): the file is damaged or not a real Word document. "
        "Save it again in Word."
    )


def test_convert_refuses_a_zip_bomb_before_unpacking_it():
    parts = {
        name: zipfile.ZipFile(io.BytesIO(sample_file())).read(name)
        for name in zipfile.ZipFile(io.BytesIO(sample_file())).namelist()
    }
    parts["word/media/padding.bin"] = bytes(MAX_UNPACKED_BYTES)
    bomb = zipped(parts)
    assert len(bomb) < 200_000

    assert refusal(bomb).message == (
        "This file is not a Word document (.docx): it would unpack to more than 50.0\xa0MB, "
        "far more than any text holds."
    )


def test_convert_refuses_a_file_over_the_size_setting(settings):
    settings.WORD_IMPORT_MAX_BYTES = 10 * 1024
    data = sample_file()
    assert len(data) > 10 * 1024

    error = refusal(data)

    assert (error.code, error.message) == (
        "too_large",
        f"This file is {len(data) / 1024:.1f}\xa0KB; a Word file to import can be at most 10.0\xa0KB.",
    )


def test_convert_applies_the_sections_text_limits():
    def build(document):
        for _ in range(5200):
            document.add_paragraph("x" * 100)

    with pytest.raises(TextRefused) as raised:
        convert_docx(word_file(build))

    assert raised.value.code == "too_large"


# The pages and the service.


@pytest.fixture(autouse=True)
def no_pending_imports(request):
    """Pending imports live in the cache, which outlives the rolled-back database: forget the world's."""
    world = request.getfixturevalue("world") if "world" in request.fixturenames else None
    yield
    if world is not None:
        for person in world.people.values():
            for section in (world.section_a, world.section_b, world.final_section, world.other_section):
                if person is not None:
                    word_import_discard(section=section, user=person)


def urls(world, section=None):
    section = section or world.section_b
    args = [section.submission_id, section.pk]
    return {
        name: reverse(f"submissions:section_{name}", args=args)
        for name in ("import", "import_preview", "import_replace", "import_discard", "edit")
    }


def upload(client, world, data: bytes, name: str = "input.docx"):
    return client.post(urls(world)["import"], {"file": SimpleUploadedFile(name, data)})


def test_upload_then_preview_shows_the_text_and_both_counts(world, client):
    drafter = world.people["drafter"]
    client.force_login(drafter)

    response = upload(client, world, sample_file(), "Beta input.docx")

    assertRedirects(response, urls(world)["import_preview"], fetch_redirect_response=False)
    page = client.get(urls(world)["import_preview"])
    assertContains(page, "Children are held with adults in three prisons.")
    assertContains(page, '<sup class="footnote-call"><a href="#fn-1" id="fnref-1">1</a></sup>')
    assertContains(page, "Report of the ombudsman, 2024.")
    assertContains(page, "Beta input.docx")
    assertContains(
        page,
        f"{SAMPLE_BODY_WORDS} words, {SAMPLE_NOTE_WORDS} in notes ({SAMPLE_BODY_WORDS + SAMPLE_NOTE_WORDS} in all)",
    )
    section = world.section_b
    assertContains(page, f"{section.body_words} words, {section.note_words} in notes · budget 1,000")
    assertContains(page, f'name="base_version" value="{section.version}"')
    assertContains(page, "Replace the text with this (a new version)")
    assertContains(page, f'href="{urls(world)["edit"]}?import=beside"')


def test_replace_saves_a_new_version_of_kind_import_with_the_count_shown(world, client):
    drafter = world.people["drafter"]
    client.force_login(drafter)
    upload(client, world, sample_file(), "Beta input.docx")
    section = world.section_b

    response = client.post(urls(world)["import_replace"], {"base_version": section.version})

    assertRedirects(response, urls(world)["edit"], fetch_redirect_response=False)
    stored = Section.objects.get(pk=section.pk)
    assert (stored.body, stored.version, stored.body_words, stored.note_words, stored.last_edited_by) == (
        SAMPLE_HTML,
        3,
        SAMPLE_BODY_WORDS,
        SAMPLE_NOTE_WORDS,
        drafter,
    )
    version = stored.versions.order_by("-version").first()
    assert (version.version, version.kind, version.author, version.body) == (
        3,
        SectionVersion.Kind.IMPORT,
        drafter,
        SAMPLE_HTML,
    )
    event = AuditEvent.objects.get(action=AuditEvent.Action.SECTION_IMPORTED)
    assert (event.coalition, event.actor, event.subject, event.details) == (
        world.coalition,
        drafter,
        section.title,
        {"file": "Beta input.docx", "version": 3, "body_words": SAMPLE_BODY_WORDS, "note_words": SAMPLE_NOTE_WORDS},
    )
    assert word_import_pending(section=section, user=drafter) is None


def test_replace_after_someone_saved_is_a_conflict_that_keeps_the_import(world, client):
    drafter = world.people["drafter"]
    client.force_login(drafter)
    upload(client, world, sample_file())
    shown_version = world.section_b.version
    write_text(world.section_b, author=world.coordinator, body="<p>The coordinator's newer text.</p>")

    response = client.post(urls(world)["import_replace"], {"base_version": shown_version})

    assertContains(response, "Someone saved this section after you uploaded the file", status_code=409)
    assertContains(response, "The coordinator saved version 3, so the text was not replaced.", status_code=409)
    assertContains(response, 'name="base_version" value="3"', status_code=409)
    assert Section.objects.values_list("body", "version").get(pk=world.section_b.pk) == (
        "<p>The coordinator's newer text.</p>",
        3,
    )
    assert word_import_pending(section=world.section_b, user=drafter).html == SAMPLE_HTML
    # Chosen again, knowingly: the import becomes version 4.
    again = client.post(urls(world)["import_replace"], {"base_version": 3})
    assertRedirects(again, urls(world)["edit"], fetch_redirect_response=False)
    assert Section.objects.values_list("body", "version").get(pk=world.section_b.pk) == (SAMPLE_HTML, 4)


def test_beside_shows_the_import_read_only_in_the_editor(world, client):
    client.force_login(world.people["drafter"])
    upload(client, world, sample_file(), "Beta input.docx")

    beside = client.get(urls(world)["edit"] + "?import=beside")
    plain = client.get(urls(world)["edit"])

    assertContains(beside, "Imported from Beta input.docx (read-only)")
    assertContains(beside, "Figures from the ministry.")
    assertNotContains(plain, "Imported from Beta input.docx")
    # The section's own text is untouched.
    assert Section.objects.values_list("version", flat=True).get(pk=world.section_b.pk) == 2


def test_the_import_is_the_uploaders_own(world, client):
    client.force_login(world.people["drafter"])
    upload(client, world, sample_file())
    client.force_login(world.people["cluster lead"])

    preview = client.get(urls(world)["import_preview"])
    replace = client.post(urls(world)["import_replace"], {"base_version": world.section_b.version})

    assertRedirects(preview, urls(world)["import"], fetch_redirect_response=False)
    assertRedirects(replace, urls(world)["import"], fetch_redirect_response=False)
    assert Section.objects.values_list("version", flat=True).get(pk=world.section_b.pk) == 2


def test_discard_forgets_the_import(world, client):
    drafter = world.people["drafter"]
    client.force_login(drafter)
    upload(client, world, sample_file())

    response = client.post(urls(world)["import_discard"])

    assertRedirects(response, urls(world)["edit"], fetch_redirect_response=False)
    assert word_import_pending(section=world.section_b, user=drafter) is None


def test_upload_of_a_pdf_is_refused_with_a_plain_message(world, client):
    drafter = world.people["drafter"]
    client.force_login(drafter)

    response = upload(client, world, b"%PDF-1.7\n", "renamed.docx")

    assertContains(response, escape("This file is not a Word document (.docx): it is a PDF."), status_code=400)
    assert word_import_pending(section=world.section_b, user=drafter) is None


def test_upload_over_the_size_setting_is_refused_before_it_is_read(world, client, settings):
    settings.WORD_IMPORT_MAX_BYTES = 1024
    client.force_login(world.people["drafter"])

    response = upload(client, world, b"PK\x03\x04" + bytes(2048))

    assertContains(response, "This file is 2.0\xa0KB; a Word file to import can be at most 1.0\xa0KB.", status_code=400)


def test_the_section_pages_offer_the_import_to_those_who_may_edit(world, client):
    read_url = reverse("submissions:section", args=[world.submission.pk, world.section_b.pk])
    link = f'href="{urls(world)["import"]}"'

    client.force_login(world.people["drafter"])
    assertContains(client.get(read_url), link)
    assertContains(client.get(urls(world)["edit"]), link)
    client.force_login(world.people["reviewer"])
    assertNotContains(client.get(read_url), link)
