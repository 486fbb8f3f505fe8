"""Where private files live: outside MEDIA_ROOT, which the web server (or the object storage)
serves to anyone who has the address. A file here is only ever sent by a view that checks
who asks (accounts.views.data_export_download)."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """A FileSystemStorage under settings.PRIVATE_MEDIA_ROOT, read at each use (tests give
    each test its own folder), with no public URL."""

    @property
    def base_location(self) -> str:
        return self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("Private files have no public address: a view sends them.")


_private_storage = PrivateStorage()


def private_storage() -> PrivateStorage:
    """The storage of private files (a callable: migrations name it, not its folder)."""
    return _private_storage
