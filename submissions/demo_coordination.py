"""Demo data for the coordination of the joint report (issue 11): every state a coordinator meets.

- The coalition's joint submission (submissions/demo.py) is being drafted: its sections are in every
  workflow state (drafting, submitted for review, changes requested, approved, locked), each reached
  through recorded steps with their messages; each has its lead organisation and milestones, some
  late and some ahead; comment threads with @mentions run on three sections, one of them resolved.
- A cluster's own joint submission (the torture cluster's) has its own sections, one version of
  which was imported from Word, structured recommendations with the States to ask and their SMART
  checklists (one confirmed by a reviewer), and is in sign-off, half collected: organisations that
  endorsed the exact text (their section versions stored), one that declined with a reason, and
  the rest not answered yet.

Why the sign-off is on the cluster submission and not on the coalition's: signing needs a text whose
sections are approved, while the joint submission is the one that shows every section state, late
milestones and the dashboard of a report still in progress. The joint submission's text is also
within about 80 words of the limit, so structured recommendations (which count towards it) are shown
on the cluster submission, whose own recommendations section holds nothing but them.

Rows are written directly through the models where they record the past (steps taken, comments
written, answers given weeks ago) and their timestamps are moved back; texts go through section_save
like every other demo text. Idempotent: the joint submission gets its steps once (when none of its
sections has a step yet), and the cluster submission is made once (found by coalition and title).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from coalitions.demo import PEOPLE
from coalitions.models import Cluster, Organisation
from reviews.models import Review, State
from submissions.demo import (
    COORDINATOR,
    DRAFTER,
    DRAFTER_TRAFFICKING,
    LEAD_CHILDREN,
    LEAD_TORTURE,
    REVIEWER,
    SECRETARIAT,
    SECTIONS,
    TEXTS,
)
from submissions.models import (
    Comment,
    Recommendation,
    Section,
    SectionTransition,
    SectionVersion,
    SignOff,
    Submission,
    SubmissionSignatory,
    SubmissionTransition,
)
from submissions.models.core import SectionState
from submissions.services.sections import section_save
from submissions.services.submissions import section_add, submission_create

S = SectionState
# The steps that lead to each state, from drafting: (action, source, target).
PATHS = {
    S.DRAFTING: [],
    S.SUBMITTED: [("submit", S.DRAFTING, S.SUBMITTED)],
    S.CHANGES_REQUESTED: [
        ("submit", S.DRAFTING, S.SUBMITTED),
        ("request_changes", S.SUBMITTED, S.CHANGES_REQUESTED),
    ],
    S.APPROVED: [("submit", S.DRAFTING, S.SUBMITTED), ("approve", S.SUBMITTED, S.APPROVED)],
    S.LOCKED: [
        ("submit", S.DRAFTING, S.SUBMITTED),
        ("approve", S.SUBMITTED, S.APPROVED),
        ("lock", S.APPROVED, S.LOCKED),
    ],
}


@dataclass(frozen=True)
class SectionPlan:
    """Where one section of the joint submission stands: its state, the steps' messages and people,
    its lead organisation and its milestones in days from now (negative: passed)."""

    state: str
    lead: str  # an organisation's acronym
    steps: tuple[tuple[str, str, float], ...]  # (person's e-mail, message, days ago), one per step of _PATHS
    first_draft: float | None = None
    review: float | None = None
    final: float | None = None


# One plan per section of submissions.demo.SECTIONS, in the same order.
PLANS = (
    SectionPlan(  # Introduction: approved and locked by the coordinator
        S.LOCKED,
        "NLHRC",
        (
            (SECRETARIAT, "Ready for review: the methodology now names the consultations of 2026.", 19),
            (COORDINATOR, "Approved as it stands.", 8),
            (COORDINATOR, "Locked for the consolidated text.", 4),
        ),
        first_draft=-30,
        review=-15,
        final=-6,
    ),
    SectionPlan(  # Follow-up: approved
        S.APPROVED,
        "NLHRC",
        (
            (SECRETARIAT, "", 6),
            (COORDINATOR, "Checked against the matrix of the fourth cycle's recommendations.", 3),
        ),
        first_draft=-21,
        review=-7,
        final=5,
    ),
    SectionPlan(  # Torture: approved by the cluster's lead, after changes
        S.APPROVED,
        "CAT-FI",
        (
            (LEAD_TORTURE, "First full draft, with the figures from the police cells.", 12),
            (LEAD_TORTURE, "Approved: the solitary confinement figures are now sourced.", 4.5),
        ),
        first_draft=-14,
        review=-5,
        final=9,
    ),
    SectionPlan(  # Trafficking: submitted for review, the review is late
        S.SUBMITTED,
        "ATN",
        ((DRAFTER_TRAFFICKING, "Please check the paragraph on residence permits in particular.", 2),),
        first_draft=-4,
        review=-1,
        final=12,
    ),
    SectionPlan(  # Rights of the child: over its budget, changes requested
        S.CHANGES_REQUESTED,
        "CRA",
        (
            (LEAD_CHILDREN, "", 5),
            (
                COORDINATOR,
                "The section is over its budget: please cut it to 600 words, keeping the recommendations on "
                "child mental health.",
                1.5,
            ),
        ),
        first_draft=-6,
        review=-2,
        final=3,
    ),
    SectionPlan(  # Violence against women: submitted, on time
        S.SUBMITTED,
        "WSF",
        ((SECRETARIAT, "Shelter figures updated to the end of 2025.", 0.8),),
        first_draft=-1,
        review=6,
        final=14,
    ),
    SectionPlan(S.DRAFTING, "SCHR", (), first_draft=7, review=14, final=21),  # Indigenous peoples: just started
    SectionPlan(S.DRAFTING, "RR", (), first_draft=-3, review=7, final=14),  # Equality: empty and late
    SectionPlan(S.DRAFTING, "NLHRC", (), first_draft=10, review=17, final=24),  # Recommendations
)

# Comment threads on the joint submission: (section index in SECTIONS, quote, [(author, text, days ago)],
# resolved by (e-mail, days ago) or None). "@Name" mentions a member by the name the portal shows.
THREADS = (
    (
        4,
        "",
        [
            (COORDINATOR, "@Laura Nieminen the section is more than 150 words over its budget. Can you cut it?", 1.5),
            (LEAD_CHILDREN, "Yes: I will shorten the part on child poverty by Friday.", 1.2),
        ],
        None,
    ),
    (
        2,
        "solitary confinement of 22 hours a day or more",
        [
            (REVIEWER, "Which source gives the number of days? @Jussi Heikkinen", 10),
            (LEAD_TORTURE, "Our own monitoring visits of 2025; the footnote now says so.", 9),
        ],
        (LEAD_TORTURE, 8.5),
    ),
    (
        3,
        "",
        [
            (
                REVIEWER,
                "@Omar Hassan @Sara Mäkinen the figures for 2025 differ between two paragraphs: which is right?",
                0.5,
            ),
        ],
        None,
    ),
)

# The torture cluster's own joint submission.
CLUSTER_NAME = "Torture and conditions of detention"
CLUSTER_TITLE = "Joint submission of the cluster on torture and conditions of detention"
CLUSTER_SUMMARY = (
    "Three member organisations of the Demo National UPR Coalition report on remand imprisonment in police "
    "cells and on contact restrictions that amount to solitary confinement."
)
CLUSTER_SECTIONS = (
    # title, word budget, the demo text it starts from, (author, days ago, imported from Word) per version
    (
        "Remand imprisonment and police cells",
        900,
        "03-torture-v3.html",
        ((LEAD_TORTURE, 30, False), (DRAFTER, 24, True)),
    ),
    ("Recommendations", 400, None, ()),
)
# The recommendations of the cluster submission: text, theme, States to ask (codes), SMART ticks, confirmed.
RECOMMENDATIONS = (
    (
        "Amend the law by the end of 2028 to limit the holding of remand prisoners in police facilities to four days.",
        "Conditions of detention",
        ("SWE", "NOR", "DEU"),
        (True, True, True, True, True),
        True,
    ),
    (
        "Ensure that a court reviews every restriction on a remand prisoner's contacts at least every two weeks.",
        "Conditions of detention",
        ("CAN", "NZL"),
        (True, True, True, True, False),
        False,
    ),
    (
        "Establish an independent body, outside the police, to investigate complaints of ill-treatment by police.",
        "Accountability",
        ("MEX", "PSE", "VAT"),
        (True, False, True, True, False),
        False,
    ),
)
# Who signs the cluster submission, in order: (organisation, designated person, answer, reason, days ago).
SIGN_OFFS = (
    ("CAT-FI", LEAD_TORTURE, SignOff.Status.ENDORSED, "", 2),
    ("NLHRC", COORDINATOR, SignOff.Status.ENDORSED, "", 1.5),
    (
        "LAM",
        DRAFTER,
        SignOff.Status.DECLINED,
        "Our board asks that the recommendation on immigration detention of children be included before we sign.",
        1,
    ),
    ("IHRR", REVIEWER, SignOff.Status.PENDING, "", None),
)


@transaction.atomic
def demo_coordination_seed(*, submission: Submission) -> Submission:
    """Gives the joint submission's sections their states, steps, leads, milestones and comments. Atomic.

    Needs submissions.demo.demo_submission_seed() to have run. Does nothing once any of the
    submission's sections has a step recorded.
    """
    sections = list(submission.sections.order_by("position", "pk"))
    if SectionTransition.objects.filter(section__submission=submission).exists() or len(sections) != len(SECTIONS):
        return submission
    users = _users()
    organisations = _organisations(submission)
    now = timezone.now()
    transitions = []
    for section, plan in zip(sections, PLANS, strict=True):
        section.state = plan.state
        section.lead_organisation = organisations.get(plan.lead)
        for name, days in (
            ("first_draft_due", plan.first_draft),
            ("review_due", plan.review),
            ("final_due", plan.final),
        ):
            setattr(section, name, _at_noon(now, days) if days is not None else None)
        for (action, source, target), (email, message, days_ago) in zip(PATHS[plan.state], plan.steps, strict=True):
            transitions.append(
                (
                    SectionTransition(
                        section=section,
                        action=action,
                        source=source,
                        target=target,
                        actor=users[email],
                        message=message,
                    ),
                    now - datetime.timedelta(days=days_ago),
                )
            )
    Section.objects.bulk_update(
        sections, ["state", "lead_organisation", "first_draft_due", "review_due", "final_due"], batch_size=100
    )
    _create_backdated(transitions)
    _comment_threads(sections, users, now)
    return submission


@transaction.atomic
def demo_cluster_submission_seed(*, coalition, review: Review) -> Submission | None:
    """Creates (or finds) the torture cluster's own joint submission, in sign-off and half signed. Atomic.

    Needs coalitions.demo.demo_seed(); None when the coalition has no such cluster.
    """
    existing = Submission.objects.filter(coalition=coalition, title=CLUSTER_TITLE).first()
    if existing is not None:
        return existing
    cluster = Cluster.objects.filter(coalition=coalition, name=CLUSTER_NAME).select_related("lead_organisation").first()
    if cluster is None:
        return None
    users = _users()
    coordinator = users[COORDINATOR]
    members = [cluster.lead_organisation, *cluster.organisations.exclude(pk=cluster.lead_organisation_id)]
    submission = submission_create(
        coalition=coalition,
        review=review,
        actor=coordinator,
        title=CLUSTER_TITLE,
        kind=Submission.Kind.JOINT,
        keywords="remand imprisonment, police cells, solitary confinement",
        executive_summary=CLUSTER_SUMMARY,
    )
    submission.cluster = cluster
    submission.save(update_fields=["cluster"])
    now = timezone.now()
    sections = []
    for title, budget, text, versions in CLUSTER_SECTIONS:
        section = section_add(
            submission=submission,
            actor=coordinator,
            title=title,
            cluster=cluster,
            word_budget=budget,
            organisations=members,
            people=[users[LEAD_TORTURE], users[DRAFTER]],
        )
        body = (TEXTS / text).read_text(encoding="utf-8") if text else ""
        for number, (email, days_ago, imported) in enumerate(versions, start=1):
            if number > 1:  # the member's input from Word: the text with its opening paragraph revised
                body = body.replace("<p>", "<p>Updated with the visits of November 2026. ", 1)
            result = section_save(
                section_id=section.pk, author=users[email], body=body, base_version=section.version, imported=imported
            )
            section = result.section
            when = now - datetime.timedelta(days=days_ago)
            SectionVersion.objects.filter(pk=result.version.pk).update(created_at=when, saved_at=when)
            Section.objects.filter(pk=section.pk).update(last_edited_at=when)
        sections.append(section)
    steps = []
    for section in sections:
        section.state = S.APPROVED
        section.lead_organisation = cluster.lead_organisation
        section.first_draft_due = _at_noon(now, -28)
        section.review_due = _at_noon(now, -14)
        section.final_due = _at_noon(now, -7)
        steps.append(
            (
                SectionTransition(
                    section=section, action="submit", source=S.DRAFTING, target=S.SUBMITTED, actor=users[LEAD_TORTURE]
                ),
                now - datetime.timedelta(days=20),
            )
        )
        steps.append(
            (
                SectionTransition(
                    section=section,
                    action="approve",
                    source=S.SUBMITTED,
                    target=S.APPROVED,
                    actor=users[LEAD_TORTURE],
                    message="Agreed in the cluster's call.",
                ),
                now - datetime.timedelta(days=9),
            )
        )
    Section.objects.bulk_update(
        sections, ["state", "lead_organisation", "first_draft_due", "review_due", "final_due"], batch_size=100
    )
    _create_backdated(steps)
    _recommendations(submission, sections[-1], users, now)
    _sign_off(submission, users, now)
    return submission


def _sign_off(submission: Submission, users: dict[str, User], now: datetime.datetime) -> None:
    """Consolidation, then sign-off opened three days ago; the answers as SIGN_OFFS gives them."""
    coordinator = users[COORDINATOR]
    acronyms = [acronym for acronym, *_rest in SIGN_OFFS]
    organisations = _organisations(submission)
    SubmissionSignatory.objects.bulk_create(
        [
            SubmissionSignatory(submission=submission, organisation=organisations[acronym], position=position)
            for position, acronym in enumerate(acronyms, start=1)
        ]
    )
    _create_backdated(
        [
            (
                SubmissionTransition(
                    submission=submission,
                    action="consolidate",
                    source=Submission.Status.DRAFT,
                    target=Submission.Status.CONSOLIDATION,
                    actor=coordinator,
                ),
                now - datetime.timedelta(days=6),
            ),
            (
                SubmissionTransition(
                    submission=submission,
                    action="open_sign_off",
                    source=Submission.Status.CONSOLIDATION,
                    target=Submission.Status.SIGN_OFF,
                    actor=coordinator,
                    message="Please answer by Friday: the cluster files on 15 December.",
                ),
                now - datetime.timedelta(days=3),
            ),
        ]
    )
    submission.status = Submission.Status.SIGN_OFF
    submission.save(update_fields=["status"])
    versions = {
        str(pk): version for pk, version in submission.sections.order_by("position", "pk").values_list("pk", "version")
    }
    rows = []
    for acronym, email, status, reason, days_ago in SIGN_OFFS:
        answered = now - datetime.timedelta(days=days_ago) if days_ago is not None else None
        rows.append(
            SignOff(
                submission=submission,
                organisation=organisations[acronym],
                person=users[email],
                status=status,
                reason=reason,
                section_versions=versions if status == SignOff.Status.ENDORSED else {},
                answered_at=answered,
                answered_by=users[email] if answered else None,
            )
        )
    SignOff.objects.bulk_create(rows)
    SignOff.objects.filter(submission=submission).update(requested_at=now - datetime.timedelta(days=3))


def _recommendations(submission: Submission, section: Section, users: dict[str, User], now) -> None:
    states = {state.code: state for state in State.objects.filter(code__in={c for r in RECOMMENDATIONS for c in r[2]})}
    for position, (text, theme, codes, ticks, confirmed) in enumerate(RECOMMENDATIONS, start=1):
        recommendation = Recommendation.objects.create(
            submission=submission,
            section=section,
            position=position,
            text=text,
            theme=theme,
            created_by=users[LEAD_TORTURE],
            smart_confirmed_by=users[REVIEWER] if confirmed else None,
            smart_confirmed_at=now - datetime.timedelta(days=10) if confirmed else None,
            **dict(
                zip(
                    ("smart_specific", "smart_measurable", "smart_achievable", "smart_relevant", "smart_time_bound"),
                    ticks,
                    strict=True,
                )
            ),
        )
        recommendation.recommending_states.set([states[code] for code in codes if code in states])


def _comment_threads(sections: list[Section], users: dict[str, User], now: datetime.datetime) -> None:
    names = {user.pk: user for user in users.values()}
    for index, quote, messages, resolved in THREADS:
        section = sections[index]
        thread = None
        for author_email, text, days_ago in messages:
            comment = Comment.objects.create(
                section=section,
                parent=thread,
                author=users[author_email],
                body=text,
                quote=quote if thread is None else "",
            )
            Comment.objects.filter(pk=comment.pk).update(created_at=now - datetime.timedelta(days=days_ago))
            comment.mentions.set([user for user in names.values() if f"@{user.full_name}" in text])
            thread = thread or comment
        if resolved is not None:
            email, days_ago = resolved
            Comment.objects.filter(pk=thread.pk).update(
                resolved_by=users[email], resolved_at=now - datetime.timedelta(days=days_ago)
            )


def _create_backdated(rows: list[tuple]) -> None:
    """Creates each (transition, when) and moves its auto_now_add timestamp back to when it happened."""
    for row, when in rows:
        row.save()
        type(row).objects.filter(pk=row.pk).update(created_at=when)


def _users() -> dict[str, User]:
    return {u.email: u for u in User.objects.filter(email__in=[email for email, *_rest in PEOPLE])}


def _organisations(submission: Submission) -> dict[str, Organisation]:
    return {
        o.acronym: o for o in Organisation.objects.filter(coalition_memberships__coalition_id=submission.coalition_id)
    }


def _at_noon(now: datetime.datetime, days: float) -> datetime.datetime:
    """``days`` from now, at noon UTC: milestones fall on a working day's middle, not at the seeding's second."""
    moment = now + datetime.timedelta(days=days)
    return moment.replace(hour=12, minute=0, second=0, microsecond=0)
