"""Each person's language: the switcher, their settings, and pages that follow them over the cookie."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)"', response.content.decode()).group(1)


def test_switcher_for_a_signed_out_visitor_sets_the_cookie_and_returns_to_the_page(client):
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/recommendations/"})

    assert response.status_code == 302
    assert response.url == "/recommendations/"
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    page = client.get(reverse("login"))
    assert html_lang(page) == "fr"
    assert "Se connecter" in page.content.decode()


def test_switcher_names_each_language_in_itself(client):
    page = client.get(reverse("login")).content.decode()

    assert '<option value="fr" lang="fr">Français</option>' in page
    assert '<option value="es" lang="es">Español</option>' in page


def test_switcher_for_a_signed_in_person_saves_their_language(client):
    person = UserFactory(language="en")
    client.force_login(person)

    client.post(reverse("set_language"), {"language": "es", "next": "/"})

    person.refresh_from_db()
    assert person.language == "es"


def test_switcher_refuses_a_language_without_a_catalogue(client):
    person = UserFactory(language="fr")
    client.force_login(person)

    client.post(reverse("set_language"), {"language": "de", "next": "/"})

    person.refresh_from_db()
    assert person.language == "fr"


def test_switcher_needs_a_post_with_its_csrf_token():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)

    assert strict.get(reverse("set_language")).status_code == 405
    assert strict.post(reverse("set_language"), {"language": "fr"}).status_code == 403


def test_a_signed_in_person_reads_their_own_language_whatever_the_cookie(client):
    client.force_login(UserFactory(language="es"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    response = client.get(reverse("account_settings"))

    assert html_lang(response) == "es"
    assert response.headers["Content-Language"] == "es"
    assert '<h1 class="h3">Su configuración</h1>' in response.content.decode()


def test_settings_page_changes_the_language_and_confirms_in_it(client):
    person = UserFactory(language="en")
    client.force_login(person)

    response = client.post(
        reverse("account_settings"), {"language": "fr", "timezone": "", "email_notifications": "on"}, follow=True
    )

    person.refresh_from_db()
    assert person.language == "fr"
    assert html_lang(response) == "fr"
    assert "Vos paramètres sont enregistrés." in response.content.decode()
    assert "Your settings are saved." not in response.content.decode()


def test_settings_page_refuses_an_unknown_language(client):
    person = UserFactory(language="en")
    client.force_login(person)

    response = client.post(reverse("account_settings"), {"language": "xx", "timezone": ""})

    person.refresh_from_db()
    assert person.language == "en"
    assert "Select a valid choice" in response.content.decode()


def test_browser_language_chooses_for_a_visitor_without_cookie(client):
    response = client.get(reverse("login"), headers={"accept-language": "es-CO,es;q=0.9,en;q=0.5"})

    assert html_lang(response) == "es"
    assert "Iniciar sesión" in response.content.decode()
