"""A coalition's requirement of two-factor sign-in, told to accounts' policy (accounts/two_factor/policy.py)
so that the person's two-factor page can say why they need it and refuse to turn it off."""

from django.utils.translation import gettext as _

from coalitions import selectors


def coalition_requirement_reasons(user) -> list[str]:
    return [
        _("%(coalition)s asks its members to use two-factor sign-in.") % {"coalition": name}
        for name in selectors.coalition_names_requiring_two_factor(user=user)
    ]
