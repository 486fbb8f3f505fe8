"""« Télécharger mes données » (RGPD): the archive of what the site holds about one person.

The archive is a ZIP with donnees.json (everything, for a program), donnees.html (the same,
for a person, in French) and the person's photos under photos/. What goes in comes from a
registry, after notifications.kinds: each app registers the sections about what it stores,
from its AppConfig.ready(), since accounts sits below the apps that hold pledges, posts and
preferences and cannot import them. A new section is one `register(Section(...))` call.

A section holds what the person wrote, chose or did, and nothing about anyone else: not the
replies others wrote to their posts, not the reports about their content, not the others'
pledges. At most a count, and the public names of the people their share links brought
(already shown on the promise page).

Requests: one per person and day (Europe/Paris). The request is a row; a worker builds it
(accounts.tasks), and the beat builds any that the broker lost, then deletes archives whose
week has passed, file and row.
"""

import datetime
import json
import logging
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files import File
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from onpromet.email_html import inline_css
from onpromet.errors import Refusal
from onpromet.french import french_date
from onpromet.mail import Email, email_send_later
from onpromet.site_url import absolute

from .models import DataExport, User

logger = logging.getLogger(__name__)

JSON_NAME = "donnees.json"
HTML_NAME = "donnees.html"
PHOTOS_FOLDER = "photos"
# The beat builds the requests still waiting after this long (the task sent at the request
# was lost, or the broker was down); sooner, the worker is probably on it.
PICK_UP_AFTER = datetime.timedelta(minutes=2)


def photo_added(files: list, photo, stem: str) -> str:
    """Put a photo (an image field's file) in the archive's photos/ folder as <stem>.<ext>, in
    `files` (a Part's); its name in the archive, or "" when there is no photo."""
    if not photo:
        return ""
    name = f"{PHOTOS_FOLDER}/{stem}{PurePosixPath(photo.name).suffix}"
    files.append((name, photo))
    return name


# --- The registry -------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """What a section gives for one person.

    data: JSON-able (datetimes and dates too): a dict for one record, a list of dicts for
        several, keyed by French labels (the HTML summary shows them as they are).
    files: the files to add to the archive, as (name in the ZIP, an opened storage file such
        as a FieldFile, or a path). Photos go under photos/.
    """

    data: Any
    files: list[tuple[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    """One part of the archive: its key in donnees.json, its heading in donnees.html, its
    place (by `order`), and collect(user) → Part."""

    key: str
    label: str
    order: int
    collect: Callable[[User], Part]


SECTIONS: dict[str, Section] = {}


def register(*sections: Section) -> None:
    for section in sections:
        if section.key in SECTIONS:
            raise ImproperlyConfigured(f"The export section {section.key!r} is registered twice.")
        SECTIONS[section.key] = section


def sections() -> list[Section]:
    return sorted(SECTIONS.values(), key=lambda s: s.order)


# --- accounts' own sections ---------------------------------------------------------------


def _profile(user: User) -> Part:
    return Part(
        {
            "adresse e-mail": user.email,
            "nom affiché": user.display_name,
            "apparaître comme « Anonyme »": user.appears_anonymously,
            "nom vu par les autres": user.public_name,
            "inscrit le": user.date_joined,
            "dernière connexion": user.last_login,
        }
    )


def _addresses(user: User) -> Part:
    from allauth.account.models import EmailAddress

    return Part(
        [
            {"adresse": a.email, "confirmée": a.verified, "principale": a.primary}
            for a in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
        ]
    )


ACCOUNT_SECTIONS = [
    Section("profile", "Profil", 10, _profile),
    Section("addresses", "Adresses e-mail", 20, _addresses),
]


# --- Building the archive ------------------------------------------------------------------


def _display(value: Any) -> str:
    """A value as donnees.html writes it."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime.datetime):
        return french_date(value, weekday=False, time=True)
    if isinstance(value, datetime.date):
        return french_date(value, weekday=False)
    if isinstance(value, list | tuple):
        return ", ".join(_display(item) for item in value)
    if isinstance(value, dict):
        return " ; ".join(f"{key} : {_display(item)}" for key, item in value.items())
    return str(value)


def _records(data: Any) -> list[list[tuple[str, str]]]:
    records = [data] if isinstance(data, dict) else list(data or [])
    return [
        [(str(key), _display(value)) for key, value in record.items()]
        if isinstance(record, dict)
        else [("", _display(record))]
        for record in records
    ]


def _zip_name(name: str) -> str:
    """A member name that stays inside the archive (no absolute path, no "..")."""
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"Unsafe name in the archive: {name!r}")
    return str(path)


def _add_file(archive: zipfile.ZipFile, name: str, source: Any) -> bool:
    try:
        if isinstance(source, str | Path):
            archive.write(source, name)
        else:
            with source.open("rb") as opened, archive.open(name, "w") as target:
                for chunk in iter(lambda: opened.read(64 * 1024), b""):
                    target.write(chunk)
    except (FileNotFoundError, ValueError):
        # A photo whose file is gone (deleted by hand, a storage moved): the rest still goes.
        logger.warning("Export: file %s is missing, left out", name)
        return False
    return True


def archive_write(*, user: User, target) -> None:
    """Write the archive of `user` into `target` (a path or a binary file open for writing)."""
    now = timezone.now()
    parts = [(section, section.collect(user)) for section in sections()]
    document = {
        "archive": {
            "site": settings.SITE_URL,
            "préparée le": now,
            "titulaire": user.email,
        },
        **{section.key: part.data for section, part in parts},
    }
    html = render_to_string(
        "accounts/export/donnees.html",
        {
            "user": user,
            "created_at": now,
            "site_url": settings.SITE_URL,
            "sections": [
                {"key": s.key, "label": s.label, "records": _records(p.data)} for s, p in parts
            ],
        },
    )
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            JSON_NAME, json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        )
        archive.writestr(HTML_NAME, html)
        seen: set[str] = set()
        for _, part in parts:
            for name, source in part.files:
                name = _zip_name(name)
                if name not in seen and _add_file(archive, name, source):
                    seen.add(name)


# --- Requests -------------------------------------------------------------------------------


def _today_start() -> datetime.datetime:
    today = timezone.localdate()
    return timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))


def data_export_latest(*, user: User) -> DataExport | None:
    # Index dataexport_user_created.
    return user.data_exports.order_by("-created_at", "-pk").first()


def data_export_refusal(*, user: User) -> str:
    """Why this person may not ask for an archive now ("" if they may): one a day."""
    if not user.data_exports.filter(created_at__gte=_today_start()).exists():
        return ""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return (
        "Vous avez déjà demandé une archive aujourd'hui. Vous pourrez en demander une "
        f"nouvelle à partir de demain, {french_date(tomorrow)}."
    )


def enqueue_build(*, export_id: int) -> bool:
    """Hand the build to a worker; with the broker down, log it and go on: the request is
    stored, and the beat (data_exports_pending) builds it."""
    from .tasks import build_data_export

    try:
        build_data_export.apply_async(args=[export_id], retry=False)
    except Exception:  # noqa: BLE001 (any broker failure: the row is the source of truth)
        logger.warning("Broker unreachable; data export %s left to the beat", export_id)
        return False
    return True


@transaction.atomic
def data_export_request(*, user: User) -> DataExport:
    """Ask for an archive. Raises Refusal for a second request the same day."""
    # The user's row, locked: two requests at once (a double click) make one export.
    User.objects.select_for_update().filter(pk=user.pk).first()
    refusal = data_export_refusal(user=user)
    if refusal:
        raise Refusal(refusal)
    export = DataExport.objects.create(user=user)
    export_id = export.pk
    transaction.on_commit(lambda: enqueue_build(export_id=export_id))
    return export


def data_export_build(*, export_id: int) -> bool:
    """Build the archive, then email its owner. Safe to run twice or at once: the row is
    claimed under a lock that a second worker skips, and a built one is left alone. False if
    there was nothing to do."""
    with transaction.atomic():
        export = (
            DataExport.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("user")
            .filter(pk=export_id, ready_at__isnull=True)
            .first()
        )
        if export is None:
            return False  # built already, deleted, or another worker is building it
        storage = export.file.storage
        # One name per export: a build interrupted before its commit left this file behind,
        # which the next one replaces.
        name = f"{export.token}.zip"
        stored_as = export.file.field.generate_filename(export, name)  # under upload_to
        if storage.exists(stored_as):
            storage.delete(stored_as)
        with tempfile.TemporaryFile() as scratch:
            archive_write(user=export.user, target=scratch)
            scratch.seek(0)
            export.file.save(name, File(scratch), save=False)
        now = timezone.now()
        export.ready_at, export.expires_at = now, now + DataExport.VALIDITY
        export.save(update_fields=["file", "ready_at", "expires_at"])
        email_send_later(message=data_export_message(export=export))
    return True


def data_export_message(*, export: DataExport) -> Email:
    """The email that says the archive is ready, with its link (templates/email/data_export.*)."""
    context = {
        "user": export.user,
        "export": export,
        "download_url": absolute(export.get_absolute_url()),
        "expires_on": french_date(export.expires_at, time=True),
        "site_url": settings.SITE_URL,
    }
    subject = " ".join(render_to_string("email/data_export.subject.txt", context).split())
    message = Email(
        subject=subject,
        body=render_to_string("email/data_export.txt", context),
        to=[export.user.email],
    )
    message.attach_alternative(
        inline_css(render_to_string("email/data_export.html", context)), "text/html"
    )
    return message


def data_exports_pending() -> list[int]:
    """The requests still not built a while after they were made (index dataexport_not_ready)."""
    return list(
        DataExport.objects.filter(
            ready_at__isnull=True, created_at__lte=timezone.now() - PICK_UP_AFTER
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )


def data_exports_purge() -> int:
    """Delete the archives whose week has passed, file and row (index dataexport_expires)."""
    deleted = 0
    expired = DataExport.objects.filter(expires_at__lte=timezone.now()).order_by("expires_at")
    for export in expired[:500]:
        if export.file:
            export.file.delete(save=False)
        # Only if still expired (never a row another process just changed).
        still_expired = DataExport.objects.filter(pk=export.pk, expires_at__lte=timezone.now())
        deleted += still_expired.delete()[0]
    if deleted:
        logger.info("Data exports: %d expired archive(s) deleted", deleted)
    return deleted
