"""Writing the implementation matrix: save a coalition's assessment of one UN recommendation, restore
an earlier state of it.

An assessment is created on its first save. Saves are optimistic: each names the version it started
from, and a save from a stale version is refused (``StaleAssessment``, carrying the saved assessment)
so that one person never silently overwrites another's evidence. Every save writes an
``AssessmentVersion`` holding what the form holds (section ids included), numbered as the new version.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from advocacy.models import Assessment, AssessmentVersion, ImplementationLevel
from coalitions.models import Cluster, Coalition
from reviews.models import UPRRecommendation
from submissions.models import Section
from upr_portal.validators import validate_no_control_characters

# The fields an assessment's form holds, as its versions store them (with "sections", a list of ids).
TEXT_FIELDS = ("evidence", "sources", "indicator", "baseline", "target", "responsible")


class StaleAssessment(Exception):
    """Someone else saved the assessment after the form was opened: ``current`` is what they saved."""

    def __init__(self, current: Assessment):
        super().__init__("stale assessment")
        self.current = current


@dataclass(frozen=True)
class AssessmentValues:
    level: str = ImplementationLevel.NO_INFORMATION
    relevant: bool = True
    cluster_id: int | None = None
    evidence: str = ""
    sources: str = ""
    indicator: str = ""
    baseline: str = ""
    target: str = ""
    responsible: str = ""
    section_ids: tuple[int, ...] = ()

    def as_data(self) -> dict:
        return {
            "level": self.level,
            "relevant": self.relevant,
            "cluster": self.cluster_id,
            **{name: getattr(self, name) for name in TEXT_FIELDS},
            "sections": sorted(self.section_ids),
        }

    @classmethod
    def from_data(cls, data: dict) -> AssessmentValues:
        return cls(
            level=data.get("level", ImplementationLevel.NO_INFORMATION),
            relevant=bool(data.get("relevant", True)),
            cluster_id=data.get("cluster"),
            **{name: data.get(name, "") for name in TEXT_FIELDS},
            section_ids=tuple(data.get("sections", ())),
        )


def _multiline(text: str) -> str:
    """Plain text with its line breaks, each line's trailing spaces and the blank ends dropped."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    cleaned = "\n".join(lines).strip()
    # Line breaks and tabs are what a plain-text field may hold; any other control character is refused.
    validate_no_control_characters(cleaned.replace("\n", " ").replace("\t", " "))
    return cleaned


def _checked(*, coalition: Coalition, recommendation: UPRRecommendation, values: AssessmentValues) -> AssessmentValues:
    if values.level not in ImplementationLevel.values:
        raise ValidationError(_("Choose a level of implementation."), code="level")
    if values.cluster_id is not None and not Cluster.objects.filter(pk=values.cluster_id, coalition=coalition).exists():
        raise ValidationError(_("Choose one of the coalition's clusters."), code="cluster")
    section_ids = tuple(sorted(set(values.section_ids)))
    allowed = Section.objects.filter(
        pk__in=section_ids,
        submission__coalition=coalition,
        submission__review__state_id=recommendation.review.state_id,
    ).count()
    if allowed != len(section_ids):
        raise ValidationError(
            _("Choose sections of the coalition's submissions for reviews of this State."), code="sections"
        )
    texts = {name: _multiline(getattr(values, name)) for name in ("evidence", "sources")}
    texts |= {
        name: " ".join(getattr(values, name).split()) for name in ("indicator", "baseline", "target", "responsible")
    }
    return AssessmentValues(
        level=values.level,
        relevant=values.relevant,
        cluster_id=values.cluster_id,
        section_ids=section_ids,
        **texts,
    )


def assessment_values(assessment: Assessment | None, *, section_ids: Iterable[int] = ()) -> AssessmentValues:
    """What the form shows for an assessment (the defaults for one not written yet)."""
    if assessment is None:
        return AssessmentValues()
    return AssessmentValues(
        level=assessment.level,
        relevant=assessment.relevant,
        cluster_id=assessment.cluster_id,
        **{name: getattr(assessment, name) for name in TEXT_FIELDS},
        section_ids=tuple(sorted(section_ids)),
    )


@transaction.atomic
def assessment_save(
    *,
    coalition: Coalition,
    recommendation: UPRRecommendation,
    actor: User,
    values: AssessmentValues,
    expected_version: int,
) -> Assessment:
    """Saves the coalition's assessment of the recommendation (created on the first save) from the
    version ``expected_version`` the form started from, with a new AssessmentVersion. Atomic; the
    assessment's row is locked, so two saves from the same version cannot both pass.

    Raises ``StaleAssessment`` when the saved version is not ``expected_version`` and ValidationError
    for a level, cluster or section the coalition may not use.
    """
    values = _checked(coalition=coalition, recommendation=recommendation, values=values)
    assessment = (
        Assessment.objects.select_for_update().filter(coalition=coalition, recommendation=recommendation).first()
    )
    if assessment is None:
        if expected_version != 0:
            raise StaleAssessment(Assessment(coalition=coalition, recommendation=recommendation))
        assessment = Assessment(coalition=coalition, recommendation=recommendation)
    elif assessment.version != expected_version:
        raise StaleAssessment(assessment)
    assessment.level = values.level
    assessment.relevant = values.relevant
    assessment.cluster_id = values.cluster_id
    for name in TEXT_FIELDS:
        setattr(assessment, name, getattr(values, name))
    assessment.version = expected_version + 1
    assessment.updated_by = actor
    assessment.full_clean(exclude=["coalition", "recommendation", "cluster", "updated_by"], validate_unique=False)
    try:
        # A savepoint: a first save racing another first save meets the unique constraint, not a
        # broken transaction.
        with transaction.atomic():
            assessment.save()
    except IntegrityError:
        current = Assessment.objects.get(coalition=coalition, recommendation=recommendation)
        raise StaleAssessment(current) from None
    assessment.sections.set(values.section_ids)
    AssessmentVersion.objects.create(
        assessment=assessment, number=assessment.version, data=values.as_data(), saved_by=actor
    )
    return assessment


@transaction.atomic
def assessment_restore(*, assessment: Assessment, number: int, actor: User) -> Assessment:
    """Writes the values of version ``number`` as a new version (the history keeps every state).
    Sections or a cluster deleted since are left out. Atomic."""
    version = AssessmentVersion.objects.filter(assessment=assessment, number=number).first()
    if version is None:
        raise ValidationError(_("This version does not exist."), code="version")
    current = Assessment.objects.select_for_update().get(pk=assessment.pk)
    values = AssessmentValues.from_data(version.data)
    recommendation = current.recommendation
    existing_sections = tuple(
        Section.objects.filter(
            pk__in=values.section_ids,
            submission__coalition_id=current.coalition_id,
            submission__review__state_id=recommendation.review.state_id,
        ).values_list("pk", flat=True)
    )
    cluster_id = values.cluster_id
    if cluster_id is not None and not Cluster.objects.filter(pk=cluster_id, coalition_id=current.coalition_id).exists():
        cluster_id = None
    values = AssessmentValues(**{**values.__dict__, "section_ids": existing_sections, "cluster_id": cluster_id})
    return assessment_save(
        coalition=current.coalition,
        recommendation=recommendation,
        actor=actor,
        values=values,
        expected_version=current.version,
    )
