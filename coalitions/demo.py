"""Demo data for a development site: one coalition drafting for a real upcoming review.

Everything is created with get_or_create on natural keys, so running it again changes nothing.
The organisations and people are invented; the State and the review order are real.
"""

import datetime
import secrets
import unicodedata
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
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
DEMO_COALITION_NAME = "Demo National UPR Coalition"
DEMO_ADMIN_EMAIL = "admin@demo.example.org"

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
        name=DEMO_COALITION_NAME,
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
        email=DEMO_ADMIN_EMAIL,
        defaults={"full_name": "Portal Administrator", "is_staff": True, "is_superuser": True},
    )
    if created:
        admin.set_password(DEMO_PASSWORD)
        admin.save(update_fields=["password"])
    sign_ins.append((admin.email, _("Site administrator (Django admin)")))
    return DemoReport(coalition=coalition, review=review, sign_ins=sign_ins)


# National scale (`seed_demo --scale large`): the demo coalition grown to the size of a national
# coalition, for the load test (`make bench`) and for trying the pages with real numbers in them.
# The names are combinations of the lists below, so every run makes the same ones.
LARGE_ORGANISATIONS = 90
LARGE_PEOPLE = 250

SCALE_CLUSTERS = [
    "Right to health",
    "Right to education",
    "Freedom of expression and the media",
    "Freedom of assembly and association",
    "Human rights defenders",
    "Administration of justice and fair trial",
    "Right to privacy and data protection",
    "Right to adequate housing",
    "Right to work and just conditions of work",
    "Business and human rights",
    "Climate change and the environment",
    "Rights of persons with disabilities",
    "Rights of older persons",
    "Migrants, refugees and asylum seekers",
    "Racial discrimination",
    "Hate speech and hate crime",
    "Rights of LGBTI persons",
    "Poverty and social security",
    "Statelessness and nationality",
    "National human rights institution",
    "Ratification of international instruments",
    "Cooperation with the treaty bodies",
    "Gender equality in working life",
    "Rights of Roma",
]
_SCALE_TOPICS = [
    "Human Rights",
    "Legal Aid",
    "Children's Rights",
    "Disability Rights",
    "Migrant Support",
    "Housing Rights",
    "Press Freedom",
    "Women's Rights",
    "Youth Participation",
    "Health Rights",
    "Prisoners' Rights",
    "Environmental Justice",
    "Equality",
    "Refugee Advice",
    "Labour Rights",
    "Privacy Rights",
]
_SCALE_CITIES = [
    "Helsinki",
    "Espoo",
    "Tampere",
    "Vantaa",
    "Oulu",
    "Turku",
    "Jyväskylä",
    "Lahti",
    "Kuopio",
    "Pori",
    "Joensuu",
    "Lappeenranta",
    "Vaasa",
    "Seinäjoki",
    "Rovaniemi",
    "Kajaani",
]
_SCALE_FORMS = ["Association", "Centre", "Network", "Foundation", "Forum", "Union", "Society", "Institute"]
_SCALE_KINDS = [
    Organisation.Kind.NGO,
    Organisation.Kind.NGO,
    Organisation.Kind.NETWORK,
    Organisation.Kind.ACADEMIC,
    Organisation.Kind.FAITH_BASED,
    Organisation.Kind.OTHER,
]
_SCALE_FIRST_NAMES = [
    "Aino", "Eero", "Helmi", "Juho", "Kaisa", "Lauri", "Minna", "Niko", "Outi", "Pasi", "Riikka", "Sami",
    "Tiina", "Ville", "Anna", "Elias", "Ida", "Jari", "Katri", "Leo", "Maria", "Oskari", "Paula", "Rasmus",
]  # fmt: skip
_SCALE_LAST_NAMES = [
    "Aalto", "Backman", "Eskola", "Hakala", "Ikonen", "Jokinen", "Kallio", "Lindqvist", "Manninen", "Nurmi",
    "Ojala", "Peltonen", "Rantanen", "Savolainen", "Toivonen", "Uusitalo", "Vainio", "Wikström", "Ylönen",
    "Ahmed", "Berg", "Hassan", "Kovač", "Nguyen",
]  # fmt: skip
# Of every organisation's people after its first (who drafts, or leads its cluster): who does what.
_SCALE_ROLES = [Role.DRAFTER, Role.REVIEWER, Role.DRAFTER, Role.OBSERVER, Role.DRAFTER]


@dataclass(frozen=True)
class ScaleReport:
    organisations: int
    people: int
    clusters: int


def _scale_organisation_names(count: int) -> list[tuple[str, str]]:
    """``count`` (name, acronym) pairs, always the same ones in the same order."""
    names = []
    for n in range(count):
        topic = _SCALE_TOPICS[n % len(_SCALE_TOPICS)]
        city = _SCALE_CITIES[(n // len(_SCALE_TOPICS) + n) % len(_SCALE_CITIES)]
        name = f"{city} {topic} {_SCALE_FORMS[n % len(_SCALE_FORMS)]}"
        acronym = "".join(word[0] for word in name.replace("'s", "").split()).upper()
        names.append((name, acronym))
    return names


@transaction.atomic
def demo_scale_seed(
    *, coalition: Coalition, organisations: int = LARGE_ORGANISATIONS, people: int = LARGE_PEOPLE
) -> ScaleReport:
    """Grows the demo coalition to ``organisations`` member organisations and ``people`` members. Atomic.

    Run after demo_seed(); the demo's own organisations and people count toward the totals. Rows are
    inserted in bulk (a few queries per table whatever the size) and only what is missing is added,
    so running it again adds nothing. Every new person gets the demo password (hashed once).
    """
    review_state = coalition.reviews.select_related("state").first().state
    existing = set(
        Organisation.objects.filter(coalition_memberships__coalition=coalition).values_list("name", flat=True)
    )
    missing = max(organisations - len(existing), 0)
    wanted = [(n, name, acronym) for n, (name, acronym) in enumerate(_scale_organisation_names(organisations))]
    new_orgs = [
        Organisation(
            name=name,
            acronym=acronym,
            kind=_SCALE_KINDS[n % len(_SCALE_KINDS)],
            city=name.split()[0],
            country=review_state,
            description=_("A member organisation of the demo coalition, made for trying the portal at scale."),
            contact_email=f"info@{acronym.lower()}{n}.scale.demo.example.org",
        )
        for n, name, acronym in wanted
        if name not in existing
    ][:missing]
    Organisation.objects.bulk_create(new_orgs)
    # bulk_create sets primary keys on PostgreSQL and SQLite alike, but read them back by name so the
    # rows below never depend on that.
    created = list(Organisation.objects.filter(name__in=[o.name for o in new_orgs]).order_by("name"))
    CoalitionOrganisation.objects.bulk_create(
        CoalitionOrganisation(
            coalition=coalition,
            organisation=org,
            status=CoalitionOrganisation.Status.ACTIVE,
            joined_on=datetime.date(2026, 9, 15),
        )
        for org in created
    )
    members = list(
        Organisation.objects.filter(coalition_memberships__coalition=coalition).exclude(pk=coalition.secretariat_id)
    )
    members.sort(key=lambda o: o.name)

    # One cluster per theme, led by a member organisation, with two to four members.
    have = set(Cluster.objects.filter(coalition=coalition).values_list("name", flat=True))
    new_clusters = [
        Cluster(coalition=coalition, name=name, lead_organisation=members[(7 * n) % len(members)])
        for n, name in enumerate(SCALE_CLUSTERS)
        if name not in have
    ]
    Cluster.objects.bulk_create(new_clusters)
    clusters = list(Cluster.objects.filter(coalition=coalition, name__in=[c.name for c in new_clusters]))
    Through = Cluster.organisations.through
    Through.objects.bulk_create(
        Through(cluster_id=cluster.pk, organisation_id=org.pk)
        for n, cluster in enumerate(sorted(clusters, key=lambda c: c.name))
        for org in {
            cluster.lead_organisation,
            *(members[(7 * n + step * 11) % len(members)] for step in range(1, 2 + n % 3)),
        }
    )

    # People: the organisations in turn, so each has two or three; an organisation's first person
    # leads its cluster if it leads one and drafts otherwise.
    leads = set(Cluster.objects.filter(coalition=coalition).values_list("lead_organisation_id", flat=True))
    taken = set(Membership.objects.filter(coalition=coalition).values_list("user__email", flat=True))
    per_org = {org.pk: 0 for org in members}
    for organisation_id in Membership.objects.filter(coalition=coalition).values_list("organisation_id", flat=True):
        if organisation_id in per_org:
            per_org[organisation_id] += 1
    missing_people = max(people - len(taken), 0)
    password = make_password(DEMO_PASSWORD)
    new_people = []
    n = 0
    while len(new_people) < missing_people:
        first = _SCALE_FIRST_NAMES[n % len(_SCALE_FIRST_NAMES)]
        last = _SCALE_LAST_NAMES[(n // len(_SCALE_FIRST_NAMES) + 3 * n) % len(_SCALE_LAST_NAMES)]
        email = f"{_ascii(first)}.{_ascii(last)}.{n}@scale.demo.example.org"
        organisation = members[n % len(members)]
        n += 1
        if email in taken:
            continue
        rank = per_org[organisation.pk]
        per_org[organisation.pk] += 1
        if rank == 0:
            role = Role.CLUSTER_LEAD if organisation.pk in leads else Role.DRAFTER
        else:
            role = _SCALE_ROLES[(rank - 1) % len(_SCALE_ROLES)]
        new_people.append((User(email=email, full_name=f"{first} {last}", password=password), organisation, role))
    User.objects.bulk_create(user for user, _org, _role in new_people)
    users = {u.email: u for u in User.objects.filter(email__in=[user.email for user, _o, _r in new_people])}
    Membership.objects.bulk_create(
        Membership(coalition=coalition, user=users[user.email], organisation=organisation, role=role)
        for user, organisation, role in new_people
    )
    return ScaleReport(
        organisations=CoalitionOrganisation.objects.current().filter(coalition=coalition).count(),
        people=Membership.objects.filter(coalition=coalition, is_active=True).count(),
        clusters=Cluster.objects.filter(coalition=coalition).count(),
    )


def _ascii(name: str) -> str:
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()


def demo_sign_ins() -> list[tuple[str, str]]:
    """The demo accounts that exist, each with what it is for, in the order seed_demo made them.

    For the sign-in banner of `make run` (scripts/run-dev), printed after the server's start-up lines
    where the list seed_demo printed has scrolled away. The site administrator comes last.
    """
    emails = [email for email, *_rest in PEOPLE]
    roles = dict(
        Membership.objects.filter(user__email__in=emails, coalition__name=DEMO_COALITION_NAME).values_list(
            "user__email", "role"
        )
    )
    sign_ins = [(email, Role(roles[email]).label) for email in emails if email in roles]
    if User.objects.filter(email=DEMO_ADMIN_EMAIL).exists():
        sign_ins.append((DEMO_ADMIN_EMAIL, _("Site administrator (Django admin)")))
    return sign_ins
