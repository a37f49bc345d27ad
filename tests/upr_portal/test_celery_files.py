"""The filesystem broker of a site without Redis hands the worker only messages that are written whole."""

from queue import Empty

import pytest
from kombu import Connection

from upr_portal.celery_files import Channel


@pytest.fixture
def channel(tmp_path):
    options = {"data_folder_in": str(tmp_path), "data_folder_out": str(tmp_path), "control_folder": str(tmp_path)}
    with Connection(
        "filesystem://localhost/", transport="upr_portal.celery_files:Transport", transport_options=options
    ) as connection:
        yield connection.default_channel


def test_the_settings_without_redis_name_this_transport(settings):
    from tests.upr_portal.settings_reader import settings_with

    values = settings_with(DJANGO_DEBUG="1")
    assert (values["CELERY_BROKER_URL"], values["CELERY_BROKER_TRANSPORT"]) == (
        "filesystem://localhost/",
        "upr_portal.celery_files:Transport",
    )


def test_a_message_is_renamed_into_place_and_read_back(channel, tmp_path):
    assert isinstance(channel, Channel)
    channel._put("celery", {"body": "5630"})

    names = [path.name for path in tmp_path.iterdir()]
    assert [(name.endswith(".celery.msg"), name.startswith(".")) for name in names] == [(True, False)]
    assert channel._get("celery") == {"body": "5630"}
    assert list(tmp_path.iterdir()) == []


def test_a_message_still_being_written_is_left_alone(channel, tmp_path):
    # What a sender mid-write leaves in the folder: the hidden name, nothing in it yet.
    partial = tmp_path / ".1234_0f.celery.msg.part"
    partial.write_bytes(b"")
    channel._put("celery", {"body": "whole"})

    assert channel._get("celery") == {"body": "whole"}
    with pytest.raises(Empty):
        channel._get("celery")
    assert partial.exists()
