import re

import pytest
from django.conf import settings
from django.core import mail
from django.db import IntegrityError
from django.urls import reverse

from accounts.models import User
from notifications.models import OutboxMessage
from tests.factories import UserFactory
from tests.factories.accounts import PASSWORD

pytestmark = pytest.mark.django_db


def test_sign_in_with_email_in_any_case_redirects_home(client):
    user = UserFactory(email="amina@example.org")

    response = client.post(reverse("login"), {"username": "Amina@Example.ORG", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert int(client.session["_auth_user_id"]) == user.pk


def test_sign_in_with_wrong_password_says_so_and_stays_signed_out(client):
    UserFactory(email="amina@example.org")

    response = client.post(reverse("login"), {"username": "amina@example.org", "password": "wrong"})

    assert response.status_code == 200, "a refused sign-in shows the form again"
    assert "Please enter a correct email address and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_sign_out_needs_a_post_and_ends_the_session(client):
    client.force_login(UserFactory())

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email_sets_a_new_password(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="amina@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "amina@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["amina@example.org"]
    assert message.subject == "Action needed: Reset your UPR Coalition Portal password"
    link = re.search(re.escape(settings.SITE_URL) + r"(/accounts/reset/\S+/)", message.body).group(1)
    [(html, _mimetype)] = message.alternatives
    assert f'href="{settings.SITE_URL}{link}"' in html

    confirm = client.get(link, follow=True)
    assert "Choose a new password" in confirm.content.decode()
    set_password_url = confirm.redirect_chain[-1][0]
    done = client.post(
        set_password_url, {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"}
    )

    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a brand new passphrase")
    # The link works once.
    reused = client.get(link, follow=True)
    assert "no longer valid" in reused.content.decode()


def test_password_reset_queues_the_persons_id_not_the_link(client):
    user = UserFactory(email="amina@example.org", language="fr")

    client.post(reverse("password_reset"), {"email": "Amina@example.org"})

    [queued] = OutboxMessage.objects.all()
    assert (queued.kind, queued.to_email, queued.recipient, queued.language, queued.context) == (
        "accounts.password_reset",
        "amina@example.org",
        user,
        "fr",
        {"user": user.pk},
    )
    assert (queued.status, queued.subject, mail.outbox) == (OutboxMessage.Status.QUEUED, "", [])


def test_password_reset_for_unknown_email_sends_nothing_and_reveals_nothing(client, django_capture_on_commit_callbacks):
    # The request queues a message as for a known address; the worker finds no account and drops it.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "Nobody@example.org"}, follow=True)

    assert mail.outbox == []
    [queued] = OutboxMessage.objects.all()
    assert (queued.to_email, queued.recipient, queued.context, queued.status) == (
        "nobody@example.org",
        None,
        {},
        OutboxMessage.Status.CANCELLED,
    )
    assert "Check your email" in response.content.decode()


def test_password_change_requires_the_old_password(client):
    user = UserFactory()
    client.force_login(user)

    refused = client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "another long phrase", "new_password2": "another long phrase"},
    )
    assert "Your old password was entered incorrectly" in refused.content.decode()
    accepted = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "another long phrase", "new_password2": "another long phrase"},
    )

    assert accepted.url == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("another long phrase")


def test_users_are_unique_by_email_whatever_the_case():
    User.objects.create_user("amina@example.org", "x")

    with pytest.raises(IntegrityError):
        User.objects.create_user("AMINA@example.org", "y")
