import factory
from django.db.models import Max

from accounts.models import User
from submissions.models import Section, Submission
from submissions.services.sections import SaveResult, section_save
from tests.factories.coalitions import CoalitionFactory
from tests.factories.reviews import ReviewFactory


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A joint submission for one of its coalition's reviews (submission_create refuses any other)."""

    class Meta:
        model = Submission
        skip_postgeneration_save = True

    coalition = factory.SubFactory(CoalitionFactory)
    review = factory.SubFactory(ReviewFactory)
    kind = Submission.Kind.JOINT
    title = factory.Sequence(lambda n: f"Joint submission {n}")

    @factory.post_generation
    def _review_of_coalition(obj, create, extracted, **kwargs):
        if create:
            obj.coalition.reviews.add(obj.review)


class SectionFactory(factory.django.DjangoModelFactory):
    """An empty section. Give it text with write_text, never ``body=``: versions and counts come from the service."""

    class Meta:
        model = Section
        skip_postgeneration_save = True

    submission = factory.SubFactory(SubmissionFactory)
    position = factory.LazyAttribute(lambda o: (o.submission.sections.aggregate(last=Max("position"))["last"] or 0) + 1)
    title = factory.Sequence(lambda n: f"Section {n}")

    @factory.post_generation
    def assigned_organisations(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.assigned_organisations.set(extracted)

    @factory.post_generation
    def assigned_people(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.assigned_people.set(extracted)


def write_text(
    section: Section, *, author: User, body: str, autosave: bool = False, title: str | None = None
) -> SaveResult:
    """Saves text through section_save, based on the stored version, and refreshes ``section``."""
    stored = Section.objects.values_list("version", flat=True).get(pk=section.pk)
    result = section_save(
        section_id=section.pk, author=author, body=body, base_version=stored, title=title, autosave=autosave
    )
    section.refresh_from_db()
    return result
