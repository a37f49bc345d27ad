from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoalitionsConfig(AppConfig):
    name = "coalitions"
    verbose_name = _("Coalitions")

    def ready(self):
        from coalitions.emails import register_email_kinds

        register_email_kinds()

        from accounts.two_factor.policy import register_requirement
        from coalitions.two_factor import coalition_requirement_reasons

        register_requirement(coalition_requirement_reasons)
        limit_image_decoding()


def limit_image_decoding() -> None:
    """Pillow's decompression-bomb limit, at the logo's largest area: an image declaring more than
    twice as many pixels is refused as soon as it is opened, before any of it is decoded. Logos are
    the only images the portal decodes (coalitions/validators.py checks their size first)."""
    from PIL import Image

    from coalitions.validators import MAX_LOGO_PIXELS

    Image.MAX_IMAGE_PIXELS = MAX_LOGO_PIXELS
