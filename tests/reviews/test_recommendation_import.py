"""Importing a review's recommendations: the parsers, State matching, the service and the command."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from reviews.models import IndexTerm, RecommendationImport, Review, State, StateAlias, UPRRecommendation
from reviews.recommendation_import import (
    MAX_ROWS,
    ImportFileError,
    StateMatcher,
    import_recommendations,
    match_state,
    read_recommendations,
)
from reviews.recommendation_import.states import split_recommendation
from tests.reviews.recommendation_files import Rec, sample, thematic_list, uhri_csv, uhri_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(reference_data) -> Review:
    # Kenya, a 4th-cycle review whose session is past.
    return Review.objects.select_related("state", "session").get(state__code="KEN", session__number__lt=50)


def _read(content: bytes, name: str, **kwargs):
    return read_recommendations(content, file_name=name, matcher=StateMatcher(), **kwargs)


def _import(review, content: bytes, name: str, *, dry_run: bool = False, **kwargs):
    parsed = _read(content, name, **kwargs)
    assert [str(problem) for problem in parsed.problems] == []
    return import_recommendations(review=review, rows=parsed.rows, actor=None, dry_run=dry_run)


# State matching


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Türkiye", "TUR"),
        ("Turkey", "TUR"),
        ("Turkiye", "TUR"),
        ("Côte d'Ivoire", "CIV"),
        ("Cote d\u2019Ivoire", "CIV"),
        ("Ivory Coast", "CIV"),
        ("United Kingdom of Great Britain and Northern Ireland", "GBR"),
        ("United Kingdom of Great Britain & Northern Ireland", "GBR"),
        ("the United Kingdom", "GBR"),
        ("Venezuela (Bolivarian Republic of)", "VEN"),
        ("Venezuela", "VEN"),
        ("Bolivarian Republic of Venezuela", "VEN"),
        ("Korea, Republic of", "KOR"),
        ("Korea, Democratic People's Republic of", "PRK"),
        ("Netherlands (Kingdom of the)", "NLD"),
        ("the Netherlands", "NLD"),
        ("Viet Nam", "VNM"),
        ("Vietnam", "VNM"),
        ("Czech Republic", "CZE"),
        ("Iran (Islamic Republic of)", "IRN"),
        ("Iran, Islamic Republic of", "IRN"),
        ("Micronesia", "FSM"),
        ("  CHILE ", "CHL"),
    ],
)
def test_match_state_finds_names_and_aliases(reference_data, name, code):
    assert match_state(name).code == code


def test_match_state_unknown_name_is_none(reference_data):
    assert (match_state("Ruritania"), match_state(""), match_state("Korea")) == (None, None, None)


def test_state_aliases_are_loaded_once_with_existing_codes(reference_data):
    from reviews.services import reference_data_load

    count = StateAlias.objects.count()
    report = reference_data_load()

    assert count >= 40
    assert report.state_aliases == 0
    assert StateAlias.objects.count() == count
    assert StateAlias.objects.get(name="Turkey").state.code == "TUR"


@pytest.mark.parametrize(
    ("text", "body", "names"),
    [
        ("Ratify the OP-CAT (Maldives) (Portugal);", "Ratify the OP-CAT", ["Maldives", "Portugal"]),
        ("Ratify the OP-CAT (Maldives); (Portugal)", "Ratify the OP-CAT", ["Maldives", "Portugal"]),
        ("Ratify the OP-CAT. Recommending State: Portugal", "Ratify the OP-CAT.", ["Portugal"]),
        ("Ratify it Recommending States: Chile, Peru", "Ratify it", ["Chile", "Peru"]),
        (
            "Adopt a law (CEDAW) (Venezuela (Bolivarian Republic of))",
            "Adopt a law (CEDAW)",
            ["Venezuela (Bolivarian Republic of)"],
        ),
        ("Adopt ILO Convention (No. 189)", "Adopt ILO Convention (No. 189)", []),
        ("Ratify it (Ruritania) (Chile)", "Ratify it", ["Ruritania", "Chile"]),
    ],
)
def test_split_recommendation_reads_recommending_states(reference_data, text, body, names):
    assert split_recommendation(text, StateMatcher()) == (body, names)


def test_states_column_keeps_names_with_commas_together(reference_data):
    matcher = StateMatcher()

    names = matcher.split("Venezuela (Bolivarian Republic of), Korea, Republic of; Chile, Ruritania")

    assert names == ["Venezuela (Bolivarian Republic of)", "Korea, Republic of", "Chile", "Ruritania"]
    assert [state.code for state in matcher.resolve(names)[0]] == ["VEN", "KOR", "CHL"]


# Parsers


def test_thematic_list_rows_have_every_field(reference_data):
    parsed = _read(thematic_list(sample(2)), "list.docx")

    first = parsed.rows[0]
    assert (parsed.file_format, parsed.report_symbol, len(parsed.rows), parsed.problems) == (
        "docx",
        "A/HRC/44/9",
        2,
        [],
    )
    assert (first.paragraph, first.text, first.state_names) == (
        "140.1",
        "Take measure number 1 to protect the rights of children",
        ["Maldives", "Portugal"],
    )
    assert (first.position, first.position_source, first.report_symbol) == (
        "supported",
        "A/HRC/44/9/Add.1 - Para.3",
        "A/HRC/44/9",
    )
    assert (first.themes, first.persons, first.sdgs) == (
        ["Constitutional and legislative framework", "Rights of the child"],
        ["children"],
        [5, 16],
    )


def test_thematic_list_splits_merged_recommendations_and_tolerates_spaces(reference_data):
    recs = sample(5)
    parsed = _read(thematic_list(recs, merged=[(1, 2, 3)], extra_spaces=True, header=False), "list.docx")

    assert [(row.paragraph, row.position, row.state_names) for row in parsed.rows] == [
        ("140.1", "supported", ["Maldives", "Portugal"]),
        ("140.2", "supported", ["Chile"]),
        ("140.3", "supported", ["Türkiye"]),
        ("140.4", "supported", ["Turkey"]),
        ("140.5", "supported", ["Côte d'Ivoire"]),
    ]
    assert parsed.rows[2].text == "Take measure number 3 to protect the rights of children"
    assert parsed.problems == []


def test_thematic_list_report_option_wins(reference_data):
    parsed = _read(thematic_list(sample(1)), "list.docx", report_symbol="A/HRC/59/15")

    assert (parsed.report_symbol, parsed.rows[0].report_symbol) == ("A/HRC/59/15", "A/HRC/59/15")


@pytest.mark.parametrize("builder", [uhri_csv, uhri_xlsx])
def test_uhri_export_rows(reference_data, builder):
    name = "export.csv" if builder is uhri_csv else "export.xlsx"
    parsed = _read(builder(sample(3)), name, report_symbol="A/HRC/44/9")

    row = parsed.rows[2]
    assert (parsed.needs_mapping, parsed.problems, len(parsed.rows)) == (False, [], 3)
    assert (row.line, row.paragraph, row.text, row.position, row.state_names, row.sdgs) == (
        4,
        "140.3",
        "Take measure number 3 to protect the rights of children",
        "noted",
        ["Türkiye"],
        [5, 16],
    )
    assert row.themes == ["Constitutional and legislative framework", "Rights of the child"]


def test_uhri_export_with_known_other_headers_is_read_as_it_is(reference_data):
    headers = ["Recommendation", "Themes", "Date", "Body", "SDG", "Session", "Recommending States", "Response"]

    parsed = _read(uhri_csv(sample(2), headers=headers), "export.csv")

    assert (parsed.needs_mapping, len(parsed.rows), parsed.rows[0].state_names) == (False, 2, ["Maldives", "Portugal"])


def test_uhri_export_with_other_headers_needs_a_mapping(reference_data):
    headers = ["Wording", "Topics", "Date", "Body", "Goals", "Session", "Made by", "Answer"]
    content = uhri_csv(sample(2), headers=headers)

    parsed = _read(content, "export.csv")
    mapped = _read(content, "export.csv", mapping={"text": "Wording", "position": "Answer", "states": "Made by"})

    assert (parsed.needs_mapping, parsed.rows, parsed.headers) == (True, [], headers)
    assert (parsed.mapping["text"], parsed.mapping["position"], parsed.mapping["sdgs"]) == ("", "", "")
    assert (mapped.needs_mapping, len(mapped.rows), mapped.rows[1].state_names) == (False, 2, ["Chile"])


def test_malformed_file_lists_every_bad_row(reference_data):
    recs = sample(4)
    recs[0].position = "Maybe"
    recs[1].text = ""
    recs[1].states = []
    recs[2].paragraph = "140.1"
    recs[3].paragraph = "12345.1"
    content = uhri_csv(recs)
    content = content.replace(b"\r\n140.1 ", b"\r\n140.1 ", 1)

    parsed = _read(content + b"No paragraph here,,,,,,,Supported\r\n", "export.csv")

    assert [str(problem) for problem in parsed.problems] == [
        "row 2: “Maybe” is not a position: Supported, Noted, Supported/Noted or Pending.",
        "row 3: the recommendation has no text.",
        "row 4: paragraph 140.1 is also on row 2.",
        "row 5: “12345.1” is not a paragraph number such as 140.7 (at most 4 digits each side).",
        "row 6: no paragraph number (such as 140.7) at the start of the recommendation.",
    ]


def test_file_over_the_row_limit_is_refused(reference_data):
    rows = [Rec(f"1.{n}", "Do it", ["Chile"]) for n in range(MAX_ROWS + 1)]

    with pytest.raises(ImportFileError, match="more than 5000 rows"):
        _read(uhri_csv(rows), "export.csv")


def test_file_over_10_mb_is_refused(reference_data):
    with pytest.raises(ImportFileError, match="larger than 10 MB"):
        _read(b"x" * (10 * 1024 * 1024 + 1), "export.csv")


# The service


def test_import_figures_are_exact(review):
    summary = _import(review, thematic_list(sample(6)), "list.docx")

    stored = UPRRecommendation.objects.get(review=review, paragraph="140.1")
    assert (summary.recommendations, summary.new, summary.updated, summary.unchanged) == (6, 6, 0, 0)
    assert (summary.supported, summary.noted, summary.links, summary.unresolved) == (4, 2, 7, [])
    assert sorted(stored.recommending_states.values_list("code", flat=True)) == ["MDV", "PRT"]
    assert sorted(stored.terms.values_list("kind", "name")) == [
        ("persons", "children"),
        ("theme", "Constitutional and legislative framework"),
        ("theme", "Rights of the child"),
    ]
    assert (stored.sdgs, stored.paragraph_major, stored.paragraph_minor, stored.report_symbol) == (
        [5, 16],
        140,
        1,
        "A/HRC/44/9",
    )
    assert IndexTerm.objects.count() == 3
    assert RecommendationImport.objects.get(review=review).summary["links"] == 7
    # Türkiye and Turkey are one State.
    assert UPRRecommendation.objects.filter(review=review, recommending_states__code="TUR").count() == 2


def test_reimport_changes_nothing(review):
    content = thematic_list(sample(6))
    _import(review, content, "list.docx")
    before = list(UPRRecommendation.objects.values_list("pk", "updated_at", "fingerprint"))

    summary = _import(review, content, "list.docx")

    assert (summary.new, summary.updated, summary.unchanged) == (0, 0, 6)
    assert list(UPRRecommendation.objects.values_list("pk", "updated_at", "fingerprint")) == before


def test_edited_file_updates_only_changed_rows(review):
    recs = sample(6)
    _import(review, uhri_csv(recs), "export.csv")
    recs[1].position = "Noted"
    recs[4].states = ["Chile", "Peru"]
    recs[5].themes = ["A41 Constitutional and legislative framework", "B51 Right to an effective remedy"]

    summary = _import(review, uhri_csv(recs), "export.csv")

    assert (summary.new, summary.updated, summary.unchanged) == (0, 3, 3)
    assert {p for p, outcome in summary.outcome.items() if outcome == "updated"} == {"140.2", "140.5", "140.6"}
    assert UPRRecommendation.objects.get(paragraph="140.2").position == "noted"
    assert sorted(
        UPRRecommendation.objects.get(paragraph="140.5").recommending_states.values_list("code", flat=True)
    ) == [
        "CHL",
        "PER",
    ]
    assert sorted(UPRRecommendation.objects.get(paragraph="140.6").terms.values_list("name", flat=True)) == [
        "Constitutional and legislative framework",
        "Right to an effective remedy",
    ]


def test_unresolved_names_are_listed_and_kept(review):
    recs = [Rec("140.1", "Do it", ["Ruritania", "Chile"]), Rec("140.2", "Do more", ["Ruritania"])]

    summary = _import(review, uhri_csv(recs), "export.csv")

    stored = UPRRecommendation.objects.get(paragraph="140.1")
    assert (summary.unresolved, summary.links) == (["Ruritania"], 1)
    assert stored.recommending_states_text == "Ruritania; Chile"


def test_dry_run_writes_nothing(review):
    summary = _import(review, thematic_list(sample(6)), "list.docx", dry_run=True)

    assert (summary.new, summary.links, summary.dry_run) == (6, 7, True)
    assert (UPRRecommendation.objects.count(), IndexTerm.objects.count(), RecommendationImport.objects.count()) == (
        0,
        0,
        0,
    )


def test_import_queries_do_not_grow_with_rows(review, django_assert_max_num_queries):
    recs = [
        Rec(f"140.{n}", f"Recommendation {n}", ["Chile", "Peru"], themes=[f"A{n} Theme {n}"], sdgs=[n % 17 + 1])
        for n in range(1, 251)
    ]
    parsed = _read(uhri_csv(recs), "export.csv")
    matcher = StateMatcher()

    with django_assert_max_num_queries(15):
        summary = import_recommendations(review=review, rows=parsed.rows, actor=None, dry_run=False, matcher=matcher)
    for rec in recs[:100]:
        rec.position = "Noted"
    parsed = _read(uhri_csv(recs), "export.csv")
    with django_assert_max_num_queries(20):
        again = import_recommendations(review=review, rows=parsed.rows, actor=None, dry_run=False, matcher=matcher)

    assert (summary.new, summary.links, again.updated, again.unchanged) == (250, 500, 100, 150)


# The command


def test_command_prints_one_summary(review, tmp_path):
    path = tmp_path / "list.docx"
    path.write_bytes(thematic_list(sample(6)))
    out = StringIO()

    call_command("import_recommendations", str(path), state="KEN", session=review.session.number, stdout=out)

    assert out.getvalue().splitlines() == [
        f"Kenya, session {review.session.number}: recommendations 6 · new 6 · updated 0 · unchanged 0 · "
        "supported 4 · noted 2 · links 7 · unresolved 0"
    ]


def test_command_dry_run_says_nothing_was_saved(review, tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(uhri_csv([Rec("140.1", "Do it", ["Ruritania"])]))
    out = StringIO()

    call_command(
        "import_recommendations", str(path), "--dry-run", state="KEN", session=review.session.number, stdout=out
    )

    assert out.getvalue().splitlines()[-2:] == [
        f"Kenya, session {review.session.number}: recommendations 1 · new 1 · updated 0 · unchanged 0 · "
        "supported 1 · noted 0 · links 0 · unresolved 1: Ruritania",
        "Dry run: nothing was saved.",
    ]
    assert UPRRecommendation.objects.count() == 0


def test_command_mapping_options(review, tmp_path):
    path = tmp_path / "export.xlsx"
    headers = ["Wording", "Topics", "Date", "Body", "Goals", "Session", "UPR Recommending States", "Answer"]
    path.write_bytes(uhri_xlsx(sample(3), headers=headers))

    with pytest.raises(CommandError, match="do not say which holds the text"):
        call_command("import_recommendations", str(path), state="KEN", session=review.session.number)
    call_command(
        "import_recommendations",
        str(path),
        "--map",
        "Text=Wording",
        "--map",
        "UPR Position=Answer",
        state="KEN",
        session=review.session.number,
        stdout=StringIO(),
    )

    assert UPRRecommendation.objects.filter(review=review).count() == 3


def test_command_malformed_file_writes_nothing(review, tmp_path):
    recs = sample(3)
    recs[1].position = "Perhaps"
    recs[2].paragraph = "140.1"
    path = tmp_path / "export.csv"
    path.write_bytes(uhri_csv(recs))

    with pytest.raises(CommandError) as excinfo:
        call_command("import_recommendations", str(path), state="KEN", session=review.session.number)

    assert str(excinfo.value).splitlines()[1:] == [
        "row 3: “Perhaps” is not a position: Supported, Noted, Supported/Noted or Pending.",
        "row 4: paragraph 140.1 is also on row 2.",
    ]
    assert (UPRRecommendation.objects.count(), RecommendationImport.objects.count()) == (0, 0)


def test_command_creates_a_past_review_of_an_earlier_session(reference_data, tmp_path):
    from reviews.models import Session

    # Session 35 comes from reviews/data/sessions-cycle3.csv, without its States: Kenya's review is new.
    assert Session.objects.get(number=35).wg_end == datetime.date(2020, 1, 31)
    assert not Review.objects.filter(state__code="KEN", session__number=35).exists()
    path = tmp_path / "export.csv"
    path.write_bytes(uhri_csv(sample(2)))

    call_command("import_recommendations", str(path), state="KEN", session=35, stdout=StringIO())

    review = Review.objects.get(state__code="KEN", session__number=35)
    assert (review.status, review.recommendations.count()) == ("outcome_adopted", 2)


@pytest.mark.parametrize(
    ("state", "session", "message"),
    [("XXX", 45, "There is no State with the code “XXX”."), ("KEN", 999, "There is no Working Group session 999")],
)
def test_command_unknown_state_or_session(reference_data, tmp_path, state, session, message):
    path = tmp_path / "export.csv"
    path.write_bytes(uhri_csv(sample(1)))

    with pytest.raises(CommandError, match=message):
        call_command("import_recommendations", str(path), state=state, session=session)


def test_states_are_not_duplicated_by_aliases(reference_data):
    assert State.objects.count() == 195


def test_every_alias_names_a_state_of_the_data_file():
    import csv

    from reviews.services import DEFAULT_DATA_DIR

    with (DEFAULT_DATA_DIR / "states.csv").open(encoding="utf-8") as handle:
        codes = {row["code"] for row in csv.DictReader(handle)}
    with (DEFAULT_DATA_DIR / "state-aliases.csv").open(encoding="utf-8") as handle:
        aliases = list(csv.DictReader(handle))

    assert sorted({row["code"] for row in aliases} - codes) == []
    assert len({row["alias"] for row in aliases}) == len(aliases)


def test_thematic_list_position_merged_down_two_rows(reference_data):
    import io

    import docx

    document = docx.Document()
    document.add_paragraph("Report of the Working Group A/HRC/44/9")
    table = document.add_table(rows=3, cols=3)
    for cell, text in zip(table.rows[0].cells, ["Recommendation", "Position", "Themes"], strict=True):
        cell.text = text
    table.cell(1, 0).text = "140.1 Ratify the OP-CAT (Chile)"
    table.cell(2, 0).text = "140.2 Adopt a law (Peru)"
    table.cell(1, 1).merge(table.cell(2, 1)).text = "Noted\nSource of Position: A/HRC/44/9/Add.1"
    buffer = io.BytesIO()
    document.save(buffer)

    parsed = _read(buffer.getvalue(), "list.docx")

    assert [(row.paragraph, row.position, row.state_names) for row in parsed.rows] == [
        ("140.1", "noted", ["Chile"]),
        ("140.2", "noted", ["Peru"]),
    ]
    assert parsed.problems == []


def test_a_workbook_paragraph_stored_as_a_number_is_refused_not_guessed(reference_data):
    import io

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Paragraph", "Text", "UPR Position", "UPR Recommending States"])
    sheet.append([140.1, "Ratify the Optional Protocol", "Supported", "Portugal"])  # typed as 140.10, kept as 140.1
    sheet.append(["140.11", "Adopt a law on torture", "Noted", "Chile"])
    sheet.append([141, "Whole numbers stay readable", "Noted", "Chile"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    parsed = _read(buffer.getvalue(), "export.xlsx", report_symbol="A/HRC/44/9")

    assert str(parsed.problems[0]) == (
        "row 2: the paragraph 140.1 is stored as a number, which cannot tell 140.1 from 140.10: format the "
        "paragraph column as text in the workbook and type it again."
    )
    assert [row.paragraph for row in parsed.rows][1] == "140.11"


def test_a_recommendation_that_names_recommendations_and_positions_is_data_not_a_header(reference_data):
    # Its position cell says "Source of Position": a row is a header only when its cells are short labels.
    recs = sample(2)
    recs[1].text = "Implement the recommendations of the Committee against Torture on the position of detainees"
    recs[1].themes = ["A41 Follow-up to recommendations"]

    parsed = _read(thematic_list(recs), "list.docx")

    assert ([row.paragraph for row in parsed.rows], parsed.problems) == (["140.1", "140.2"], [])
    assert parsed.rows[1].text.startswith("Implement the recommendations of the Committee against Torture")
