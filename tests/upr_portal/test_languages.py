"""The portal offers a language only once its catalogue exists."""

from pathlib import Path

import pytest
from django.conf import settings

from accounts.models import User


def _catalogued() -> set[str]:
    locale = Path(settings.BASE_DIR) / "locale"
    return {path.parent.parent.name for path in locale.glob("*/LC_MESSAGES/django.po")}


def test_languages_offered_are_english_and_those_with_a_catalogue():
    offered = {code for code, _name in settings.LANGUAGES}

    assert offered == {settings.LANGUAGE_CODE} | (_catalogued() & {"fr", "es"})


def test_user_language_choices_follow_the_offered_languages():
    field = User._meta.get_field("language")

    assert [code for code, _name in field.choices] == [code for code, _name in settings.LANGUAGES]
    assert field.default == settings.LANGUAGE_CODE


@pytest.mark.django_db
def test_language_switcher_shown_only_with_a_choice(client):
    page = client.get("/").content.decode()

    assert ('id="language-select"' in page) == (len(settings.LANGUAGES) > 1)
