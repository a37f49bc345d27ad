"""The user model's own rules."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User

pytestmark = pytest.mark.django_db


def test_full_name_with_a_line_break_is_refused():
    # Names go into every invitation and reminder; a line break there broke their mail later.
    person = User(email="nadia@example.org", full_name="Nadia\r\nDiallo")

    with pytest.raises(ValidationError) as refused:
        person.full_clean(exclude=["password"])

    assert refused.value.message_dict == {
        "full_name": [
            "Write this on one line, without line breaks or tabs: it contains an invisible control character "
            "(often copied along with text from another program)."
        ]
    }
