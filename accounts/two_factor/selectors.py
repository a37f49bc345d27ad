"""Reads of a person's two-factor devices: the authenticator app (TOTP) and the recovery codes (static)."""

from __future__ import annotations

from base64 import b32encode

import segno
from django.db.models import QuerySet
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_device_of(*, user) -> TOTPDevice | None:
    """The person's confirmed authenticator app, if they use two-factor sign-in."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def totp_enrolment_of(*, user) -> TOTPDevice | None:
    """The authenticator app being set up: made by "Set up", confirmed by its first code."""
    return TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()


def recovery_device_of(*, user) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_two_factor(*, user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(*, user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def users_with_two_factor() -> QuerySet:
    """The ids of everyone who uses two-factor sign-in, as a subquery."""
    return TOTPDevice.objects.filter(confirmed=True).values("user_id")


def totp_secret(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed: base32, in groups of four characters."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def totp_qr_code(device: TOTPDevice) -> str:
    """The set-up address (otpauth://) as a QR code in a data: URI: an SVG drawn here, no remote service."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=4)
