"""A small joint submission to make documents from: three organisations, three sections, footnotes."""

from dataclasses import dataclass

from coalitions.models import Coalition, Organisation
from reviews.models import DocumentLimit
from submissions.models import Section, Submission
from tests.factories.accounts import UserFactory
from tests.factories.coalitions import CoalitionFactory, CoalitionOrganisationFactory, OrganisationFactory
from tests.factories.reviews import CycleFactory, DocumentLimitFactory, ReviewFactory, SessionFactory, StateFactory
from tests.factories.submissions import SectionFactory, SubmissionFactory, write_text

# Each paragraph's words are unique across the document, so a test can find each one exactly once.
SECTION_TEXTS = (
    (
        "Introduction",
        300,
        "<p>Alpha coalition gathered evidence from twelve monitoring visits."
        '<span data-footnote="">Visit reports archived by Alpha Watch.</span></p>'
        "<p>Bravo findings describe overcrowded remand cells.</p>",
    ),
    (
        "Detention",
        20,
        "<h3>Police custody</h3>"
        "<p>Charlie detainees waited nineteen days in police cells."
        '<span data-footnote="">Case files of Bravo Legal Aid.</span>'
        '<span data-footnote="">Interviews held in March.</span></p>'
        "<ul><li>Delta first listed concern</li><li>Echo second listed concern</li></ul>"
        "<p>Foxtrot <strong>inspectors</strong> recommend a statutory limit.</p>",
    ),
    (
        "Recommendations",
        None,
        "<p>Golf: adopt a statutory limit on police custody by 2028."
        '<span data-footnote="">As recommended in the previous cycle.</span></p>',
    ),
)


def long_section_text(paragraphs: int = 24) -> str:
    """Paragraphs of 60 words each, every one opening with its own marker word ("Kilo01", "Kilo02"...)."""
    filler = (
        "the coalition documented how remand prisoners were held in police cells for many weeks without "
        "contact with their families or lawyers while investigators renewed the restrictions every fortnight "
        "and courts approved each request on the papers alone without hearing the detainee in person"
    )
    words = (filler + " " + filler).split()
    return "".join(f"<p>Kilo{n:02d} {' '.join(words[: 60 - 1])}</p>" for n in range(1, paragraphs + 1))


@dataclass
class DocumentWorld:
    coalition: Coalition
    organisations: list[Organisation]
    submission: Submission
    sections: list[Section]
    limit: DocumentLimit


def document_world(
    *, max_words: int = 5630, max_pages: int | None = 10, notes_count: bool = True, long_section: bool = False
) -> DocumentWorld:
    """A joint submission to the 52nd session (4th cycle) by a coalition of three organisations.

    With ``long_section``, a fourth section ("Remand", budget 100) of 24 paragraphs of 60 words
    makes the text run over several pages.
    """
    state = StateFactory(code="XFI", name="Finlandia")
    review = ReviewFactory(state=state, session=SessionFactory(number=52, cycle=CycleFactory(number=4)))
    limit = DocumentLimitFactory(
        cycle=review.session.cycle,
        kind=DocumentLimit.Kind.JOINT,
        max_words=max_words,
        max_pages=max_pages,
        notes_count=notes_count,
    )
    country = StateFactory(code="XKE", name="Kenyana")
    organisations = [
        OrganisationFactory(
            name="Alpha Watch",
            acronym="AW",
            city="Nairobi",
            country=country,
            description="Alpha Watch monitors places of detention.",
        ),
        OrganisationFactory(
            name="Bravo Legal Aid", acronym="BLA", city="Mombasa", country=country, description="Free legal aid."
        ),
        OrganisationFactory(name="Charlie Institute", acronym="", city="Kisumu", country=country, description=""),
    ]
    coalition = CoalitionFactory(name="Kenyana UPR Coalition", acronym="KUC", secretariat=organisations[0])
    for organisation in organisations:
        CoalitionOrganisationFactory(coalition=coalition, organisation=organisation)
    submission = SubmissionFactory(
        coalition=coalition,
        review=review,
        title="Joint submission on detention",
        keywords="detention, police custody",
        executive_summary="Hotel summary of the submission in eight words.",
    )
    author = UserFactory()
    sections = []
    for title, budget, body in SECTION_TEXTS:
        section = SectionFactory(submission=submission, title=title, word_budget=budget)
        write_text(section, author=author, body=body)
        sections.append(section)
    if long_section:
        section = SectionFactory(submission=submission, title="Remand", word_budget=100)
        write_text(section, author=author, body=long_section_text())
        sections.append(section)
    return DocumentWorld(
        coalition=coalition, organisations=organisations, submission=submission, sections=sections, limit=limit
    )
