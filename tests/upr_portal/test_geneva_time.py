"""The one way templates print a date or a time: in Geneva time, and saying so (geneva_time.py)."""

import datetime
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import timezone, translation

from upr_portal.templatetags.geneva_time import geneva, geneva_text

UTC = datetime.UTC


def render(source: str, **context) -> str:
    return Template("{% load geneva_time %}" + source).render(Context(context))


def test_geneva_labels_a_winter_moment_in_geneva_time():
    moment = datetime.datetime(2027, 1, 15, 13, 2, tzinfo=UTC)

    assert render("{{ moment|geneva }}", moment=moment) == (
        '<time datetime="2027-01-15T14:02+01:00">15 Jan 2027, 14:02 Geneva time</time>'
    )


def test_geneva_labels_a_summer_moment_with_the_summer_offset():
    moment = datetime.datetime(2027, 3, 31, 21, 59, tzinfo=UTC)

    assert render('{{ moment|geneva:"long" }}', moment=moment) == (
        '<time datetime="2027-03-31T23:59+02:00">31 March 2027, 23:59 Geneva time</time>'
    )


def test_geneva_converts_whatever_time_zone_is_active():
    moment = datetime.datetime(2026, 12, 3, 23, 30, tzinfo=UTC)  # 00:30 on 4 December in Geneva

    with timezone.override(ZoneInfo("America/Bogota")):
        text = render('{{ moment|geneva:"long" }}', moment=moment)

    assert text == '<time datetime="2026-12-04T00:30+01:00">4 December 2026, 00:30 Geneva time</time>'


def test_geneva_time_style_gives_the_clock_only():
    moment = datetime.datetime(2026, 12, 3, 13, 2, tzinfo=UTC)

    assert geneva_text(moment, "time") == "14:02 Geneva time"


def test_geneva_leaves_a_day_unlabelled_in_the_same_format():
    day = datetime.date(2027, 11, 1)

    assert (render("{{ day|geneva }}", day=day), render('{{ day|geneva:"long" }}', day=day)) == (
        '<time datetime="2027-11-01">1 Nov 2027</time>',
        '<time datetime="2027-11-01">1 November 2027</time>',
    )


def test_geneva_prints_nothing_for_a_missing_value():
    assert (render("[{{ none|geneva }}]", none=None), geneva("")) == ("[]", "")


def test_geneva_escapes_inside_blocktranslate_only_once():
    moment = datetime.datetime(2026, 12, 3, 13, 2, tzinfo=UTC)

    text = render(
        "{% load i18n %}{% blocktranslate with when=moment|geneva %}sent {{ when }}{% endblocktranslate %}",
        moment=moment,
    )

    assert text == 'sent <time datetime="2026-12-03T14:02+01:00">3 Dec 2026, 14:02 Geneva time</time>'


def test_geneva_speaks_the_active_language_for_month_names():
    moment = datetime.datetime(2027, 3, 9, 11, 0, tzinfo=UTC)

    with translation.override("fr"):
        text = geneva_text(moment, "long")

    assert text.startswith("9 mars 2027, 12:00")
