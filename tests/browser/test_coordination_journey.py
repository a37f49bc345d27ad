"""The coordination of a joint report end to end (issue 11): assign a section and its deadline, submit it,
ask for changes with a comment, revise and resolve, approve, open sign-off, and two organisations sign.

Six people, each in their own browser context, through the real pages with accessible locators. Only
the starting data is built with services; what each person sees is asserted on the way, and the rows
the journey leaves (the steps taken, the comment, the sign-offs) in the database at the end.
"""

import datetime
import re
import zoneinfo
from dataclasses import dataclass

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from accounts.models import User
from coalitions.models import Organisation, Role
from submissions.models import Comment, Section, SectionTransition, SignOff, Submission
from submissions.models.core import SectionState
from submissions.services.sections import section_save
from submissions.services.submissions import section_add, submission_create
from tests.browser.test_section_editor import EDITABLE, SAVED_AT, leave, sign_in
from tests.factories import MembershipFactory, OrganisationFactory, ReviewFactory
from tests.factories.coalitions import add_organisation, new_coalition
from upr_portal.templatetags.geneva_time import geneva_text
from upr_portal.timezones import GENEVA, geneva_today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST_TEXT = "Children are held with adults in three prisons."
DRAFTED = "Pre-trial detention lasts two years on average."
REVISED = "The three prisons are in Nairobi, Mombasa and Kisumu."
READER_ZONE = "Africa/Nairobi"
# What the drafter is told by the time the reviewer has asked for changes, newest first.
NEWS = [
    "Changes are asked for in “Detention”",
    "Grace Otieno mentioned you in a comment on Detention",
]
NEWS_ON_THE_BELL = f"{len(NEWS)} unread notifications"


@dataclass
class Journey:
    submission: Submission
    section: Section
    org_a: Organisation
    org_b: Organisation
    coordinator: User
    drafter: User
    reviewer: User
    signer_a: User
    signer_b: User


@pytest.fixture
def journey() -> Journey:
    coalition = new_coalition(name="Kenya UPR Stakeholders Coalition")
    org_a = add_organisation(coalition, OrganisationFactory(name="Alpha Rights Watch", acronym="ARW")).organisation
    org_b = add_organisation(coalition, OrganisationFactory(name="Beta Legal Aid", acronym="BLA")).organisation

    def member(organisation, role, name, **user):
        return MembershipFactory(
            coalition=coalition, organisation=organisation, role=role, user__full_name=name, **user
        ).user

    # The coordinator reads times in Nairobi's zone: the deadline is shown there, with Geneva time beside it.
    coordinator = member(coalition.secretariat, Role.COORDINATOR, "Amina Diallo", user__timezone=READER_ZONE)
    drafter = member(org_b, Role.DRAFTER, "Joseph Mwangi")
    reviewer = member(coalition.secretariat, Role.REVIEWER, "Grace Otieno")
    # Each organisation's designated person for sign-off: its cluster lead ranks before its drafters.
    signer_a = member(org_a, Role.CLUSTER_LEAD, "Ana Alvarez")
    signer_b = member(org_b, Role.CLUSTER_LEAD, "Bo Chen")
    review = ReviewFactory(
        milestones_from_session=False,
        stakeholder_deadline=datetime.datetime.combine(
            geneva_today() + datetime.timedelta(days=120), datetime.time(23, 59), tzinfo=GENEVA
        ),
    )
    coalition.reviews.add(review)
    submission = submission_create(coalition=coalition, review=review, actor=coordinator, title="Joint submission")
    section = section_add(submission=submission, actor=coordinator, title="Detention", word_budget=400)
    section_save(section_id=section.pk, author=coordinator, body=f"<p>{FIRST_TEXT}</p>", base_version=0)
    return Journey(
        submission=submission,
        section=section,
        org_a=org_a,
        org_b=org_b,
        coordinator=coordinator,
        drafter=drafter,
        reviewer=reviewer,
        signer_a=signer_a,
        signer_b=signer_b,
    )


def person(browser: Browser, live_server, user: User) -> Page:
    context = browser.new_context()
    context.set_default_timeout(10_000)
    sign_in(context, live_server, user)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.problems = problems
    return page


def state_of(page: Page):
    return page.locator("#workflow .workflow-state")


def said(page: Page):
    """The message the page opens with (base.html: Django's messages, each a status in a live region)."""
    return page.locator("main div.alert[role=status]")


def save(page: Page) -> None:
    """Presses Save rather than waiting for the autosave (three seconds after typing stops)."""
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#save-status")).to_have_text(SAVED_AT)


def test_a_section_goes_from_assignment_to_approval_and_two_organisations_sign(live_server, browser, journey):
    j = journey
    url = live_server.url
    submission_url = url + reverse("submissions:detail", args=[j.submission.pk])
    section_url = url + reverse("submissions:section", args=[j.submission.pk, j.section.pk])
    sign_off_url = url + reverse("submissions:sign_off", args=[j.submission.pk])
    pages: list[Page] = []

    # 1. The coordinator assigns the section to Beta Legal Aid and its drafter, with a first-draft deadline.
    coordinator = person(browser, live_server, j.coordinator)
    pages.append(coordinator)
    coordinator.goto(submission_url)
    coordinator.get_by_role("link", name="Settings Detention").click()
    expect(coordinator.get_by_role("heading", name="Settings of Detention", level=2)).to_be_visible()
    coordinator.get_by_label("Lead organisation").select_option(label="Beta Legal Aid (BLA)")
    coordinator.get_by_role("checkbox", name="Joseph Mwangi").check()
    due_day = geneva_today() + datetime.timedelta(days=60)
    coordinator.get_by_label("First draft due").fill(f"{due_day:%d/%m/%Y} 17:00")
    coordinator.get_by_role("button", name="Save the section").click()
    expect(coordinator.get_by_role("heading", name="Joint submission", level=2)).to_be_visible()
    expect(said(coordinator)).to_have_text("The section Detention is saved.")
    row = coordinator.get_by_role("row").filter(has=coordinator.get_by_role("link", name="Detention", exact=True))
    j.section.refresh_from_db()
    due = j.section.first_draft_due
    zone = zoneinfo.ZoneInfo(READER_ZONE)
    assert due.astimezone(zone).replace(tzinfo=None) == datetime.datetime.combine(due_day, datetime.time(17))
    assert j.section.lead_organisation == j.org_b
    cells = row.get_by_role("cell")
    expect(cells.nth(2)).to_have_text("Drafting")
    expect(cells.nth(3)).to_have_text("Lead: BLA; Joseph Mwangi")
    expect(cells.nth(6)).to_have_text(re.compile(rf"^First draft due\s*{re.escape(geneva_text(due))}$"))
    coordinator.goto(section_url)
    deadline = coordinator.locator("[data-milestone=first_draft_due]")
    expect(deadline).to_contain_text(
        f"First draft due: {due.astimezone(zone):%-d %b %Y, %H:%M} Africa/Nairobi ({geneva_text(due)})"
    )
    expect(state_of(coordinator)).to_have_text("Drafting")

    # 2. The drafter finds the section is theirs, writes a sentence and submits it for review.
    drafter = person(browser, live_server, j.drafter)
    pages.append(drafter)
    drafter.goto(submission_url)
    row = drafter.get_by_role("row").filter(has=drafter.get_by_role("link", name="Detention", exact=True))
    expect(row.locator(".section-access")).to_have_text("you can edit")
    # The section's own link opens the editor for those who may edit it.
    row.get_by_role("link", name="Detention", exact=True).click()
    editor = drafter.locator(EDITABLE)
    expect(editor).to_contain_text(FIRST_TEXT)
    editor.click()
    drafter.keyboard.press("Control+End")
    drafter.keyboard.press("Enter")
    drafter.keyboard.type(DRAFTED)
    save(drafter)
    drafter.get_by_role("button", name="Submit for review").click()
    expect(said(drafter)).to_contain_text("“Submit for review” is done: the section is now “Submitted for review”.")
    expect(state_of(drafter)).to_have_text("Submitted for review")
    # Back on the read page: the section is with the reviewers now.
    expect(drafter.get_by_role("link", name="Edit", exact=True)).to_have_count(0)

    # 3. The reviewer comments on a passage, mentions the drafter, and asks for changes.
    reviewer = person(browser, live_server, j.reviewer)
    pages.append(reviewer)
    reviewer.goto(section_url)
    expect(state_of(reviewer)).to_have_text("Submitted for review")
    reviewer.locator(".submission-text p").first.select_text()
    reviewer.get_by_role("button", name="Comment on selection").click()
    expect(reviewer.get_by_label("Passage commented on (optional)")).to_have_value(FIRST_TEXT)
    body = reviewer.get_by_label("Comment", exact=True)
    expect(body).to_be_focused()
    body.press_sequentially("Which prisons, @jos")
    option = reviewer.get_by_role("listbox", name="Members to mention").get_by_role("option")
    expect(option).to_have_text([re.compile(r"^Joseph Mwangi \(Beta Legal Aid\)$")])
    body.press("Enter")
    expect(body).to_have_value("Which prisons, @Joseph Mwangi ")
    body.press_sequentially("? Name them.")
    reviewer.get_by_role("button", name="Add the comment").click()
    expect(said(reviewer)).to_have_text("Your comment is added.")
    expect(reviewer.locator("blockquote.comment-quote")).to_have_text(FIRST_TEXT)
    reviewer.get_by_label("Message for “Request changes” (required)").fill("Please name the three prisons.")
    reviewer.get_by_role("button", name="Request changes").click()
    expect(said(reviewer)).to_have_text("“Request changes” is done: the section is now “Changes requested”.")
    expect(state_of(reviewer)).to_have_text("Changes requested")
    expect(reviewer.locator(".workflow-message").first).to_have_text("Please name the three prisons.")

    # The drafter is told: the bell counts the news, the list says what it is, and leads to the section.
    drafter.goto(url + "/")
    drafter.get_by_role("navigation", name="Main navigation").get_by_role("link", name=NEWS_ON_THE_BELL).click()
    expect(drafter.locator(".notification-title")).to_have_text(NEWS)
    drafter.get_by_role("button", name=NEWS[0], exact=True).click()

    # 4. The drafter revises the text, answers and resolves the comment, and submits again.
    expect(drafter.get_by_role("heading", name="Detention", level=2)).to_be_visible()
    expect(state_of(drafter)).to_have_text("Changes requested")
    drafter.get_by_role("link", name="Edit", exact=True).click()
    editor = drafter.locator(EDITABLE)
    expect(editor).to_contain_text(DRAFTED)
    editor.click()
    drafter.keyboard.press("Control+End")
    drafter.keyboard.press("Enter")
    drafter.keyboard.type(REVISED)
    save(drafter)
    drafter.get_by_label("Answer").fill("Named in the last paragraph.")
    drafter.get_by_role("button", name="Send the answer").click()
    expect(said(drafter)).to_contain_text("Your answer is added.")
    expect(drafter.locator(".comment-reply .comment-body")).to_have_text("Named in the last paragraph.")
    drafter.get_by_role("button", name="Resolve").click()
    expect(said(drafter)).to_contain_text("The thread is resolved.")
    expect(drafter.get_by_text("1 resolved thread")).to_be_visible()
    expect(drafter.get_by_text("No open comments.")).to_be_visible()
    drafter.get_by_role("button", name="Submit for review").click()
    expect(said(drafter)).to_have_text("“Submit for review” is done: the section is now “Submitted for review”.")
    expect(state_of(drafter)).to_have_text("Submitted for review")
    expect(drafter.locator(".workflow-step-taken")).to_have_count(3)

    # 5. The coordinator approves, starts consolidation and opens sign-off.
    coordinator.goto(section_url)
    expect(coordinator.locator(".submission-text")).to_contain_text(REVISED)
    coordinator.get_by_role("button", name="Approve").click()
    expect(said(coordinator)).to_have_text("“Approve” is done: the section is now “Approved”.")
    expect(state_of(coordinator)).to_have_text("Approved")
    coordinator.goto(submission_url)
    expect(state_of(coordinator)).to_have_text("Drafting")
    coordinator.get_by_role("button", name="Start consolidation").click()
    expect(said(coordinator)).to_contain_text("“Start consolidation” is done: the submission is now “Consolidation”.")
    expect(state_of(coordinator)).to_have_text("Consolidation")
    coordinator.get_by_role("button", name="Open sign-off").click()
    expect(said(coordinator)).to_contain_text("“Open sign-off” is done: the submission is now “Sign-off”.")
    expect(state_of(coordinator)).to_have_text("Sign-off")
    expect(coordinator.locator("#sign-off-heading + p")).to_have_text("0 of 3 endorsed, 0 declined, 3 not answered")

    # 6. The designated people of Alpha Rights Watch and Beta Legal Aid each endorse the final text.
    for signer, organisation in ((j.signer_a, j.org_a), (j.signer_b, j.org_b)):
        page = person(browser, live_server, signer)
        pages.append(page)
        page.goto(submission_url)
        expect(page.locator("#sign-off-heading ~ p.fw-bold")).to_have_text(
            f"You answer for {organisation.name}: endorse the final text or decline."
        )
        page.get_by_role("link", name="Read and answer").click()
        expect(page.get_by_role("heading", name=f"Your answer for {organisation.name}")).to_be_visible()
        page.get_by_role("button", name="Endorse the final text").click()
        expect(said(page)).to_contain_text(f"{organisation.name} endorses the text as it stands now.")
        answer = page.get_by_role("region", name=f"Your answer for {organisation.name}")
        expect(answer).to_contain_text(re.compile(rf"Endorsed on .+ Geneva time by {signer.full_name}"))

    coordinator.goto(sign_off_url)
    expect(coordinator.locator("#sign-off-count")).to_have_text("2 of 3 endorsed, 0 declined, 1 not answered")
    answers = coordinator.get_by_role("row").filter(has=coordinator.get_by_role("cell"))
    expect(answers.locator("td:nth-child(3) .badge")).to_have_text(["Endorsed", "Endorsed", "Not answered"])

    # What the journey leaves behind.
    j.section.refresh_from_db()
    steps = SectionTransition.objects.filter(section=j.section).order_by("created_at", "pk")
    assert [(s.action, s.source, s.target, s.actor) for s in steps] == [
        ("submit", SectionState.DRAFTING, SectionState.SUBMITTED, j.drafter),
        ("request_changes", SectionState.SUBMITTED, SectionState.CHANGES_REQUESTED, j.reviewer),
        ("submit", SectionState.CHANGES_REQUESTED, SectionState.SUBMITTED, j.drafter),
        ("approve", SectionState.SUBMITTED, SectionState.APPROVED, j.coordinator),
    ]
    assert steps[1].message == "Please name the three prisons."
    thread = Comment.objects.get(parent=None)
    assert (thread.quote, thread.is_resolved, thread.resolved_by) == (FIRST_TEXT, True, j.drafter)
    assert list(thread.mentions.all()) == [j.drafter]
    assert [c.body for c in Comment.objects.filter(parent=thread)] == ["Named in the last paragraph."]
    # The first text, then the drafter's two saves.
    assert (j.section.state, j.section.version) == (SectionState.APPROVED, 3)
    assert j.section.body == f"<p>{FIRST_TEXT}</p><p>{DRAFTED}</p><p>{REVISED}</p>"
    signed = {
        s.organisation_id: (s.status, s.person, s.answered_by, s.section_versions)
        for s in SignOff.objects.filter(submission=j.submission)
    }
    versions = {str(j.section.pk): 3}
    assert signed == {
        j.submission.coalition.secretariat_id: (SignOff.Status.PENDING, j.coordinator, None, {}),
        j.org_a.pk: (SignOff.Status.ENDORSED, j.signer_a, j.signer_a, versions),
        j.org_b.pk: (SignOff.Status.ENDORSED, j.signer_b, j.signer_b, versions),
    }
    assert [page.problems for page in pages] == [[]] * len(pages)
    for page in pages:
        if page is not drafter:
            page.goto("about:blank")
    leave(drafter)  # the editor's last requests (presence) finish before the database is flushed
    for page in pages:
        page.context.close()
