"""Demo data for a development site: the demo coalition's joint submission, drafted section by section.

The texts are invented, on the model of real stakeholder submissions: the organisations, their
reports, the cases and every figure are illustrative, attributed to the coalition's own (invented)
monitoring, and no document symbol is cited. They live in ``submissions/demo_texts/`` as one HTML
file per section and version (``<nn>-<slug>-v<k>.html``), so they can be read and reviewed as text.

Every version is written through ``section_save``, as the editor writes it: the text is cleaned,
counted and versioned by the real service. Only the timestamps are moved back afterwards, so that
the history reads like weeks of drafting rather than one second.

Idempotent: the submission is found by (coalition, review, title); sections and their versions are
created only when the submission has no sections, so running it again adds nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from coalitions.demo import PEOPLE
from coalitions.models import Cluster, Coalition, Membership, Organisation, Role
from reviews.models import Review
from submissions.models import GeneratedDocument, Section, SectionVersion, Submission
from submissions.sanitize import clean_html
from submissions.services.documents import document_generate_now
from submissions.services.sections import section_save
from submissions.services.submissions import section_add, submission_create, submission_limit
from upr_portal.wordcount import count_html, count_words

TEXTS = Path(__file__).resolve().parent / "demo_texts"

TITLE = "Joint stakeholder submission of the Demo National UPR Coalition"

KEYWORDS = (
    "Finland, remand imprisonment, solitary confinement, immigration detention, trafficking in human beings, "
    "labour exploitation, rights of the child, child poverty, mental health, violence against women, shelters, "
    "Sámi people, free, prior and informed consent, non-discrimination, SMART recommendations"
)

EXECUTIVE_SUMMARY = (
    "This joint submission of the Demo National UPR Coalition, thirteen Finnish civil-society "
    "organisations, assesses the implementation of the recommendations Finland received in the fourth "
    "cycle and reports on developments since the review of November 2022. It draws on the monitoring "
    "data and case files of member organisations and on consultations held in 2026.\n\n"
    "The coalition welcomes the consent-based definition of rape, the reform of legal gender "
    "recognition and the national action plan on fundamental and human rights. Most supported "
    "recommendations remain only partially implemented, however. Remand prisoners are still held for "
    "weeks in police cells and routinely placed under contact restrictions amounting to solitary "
    "confinement. Victims of trafficking, most of them exploited for their labour, lose assistance "
    "when criminal investigations close. Child poverty and waiting times for mental health services "
    "have grown. Shelters for survivors of violence are out of reach in the north and east, and "
    "migrant women fear losing their residence permits. Consultation of the Sámi people falls short "
    "of free, prior and informed consent.\n\n"
    "The coalition proposes specific, time-bound recommendations, including a statutory limit on "
    "police custody of remand prisoners, assistance to victims independent of criminal proceedings, "
    "a one-month maximum wait for child mental health assessments and a public implementation plan "
    "with indicators."
)

COORDINATOR = PEOPLE[0][0]  # Aino Virtanen, Northern Lights Human Rights Centre
SECRETARIAT = PEOPLE[1][0]  # Mikko Laine, Northern Lights Human Rights Centre
LEAD_CHILDREN = PEOPLE[2][0]  # Laura Nieminen, Children's Rights Alliance
LEAD_TORTURE = PEOPLE[3][0]  # Jussi Heikkinen, Centre against Torture
DRAFTER = PEOPLE[4][0]  # Sara Mäkinen, Legal Aid for Migrants
DRAFTER_TRAFFICKING = PEOPLE[5][0]  # Omar Hassan, Anti-Trafficking Network
REVIEWER = PEOPLE[6][0]  # Elina Koskinen, Institute for Human Rights Research (reads, does not write)


@dataclass(frozen=True)
class DemoSection:
    """One section: its settings, and who saved each version of its text, how many days ago."""

    slug: str  # the texts are demo_texts/<slug>-v<k>.html, k = 1, 2, ...
    title: str
    cluster: str | None  # a cluster name of coalitions.demo.CLUSTERS
    word_budget: int
    organisations: tuple[str, ...]  # acronyms of coalitions.demo.ORGANISATIONS
    people: tuple[str, ...]  # e-mail addresses of coalitions.demo.PEOPLE
    versions: tuple[tuple[str, float], ...] = ()  # (author's e-mail, days ago), oldest first

    def text(self, number: int) -> str:
        return (TEXTS / f"{self.slug}-v{number}.html").read_text(encoding="utf-8")


# Budgets add up to 5,400: the executive summary (about 200 words) counts too, within the 5,630 of a
# joint submission. Two sections are finished (1, 3), one is over its budget (5), one has just been
# started (7) and one is still empty (8). With the summary the text is about 5,550 words with 60
# footnotes, the size of a real joint submission near the limit (``make bench-docs`` renders it).
SECTIONS = (
    DemoSection(
        slug="01-introduction",
        title="Introduction and methodology",
        cluster=None,
        word_budget=400,
        organisations=("NLHRC",),
        people=(COORDINATOR, SECRETARIAT),
        versions=((SECRETARIAT, 62), (COORDINATOR, 20), (COORDINATOR, 4.2)),
    ),
    DemoSection(
        slug="02-follow-up",
        title="Follow-up to the previous review",
        cluster=None,
        word_budget=700,
        organisations=("NLHRC", "IHRR"),
        people=(SECRETARIAT, REVIEWER),
        versions=((SECRETARIAT, 55), (COORDINATOR, 31), (SECRETARIAT, 6.5)),
    ),
    DemoSection(
        slug="03-torture",
        title="Torture and conditions of detention",
        cluster="Torture and conditions of detention",
        word_budget=800,
        organisations=("CAT-FI", "LAM", "IHRR"),
        people=(LEAD_TORTURE, DRAFTER, REVIEWER),
        versions=((DRAFTER, 58), (LEAD_TORTURE, 41), (LEAD_TORTURE, 23), (COORDINATOR, 5.1)),
    ),
    DemoSection(
        slug="04-trafficking",
        title="Trafficking in human beings",
        cluster="Trafficking in human beings",
        word_budget=700,
        organisations=("ATN", "LAM", "WSF"),
        people=(DRAFTER_TRAFFICKING, DRAFTER),
        versions=((DRAFTER_TRAFFICKING, 49), (DRAFTER, 27), (DRAFTER_TRAFFICKING, 2.3)),
    ),
    DemoSection(
        slug="05-rights-of-the-child",
        title="Rights of the child",
        cluster="Rights of the child",
        word_budget=600,
        organisations=("CRA", "RYA", "DRF"),
        people=(LEAD_CHILDREN, DRAFTER),
        versions=((LEAD_CHILDREN, 52), (DRAFTER, 33), (LEAD_CHILDREN, 1.8)),
    ),
    DemoSection(
        slug="06-violence-against-women",
        title="Violence against women",
        cluster="Violence against women",
        word_budget=750,
        organisations=("WSF", "CRA", "IFS"),
        people=(SECRETARIAT,),
        versions=((SECRETARIAT, 38), (COORDINATOR, 12), (SECRETARIAT, 0.9)),
    ),
    DemoSection(
        slug="07-indigenous-peoples",
        title="Indigenous peoples' rights",
        cluster="Indigenous peoples' rights",
        word_budget=500,
        organisations=("SCHR", "IHRR"),
        people=(REVIEWER,),
        versions=((COORDINATOR, 3.4),),
    ),
    DemoSection(
        slug="08-equality",
        title="Equality and non-discrimination",
        cluster="Equality and non-discrimination",
        word_budget=200,
        organisations=("RR", "RYA", "IFS", "DRF", "OPRU"),
        people=(),
    ),
    DemoSection(
        slug="09-recommendations",
        title="Recommendations",
        cluster=None,
        word_budget=750,
        organisations=("NLHRC",),
        people=(COORDINATOR, SECRETARIAT),
        versions=((SECRETARIAT, 17), (COORDINATOR, 1.2)),
    ),
)


@transaction.atomic
def demo_submission_seed(*, coalition: Coalition, review: Review) -> Submission:
    """Creates (or finds) the demo coalition's joint submission with its sections and their history. Atomic.

    Needs coalitions.demo.demo_seed() to have run: it matches clusters by name, organisations by
    acronym among the coalition's members and people by e-mail.
    """
    users = {u.email: u for u in User.objects.filter(email__in=[email for email, *_rest in PEOPLE])}
    coordinator = users[COORDINATOR]
    submission = _joint_submission(coalition=coalition, review=review, title=TITLE, coordinator=coordinator)
    if submission.sections.exists():
        return submission

    clusters = {c.name: c for c in Cluster.objects.filter(coalition=coalition)}
    organisations = {o.acronym: o for o in Organisation.objects.filter(coalition_memberships__coalition=coalition)}
    now = timezone.now()
    for spec in SECTIONS:
        section = section_add(
            submission=submission,
            actor=coordinator,
            title=spec.title,
            cluster=clusters.get(spec.cluster) if spec.cluster else None,
            word_budget=spec.word_budget,
            organisations=[organisations[a] for a in spec.organisations if a in organisations],
            people=[users[e] for e in spec.people if e in users],
        )
        for number, (email, days_ago) in enumerate(spec.versions, start=1):
            result = section_save(
                section_id=section.pk,
                author=users[email],
                body=spec.text(number),
                base_version=section.version,
                autosave=False,
            )
            section = result.section
            _backdate(result.version, section, now - datetime.timedelta(days=days_ago))
    return submission


def _backdate(version: SectionVersion, section: Section, when: datetime.datetime) -> None:
    SectionVersion.objects.filter(pk=version.pk).update(created_at=when, saved_at=when)
    Section.objects.filter(pk=section.pk).update(last_edited_at=when)


def demo_document_seed(*, submission: Submission) -> GeneratedDocument:
    """The demo submission's first generated documents, made by the real job (no worker needed).

    Idempotent: once the submission has a generated document, nothing more is made. Call it outside
    a transaction: the job commits each of its steps, as in a worker.
    """
    existing = submission.documents.order_by("-created_at").first()
    if existing is not None:
        return existing
    coordinator = User.objects.get(email=COORDINATOR)
    return document_generate_now(submission=submission, actor=coordinator)


# National scale (`seed_demo --scale large`): a second submission of 30 sections, each saved 100 times.

LARGE_TITLE = "Joint stakeholder submission of the Demo National UPR Coalition, national scale"
LARGE_SECTIONS = 30
LARGE_VERSIONS = 100
# The final length of most sections, in words, and of two long ones: the history page's diff and
# the editor's counting meet their worst cases there (the issue measured 716, 2,865 and 5,656 words).
LARGE_SECTION_WORDS = (180, 260, 350, 450, 560, 700)
LARGE_LONG_SECTIONS = {6: 2865, 13: 5656}
# The versions grow to their final length over the first GROWTH saves (a share of the paragraphs
# each), and every save also adds one of these sentences to one paragraph, so no two neighbouring
# versions are the same (the save service would not record a save that changes nothing).
GROWTH = 60
REVISIONS = (
    "The coalition asks the Government to report on the measures taken, with figures, by the mid-term review.",
    "Member organisations confirmed these findings in consultations held in 2026.",
    "The figures are those of the coalition's own monitoring unless stated otherwise.",
    "No official data are published on this question, which is itself a concern.",
)


@dataclass(frozen=True)
class _Block:
    html: str
    body: int
    notes: int


def _top_level_blocks(html: str) -> list[str]:
    """The top-level elements of cleaned HTML, which the sanitiser writes one a line (lists and
    tables over several lines, their inner lines indented by nothing: so count the open containers)."""
    blocks, current, depth = [], [], 0
    for line in html.splitlines():
        if not line.strip():
            continue
        current.append(line)
        for tag in ("ol", "ul", "table", "blockquote"):
            depth += line.count(f"<{tag}>") + line.count(f"<{tag} ") - line.count(f"</{tag}>")
        if depth == 0:
            blocks.append("\n".join(current))
            current = []
    if current:
        blocks.append("\n".join(current))
    return blocks


def _block_pool() -> list[_Block]:
    """The latest text of every demo section, cleaned once and cut into paragraphs, lists and headings.

    Word counts add up block by block (every block starts and ends with a block element, which
    separates words), so a version's count is the sum of its blocks' counts: no text is parsed twice.
    """
    pool = []
    for spec in SECTIONS:
        if spec.versions:
            for html in _top_level_blocks(clean_html(spec.text(len(spec.versions)))):
                counts = count_html(html)
                pool.append(_Block(html=html, body=counts.body, notes=counts.notes))
    return pool


def _revised(blocks: list[_Block], number: int) -> list[_Block]:
    """The blocks of version ``number`` with that save's change: a sentence added to one paragraph,
    a different paragraph and sentence from one save to the next (a new paragraph if none is one)."""
    sentence = REVISIONS[number % len(REVISIONS)]
    paragraphs = [i for i, block in enumerate(blocks) if block.html.startswith("<p>")]
    if not paragraphs:
        return [*blocks, _Block(html=f"<p>{sentence}</p>", body=count_words(sentence), notes=0)]
    i = paragraphs[(number * 7) % len(paragraphs)]
    block = blocks[i]
    changed = _Block(
        html=f"{block.html[: -len('</p>')]} {sentence}</p>", body=block.body + count_words(sentence), notes=block.notes
    )
    return [*blocks[:i], changed, *blocks[i + 1 :]]


def _large_texts(pool: list[_Block], *, start: int, words: int, versions: int) -> list[tuple[str, int, int]]:
    """(html, body words, note words) of each version of one section, oldest first."""
    final, total, index = [], 0, start
    while total < words:
        block = pool[index % len(pool)]
        final.append(block)
        total += block.body
        index += 1
    texts = []
    for number in range(1, versions + 1):
        shown = _revised(final[: max(1, -(-len(final) * min(number, GROWTH) // GROWTH))], number)
        texts.append(("\n".join(b.html for b in shown), sum(b.body for b in shown), sum(b.notes for b in shown)))
    return texts


@transaction.atomic
def demo_large_submission_seed(
    *, coalition: Coalition, review: Review, sections: int = LARGE_SECTIONS, versions: int = LARGE_VERSIONS
) -> Submission:
    """A submission with ``sections`` sections of ``versions`` saved versions each, in bulk. Atomic.

    Needs coalitions.demo.demo_scale_seed() to have run (one cluster a section). The texts are the
    demo sections' paragraphs, cleaned and counted once, combined into versions that grow and are
    then revised; they are written in bulk rather than through section_save, which would clean and
    count 3,000 texts one by one. Idempotent like demo_submission_seed.
    """
    users = {u.email: u for u in User.objects.filter(email__in=[email for email, *_rest in PEOPLE])}
    coordinator = users[COORDINATOR]
    submission = _joint_submission(coalition=coalition, review=review, title=LARGE_TITLE, coordinator=coordinator)
    if submission.sections.exists():
        return submission

    clusters = list(
        Cluster.objects.filter(coalition=coalition)
        .select_related("lead_organisation")
        .prefetch_related("organisations")
        .order_by("pk")
    )
    drafters = {}
    for membership in Membership.objects.filter(
        coalition=coalition, is_active=True, role__in=[Role.DRAFTER, Role.CLUSTER_LEAD]
    ).select_related("user"):
        drafters.setdefault(membership.organisation_id, []).append(membership.user)
    coordinators = [users[COORDINATOR], users[SECRETARIAT]]
    budget = (submission_limit(submission).max_words - 230) // sections if submission_limit(submission) else None
    pool = _block_pool()
    now = timezone.now()
    new_versions, finished = [], []
    for number in range(sections):
        cluster = clusters[number % len(clusters)]
        organisations = list(cluster.organisations.all())
        authors = [
            person for organisation in organisations for person in drafters.get(organisation.pk, [])[:2]
        ] or coordinators
        section = section_add(
            submission=submission,
            actor=coordinator,
            title=cluster.name if number < len(clusters) else f"{cluster.name} ({number // len(clusters) + 1})",
            cluster=cluster,
            word_budget=budget,
            organisations=organisations,
            people=authors[:2],
        )
        words = LARGE_LONG_SECTIONS.get(number, LARGE_SECTION_WORDS[number % len(LARGE_SECTION_WORDS)])
        texts = _large_texts(pool, start=number * 5, words=words, versions=versions)
        # Weeks of drafting: the first save 120 days ago, the last a few hours ago.
        for version, (html, body_words, note_words) in enumerate(texts, start=1):
            when = now - datetime.timedelta(days=120 * (versions - version) / versions, hours=1 + number)
            author = (authors + coordinators)[version % (len(authors) + len(coordinators))]
            new_versions.append(
                SectionVersion(
                    section=section,
                    version=version,
                    kind=SectionVersion.Kind.SAVE,
                    title=section.title,
                    body=html,
                    body_words=body_words,
                    note_words=note_words,
                    author=author,
                    created_at=when,
                    saved_at=when,
                )
            )
        section.body, section.body_words, section.note_words = texts[-1]
        section.version = versions
        section.last_edited_by = new_versions[-1].author
        section.last_edited_at = new_versions[-1].saved_at
        finished.append(section)
    SectionVersion.objects.bulk_create(new_versions, batch_size=500)
    # auto_now_add stamped every row with the present: the history must read as weeks of work.
    SectionVersion.objects.filter(section__submission=submission).update(created_at=F("saved_at"))
    Section.objects.bulk_update(
        finished, ["body", "body_words", "note_words", "version", "last_edited_by", "last_edited_at"], batch_size=100
    )
    return submission


def _joint_submission(*, coalition, review, title: str, coordinator) -> Submission:
    """The demo's joint submission called ``title``, made by the coordinator the first time."""
    submission = Submission.objects.filter(coalition=coalition, review=review, title=title).first()
    if submission is None:
        submission = submission_create(
            coalition=coalition,
            review=review,
            actor=coordinator,
            title=title,
            kind=Submission.Kind.JOINT,
            keywords=KEYWORDS,
            executive_summary=EXECUTIVE_SUMMARY,
        )
    return submission
