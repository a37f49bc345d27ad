"""The States' UN short names in French and Spanish: the data file, its loading, the pages and the
recommendation import that use them."""

import csv
import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from reviews.models import State, by_local_name
from reviews.recommendation_import.states import StateMatcher, match_state, split_recommendation
from reviews.services import DEFAULT_DATA_DIR, reference_data_load
from tests.factories.accounts import UserFactory


def _csv(name: str) -> list[dict[str, str]]:
    with (DEFAULT_DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_state_names_file_has_one_row_per_state_with_every_name():
    names = _csv("state-names.csv")
    states = {row["code"]: row["name"] for row in _csv("states.csv")}

    assert len(names) == 195
    assert [row["code"] for row in names] == list(states)
    assert {row["code"]: row["en"] for row in names} == states
    assert [row["code"] for row in names if not all(row[c].strip() == row[c] != "" for c in ("en", "fr", "es"))] == []


def test_state_names_file_gives_the_un_short_names():
    names = {row["code"]: (row["fr"], row["es"]) for row in _csv("state-names.csv")}

    assert names["BOL"] == ("Bolivie (État plurinational de)", "Bolivia (Estado Plurinacional de)")
    assert names["GBR"] == (
        "Royaume-Uni de Grande-Bretagne et d'Irlande du Nord",
        "Reino Unido de Gran Bretaña e Irlanda del Norte",
    )
    assert names["NLD"] == ("Pays-Bas (Royaume des)", "Países Bajos (Reino de los)")
    assert (names["TUR"], names["VAT"], names["PSE"]) == (
        ("Türkiye", "Türkiye"),
        ("Saint-Siège", "Santa Sede"),
        ("État de Palestine", "Estado de Palestina"),
    )


@pytest.mark.django_db
def test_load_reference_data_fills_the_names_and_keeps_an_admins_edit():
    reference_data_load()
    State.objects.filter(code="DEU").update(name_fr="Allemagne (corrigé)", name_es="")

    report = reference_data_load()

    germany, bolivia = State.objects.get(code="DEU"), State.objects.get(code="BOL")
    assert (germany.name_fr, germany.name_es) == ("Allemagne (corrigé)", "Alemania")
    assert bolivia.name_fr == "Bolivie (État plurinational de)"
    assert bolivia.name_es == "Bolivia (Estado Plurinacional de)"
    assert report.state_names == 1
    said = [line for line in report.lines() if "French" in line]
    assert said == ["Filled in 1 name of a State in French or Spanish."]


@pytest.mark.django_db
def test_load_reference_data_unknown_code_in_state_names_names_file_and_line(tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(DEFAULT_DATA_DIR, data_dir)
    names = data_dir / "state-names.csv"
    names.write_text(names.read_text(encoding="utf-8") + "QQQ,Ruritania,Ruritanie,Ruritania\n", encoding="utf-8")

    with pytest.raises(CommandError) as error:
        call_command("load_reference_data", data_dir=data_dir, stdout=StringIO())

    assert str(error.value) == "state-names.csv, line 197: “QQQ” is not the code of a State."
    assert State.objects.count() == 0


def _page_states(content: str, first: str, second: str) -> tuple[int, int]:
    return content.index(first), content.index(second)


def _search_page(client, language: str) -> str:
    # The signed-in person's own language chooses the page's (accounts/middleware.py).
    client.force_login(UserFactory(full_name="Awa Diallo", language=language))
    return client.get(reverse("reviews:recommendations")).content.decode()


def test_recommendations_form_in_french_shows_and_sorts_french_names(client, reference_data):
    content = _search_page(client, "fr")

    assert '<html lang="fr">' in content
    assert "Bolivie (État plurinational de)" in content
    assert "Bolivia (Plurinational State of)" not in content
    germany, austria = _page_states(content, ">Allemagne<", ">Autriche<")
    assert germany < austria


def test_recommendations_form_in_spanish_shows_spanish_names(client, reference_data):
    content = _search_page(client, "es")

    assert ">Alemania<" in content
    assert ">Germany<" not in content


def test_state_shows_its_english_name_where_the_translation_is_empty(reference_data):
    State.objects.filter(code="DEU").update(name_fr="")
    states = State.objects.filter(code__in=["DEU", "AUT", "DZA"])

    with translation.override("fr"):
        assert [str(state) for state in states.order_by(by_local_name())] == ["Algérie", "Autriche", "Germany"]
    with translation.override("en"):
        assert [str(state) for state in states.order_by(by_local_name())] == ["Algeria", "Austria", "Germany"]


def test_names_sort_with_their_accents_as_a_reader_expects(reference_data):
    """ "Égypte" and "État de Palestine" among the E, "Îles Marshall" among the I: the database sorts names
    with ICU's collation on PostgreSQL and the portal's own on SQLite, not byte by byte."""
    states = State.objects.filter(code__in=["ZWE", "EGY", "ESP", "PSE", "MHL", "IND", "ECU"])

    with translation.override("fr"):
        names = [str(state) for state in states.order_by(by_local_name())]

    assert names == ["Égypte", "Équateur", "Espagne", "État de Palestine", "Îles Marshall", "Inde", "Zimbabwe"]


def test_recommendation_import_resolves_french_and_spanish_names(reference_data):
    matcher = StateMatcher()
    text = "Ratifier le Protocole facultatif (Royaume-Uni de Grande-Bretagne et d'Irlande du Nord) (Bolivie);"

    assert match_state("Royaume-Uni de Grande-Bretagne et d'Irlande du Nord").code == "GBR"
    assert match_state("Reino Unido de Gran Bretaña e Irlanda del Norte").code == "GBR"
    assert match_state("État plurinational de Bolivie").code == "BOL"
    assert split_recommendation(text, matcher) == (
        "Ratifier le Protocole facultatif",
        ["Royaume-Uni de Grande-Bretagne et d'Irlande du Nord", "Bolivie"],
    )
    assert [s.code for s in matcher.resolve(["Allemagne", "Países Bajos (Reino de los)"])[0]] == ["DEU", "NLD"]
