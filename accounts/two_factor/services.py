"""Setting up, using and turning off two-factor sign-in.

Codes are checked through ``django_otp.verify_token``, which locks the device's row: two requests
with the same recovery code, or the same app code, cannot both pass. A wrong code counts against the
device (django-otp's throttling: after n wrong codes in a row the next try must wait 2^(n-1) seconds),
and that count is written in django-otp's own transaction, so no refusal here rolls it back.
"""

from __future__ import annotations

import math
import re

import django_otp
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.two_factor import selectors
from accounts.two_factor.policy import requirement_reasons

RECOVERY_CODE_COUNT = 10
APP_CODE = re.compile(r"\d{6}")


class TwoFactorError(Exception):
    """A refusal to show the person as it is (plain words, already translated)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def normalise_code(code: str) -> str:
    """What people type, as stored: spaces and dashes dropped (apps show "123 456"), lower case."""
    return re.sub(r"[\s-]+", "", code).lower()


def _refuse_if_throttled(device: Device) -> None:
    allowed, details = device.verify_is_allowed()
    if allowed:
        return
    seconds = max(1, math.ceil((details["locked_until"] - timezone.now()).total_seconds()))
    raise TwoFactorError(
        ngettext(
            "Too many wrong codes in a row. Wait %(seconds)d second, then try again.",
            "Too many wrong codes in a row. Wait %(seconds)d seconds, then try again.",
            seconds,
        )
        % {"seconds": seconds}
    )


def _check_code(*, user, device: Device | None, code: str) -> Device:
    if device is None:
        raise TwoFactorError(_("This code is not right. Check it and try again."))
    _refuse_if_throttled(device)
    verified = django_otp.verify_token(user, device.persistent_id, code)
    if verified is None:
        raise TwoFactorError(
            _(
                "This code is not right. Enter the code your app shows now (it changes every 30 seconds), "
                "and check that your phone's clock is right."
            )
            if isinstance(device, TOTPDevice)
            else _("This code is not right. Check it and try again.")
        )
    return verified


def two_factor_verify(*, user, code: str) -> Device:
    """The device that accepts the code: the authenticator app for six digits, else a recovery code,
    which is then used up. Raises TwoFactorError with the reason otherwise."""
    code = normalise_code(code)
    if APP_CODE.fullmatch(code):
        return _check_code(user=user, device=selectors.totp_device_of(user=user), code=code)
    return _check_code(user=user, device=selectors.recovery_device_of(user=user), code=code)


def totp_enrolment_start(*, user) -> TOTPDevice:
    """A new secret for the person's authenticator app, unconfirmed until they enter its first code.

    Replaces any set-up left unfinished. Atomic.
    """
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)


def _recovery_codes_replace(*, user) -> list[str]:
    # The same device keeps its id: a session verified with a recovery code stays verified.
    device = StaticDevice.objects.filter(user=user).order_by("pk").first()
    if device is None:
        device = StaticDevice.objects.create(user=user, name=_("Recovery codes"))
    elif not device.confirmed:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def totp_enrolment_confirm(*, user, code: str) -> tuple[TOTPDevice, list[str]]:
    """Checks the first code of the app being set up; then two-factor sign-in is on, with new recovery
    codes (returned: they are shown once and stored by Django only as they are needed to check them).

    Raises TwoFactorError when the code is wrong or no set-up is under way. The confirmation is atomic.
    """
    enrolment = selectors.totp_enrolment_of(user=user)
    if enrolment is None:
        raise TwoFactorError(_("The set-up was not started or has been replaced. Start it again."))
    code = normalise_code(code)
    if not APP_CODE.fullmatch(code):
        raise TwoFactorError(_("Enter the six digits your app shows."))
    device = _check_code(user=user, device=enrolment, code=code)
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _recovery_codes_replace(user=user)
    return device, codes


def recovery_codes_regenerate(*, user) -> list[str]:
    """New recovery codes in place of the old ones, which stop working. Atomic."""
    if not selectors.has_two_factor(user=user):
        raise TwoFactorError(_("Set up two-factor sign-in first."))
    with transaction.atomic():
        return _recovery_codes_replace(user=user)


def two_factor_disable(*, user) -> None:
    """Turns two-factor sign-in off (app and recovery codes), unless something requires it. Atomic."""
    reasons = requirement_reasons(user)
    if reasons:
        raise TwoFactorError(_("You cannot turn two-factor sign-in off: %(reasons)s") % {"reasons": " ".join(reasons)})
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
