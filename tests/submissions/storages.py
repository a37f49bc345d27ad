"""Media storages for tests of what the documents job does when storing fails."""

import errno

from django.core.files.storage import FileSystemStorage


class DocxRefusingStorage(FileSystemStorage):
    """Stores PDFs but refuses DOCX files, as a disk that fills up between the two would."""

    def _save(self, name, content):
        if name.endswith(".docx"):
            raise OSError(errno.ENOSPC, "No space left on device")
        return super()._save(name, content)
