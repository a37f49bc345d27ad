from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from upr_portal.wordcount import count_words

MAX_DESCRIPTION_WORDS = 200
MAX_LOGO_BYTES = 1024 * 1024
LOGO_FORMATS = {"PNG", "JPEG", "WEBP"}
# Width and height, read from the file's header before anything is decoded: a 1 MB PNG can declare
# 100,000 x 100,000 pixels, which would take 40 GB to decode. A 4,000-pixel square logo decodes in
# 64 MB. Pillow's own decompression-bomb limit is set to the same area (coalitions/apps.py).
MAX_LOGO_SIDE = 4000
MAX_LOGO_PIXELS = MAX_LOGO_SIDE * MAX_LOGO_SIDE


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


def _too_many_pixels(width: int | None = None, height: int | None = None) -> ValidationError:
    if width and height:
        message = _(
            "The logo is %(width)d × %(height)d pixels; upload an image of at most %(limit)d pixels on each side."
        ) % {"width": width, "height": height, "limit": MAX_LOGO_SIDE}
    else:
        message = _("The logo has too many pixels; upload an image of at most %(limit)d pixels on each side.") % {
            "limit": MAX_LOGO_SIDE
        }
    return ValidationError(message, code="too_many_pixels")


def logo_header(file) -> tuple[str | None, tuple[int, int] | None]:
    """The image format and size from the file's header, without decoding the image itself."""
    import warnings

    from PIL import Image, UnidentifiedImageError

    try:
        file.seek(0)
        # Opening reads the header only; the size it declares is checked here, not by Pillow's
        # decompression-bomb warning (its error, far above, comes as DecompressionBombError).
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(file) as opened:
                return opened.format, opened.size
    except Image.DecompressionBombError:
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, ValueError):
        return None, None
    finally:
        file.seek(0)


def validate_logo(file) -> None:
    """PNG, JPEG or WebP images up to 1 MB and 4,000 pixels a side, all checked before decoding.
    SVG is refused: it can carry scripts."""
    if file.size > MAX_LOGO_BYTES:
        raise ValidationError(
            _("The logo is %(size)s; upload an image of at most %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(MAX_LOGO_BYTES)},
            code="too_large",
        )
    image_format, size = logo_header(file)
    if image_format not in LOGO_FORMATS:
        raise ValidationError(_("Upload the logo as a PNG, JPEG or WebP image."), code="bad_format")
    width, height = size
    if width > MAX_LOGO_SIDE or height > MAX_LOGO_SIDE:
        raise _too_many_pixels(width, height)
