import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from upr_portal.validators import validate_no_control_characters


def language_choices():
    """The languages the portal offers (those with a catalogue); a callable keeps migrations stable."""
    return settings.LANGUAGES


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


def validate_timezone_name(value: str) -> None:
    if value and value not in zoneinfo.available_timezones():
        raise ValidationError(_("Choose a time zone from the list."), code="invalid_timezone")


class User(AbstractUser):
    """A person who signs in with their email address (invitations are sent to it)."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(
        _("full name"), max_length=200, blank=True, validators=[validate_no_control_characters]
    )
    # Emails, reminders and notifications reach the person in this language, whoever triggers them.
    language = models.CharField(_("language"), max_length=10, choices=language_choices, default=settings.LANGUAGE_CODE)
    # The IANA time zone the portal shows times in for this person (empty: Geneva time, as OHCHR's
    # deadlines are set); accounts.middleware activates it. Geneva time is always shown beside deadlines.
    timezone = models.CharField(_("time zone"), max_length=64, blank=True, validators=[validate_timezone_name])
    # Mentions in comments and steps of the person's sections reach them by email as well as in the
    # portal's notifications, unless they turn it off (account settings).
    email_notifications = models.BooleanField(
        _("email me about comments and my sections"),
        default=True,
        help_text=_("Mentions in comments and changes to the sections assigned to you, by email as well."),
    )

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return (self.full_name.split() or [self.email])[0]
