"""Coalition logos as they are stored: re-encoded without their metadata, and the file a new logo
replaces deleted once the change is committed.

A photo's EXIF block can hold where and when it was taken and with which device; PNG and WebP carry
text chunks and XMP the same way. For organisations facing reprisals none of that may leave the
portal inside a document, so only the pixels (turned upright first), the colour profile and the
transparency are kept.
"""

from __future__ import annotations

import io
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from coalitions.models import Coalition

# What a logo keeps of the original's metadata: how its colours and transparency are to be read.
KEPT_INFO = {"icc_profile", "transparency"}
SAVE_OPTIONS = {"JPEG": {"quality": 90}, "WEBP": {"quality": 90}, "PNG": {}}
EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}


def logo_without_metadata(file) -> ContentFile:
    """A copy of an uploaded logo with its pixels only, in the same format.

    This decodes the image: call it only on a file that validate_logo accepted (size and pixel
    dimensions are checked there, from the header).
    """
    from PIL import Image, ImageFile, ImageOps

    file.seek(0)
    # Importing WeasyPrint turns on Pillow's process-wide "accept truncated images" switch, and a process
    # that has rendered a PDF (the render_submission command, the tests) would then store a damaged
    # logo: it is turned off for this decode. The web processes are single-threaded.
    accept_truncated = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with Image.open(file) as opened:
            image_format = opened.format
            # A phone photo stores "rotate me" in EXIF; applied here, since the EXIF goes.
            image = ImageOps.exif_transpose(opened)
            image.load()
    except (OSError, ValueError, SyntaxError) as error:
        # The header was fine (validate_logo), the pixels after it are not: a truncated or damaged file.
        raise ValidationError(
            {
                "logo": [
                    _(
                        "The logo could not be read to the end: the file may be damaged. Save it again "
                        "from your image program, then upload it."
                    )
                ]
            },
            code="unreadable",
        ) from error
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = accept_truncated
    image.info = {key: value for key, value in image.info.items() if key in KEPT_INFO}
    output = io.BytesIO()
    image.save(output, image_format, **SAVE_OPTIONS[image_format])
    return ContentFile(output.getvalue(), name=Path(file.name).stem + EXTENSIONS[image_format])


def stored_logo_name(coalition: Coalition) -> str:
    """The logo file the database holds for the coalition now (before a change is saved)."""
    if coalition.pk is None:
        return ""
    return Coalition.objects.filter(pk=coalition.pk).values_list("logo", flat=True).first() or ""


def delete_replaced_logo_on_commit(*, coalition: Coalition, replaced: str) -> None:
    """Deletes the file of the logo the coalition had, after the transaction that saved its new logo
    (or none) commits; a rollback keeps it, as the row then still points at it."""
    if replaced and replaced != coalition.logo.name:
        storage = coalition.logo.storage
        transaction.on_commit(lambda: storage.delete(replaced))
