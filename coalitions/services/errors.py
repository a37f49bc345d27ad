from django.core.exceptions import ValidationError


class CoalitionError(ValidationError):
    """A request the coalition's rules refuse; its message is shown to the user as it is."""
