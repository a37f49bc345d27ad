import factory
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.two_factor.policy import PENDING_SESSION_KEY

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class TOTPDeviceFactory(factory.django.DjangoModelFactory):
    """A confirmed authenticator app: the person uses two-factor sign-in."""

    class Meta:
        model = TOTPDevice

    user = factory.SubFactory(UserFactory)
    name = "Phone"
    confirmed = True


def recovery_codes_for(user, codes: list[str]) -> StaticDevice:
    device = StaticDevice.objects.create(user=user, name="Recovery codes")
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return device


def sign_in_with_two_factor(client, user) -> TOTPDevice:
    """Signs the test client in as ``user`` in a session that passed two-factor sign-in, as a site
    administrator needs for the admin when debug is off (tests run with debug off).

    The person gets an authenticator app if they have none. For a browser test, copy the client's
    session cookie into the browser's context after this.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDeviceFactory(user=user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.pop(PENDING_SESSION_KEY, None)
    session.save()
    return device
