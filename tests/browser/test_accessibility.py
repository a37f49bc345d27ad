"""axe-core over every page of the portal, for every role, and over the admin pages people use.

Each role (anonymous, drafter, coordinator, site administrator) gets one browser context, signs in
once through the sign-in pages, and opens every page it can reach; axe-core runs in each page as it
was served, and any serious or critical violation fails the test with the role, the page, the rule
and the elements concerned. Every problem of the run is reported at once, so one run says what to fix.

The pages come from the URL conf: a named URL of the portal with neither a visit below nor a reason
to be left out fails ``test_every_portal_url_is_audited_or_excluded_with_a_reason``, so a new page
cannot go unaudited. A visit also fails when the page answers another status than expected or lands
elsewhere (a forgotten redirect to the sign-in page would otherwise audit the wrong page), when it
names no icon (browsers then ask for /favicon.ico) and when one of its files (style sheet, script,
image) fails to load.

axe-core is vendored for the tests only (tests/browser/vendor/axe-core, MPL-2.0; `make vendor`).
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, Response, expect

from accounts.two_factor import services as two_factor_services
from coalitions.models import CoalitionOrganisation, Role
from coalitions.services import coalitions as coalition_services
from coalitions.services import invitations as invitation_services
from deadlines.models import CoalitionReminderSettings
from submissions.models import SignOff, Submission
from submissions.services import comments as comment_services
from submissions.services.imports import word_import_convert
from submissions.services.signoff import sign_off_open
from tests.factories import (
    MembershipFactory,
    NotificationFactory,
    SectionFactory,
    SubmissionFactory,
    UserFactory,
    write_text,
)
from tests.factories.accounts import PASSWORD
from tests.factories.documents import document_world
from tests.factories.generated_documents import finished_document
from tests.factories.recommendations import add_recommendation
from tests.factories.reviews import ReviewFactory, SessionFactory
from tests.submissions.word_files import SAMPLE_NOTES, sample_document, word_file

pytestmark = [pytest.mark.browser]

AXE_SCRIPT = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ["serious", "critical"]

# The section editor's menu, drawn by django-prose-editor once its modules have loaded.
EDITOR_MENU = ".prose-menubar__button"

ANONYMOUS, DRAFTER, COORDINATOR, ADMIN = "anonymous", "drafter", "coordinator", "site administrator"
ROLES = (ANONYMOUS, DRAFTER, COORDINATOR, ADMIN)
SIGNED_IN = (DRAFTER, COORDINATOR, ADMIN)
MEMBERS = (DRAFTER, COORDINATOR)


@dataclass(frozen=True)
class Visit:
    """A page for some roles.

    ``args`` names the URL's arguments after the built objects (``{"pk": "coalition"}``). With ``press``,
    the page is opened and that button pressed with the form left empty, and the page that answers is
    audited: a form's errors, or a page that only a POST shows.
    """

    url_name: str
    roles: tuple[str, ...]
    args: dict[str, str] = field(default_factory=dict)
    query: str = ""
    status: int = 200
    press: str = ""
    opens: str = ""  # With ``press``: the page with the button, when it is not ``url_name``'s own.
    lands_on: str = ""  # A part of the address the page ends on, when the address itself redirects.
    ready: str = ""  # What the page's scripts draw, waited for before the audit.


RECOMMENDATION_ARGS = {"pk": "submission", "section_pk": "section", "recommendation_pk": "recommendation"}

# Every page a person opens, for the roles that open it. A page a role may not use is audited for
# that role too where the refusal is a page of its own (403 with an explanation).
PORTAL_VISITS = [
    Visit("home", ROLES),
    Visit("login", (ANONYMOUS,)),
    Visit("login", (ANONYMOUS,), press="Sign in"),
    Visit("password_reset", (ANONYMOUS,)),
    Visit("password_reset_done", (ANONYMOUS,)),
    Visit(
        "password_reset_confirm",
        (ANONYMOUS,),
        {"uidb64": "reset_uid", "token": "reset_token"},
        lands_on="set-password",
    ),
    Visit("password_reset_complete", (ANONYMOUS,)),
    Visit("password_change", SIGNED_IN),
    Visit("account_settings", SIGNED_IN),
    Visit("password_change", (DRAFTER,), press="Change password"),
    Visit("password_change_done", SIGNED_IN),
    Visit("two_factor", SIGNED_IN),
    Visit("two_factor_setup", (DRAFTER,)),
    Visit("two_factor_recovery_codes", (ADMIN,), opens="two_factor", press="Make new recovery codes"),
    Visit("two_factor_turn_off", (ADMIN,)),
    Visit("coalitions:mine", SIGNED_IN),
    Visit("reviews:recommendations", SIGNED_IN),
    Visit("reviews:recommendations", (DRAFTER,), query="q=torture&position=noted"),
    Visit("coalitions:create", SIGNED_IN),
    Visit("coalitions:create", (DRAFTER,), press="Save"),
    Visit("coalitions:home", MEMBERS, {"pk": "coalition"}),
    Visit("coalitions:edit", (COORDINATOR,), {"pk": "coalition"}),
    Visit("coalitions:edit", (DRAFTER,), {"pk": "coalition"}, status=403),
    Visit("coalitions:activity", (COORDINATOR,), {"pk": "coalition"}),
    Visit("coalitions:mail", (COORDINATOR,), {"pk": "coalition"}),
    Visit("coalitions:directory", MEMBERS, {"pk": "coalition"}),
    Visit("coalitions:member_organisations", MEMBERS, {"pk": "coalition"}),
    Visit("coalitions:change_role", (COORDINATOR,), {"pk": "coalition", "membership_pk": "drafter_membership"}),
    Visit("coalitions:remove_member", (COORDINATOR,), {"pk": "coalition", "membership_pk": "drafter_membership"}),
    Visit("coalitions:remove_organisation", (COORDINATOR,), {"pk": "coalition", "member_pk": "member_organisation"}),
    Visit("coalitions:clusters", MEMBERS, {"pk": "coalition"}),
    Visit("coalitions:cluster_create", (COORDINATOR,), {"pk": "coalition"}),
    Visit("coalitions:cluster_edit", (COORDINATOR,), {"pk": "coalition", "cluster_pk": "cluster"}),
    Visit("coalitions:cluster_delete", (COORDINATOR,), {"pk": "coalition", "cluster_pk": "cluster"}),
    Visit("coalitions:invitations", (COORDINATOR,), {"pk": "coalition"}),
    Visit("coalitions:invitation_create", (COORDINATOR,), {"pk": "coalition"}),
    Visit("coalitions:invitation_create", (COORDINATOR,), {"pk": "coalition"}, press="Send the invitation"),
    Visit("coalitions:invitation_revoke", (COORDINATOR,), {"pk": "coalition", "invitation_pk": "invitation"}),
    Visit("coalitions:invitation_accept", (ANONYMOUS, DRAFTER), {"token": "invitation_token"}),
    Visit("coalitions:invitation_accept", (ANONYMOUS,), {"token": "spoilt_token"}, status=400),
    Visit("coalitions:organisation", MEMBERS, {"pk": "drafter_organisation"}),
    Visit("coalitions:organisation_edit", MEMBERS, {"pk": "drafter_organisation"}),
    Visit("advocacy:import_choose", (COORDINATOR,), {"pk": "coalition"}),
    Visit("advocacy:import_choose", (DRAFTER,), {"pk": "coalition"}, status=403),
    Visit("advocacy:import", (COORDINATOR,), {"pk": "coalition", "review_pk": "review"}),
    Visit("advocacy:import", (COORDINATOR,), {"pk": "coalition", "review_pk": "review"}, press="Preview the import"),
    Visit("submissions:list", MEMBERS, {"coalition_pk": "coalition"}),
    Visit("submissions:create", (COORDINATOR,), {"coalition_pk": "coalition"}),
    Visit("submissions:detail", MEMBERS, {"pk": "submission"}),
    Visit("submissions:edit", (COORDINATOR,), {"pk": "submission"}),
    Visit("submissions:signatories", (COORDINATOR,), {"pk": "submission"}),
    Visit("submissions:dashboard", (COORDINATOR,), {"pk": "submission"}),
    Visit("submissions:dashboard", (DRAFTER,), {"pk": "submission"}, status=403),
    Visit("submissions:section_add", (COORDINATOR,), {"pk": "submission"}),
    Visit("submissions:section", MEMBERS, {"pk": "submission", "section_pk": "section"}),
    Visit("submissions:comment_add", MEMBERS, {"pk": "submission", "section_pk": "section"}),
    Visit("submissions:section_edit", MEMBERS, {"pk": "submission", "section_pk": "section"}, ready=EDITOR_MENU),
    # A Word import (build_world leaves the drafter's upload waiting): the upload form, its refusal, the
    # preview, and the editor with the imported text beside it.
    Visit("submissions:section_import", MEMBERS, {"pk": "submission", "section_pk": "section"}),
    Visit(
        "submissions:section_import",
        (DRAFTER,),
        {"pk": "submission", "section_pk": "section"},
        press="Upload and preview",
        status=400,
    ),
    Visit("submissions:section_import_preview", (DRAFTER,), {"pk": "submission", "section_pk": "section"}),
    Visit(
        "submissions:section_edit",
        (DRAFTER,),
        {"pk": "submission", "section_pk": "section"},
        query="import=beside",
        ready=EDITOR_MENU,
    ),
    Visit("submissions:section_settings", (COORDINATOR,), {"pk": "submission", "section_pk": "section"}),
    Visit("submissions:sections_schedule", (COORDINATOR,), {"pk": "submission"}),
    Visit("submissions:section_delete", (COORDINATOR,), {"pk": "submission", "section_pk": "section"}),
    Visit("submissions:history", MEMBERS, {"pk": "submission", "section_pk": "section"}),
    Visit("submissions:restore", MEMBERS, {"pk": "submission", "section_pk": "section", "version": "first_version"}),
    Visit("submissions:lobbying_plan", MEMBERS, {"pk": "submission"}),
    Visit("submissions:recommendation_add", (DRAFTER,), {"pk": "submission", "section_pk": "section"}),
    Visit(
        "submissions:recommendation_add",
        (DRAFTER,),
        {"pk": "submission", "section_pk": "section"},
        press="Add the recommendation",
    ),
    *(
        Visit(f"submissions:{name}", (DRAFTER,), RECOMMENDATION_ARGS)
        for name in ("recommendation_edit", "recommendation_delete")
    ),
    Visit("submissions:sign_off", MEMBERS, {"pk": "sign_off_submission"}),
    Visit("submissions:sign_off_person", (COORDINATOR,), {"pk": "sign_off_submission", "sign_off_pk": "sign_off"}),
    Visit("advocacy:overview", MEMBERS, {"pk": "coalition"}),
    # The implementation matrix of the State's previous review, one assessed row, its history.
    Visit("advocacy:matrix", MEMBERS, {"pk": "coalition", "review_pk": "matrix_review"}),
    Visit("advocacy:matrix", (DRAFTER,), {"pk": "coalition", "review_pk": "matrix_review"}, query="level=partially"),
    Visit("advocacy:assessment_edit", MEMBERS, {"pk": "coalition", "recommendation_pk": "upr_recommendation"}),
    Visit("advocacy:assessment_history", MEMBERS, {"pk": "coalition", "recommendation_pk": "upr_recommendation"}),
    Visit(
        "advocacy:assessment_restore",
        (COORDINATOR,),
        {"pk": "coalition", "recommendation_pk": "upr_recommendation", "number": "first_version"},
    ),
    # Uptake after the review: a proposed match to decide, a rejected one to undo, the figures.
    Visit("advocacy:uptake", MEMBERS, {"pk": "coalition", "review_pk": "review"}),
    # The lobbying log (one meeting with a follow-up), a factsheet, the joint submission's statement.
    Visit("advocacy:lobbying", MEMBERS, {"pk": "coalition"}),
    Visit("advocacy:lobbying", (DRAFTER,), {"pk": "coalition"}, query="follow_up_due=on"),
    Visit("advocacy:meeting_add", (DRAFTER,), {"pk": "coalition"}),
    Visit("advocacy:meeting_add", (DRAFTER,), {"pk": "coalition"}, press="Log the meeting"),
    Visit("advocacy:meeting_edit", MEMBERS, {"pk": "coalition", "meeting_pk": "meeting"}),
    Visit("advocacy:meeting_delete", (DRAFTER,), {"pk": "coalition", "meeting_pk": "meeting"}),
    Visit("advocacy:factsheets", MEMBERS, {"pk": "coalition"}),
    Visit("advocacy:factsheet_add", (DRAFTER,), {"pk": "coalition"}),
    Visit("advocacy:factsheet_edit", MEMBERS, {"pk": "coalition", "factsheet_pk": "factsheet"}),
    Visit("advocacy:factsheet_delete", (DRAFTER,), {"pk": "coalition", "factsheet_pk": "factsheet"}),
    Visit("advocacy:statement", MEMBERS, {"pk": "coalition", "submission_pk": "submission"}),
    Visit("advocacy:statement_history", MEMBERS, {"pk": "coalition", "submission_pk": "submission"}),
    Visit("advocacy:statement_draft", (COORDINATOR,), {"pk": "coalition", "submission_pk": "submission"}),
    Visit("advocacy:statement_draft", (DRAFTER,), {"pk": "coalition", "submission_pk": "submission"}, status=403),
    Visit("deadlines:timeline", MEMBERS, {"pk": "coalition"}),
    Visit("deadlines:calendar", SIGNED_IN),
    Visit("deadlines:calendar_regenerate", SIGNED_IN),
    Visit("deadlines:coalition_reminders", (COORDINATOR,), {"pk": "coalition"}),
    Visit("deadlines:my_reminders", SIGNED_IN),
    Visit("notifications:list", SIGNED_IN),
]

# Audited on the way in: the site administrator's sign-in passes through them (sign_in below).
SIGN_IN_PAGES = {"two_factor_verify"}

# Named URLs of the portal that are not pages a person reads, each with the reason.
NOT_PAGES = {
    "healthz": "JSON for the load balancer's health check",
    "favicon": "the site's icon (a redirect to static/favicon.svg)",
    "logout": "POST only: signing out redirects",
    "javascript-catalog": "JavaScript (the translation catalogue)",
    "set_language": "POST only: redirects to the page the form was sent from",
    "two_factor_setup_start": "POST only: starts the set-up and redirects to its page (audited)",
    "coalitions:two_factor": "POST only: the coordinator's switch, redirects to the coalition's page",
    "coalitions:invitation_resend": "POST only: redirects to the invitations",
    "submissions:signatories_reset": "POST only: redirects to the signatories page",
    "submissions:documents_generate": "POST only: redirects to the submission",
    "submissions:documents_status": "JSON for the submission page's polling script (its HTML is audited there)",
    "submissions:document_pdf": "a PDF download",
    "submissions:document_docx": "a DOCX download",
    "submissions:kind_document_status": (
        "JSON for the matrix and factsheet pages' polling script (their HTML is audited there)"
    ),
    "submissions:kind_document_download": "a PDF download (a matrix, a factsheet)",
    "submissions:dashboard_csv": "a CSV download of the contribution dashboard (its page is audited)",
    "submissions:section_save": "the editor's JSON API",
    "submissions:section_import_replace": "POST only: saves the imported text, redirects to the editor (audited)",
    "submissions:section_import_discard": "POST only: forgets the imported text, redirects to the editor (audited)",
    "submissions:comment_resolve": "POST only: redirects to the section's comments",
    "submissions:comment_reopen": "POST only: redirects to the section's comments",
    "submissions:mention_search": "JSON for the @mention autocomplete (static/js/comments.js)",
    "submissions:section_presence": "the editor's JSON API",
    "submissions:section_move": "POST only: redirects to the submission",
    "submissions:lobbying_plan_csv": "a CSV download (the lobbying plan's rows, audited as its page)",
    "reviews:recommendations_csv": "a CSV download (the search's rows, audited as its page)",
    "reviews:recommendations_xlsx": "an XLSX download (the search's rows, audited as its page)",
    "submissions:previous_recommendations": "the section editor's JSON API (the picker, in the audited editor page)",
    "submissions:recommendation_move": "POST only: redirects to the section (audited there)",
    "submissions:recommendation_tick": "POST only: the checklist's form, redirects to the section (audited there)",
    "submissions:recommendation_confirm": "POST only: redirects to the section (audited there)",
    "submissions:submission_step": "POST only: a workflow button, redirects to the submission (audited there)",
    "submissions:section_step": "POST only: a workflow button, redirects to the section (audited there)",
    "submissions:sign_off_endorse": "POST only: redirects to the sign-off page (audited)",
    "submissions:sign_off_decline": "POST only: redirects to the sign-off page, or shows it again with the error",
    "submissions:sign_off_remind": "POST only: redirects to the sign-off page (audited)",
    "advocacy:matrix_csv": "a CSV download (the matrix's rows, audited as its page)",
    "advocacy:matrix_xlsx": "an XLSX download (the matrix's rows, audited as its page)",
    "advocacy:matrix_pdf": "POST only: queues the matrix's PDF, redirects to the matrix (audited)",
    "advocacy:uptake_propose": "POST only: proposes matches, redirects to the uptake page (audited)",
    "advocacy:uptake_decide": "POST only: confirm, reject or undo, redirects to the uptake page (audited)",
    "advocacy:uptake_match": "POST only: a match by hand, redirects to the uptake page (audited)",
    "advocacy:uptake_csv": "a CSV download (the uptake page's table, audited as its page)",
    "advocacy:factsheet_generate": "POST only: queues the factsheet's PDF, redirects to the factsheet (audited)",
    "advocacy:statement_estimate": "JSON for the statement page's live estimate (static/js/statement-estimate.js)",
    "advocacy:statement_restore": "POST only: restores a version, redirects to the statement (audited)",
    "advocacy:mid_term_start": "POST only: starts the mid-term report, redirects to it (a submission page, audited)",
    "deadlines:feed": "an iCalendar feed",
    "notifications:mark_all_read": "POST only: redirects to the notifications",
    "notifications:mark_read": "POST only: redirects to the notifications",
    "notifications:open": "POST only: redirects to the notification's link",
}

# The admin pages people use: the calendar (States, sessions, reviews, limits) and coalitions.
ADMIN_MODELS = {
    "reviews_state": "state",
    "reviews_session": "session",
    "reviews_review": "review",
    "reviews_documentlimit": "limit",
    "coalitions_coalition": "coalition",
}
ADMIN_VISITS = [
    Visit("admin:login", (ANONYMOUS,)),
    Visit("admin:index", (ADMIN,)),
    *(Visit(f"admin:{model}_changelist", (ADMIN,)) for model in ADMIN_MODELS),
    *(Visit(f"admin:{model}_add", (ADMIN,)) for model in ADMIN_MODELS),
    *(Visit(f"admin:{model}_change", (ADMIN,), {"object_id": name}) for model, name in ADMIN_MODELS.items()),
    Visit("admin:reviews_review_add", (ADMIN,), press="Save"),
    Visit("admin:reviews_review_import_recommendations", (ADMIN,), {"review_pk": "review"}),
]

# Addresses that are no named URL, audited all the same: the page a mistyped address gets.
OTHER_PAGES = {ANONYMOUS: [("/no-such-page/", 404)], DRAFTER: [("/no-such-page/", 404)]}


def portal_url_names(patterns, namespace: str = "") -> set[str]:
    """Every named URL of the URL conf outside the admin, with its namespace."""
    names = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= portal_url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(namespace + pattern.name)
    return names


def test_every_portal_url_is_audited_or_excluded_with_a_reason():
    audited = {visit.url_name for visit in PORTAL_VISITS} | SIGN_IN_PAGES
    portal = portal_url_names(get_resolver().url_patterns)

    assert sorted(portal - audited - NOT_PAGES.keys()) == []
    assert sorted((audited | NOT_PAGES.keys()) - portal) == []
    assert sorted(audited & NOT_PAGES.keys()) == []


def test_every_role_is_audited():
    audited = {role for visit in PORTAL_VISITS + ADMIN_VISITS for role in visit.roles}

    assert sorted(audited) == sorted(ROLES)


@dataclass
class World:
    people: dict[str, object]
    totp_device: TOTPDevice
    ids: dict[str, object]


def build_world() -> World:
    """A coalition of three organisations with a drafter (of the second) and a coordinator (of the
    secretariat); a submission whose drafter's section has two versions, a cluster, an invitation
    and its mail, notifications and generated documents; a site administrator with two-factor sign-in,
    and the drafter halfway through setting it up."""
    world = document_world()
    secretariat, bravo, _charlie = world.organisations
    coordinator = MembershipFactory(
        coalition=world.coalition, organisation=secretariat, role=Role.COORDINATOR, user__full_name="Amina Diallo"
    )
    drafter = MembershipFactory(
        coalition=world.coalition, organisation=bravo, role=Role.DRAFTER, user__full_name="Joseph Mwangi"
    )
    admin = UserFactory(full_name="Grace Achieng", is_staff=True, is_superuser=True)
    cluster = coalition_services.cluster_create(
        coalition=world.coalition, actor=coordinator.user, name="Detention cluster", lead_organisation=bravo
    )
    section = world.sections[1]
    section.cluster = cluster
    section.save()
    section.assigned_organisations.set([bravo])
    write_text(
        section,
        author=drafter.user,
        body=section.body.replace("nineteen days", "twenty-one days") + "<p>India: a new paragraph.</p>",
    )
    invitation = invitation_services.invitation_create(
        coalition=world.coalition,
        actor=coordinator.user,
        email="ngozi.okafor@example.org",
        organisation=bravo,
        role=Role.DRAFTER,
        full_name="Ngozi Okafor",
        message="Welcome to the coalition.",
    )
    recommendation = add_recommendation(
        section,
        author=drafter.user,
        text="Limit police custody to 48 hours by 2028.",
        states=[world.submission.review.state],
    )
    finished_document(world.submission, requested_by=coordinator.user)
    # Comments on the drafter's section: an open thread on a passage with an answer, a resolved one.
    thread = comment_services.comment_add(
        section=section, author=coordinator.user, body="Is this figure current, @Joseph Mwangi?", quote="India"
    )
    comment_services.comment_add(section=section, author=drafter.user, body="Yes, from 2025.", parent=thread)
    done = comment_services.comment_add(section=section, author=drafter.user, body="Added the source.")
    comment_services.comment_resolve(comment=done, actor=drafter.user)
    # A second submission in sign-off: the drafter answers for their organisation (the sign-off page's form).
    sign_off_submission = SubmissionFactory(
        coalition=world.coalition, review=world.submission.review, title="Cluster submission in sign-off"
    )
    write_text(
        SectionFactory(submission=sign_off_submission, title="Detention"), author=drafter.user, body="<p>Ok.</p>"
    )
    sign_off_submission.status = Submission.Status.SIGN_OFF
    sign_off_submission.save(update_fields=["status"])
    sign_off_open(submission=sign_off_submission, actor=coordinator.user)
    # The drafter's Word file, uploaded and waiting for their choice (the import's preview page).
    word_import_convert(
        section=section,
        actor=drafter.user,
        upload=SimpleUploadedFile("Input of Bravo.docx", word_file(sample_document, notes=SAMPLE_NOTES)),
    )
    CoalitionReminderSettings.objects.get_or_create(coalition=world.coalition)
    for person in (coordinator.user, drafter.user, admin):
        NotificationFactory(user=person, title="Stakeholder deadline in 7 days")
    device = TOTPDevice.objects.create(user=admin, name="Authenticator app", confirmed=True)
    two_factor_services.recovery_codes_regenerate(user=admin)
    two_factor_services.totp_enrolment_start(user=drafter.user)
    # The implementation matrix: the State's previous review with one recommendation, assessed twice.
    from advocacy.services.matrix import AssessmentValues, assessment_save
    from reviews.models import UPRRecommendation

    matrix_review = ReviewFactory(state=world.submission.review.state, session=SessionFactory(number=7))
    upr_recommendation = UPRRecommendation.objects.create(
        review=matrix_review,
        report_symbol="A/HRC/37/9",
        paragraph="128.4",
        text="Ratify the Optional Protocol to the Convention against Torture.",
        position=UPRRecommendation.Position.SUPPORTED,
    )
    for version, level in enumerate(("partially", "implemented")):
        assessment_save(
            coalition=world.coalition,
            recommendation=upr_recommendation,
            actor=coordinator.user,
            values=AssessmentValues(level=level, evidence="A bill was tabled.\nhttps://example.org/bill"),
            expected_version=version,
        )
    # Uptake: two recommendations made at the review, one proposed for the drafter's, one rejected.
    from advocacy.models import UptakeMatch

    made_ones = [
        UPRRecommendation.objects.create(
            review=world.submission.review,
            report_symbol="A/HRC/61/3",
            paragraph=f"150.{n}",
            text=text,
            position=UPRRecommendation.Position.SUPPORTED,
        )
        for n, text in enumerate(("Limit police custody to 48 hours.", "Increase the health budget."), start=1)
    ]
    UptakeMatch.objects.create(coalition=world.coalition, asked=recommendation, made=made_ones[0], score=88)
    UptakeMatch.objects.create(
        coalition=world.coalition, asked=recommendation, made=made_ones[1], score=61, status="rejected"
    )
    # The lobbying log, a factsheet and a pre-session statement of the joint submission.
    from advocacy.models import Factsheet, Meeting
    from advocacy.services.statements import statement_save

    meeting = Meeting.objects.create(
        coalition=world.coalition,
        review=world.submission.review,
        state=world.submission.review.state,
        held_on=datetime.date(2026, 11, 2),
        people="Deputy head of mission",
        outcome="Will raise it in Geneva.",
        follow_up_on=datetime.date(2026, 11, 9),
        created_by=drafter.user,
    )
    meeting.raised.set([recommendation])
    factsheet = Factsheet.objects.create(
        coalition=world.coalition, review=world.submission.review, theme="Children in detention", key_facts="Facts."
    )
    factsheet.asks.set([recommendation])
    statement_save(submission=world.submission, actor=coordinator.user, text="Our five minutes.", version=0)
    reset_user = UserFactory()
    return World(
        people={DRAFTER: drafter.user, COORDINATOR: coordinator.user, ADMIN: admin},
        totp_device=device,
        ids={
            "coalition": world.coalition.pk,
            "submission": world.submission.pk,
            "section": section.pk,
            "first_version": 1,
            "sign_off_submission": sign_off_submission.pk,
            "sign_off": SignOff.objects.get(submission=sign_off_submission, organisation=bravo).pk,
            "recommendation": recommendation.pk,
            "cluster": cluster.pk,
            "drafter_membership": drafter.pk,
            "drafter_organisation": bravo.pk,
            "member_organisation": CoalitionOrganisation.objects.get(coalition=world.coalition, organisation=bravo).pk,
            "invitation": invitation.pk,
            "invitation_token": invitation_services.invitation_token(invitation),
            "spoilt_token": "not-a-real-invitation",
            "reset_uid": urlsafe_base64_encode(force_bytes(reset_user.pk)),
            "reset_token": default_token_generator.make_token(reset_user),
            "state": world.submission.review.state_id,
            "session": world.submission.review.session_id,
            "review": world.submission.review_id,
            "limit": world.limit.pk,
            "matrix_review": matrix_review.pk,
            "upr_recommendation": upr_recommendation.pk,
            "meeting": meeting.pk,
            "factsheet": factsheet.pk,
        },
    )


@dataclass
class Finding:
    role: str
    page: str
    problem: str


def audit(page: Page, role: str, label: str, response: Response | None, status: int, path: str) -> list[Finding]:
    """What is wrong with the page now in ``page``: its status, address or icon, and axe's serious
    and critical violations."""
    findings = []
    if response is None or response.status != status:
        findings.append(Finding(role, label, f"answered {response and response.status}, expected {status}"))
    if (landed := urlsplit(page.url).path) != path:
        findings.append(Finding(role, label, f"landed on {landed}, expected {path}"))
    if not page.locator("link[rel~='icon']").count():
        # Browsers then ask for /favicon.ico, a request Playwright does not report.
        findings.append(Finding(role, label, "names no icon (<link rel=icon>)"))
    violations = page.evaluate(
        """async (impacts) => {
            // Icon fonts drawn as words until they load would read as visible text.
            await document.fonts.ready;
            // Only the rules that can report a serious or critical violation: a rule's impact is the
            // highest of its failing checks', so the others (29 of axe's 105, "region" among them, one
            // of the slowest) could only report what is filtered out below. Same findings, less time.
            // Rules axe leaves off by default (disabled ones such as AAA contrast, and tags it excludes
            // by default, such as experimental rules) stay off, as in a plain axe.run().
            const excludedTags = axe._audit.tagExclude || [];
            const rules = axe._audit.rules.filter((rule) => {
                if (!rule.enabled || rule.tags.some((tag) => excludedTags.includes(tag))) return false;
                const checks = [...rule.any, ...rule.all, ...rule.none].map((c) => (typeof c === "string" ? c : c.id));
                const possible = checks.map((id) => (axe._audit.data.checks[id] || {}).impact);
                if (rule.impact) possible.push(rule.impact);
                return possible.some((impact) => !impact || impacts.includes(impact));
            });
            const results = await axe.run(document, {
                resultTypes: ["violations"],
                runOnly: {type: "rule", values: rules.map((rule) => rule.id)},
            });
            return results.violations.filter((v) => impacts.includes(v.impact)).map((v) => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
            }));
        }""",
        FAILING_IMPACTS,
    )
    for violation in violations:
        lines = [f"{violation['impact']} {violation['id']}: {violation['help']}", f"    {violation['helpUrl']}"]
        lines += [f"    at {node['target']}: {' '.join(node['summary'].split())}" for node in violation["nodes"]]
        findings.append(Finding(role, label, "\n".join(lines)))
    return findings


def open_and_audit(page: Page, role: str, visit: Visit, ids: dict) -> list[Finding]:
    url = reverse(visit.url_name, kwargs={name: ids[key] for name, key in visit.args.items()})
    address = f"{url}?{visit.query}" if visit.query else url
    if not visit.press:
        response = page.goto(address)
        if visit.ready:
            page.locator(visit.ready).first.wait_for()
        path = url if not visit.lands_on else urlsplit(page.url).path
        findings = []
        if visit.lands_on and visit.lands_on not in path:
            findings.append(Finding(role, address, f"landed on {path}, expected an address with {visit.lands_on}"))
        return findings + audit(page, role, address, response, visit.status, path)
    opened = reverse(visit.opens) if visit.opens else address
    page.goto(opened)
    # The browser's own checks of required fields are off, so that the server's answer to an empty form
    # (its error messages) is what gets audited.
    page.locator("form").evaluate_all("forms => forms.forEach((form) => { form.noValidate = true; })")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name=visit.press, exact=True).click()
    label = f"{opened}, after pressing “{visit.press}”"
    return audit(page, role, label, navigation.value, visit.status, url)


def sign_in(page: Page, world: World, role: str) -> list[Finding]:
    """Signs in through the sign-in form (and, for the site administrator, the code step, audited)."""
    page.goto(reverse("login"))
    page.get_by_label("Email address").fill(world.people[role].email)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Sign in", exact=True).click()
    findings = []
    if role == ADMIN:
        findings += audit(page, role, "the sign-in's code step", navigation.value, 200, reverse("two_factor_verify"))
        device = world.totp_device
        code = totp(device.bin_key, device.step, device.t0, device.digits, device.drift)
        page.get_by_label("Code").fill(f"{code:0{device.digits}d}")
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("button", name=f"Sign out ({world.people[role].get_short_name()})")).to_be_visible()
    return findings


def report(findings: list[Finding]) -> str:
    return "\n".join(f"[{finding.role}] {finding.page}\n  {finding.problem}" for finding in findings)


# The roles audited by this module; the others' audits are in modules of their own, so that pytest-xdist,
# which hands out whole modules, runs them in parallel (together they took two minutes of one process).
# ``test_every_role_is_audited_once`` checks that the modules cover every role once.
ROLES_HERE = (ANONYMOUS, DRAFTER)
ROLE_MODULES = {
    "tests.browser.test_accessibility": "ROLES_HERE",
    "tests.browser.test_accessibility_coordinator": "ROLES_HERE",
    "tests.browser.test_accessibility_admin": "ROLES_HERE",
}


def test_every_role_is_audited_once():
    import importlib

    audited = [role for module, name in ROLE_MODULES.items() for role in getattr(importlib.import_module(module), name)]
    assert sorted(audited) == sorted(ROLES)


def audit_roles(live_server, browser: Browser, roles: tuple[str, ...]) -> None:
    """Opens and audits every page of each of ``roles``; fails with every problem found."""
    world = build_world()
    findings: list[Finding] = []
    for role in roles:
        context = browser.new_context(base_url=live_server.url)
        # The portal's Content-Security-Policy stays on, so pages are audited as people get them
        # (bypass_csp would also let through what the policy blocks, and hide it). axe is added by the
        # browser's DevTools protocol before each page's own scripts, which no page's CSP governs; an
        # inline <script> from add_script_tag would be refused by the policy.
        context.add_init_script(path=AXE_SCRIPT)
        failed_files: list[Finding] = []

        def record_failure(response, role=role, failed=failed_files):
            if response.request.resource_type != "document" and response.status >= 400:
                failed.append(Finding(role, response.frame.url, f"{response.url} failed to load ({response.status})"))

        context.on("response", record_failure)
        page = context.new_page()
        try:
            if role != ANONYMOUS:
                findings += sign_in(page, world, role)
            for visit in PORTAL_VISITS + ADMIN_VISITS:
                if role in visit.roles:
                    findings += open_and_audit(page, role, visit, world.ids)
            for address, status in OTHER_PAGES.get(role, []):
                findings += audit(page, role, address, page.goto(address), status, address)
        finally:
            context.close()
        findings += failed_files

    if findings:
        pytest.fail(f"{len(findings)} problems:\n{report(findings)}", pytrace=False)


@pytest.mark.django_db(transaction=True)
def test_no_page_has_a_serious_accessibility_violation_for_a_visitor_or_a_drafter(live_server, browser: Browser):
    audit_roles(live_server, browser, ROLES_HERE)
