"""Demo data for "After the review": what the demo coalition does with the recommendations Finland
received in the 4th cycle, and with those of its own (5th-cycle) review once it has happened.

- The previous cycle: 40 recommendations of the Working Group report on Finland (41st session,
  A/HRC/52/9), written for the project in the shape of UHRI's export and imported from
  ``reviews/data/demo/fin-cycle4-previous-recommendations.csv`` by the import service a coordinator
  uses (see the README there: the texts are invented; the States, the report symbol and the session
  are real).
- The coalition's implementation matrix: 12 of them assessed, every level used, with evidence,
  sources, indicators and the sections of the demo submission that follow them up.
- A lobbying log of three meetings, one factsheet, the pre-session statement of the demo submission.
- The uptake: eight recommendations "made" at the demo review (invented, as if the review had
  happened: ``fin-cycle5-outcome-recommendations.csv``) and one match to the coalition's own
  recommendations, confirmed.

Idempotent: recommendations are keyed by (review, paragraph), as the import keys them; assessments
by (coalition, recommendation), the factsheet by its theme, the statement by its submission; the
lobbying log and the uptake match are written once. Rows an administrator or a user changed afterwards are left alone.
Bulk writes, so the seed stays cheap for ``make run`` and the tests.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from rapidfuzz import fuzz

from accounts.models import User
from advocacy.models import (
    Assessment,
    AssessmentVersion,
    Factsheet,
    Meeting,
    Statement,
    StatementVersion,
    UptakeMatch,
)
from coalitions.demo import PEOPLE
from coalitions.models import Cluster, Coalition
from reviews.models import Cycle, Review, ReviewStatus, Session, State, UPRRecommendation
from reviews.recommendation_import import StateMatcher, import_recommendations, read_recommendations
from submissions.demo import TITLE as DEMO_SUBMISSION_TITLE
from submissions.demo_coordination import RECOMMENDATIONS as CLUSTER_RECOMMENDATIONS
from submissions.models import Recommendation, Section, Submission

DATA_DIR = Path(__file__).resolve().parent.parent / "reviews" / "data" / "demo"
PREVIOUS_FILE = DATA_DIR / "fin-cycle4-previous-recommendations.csv"
OUTCOME_FILE = DATA_DIR / "fin-cycle5-outcome-recommendations.csv"

# Finland's 4th-cycle review: 41st session of the Working Group (7-18 November 2022), reviewed on
# 9 November 2022, report A/HRC/52/9 adopted at the Council's 52nd session (sessions-cycle4.csv).
PREVIOUS_SESSION = 41
PREVIOUS_REPORT = "A/HRC/52/9"


Level = Assessment.Level

# The matrix: (paragraph, level, cluster, section of the demo submission, evidence, sources,
# indicator, baseline, target, responsible). Clusters and sections are named as in coalitions/demo.py
# and submissions/demo.py.
ASSESSMENTS = (
    (
        "81.2", Level.PARTIALLY, "Indigenous peoples' rights", "Indigenous peoples' rights",
        "A government bill reforming the Act on the Sámi Parliament was debated in 2025 but not adopted; "
        "the provisions on consultation were weakened in committee.",
        "Sámi Council for Human Rights, monitoring notes 2025\nParliamentary record of the bill's first reading",
        "", "", "", "Ministry of Justice",
    ),
    (
        "81.3", Level.NOT_IMPLEMENTED, "Indigenous peoples' rights", "Indigenous peoples' rights",
        "Two mining permits in the Sámi homeland were granted in 2025 without the consent of the reindeer "
        "herding cooperatives concerned.",
        "Sámi Council for Human Rights, case files 2025",
        "", "", "", "Ministry of Economic Affairs and Employment",
    ),
    (
        "81.5", Level.PARTIALLY, "Torture and conditions of detention", "Torture and conditions of detention",
        "The number of remand prisoners held in police cells fell by a fifth, but the legal maximum of "
        "seven days in police facilities is still applied routinely.",
        "Centre against Torture, visits to police facilities 2024-2026\nParliamentary Ombudsman, annual report",
        "Remand prisoners held in police facilities for more than four days, per year",
        "1,150 (2022)", "0 by the end of 2028", "Ministry of Justice; National Police Board",
    ),
    (
        "81.6", Level.NOT_IMPLEMENTED, "Torture and conditions of detention", "Torture and conditions of detention",
        "Contact restrictions are still ordered by the police for most remand prisoners; a court reviews them "
        "only on the prisoner's request.",
        "Legal Aid for Migrants, case files 2025\nCentre against Torture, interviews with 40 remand prisoners",
        "Share of remand prisoners under contact restrictions", "71% (2022)", "under 20% by 2028",
        "Ministry of Justice",
    ),
    (
        "81.9", Level.IMPLEMENTED, "Torture and conditions of detention", "Torture and conditions of detention",
        "The National Preventive Mechanism received two additional posts in the 2024 budget and now visits "
        "every police prison at least once in three years.",
        "State budget 2024, main title 21\nParliamentary Ombudsman, NPM report 2025",
        "", "", "", "Parliamentary Ombudsman",
    ),
    (
        "81.10", Level.PARTIALLY, "Torture and conditions of detention", "Torture and conditions of detention",
        "No child was held in immigration detention in 2025, but the law still allows it.",
        "Legal Aid for Migrants, monitoring 2025\nFinnish Immigration Service, statistics",
        "Children in immigration detention, per year", "11 (2022)", "0, and a legal prohibition",
        "Ministry of the Interior",
    ),
    (
        "81.12", Level.PARTIALLY, "Trafficking in human beings", "Trafficking in human beings",
        "Identified victims of labour trafficking rose to 180 in 2025; convictions for labour trafficking "
        "remain rare.",
        "Anti-Trafficking Network, annual report 2025\nAssistance system for victims of trafficking, statistics",
        "Convictions for trafficking for labour exploitation, per year", "2 (2022)", "15 by 2028",
        "Ministry of Justice; National Prosecution Authority",
    ),
    (
        "81.13", Level.NOT_IMPLEMENTED, "Trafficking in human beings", "Trafficking in human beings",
        "Victims still lose assistance when a criminal investigation is closed.",
        "Anti-Trafficking Network, case files 2024-2026",
        "", "", "", "Ministry of Social Affairs and Health",
    ),
    (
        "81.17", Level.NO_INFORMATION, "Rights of the child", "Rights of the child",
        "Official child poverty figures for 2025 are not yet published.",
        "Statistics Finland, release calendar",
        "Children living in low-income households", "10.4% (2021)", "under 8% by 2030",
        "Ministry of Social Affairs and Health",
    ),
    (
        "81.23", Level.PARTIALLY, "Violence against women", "Violence against women",
        "Shelter places rose to 250, still short of the Council of Europe standard; none opened in "
        "Lapland or Kainuu.",
        "Women's Shelter Federation, shelter survey 2026\nFinnish Institute for Health and Welfare",
        "Family places in shelters", "229 (2022)", "550 (one per 10,000 inhabitants)",
        "Ministry of Social Affairs and Health",
    ),
    (
        "81.34", Level.IMPLEMENTED, "Equality and non-discrimination", "Equality and non-discrimination",
        "The reformed Trans Act (2023) ended the requirement of infertility for legal gender recognition.",
        "Act on the Recognition of the Gender of Persons (295/2023)",
        "", "", "", "Ministry of Social Affairs and Health",
    ),
    (
        "81.37", Level.NO_INFORMATION, "", "Follow-up to the previous review",
        "The government promised a plan with indicators; no progress report has been published.",
        "Correspondence with the Ministry of Justice, 2026",
        "", "", "", "Ministry of Justice",
    ),
)  # fmt: skip

# The coalition's own recommendations (the torture cluster's submission) and the previous ones each follows up.
FOLLOWS_UP = {0: ("81.5", "81.7"), 1: ("81.6",), 2: ("81.8",)}

# The lobbying log: (State, channel, days ago, people, outcome, follow-up in days or None, asks raised).
MEETINGS = (
    (
        "SWE",
        Meeting.Channel.EMBASSY,
        40,
        "Aino Virtanen (NLHRC), Jussi Heikkinen (CAT-FI); the Embassy's human rights officer",
        "Sweden will consider a recommendation on police custody of remand prisoners; asked for our figures.",
        None,
        (0, 1),
    ),
    (
        "DEU",
        Meeting.Channel.EMBASSY,
        25,
        "Aino Virtanen (NLHRC); the Embassy's first secretary for political affairs",
        "Germany's priorities are not set yet; the Embassy asked us to send the factsheet in English.",
        None,
        (0,),
    ),
    (
        "MEX",
        Meeting.Channel.MISSION,
        9,
        "Mikko Laine (NLHRC), by video; two delegates of the Permanent Mission in Geneva",
        "Mexico is interested in the independent police complaints body; send the final wording "
        "before the pre-session.",
        12,
        (2,),
    ),
)

FACTSHEET_THEME = "Torture and conditions of detention"
FACTSHEET_FACTS = (
    "About 1,100 remand prisoners a year spend more than four days in police cells, where there is no "
    "daily outdoor exercise and no work or education.\n"
    "Seven in ten remand prisoners are placed under contact restrictions, ordered by the police and "
    "reviewed by a court only on request.\n"
    "Complaints of ill-treatment by the police are investigated by the police itself, under a prosecutor's "
    "lead."
)
FACTSHEET_PREVIOUS = ("81.5", "81.6", "81.7")

STATEMENT_TEXT = """\
Madam President, distinguished delegates,

This statement is delivered on behalf of the Demo National UPR Coalition, thirteen Finnish civil-society \
organisations working on torture prevention, trafficking, the rights of the child, violence against women, \
the rights of the Sámi people and equality.

At its last review, Finland supported recommendations to reduce the time remand prisoners spend in police \
facilities and to limit contact restrictions. Progress has been slow. About eleven hundred remand prisoners a \
year still spend more than four days in police cells, and seven in ten are placed under contact restrictions \
that the police order and no court reviews unless the prisoner asks.

We ask you to recommend that Finland amend the law by the end of 2028 to limit the holding of remand \
prisoners in police facilities to four days, and ensure that a court reviews every restriction on a remand \
prisoner's contacts at least every two weeks.

Victims of trafficking, most of them exploited for their labour, still lose assistance when a criminal \
investigation closes. We ask you to recommend that assistance be independent of criminal proceedings.

Waiting times for child mental health services have grown since the last review. We ask you to recommend a \
maximum wait of one month for assessments.

Shelters for survivors of violence remain out of reach in the north and east of the country, and migrant \
women fear losing their residence permits if they leave a violent partner.

Finally, consultation of the Sámi people on land use still falls short of free, prior and informed consent.

Our full submission and one-page factsheets are available on request. Thank you.
"""

# Outcome recommendation (paragraph) matched to the coalition's own recommendation (index), confirmed.
CONFIRMED_MATCH = ("99.1", 0)


@dataclass(frozen=True)
class AfterReviewReport:
    previous_review: Review
    previous: int
    assessed: int
    meetings: int
    factsheets: int
    outcome: int
    confirmed: int


class DemoFileError(Exception):
    """A demo file the import refuses: the files are the project's own, so this is a bug to fix."""


def demo_import(*, review: Review, path: Path) -> dict[str, UPRRecommendation]:
    """Imports a demo file into the review through the import service, as a coordinator would
    (UHRI's CSV columns); returns the review's recommendations by paragraph.

    Once the review has every paragraph of the file, nothing is imported again, so running the seed
    twice records one import, not two, and an administrator's edits stay.
    """
    matcher = StateMatcher()
    parsed = read_recommendations(path.read_bytes(), file_name=path.name, matcher=matcher, file_format="csv")
    if parsed.needs_mapping or parsed.problems:
        raise DemoFileError(f"{path.name}: {'; '.join(map(str, parsed.problems)) or 'columns not recognised'}")
    have = set(review.recommendations.values_list("paragraph", flat=True))
    if not {row.paragraph for row in parsed.rows} <= have:
        import_recommendations(
            review=review,
            rows=parsed.rows,
            actor=None,
            dry_run=False,
            file_name=path.name,
            file_format=parsed.file_format,
            matcher=matcher,
        )
    return {recommendation.paragraph: recommendation for recommendation in review.recommendations.all()}


def _previous_review(state: State) -> Review:
    """Finland's 4th-cycle review, created with its real session when the calendar lacks it."""
    cycle, _created = Cycle.objects.get_or_create(number=4, defaults={"start_year": 2022})
    session, _created = Session.objects.get_or_create(
        number=PREVIOUS_SESSION,
        defaults={
            "cycle": cycle,
            "wg_start": datetime.date(2022, 11, 7),
            "wg_end": datetime.date(2022, 11, 18),
            "hrc_session": 52,
            "source": "reviews/data/sessions-cycle4.csv (OHCHR press release; ILGA's UPR deadlines page)",
        },
    )
    review, _created = Review.objects.get_or_create(
        state=state,
        session=session,
        defaults={
            "status": ReviewStatus.OUTCOME_ADOPTED,
            "review_date": datetime.date(2022, 11, 9),
            "note": f"Working Group report {PREVIOUS_REPORT}.",
        },
    )
    return review


def _assess(
    coalition: Coalition, previous: dict[str, UPRRecommendation], sections: dict[str, Section], author: User
) -> int:
    clusters = {cluster.name: cluster for cluster in Cluster.objects.filter(coalition=coalition)}
    rows = [spec for spec in ASSESSMENTS if spec[0] in previous]
    done = set(
        Assessment.objects.filter(
            coalition=coalition, recommendation__in=[previous[spec[0]] for spec in rows]
        ).values_list("recommendation__paragraph", flat=True)
    )
    todo = [spec for spec in rows if spec[0] not in done]
    assessments = Assessment.objects.bulk_create(
        [
            Assessment(
                coalition=coalition,
                recommendation=previous[paragraph],
                cluster=clusters.get(cluster),
                level=level,
                evidence=evidence,
                sources=sources,
                indicator=indicator,
                baseline=baseline,
                target=target,
                responsible=responsible,
                version=1,
                updated_by=author,
            )
            for paragraph, level, cluster, _section, evidence, sources, indicator, baseline, target, responsible in todo
        ]
    )
    if any(obj.pk is None for obj in assessments):
        ids = dict(Assessment.objects.filter(coalition=coalition).values_list("recommendation__paragraph", "pk"))
        for obj, spec in zip(assessments, todo, strict=True):
            obj.pk = ids[spec[0]]
    links, versions = [], []
    for assessment, spec in zip(assessments, todo, strict=True):
        section = sections.get(spec[3])
        if section is not None:
            links.append(Assessment.sections.through(assessment_id=assessment.pk, section_id=section.pk))
        versions.append(
            AssessmentVersion(
                assessment=assessment,
                number=1,
                saved_by=author,
                data={
                    "relevant": True,
                    "level": assessment.level,
                    "evidence": assessment.evidence,
                    "sources": assessment.sources,
                    "indicator": assessment.indicator,
                    "baseline": assessment.baseline,
                    "target": assessment.target,
                    "responsible": assessment.responsible,
                    "cluster": assessment.cluster_id,
                    "sections": [section.pk] if section is not None else [],
                },
            )
        )
    Assessment.sections.through.objects.bulk_create(links, ignore_conflicts=True)
    AssessmentVersion.objects.bulk_create(versions)
    return len(rows)


def _lobby(coalition: Coalition, review: Review, asks: list[Recommendation], author: User) -> None:
    if Meeting.objects.filter(coalition=coalition, review=review).exists():
        return
    states = State.objects.in_bulk([code for code, *_rest in MEETINGS], field_name="code")
    today = timezone.localdate()
    planned = [spec for spec in MEETINGS if spec[0] in states]
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(
                coalition=coalition,
                review=review,
                state=states[code],
                channel=channel,
                held_on=today - datetime.timedelta(days=days_ago),
                people=people,
                outcome=outcome,
                follow_up_on=today + datetime.timedelta(days=follow_up) if follow_up is not None else None,
                created_by=author,
            )
            for code, channel, days_ago, people, outcome, follow_up, _raised in planned
        ]
    )
    if any(obj.pk is None for obj in meetings):
        meetings = list(Meeting.objects.filter(coalition=coalition, review=review).order_by("pk"))
    Meeting.raised.through.objects.bulk_create(
        [
            Meeting.raised.through(meeting_id=meeting.pk, recommendation_id=asks[index].pk)
            for meeting, spec in zip(meetings, planned, strict=True)
            for index in spec[6]
            if index < len(asks)
        ],
        ignore_conflicts=True,
    )


def _factsheet(coalition: Coalition, review: Review, previous, asks, author: User) -> None:
    factsheet, created = Factsheet.objects.get_or_create(
        coalition=coalition,
        review=review,
        theme=FACTSHEET_THEME,
        defaults={"key_facts": FACTSHEET_FACTS, "updated_by": author, "version": 1},
    )
    if created:
        factsheet.previous.set([previous[p] for p in FACTSHEET_PREVIOUS if p in previous])
        factsheet.asks.set(asks[:3])


@transaction.atomic
def demo_after_review_seed(*, coalition: Coalition, review: Review) -> AfterReviewReport:
    """Seeds the previous cycle's recommendations, the matrix, the lobbying log, a factsheet, the
    pre-session statement and the uptake for the demo coalition. Atomic; running it again adds nothing.

    Needs coalitions.demo.demo_seed() (the coalition, its clusters and people); uses the demo
    submissions of submissions/demo*.py where they exist and leaves out what needs them otherwise.
    """
    author = User.objects.filter(email=PEOPLE[0][0]).first()
    previous_review = _previous_review(review.state)
    previous = demo_import(review=previous_review, path=PREVIOUS_FILE)
    outcome = demo_import(review=review, path=OUTCOME_FILE)

    submission = Submission.objects.filter(coalition=coalition, review=review, title=DEMO_SUBMISSION_TITLE).first()
    sections = {section.title: section for section in submission.sections.all()} if submission else {}
    assessed = _assess(coalition, previous, sections, author)

    # The coalition's own recommendations: the torture cluster's submission (submissions/demo_coordination.py).
    by_text = {
        ask.text: ask
        for ask in Recommendation.objects.filter(
            submission__coalition=coalition,
            submission__review=review,
            text__in=[spec[0] for spec in CLUSTER_RECOMMENDATIONS],
        )
    }
    asks = [by_text[spec[0]] for spec in CLUSTER_RECOMMENDATIONS if spec[0] in by_text]
    if len(asks) == len(CLUSTER_RECOMMENDATIONS):
        Recommendation.follows_up_recommendations.through.objects.bulk_create(
            [
                Recommendation.follows_up_recommendations.through(
                    recommendation_id=asks[index].pk, uprrecommendation_id=previous[paragraph].pk
                )
                for index, paragraphs in FOLLOWS_UP.items()
                for paragraph in paragraphs
            ],
            ignore_conflicts=True,
        )
        _lobby(coalition, review, asks, author)
        _factsheet(coalition, review, previous, asks, author)
        paragraph, index = CONFIRMED_MATCH
        UptakeMatch.objects.get_or_create(
            asked=asks[index],
            made=outcome[paragraph],
            defaults={
                "coalition": coalition,
                "score": _similarity(asks[index].text, outcome[paragraph].text),
                "status": UptakeMatch.Status.CONFIRMED,
                "decided_by": author,
                "decided_at": timezone.now(),
            },
        )
    if submission is not None:
        statement, created = Statement.objects.get_or_create(
            submission=submission, defaults={"text": STATEMENT_TEXT, "version": 1, "updated_by": author}
        )
        if created:
            StatementVersion.objects.create(statement=statement, number=1, text=statement.text, saved_by=author)
    return AfterReviewReport(
        previous_review=previous_review,
        previous=len(previous),
        assessed=assessed,
        meetings=Meeting.objects.filter(coalition=coalition, review=review).count(),
        factsheets=Factsheet.objects.filter(coalition=coalition, review=review).count(),
        outcome=len(outcome),
        confirmed=UptakeMatch.objects.filter(coalition=coalition, status=UptakeMatch.Status.CONFIRMED).count(),
    )


def _similarity(asked: str, made: str) -> float:
    return round(fuzz.token_set_ratio(asked.casefold(), made.casefold()), 1)
