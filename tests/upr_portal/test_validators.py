"""The one-line rule for names and titles (upr_portal/validators.py)."""

import pytest
from django.core.exceptions import ValidationError

from upr_portal.validators import validate_no_control_characters


@pytest.mark.parametrize(
    "value",
    [
        "Alpha\rBeta",
        "Alpha\nBeta",
        "Alpha\tBeta",
        "Alpha\x00Beta",
        "Alpha\x1bBeta",
        "Alpha\x7fBeta",
        "Alpha\x85Beta",
        "Alpha\x9bBeta",
        "Alpha\u2028Beta",
        "Alpha\u2029Beta",
    ],
    ids=["CR", "LF", "tab", "NUL", "ESC", "DEL", "C1-NEL", "C1-CSI", "line-separator", "paragraph-separator"],
)
def test_control_characters_are_refused(value):
    with pytest.raises(ValidationError) as refused:
        validate_no_control_characters(value)

    assert (refused.value.code, refused.value.messages) == (
        "control_characters",
        [
            "Write this on one line, without line breaks or tabs: it contains an invisible control character "
            "(often copied along with text from another program)."
        ],
    )


@pytest.mark.parametrize(
    "value",
    [
        "Coalition for the Rights of the Child",
        "Ligue des droits de l'homme – Lomé",
        "مركز حقوق الإنسان",  # Arabic, right to left
        "Centro de Derechos Humanos\u200f (CDH)",  # a right-to-left mark: a format character, not a control
        "Women\u00a0Lawyers",  # a no-break space
        "",
    ],
    ids=["english", "french-dash", "arabic", "rtl-mark", "no-break-space", "empty"],
)
def test_names_in_any_script_pass(value):
    assert validate_no_control_characters(value) is None
