"""The project-level views of upr_portal/views.py that have no test module of their own."""

from django.conf import settings
from django.contrib.staticfiles import finders


def test_favicon_ico_leads_to_the_portal_icon(client):
    response = client.get("/favicon.ico")
    icon = response["Location"].removeprefix(settings.STATIC_URL)

    assert (response.status_code, response["Location"]) == (302, f"{settings.STATIC_URL}favicon.svg")
    assert finders.find(icon) == str(settings.BASE_DIR / "static" / "favicon.svg")


def test_favicon_ico_refuses_a_post(client):
    response = client.post("/favicon.ico")

    assert (response.status_code, response["Allow"]) == (405, "GET, HEAD")
