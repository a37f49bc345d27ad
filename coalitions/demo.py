"""Demo data for a development site: one coalition drafting for a real upcoming review.

Everything is created with get_or_create on natural keys, so running it again changes nothing.
The organisations and people are invented; the State and the review order are real.
"""

import datetime
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from coalitions.models import (
    AuditEvent,
    Cluster,
    Coalition,
    CoalitionOrganisation,
    Invitation,
    Membership,
    Organisation,
    Role,
)
from reviews.models import Cycle, DocumentLimit, Review, Session, State
from reviews.services import geneva_deadline

DEMO_PASSWORD = "demo-upr-2027"  # noqa: S105 - printed on purpose; seed_demo refuses to run with debug off
DEMO_STATE_CODE = "FIN"

ORGANISATIONS = [
    # name, acronym, kind, city, description
    (
        "Northern Lights Human Rights Centre",
        "NLHRC",
        Organisation.Kind.NGO,
        "Helsinki",
        "Coordinates the national UPR coalition and monitors the implementation of recommendations.",
    ),
    (
        "Children's Rights Alliance",
        "CRA",
        Organisation.Kind.NETWORK,
        "Tampere",
        "A network of 40 organisations working for the rights of the child.",
    ),
    (
        "Legal Aid for Migrants",
        "LAM",
        Organisation.Kind.NGO,
        "Helsinki",
        "Free legal advice to asylum seekers and migrant workers.",
    ),
    (
        "Sámi Council for Human Rights",
        "SCHR",
        Organisation.Kind.NGO,
        "Inari",
        "Defends the rights of the Sámi people in law and practice.",
    ),
    (
        "Institute for Human Rights Research",
        "IHRR",
        Organisation.Kind.ACADEMIC,
        "Turku",
        "A university institute researching the domestic effect of human rights treaties.",
    ),
    (
        "Centre against Torture",
        "CAT-FI",
        Organisation.Kind.NGO,
        "Helsinki",
        "Rehabilitation of torture survivors and monitoring of places of detention.",
    ),
    (
        "Anti-Trafficking Network",
        "ATN",
        Organisation.Kind.NETWORK,
        "Oulu",
        "Identifies and supports victims of trafficking in human beings.",
    ),
    (
        "Disability Rights Forum",
        "DRF",
        Organisation.Kind.NGO,
        "Jyväskylä",
        "Persons with disabilities speaking for their own rights.",
    ),
    (
        "Women's Shelter Federation",
        "WSF",
        Organisation.Kind.NETWORK,
        "Helsinki",
        "Runs shelters and a national helpline for survivors of violence.",
    ),
    (
        "Interfaith Solidarity",
        "IFS",
        Organisation.Kind.FAITH_BASED,
        "Vaasa",
        "Faith communities working together against discrimination.",
    ),
    ("Rainbow Rights", "RR", Organisation.Kind.NGO, "Helsinki", "Equality and safety for LGBTI people."),
    ("Roma Youth Association", "RYA", Organisation.Kind.NGO, "Lahti", "Education and participation of young Roma."),
    (
        "Older Persons' Rights Union",
        "OPRU",
        Organisation.Kind.OTHER,
        "Kuopio",
        "Rights of older persons in care and in working life.",
    ),
]

CLUSTERS = [
    # name, lead acronym, member acronyms
    ("Torture and conditions of detention", "CAT-FI", ["LAM", "IHRR"]),
    ("Trafficking in human beings", "ATN", ["LAM", "WSF"]),
    ("Rights of the child", "CRA", ["RYA", "DRF"]),
    ("Indigenous peoples' rights", "SCHR", ["IHRR"]),
    ("Violence against women", "WSF", ["CRA", "IFS"]),
    ("Equality and non-discrimination", "RR", ["RYA", "IFS", "DRF", "OPRU"]),
]

PEOPLE = [
    # email, full name, organisation acronym, role
    ("coordinator@demo.example.org", "Aino Virtanen", "NLHRC", Role.COORDINATOR),
    ("secretariat@demo.example.org", "Mikko Laine", "NLHRC", Role.COORDINATOR),
    ("lead.children@demo.example.org", "Laura Nieminen", "CRA", Role.CLUSTER_LEAD),
    ("lead.torture@demo.example.org", "Jussi Heikkinen", "CAT-FI", Role.CLUSTER_LEAD),
    ("drafter@demo.example.org", "Sara Mäkinen", "LAM", Role.DRAFTER),
    ("drafter.trafficking@demo.example.org", "Omar Hassan", "ATN", Role.DRAFTER),
    ("reviewer@demo.example.org", "Elina Koskinen", "IHRR", Role.REVIEWER),
    ("observer@demo.example.org", "Pekka Salo", "OPRU", Role.OBSERVER),
]


PENDING_INVITATIONS = [
    # email, full name, organisation acronym, role
    ("new.drafter@demo.example.org", "Hanna Lehtonen", "DRF", Role.DRAFTER),
    ("new.reviewer@demo.example.org", "Ville Korhonen", "RR", Role.REVIEWER),
]


@dataclass(frozen=True)
class DemoReport:
    coalition: Coalition
    review: Review
    sign_ins: list[tuple[str, str]]


def _demo_review() -> Review:
    """The review of Finland opening the 5th cycle.

    The 5th cycle is not yet scheduled; the fixed order (HRC decision 17/119) starts it with the
    States of the 41st session, Finland among them, so the session is created as provisional.
    """
    cycle, _created = Cycle.objects.get_or_create(number=5, defaults={"start_year": 2027})
    four = Cycle.objects.filter(number=4).first()
    if four is not None:
        for limit in four.limits.all():
            DocumentLimit.objects.get_or_create(
                cycle=cycle,
                kind=limit.kind,
                defaults={
                    "max_words": limit.max_words,
                    "max_pages": limit.max_pages,
                    "notes_count": limit.notes_count,
                    "note": limit.note,
                },
            )
    session, _created = Session.objects.get_or_create(
        number=55,
        defaults={
            "cycle": cycle,
            "wg_start": datetime.date(2027, 11, 1),
            "wg_end": datetime.date(2027, 11, 12),
            "hrc_session": 67,
            "dates_provisional": True,
            "source": "Demo estimate: the 5th cycle is not yet scheduled (fixed order of HRC decision 17/119).",
        },
    )
    state = State.objects.get(code=DEMO_STATE_CODE)
    review, _created = Review.objects.get_or_create(
        state=state,
        session=session,
        defaults={
            "submission_window_opens": geneva_deadline(datetime.date(2027, 2, 17)).replace(hour=9, minute=0),
            "stakeholder_deadline": geneva_deadline(datetime.date(2027, 3, 31)),
            "national_report_deadline": geneva_deadline(datetime.date(2027, 8, 9)),
            "pre_session": datetime.date(2027, 10, 6),
            "review_date": datetime.date(2027, 11, 3),
            "adoption_date": datetime.date(2028, 3, 24),
            "mid_term_report_due": datetime.date(2030, 3, 31),
            "note": "Demo estimates, derived from the usual UPR timeline.",
        },
    )
    return review


@transaction.atomic
def demo_seed() -> DemoReport:
    """Creates (or finds) the demo coalition, its organisations, clusters and people. Atomic."""
    review = _demo_review()
    country = review.state
    orgs = {}
    for name, acronym, kind, city, description in ORGANISATIONS:
        orgs[acronym], _created = Organisation.objects.get_or_create(
            name=name,
            defaults={
                "acronym": acronym,
                "kind": kind,
                "city": city,
                "country": country,
                "description": description,
                "contact_email": f"info@{acronym.lower()}.demo.example.org",
            },
        )
    coalition, _created = Coalition.objects.get_or_create(
        name="Demo National UPR Coalition",
        defaults={
            "acronym": "DNUC",
            "secretariat": orgs["NLHRC"],
            "description": _(
                "An invented coalition of national civil-society organisations preparing a joint "
                "stakeholder submission for the review of %(state)s."
            )
            % {"state": country.name},
        },
    )
    coalition.reviews.add(review)
    for org in orgs.values():
        CoalitionOrganisation.objects.get_or_create(
            coalition=coalition,
            organisation=org,
            defaults={"status": CoalitionOrganisation.Status.ACTIVE, "joined_on": datetime.date(2026, 9, 1)},
        )
    for name, lead, members in CLUSTERS:
        cluster, created = Cluster.objects.get_or_create(
            coalition=coalition, name=name, defaults={"lead_organisation": orgs[lead]}
        )
        if created:
            cluster.organisations.set([orgs[lead], *(orgs[m] for m in members)])

    sign_ins = []
    for email, full_name, acronym, role in PEOPLE:
        user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        Membership.objects.get_or_create(
            coalition=coalition, user=user, defaults={"organisation": orgs[acronym], "role": role}
        )
        sign_ins.append((email, Role(role).label))

    coordinator = User.objects.get(email=PEOPLE[0][0])
    for email, _full_name, _acronym, role in PEOPLE[2:]:
        user = User.objects.get(email=email)
        Invitation.objects.get_or_create(
            coalition=coalition,
            email=email,
            status=Invitation.Status.ACCEPTED,
            defaults={
                "organisation": orgs[_acronym],
                "full_name": _full_name,
                "role": role,
                "key": secrets.token_urlsafe(24),
                "invited_by": coordinator,
                "sent_at": timezone.now(),
                "send_count": 1,
                "accepted_at": timezone.now(),
                "accepted_by": user,
            },
        )
    for email, full_name, acronym, role in PENDING_INVITATIONS:
        _invitation, created = Invitation.objects.get_or_create(
            coalition=coalition,
            email=email,
            status=Invitation.Status.PENDING,
            defaults={
                "organisation": orgs[acronym],
                "full_name": full_name,
                "role": role,
                "key": secrets.token_urlsafe(24),
                "invited_by": coordinator,
                "sent_at": timezone.now(),
                "send_count": 1,
            },
        )
        if created:
            AuditEvent.objects.create(
                coalition=coalition, actor=coordinator, action=AuditEvent.Action.INVITED, subject=email
            )

    admin, created = User.objects.get_or_create(
        email="admin@demo.example.org",
        defaults={"full_name": "Portal Administrator", "is_staff": True, "is_superuser": True},
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save(update_fields=["password"])
    sign_ins.append((admin.email, _("Site administrator (Django admin)")))
    return DemoReport(coalition=coalition, review=review, sign_ins=sign_ins)
