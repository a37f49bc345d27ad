"""`make bench`'s figure for the contribution dashboard (issue 11): its latency and query count at the
size of a national coalition (`seed_demo --scale large`: 90 more organisations, 250 more people, a
submission of 30 sections saved 100 times each), as the coordinator opens it, filtered and as CSV."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

# The page reads every version's numbers (3,000 rows): fewer requests than the light pages keep the
# bench short, and enough for a steady median.
MAX_REQUESTS = 30


def dashboard_bench(*, requests: int, measure: Callable[[Client, str, int], str]) -> None:
    from coalitions.models import Membership, Role
    from scripts.bench_load import seed_national_scale
    from submissions.models import SectionVersion

    coalition, submission = seed_national_scale()
    coordinator = (
        Membership.objects.filter(coalition=coalition, role=Role.COORDINATOR, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
        .user
    )
    client = Client()
    client.force_login(coordinator)
    versions = SectionVersion.objects.filter(section__submission=submission).count()
    print(
        f"dashboard at national scale: {Membership.objects.filter(coalition=coalition).count()} people, "
        f"{submission.sections.count()} sections, {versions} versions"
    )
    count = min(requests, MAX_REQUESTS)
    page = reverse("submissions:dashboard", args=[submission.pk])
    csv = reverse("submissions:dashboard_csv", args=[submission.pk])
    print(f"GET dashboard                  {measure(client, page, count)}")
    print(f"GET dashboard late, by words   {measure(client, page + '?late=on&person_sort=-words', count)}")
    print(f"GET dashboard CSV (people)     {measure(client, csv + '?table=people', count)}")
