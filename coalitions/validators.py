from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from upr_portal.wordcount import count_words

MAX_DESCRIPTION_WORDS = 200
MAX_LOGO_BYTES = 1024 * 1024
LOGO_FORMATS = {"PNG", "JPEG", "WEBP"}


def validate_description_length(value: str) -> None:
    """Pre-session applications and submission annexes take at most 200 words per organisation."""
    words = count_words(value)
    if words > MAX_DESCRIPTION_WORDS:
        raise ValidationError(
            ngettext(
                "Keep this to %(limit)d words or fewer: it has %(words)d word.",
                "Keep this to %(limit)d words or fewer: it has %(words)d words.",
                words,
            )
            % {"limit": MAX_DESCRIPTION_WORDS, "words": words},
            code="too_many_words",
        )


def validate_logo(file) -> None:
    """PNG, JPEG or WebP images up to 1 MB. SVG is refused: it can carry scripts."""
    if file.size > MAX_LOGO_BYTES:
        raise ValidationError(
            _("The logo is %(size)s; upload an image of at most %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(MAX_LOGO_BYTES)},
            code="too_large",
        )
    image = getattr(file, "image", None)
    image_format = getattr(image, "format", None)
    if image_format is None:
        from PIL import Image, UnidentifiedImageError

        try:
            file.seek(0)
            with Image.open(file) as opened:
                image_format = opened.format
        except (UnidentifiedImageError, OSError):
            image_format = None
        finally:
            file.seek(0)
    if image_format not in LOGO_FORMATS:
        raise ValidationError(_("Upload the logo as a PNG, JPEG or WebP image."), code="bad_format")
