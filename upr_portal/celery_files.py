"""kombu's filesystem transport with messages that appear whole, for a site without Redis.

kombu writes a message by opening its final file name and then writing into it. The worker, polling
the same folder, can move and read that file in between and find it empty: the worker then stops with
"Unrecoverable error: JSONDecodeError" (seen in CI, in the start-up ping of a test worker). Here the
message is written under a name the worker never takes (it starts with a dot, so its queue part does
not match) and renamed into place, which the operating system does at once on one file system.
"""

import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        """Put the message on ``queue``: written under a hidden name, then renamed to kombu's."""
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = os.path.join(self.data_folder_out, f".{name}.part")
        try:
            with open(partial, "wb") as file:
                file.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel
