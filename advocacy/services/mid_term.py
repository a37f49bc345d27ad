"""Starting the mid-term report: a submission of kind MID_TERM for a review, seeded from the
coalition's implementation matrix of that review.

The report is an ordinary submission: it opens in the same editor, its sections keep versions, and
"Generate documents" runs the same job. Seeding goes through the submission and section services
(``submission_create``, ``section_add``, ``section_save``) so that every section starts with a first
version and the activity log records the creation, as for a submission started by hand.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch
from django.utils import translation
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from accounts.models import User
from advocacy.models import Assessment
from coalitions.models import Cluster, Coalition
from reviews.models import IndexTerm, Review
from submissions.documents.content import document_title
from submissions.models import Submission
from submissions.services.sections import section_save
from submissions.services.submissions import section_add, submission_create


def mid_term_title(review: Review) -> str:
    """The report's title, in the active language: the generated document's own title line."""
    return document_title(
        joint=False,
        state=review.state.local_name,
        session=review.session.number,
        cycle=review.session.cycle.number,
        kind=Submission.Kind.MID_TERM,
    )


@dataclass
class _Part:
    title: str
    cluster: Cluster | None
    assessments: list[Assessment]


def _parts(coalition: Coalition, review: Review) -> list[_Part]:
    """The matrix's relevant assessments of the review's recommendations, one part per cluster (by
    name), then per theme for those without a cluster (a recommendation's first theme by name), then
    "Other recommendations" for those with neither. Each in the order of the recommendations."""
    themes = Prefetch("recommendation__terms", queryset=IndexTerm.objects.filter(kind=IndexTerm.Kind.THEME))
    assessments = (
        Assessment.objects.filter(coalition=coalition, recommendation__review=review, relevant=True)
        .select_related("recommendation", "cluster")
        .prefetch_related(themes)
        .order_by("recommendation__paragraph_major", "recommendation__paragraph_minor", "pk")
    )
    clusters: dict[int, _Part] = {}
    by_theme: dict[str, list[Assessment]] = defaultdict(list)
    other: list[Assessment] = []
    for assessment in assessments:
        if assessment.cluster is not None:
            part = clusters.setdefault(
                assessment.cluster_id, _Part(title=assessment.cluster.name, cluster=assessment.cluster, assessments=[])
            )
            part.assessments.append(assessment)
            continue
        names = sorted(term.name for term in assessment.recommendation.terms.all())
        if names:
            by_theme[names[0]].append(assessment)
        else:
            other.append(assessment)
    parts = sorted(clusters.values(), key=lambda part: part.title.casefold())
    parts += [_Part(title=name, cluster=None, assessments=rows) for name, rows in sorted(by_theme.items())]
    if other:
        parts.append(_Part(title=_("Other recommendations"), cluster=None, assessments=other))
    return parts


def assessment_paragraph(assessment: Assessment) -> str:
    """One paragraph of HTML: the recommendation's citation, position and text, then the coalition's
    assessment, evidence and indicator (what is empty is left out). Every value is escaped."""
    recommendation = assessment.recommendation
    heading = _("%(citation)s (%(position)s):") % {
        "citation": recommendation.citation,
        "position": recommendation.get_position_display(),
    }
    parts = [
        format_html("<strong>{}</strong>", heading),
        escape(recommendation.text),
        format_html("<em>{}</em>", _("Assessment: %(level)s.") % {"level": assessment.get_level_display()}),
    ]
    if assessment.evidence.strip():
        parts.append(escape(_("Evidence: %(evidence)s") % {"evidence": " ".join(assessment.evidence.split())}))
    if assessment.indicator.strip():
        if assessment.baseline or assessment.target:
            indicator = _("Indicator: %(indicator)s (baseline: %(baseline)s; target: %(target)s).") % {
                "indicator": assessment.indicator,
                "baseline": assessment.baseline or "-",
                "target": assessment.target or "-",
            }
        else:
            indicator = _("Indicator: %(indicator)s.") % {"indicator": assessment.indicator}
        parts.append(escape(indicator))
    return format_html("<p>{}</p>", mark_safe(" ".join(parts)))  # noqa: S308 - every part is escaped above


@transaction.atomic
def mid_term_start(*, coalition: Coalition, review: Review, actor: User) -> Submission:
    """Creates the mid-term report on ``review``: a submission of kind MID_TERM titled after the
    review, in the coalition's language of its first submission for the review (English without
    one), with one section per part of the matrix (``_parts``) whose text lists the assessed
    recommendations. Each section's text is saved through ``section_save`` (version 1, cleaned with
    the one allowlist). Atomic: a refusal leaves nothing behind."""
    language = (
        Submission.objects.filter(coalition=coalition, review=review)
        .exclude(kind=Submission.Kind.MID_TERM)
        .order_by("created_at", "pk")
        .values_list("language", flat=True)
        .first()
    ) or Submission.Language.ENGLISH
    with translation.override(language):
        submission = submission_create(
            coalition=coalition,
            review=review,
            actor=actor,
            title=mid_term_title(review),
            kind=Submission.Kind.MID_TERM,
            language=language,
        )
        for part in _parts(coalition, review):
            section = section_add(submission=submission, actor=actor, title=part.title, cluster=part.cluster)
            body = "".join(assessment_paragraph(assessment) for assessment in part.assessments)
            section_save(section_id=section.pk, author=actor, body=body, base_version=0)
    return submission
