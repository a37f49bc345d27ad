"""Coalition logos as stored (coalitions/services/logos.py): checked from the header before anything is
decoded, re-encoded without metadata, and the replaced file deleted once the change commits."""

import io
import struct
import zlib

import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import RequestFactory
from django.urls import reverse
from PIL import Image, PngImagePlugin

from coalitions import services
from coalitions.forms import CoalitionForm
from coalitions.models import Coalition
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = b"Secret-Place-Of-Shelter"
TOO_MANY_PIXELS = "The logo has too many pixels; upload an image of at most 4000 pixels on each side."


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def exif_with_gps() -> Image.Exif:
    exif = Image.new("RGB", (1, 1)).getexif()
    exif[0x010F] = SECRET.decode()  # camera maker
    exif[0x0112] = 6  # orientation: rotate 90° clockwise to show upright
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (46.0, 12.0, 30.0), "E", (6.0, 8.0, 45.0)
    return exif


def photo(image_format: str, size=(80, 40)) -> SimpleUploadedFile:
    """A logo as a phone or an editor leaves it: EXIF with GPS and orientation, XMP, comments, text."""
    options = {"exif": exif_with_gps(), "xmp": b"<x:xmpmeta>" + SECRET + b"</x:xmpmeta>"}
    if image_format == "JPEG":
        options["comment"] = SECRET
    if image_format == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Author", SECRET.decode())
        options["pnginfo"] = text
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 40, 40)).save(buffer, image_format, **options)
    assert SECRET in buffer.getvalue()
    extension = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[image_format]
    return SimpleUploadedFile(f"logo.{extension}", buffer.getvalue(), content_type=f"image/{extension}")


def plain_png(colour=(20, 90, 160), size=(64, 32)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return SimpleUploadedFile("plain.png", buffer.getvalue(), content_type="image/png")


def png_declaring(width: int, height: int) -> SimpleUploadedFile:
    """A valid PNG header declaring ``width`` × ``height`` pixels, followed by data that cannot be
    decoded: refusing it with a word about its size proves nothing was decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"not deflate data") + chunk(b"IEND", b"")
    return SimpleUploadedFile("huge.png", data, content_type="image/png")


def new_coalition(logo=None) -> Coalition:
    return services.coalition_create(
        creator=UserFactory(), secretariat=OrganisationFactory(), name="Zeta Coalition", logo=logo
    )


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_logo_is_stored_without_exif_gps_xmp_or_text(media_root, image_format):
    coalition = new_coalition(photo(image_format))

    stored = (media_root / coalition.logo.name).read_bytes()
    with Image.open(io.BytesIO(stored)) as image:
        kept = (image.format, image.size, dict(image.getexif()), sorted(set(image.info) & {"exif", "xmp", "comment"}))
    # Turned upright by its orientation tag before the tag went.
    assert kept == (image_format, (40, 80), {}, [])
    assert SECRET not in stored


def test_logo_keeps_its_transparency(media_root):
    buffer = io.BytesIO()
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(buffer, "PNG")
    coalition = new_coalition(SimpleUploadedFile("clear.png", buffer.getvalue(), content_type="image/png"))

    with Image.open(media_root / coalition.logo.name) as image:
        assert (image.mode, image.getpixel((5, 5))) == ("RGBA", (0, 0, 0, 0))


def test_logo_named_after_its_real_format(media_root):
    jpeg_named_png = photo("JPEG")
    jpeg_named_png.name = "logo.png"

    coalition = new_coalition(jpeg_named_png)

    assert coalition.logo.name == "coalition-logos/logo.jpg"


@pytest.mark.usefixtures("media_root")
def test_logo_wider_than_4000_pixels_is_refused_from_its_header():
    with pytest.raises(ValidationError) as refused:
        new_coalition(png_declaring(4001, 10))

    assert refused.value.message_dict == {
        "logo": ["The logo is 4001 × 10 pixels; upload an image of at most 4000 pixels on each side."]
    }
    assert Coalition.objects.filter(name="Zeta Coalition").exists() is False


@pytest.mark.usefixtures("media_root")
def test_decompression_bomb_is_refused_before_decoding():
    # 100,000 × 100,000 pixels would take over a gigabyte decoded; Pillow's own limit refuses it at once.
    with pytest.raises(ValidationError) as refused:
        new_coalition(png_declaring(100_000, 100_000))

    assert refused.value.message_dict == {"logo": [TOO_MANY_PIXELS]}


def test_pillow_decompression_bomb_limit_is_the_logos_area():
    assert Image.MAX_IMAGE_PIXELS == 4000 * 4000


def test_form_refuses_a_decompression_bomb_in_plain_words(media_root):
    coalition = new_coalition()
    data = {"name": coalition.name, "acronym": "", "description": ""}

    form = CoalitionForm(data, {"logo": png_declaring(100_000, 100_000)}, instance=coalition)

    assert form.errors == {"logo": [TOO_MANY_PIXELS]}


def replace_logo(coalition: Coalition, logo) -> Coalition:
    coalition.refresh_from_db()
    return services.coalition_update(coalition=coalition, actor=UserFactory(), logo=logo)


def test_replaced_logo_file_is_deleted_once_the_change_commits(media_root, django_capture_on_commit_callbacks):
    coalition = new_coalition(plain_png())
    old = media_root / coalition.logo.name

    with django_capture_on_commit_callbacks() as callbacks:
        replace_logo(coalition, plain_png(colour=(1, 2, 3)))
        # Until the transaction commits, the old file stays: a rollback would still point at it.
        assert old.exists() is True
    for callback in callbacks:
        callback()

    coalition.refresh_from_db()
    assert (old.exists(), (media_root / coalition.logo.name).exists()) == (False, True)
    assert coalition.logo.name != "coalition-logos/plain.png"


def test_removed_logo_file_is_deleted_once_the_change_commits(media_root, django_capture_on_commit_callbacks):
    coalition = new_coalition(plain_png())
    old = media_root / coalition.logo.name

    with django_capture_on_commit_callbacks(execute=True):
        replace_logo(coalition, "")

    coalition.refresh_from_db()
    assert (coalition.logo.name, old.exists()) == ("", False)


def test_logo_change_rolled_back_keeps_the_old_file(media_root, django_capture_on_commit_callbacks):
    coalition = new_coalition(plain_png())
    old = media_root / coalition.logo.name

    def change_then_fail():
        with transaction.atomic():
            replace_logo(coalition, plain_png(colour=(1, 2, 3)))
            raise RuntimeError("the request failed after the service")

    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        change_then_fail()

    coalition.refresh_from_db()
    assert (callbacks, coalition.logo.name, old.exists()) == ([], "coalition-logos/plain.png", True)


def test_other_changes_leave_the_logo_file_alone(media_root, django_capture_on_commit_callbacks):
    coalition = new_coalition(plain_png())

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.coalition_update(coalition=coalition, actor=UserFactory(), acronym="ZC")

    assert (callbacks, (media_root / "coalition-logos" / "plain.png").exists()) == ([], True)


def test_admin_stores_a_new_logo_without_metadata_and_deletes_the_old(media_root, django_capture_on_commit_callbacks):
    coalition = new_coalition(plain_png())
    old = media_root / coalition.logo.name
    model_admin = admin.site._registry[Coalition]
    request = RequestFactory().post("/admin/coalitions/coalition/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    form_class = model_admin.get_form(request, coalition, change=True)
    data = {"name": coalition.name, "acronym": "", "description": "", "secretariat": coalition.secretariat_id}
    form = form_class(data, {"logo": photo("JPEG")}, instance=coalition)
    assert form.errors == {}

    with django_capture_on_commit_callbacks(execute=True):
        model_admin.save_model(request, form.save(commit=False), form, change=True)

    coalition.refresh_from_db()
    stored = (media_root / coalition.logo.name).read_bytes()
    assert (coalition.logo.name, old.exists(), SECRET in stored) == ("coalition-logos/logo.jpg", False, False)


def truncated_jpeg() -> SimpleUploadedFile:
    """A JPEG whose header is whole and whose pixels stop half-way: the header checks pass."""
    buffer = io.BytesIO()
    Image.radial_gradient("L").resize((400, 400)).save(buffer, "JPEG")
    data = buffer.getvalue()
    return SimpleUploadedFile("cut.jpg", data[: len(data) // 2], content_type="image/jpeg")


UNREADABLE = (
    "The logo could not be read to the end: the file may be damaged. Save it again from your image program, "
    "then upload it."
)


@pytest.mark.usefixtures("media_root")
def test_damaged_logo_is_refused_in_plain_words():
    with pytest.raises(ValidationError) as refused:
        new_coalition(truncated_jpeg())

    assert refused.value.message_dict == {"logo": [UNREADABLE]}
    assert Coalition.objects.filter(name="Zeta Coalition").exists() is False


def test_damaged_logo_on_the_edit_page_is_shown_beside_the_field(media_root, client):
    coalition = new_coalition(plain_png())
    coordinator = coalition.memberships.get().user
    client.force_login(coordinator)

    response = client.post(
        reverse("coalitions:edit", args=[coalition.pk]),
        {"name": coalition.name, "acronym": "", "description": "", "logo": truncated_jpeg()},
    )

    assert (response.status_code, response.context["form"].errors) == (200, {"logo": [UNREADABLE]})
    coalition.refresh_from_db()
    assert (coalition.logo.name, (media_root / "coalition-logos" / "plain.png").exists()) == (
        "coalition-logos/plain.png",
        True,
    )


def test_damaged_logo_is_refused_in_a_process_that_loaded_weasyprint(monkeypatch):
    # Importing WeasyPrint sets Pillow's process-wide switch that accepts truncated images.
    from PIL import ImageFile

    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)

    with pytest.raises(ValidationError) as refused:
        new_coalition(truncated_jpeg())

    assert (refused.value.message_dict, ImageFile.LOAD_TRUNCATED_IMAGES) == ({"logo": [UNREADABLE]}, True)
