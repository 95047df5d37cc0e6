"""Files a party attaches to an online appeal: PDF or image only, recognised by their content
(the first bytes), never by the name or the type the browser claims; bounded in size and number.
Plain Python, no database."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from .errors import FieldError

MAX_ATTACHMENTS = 3
MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024  # 5 MB each

# The signature a file's content starts with, and the type it is served back as.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)


@dataclass(frozen=True)
class CheckedFile:
    name: str
    content_type: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def content_type_of(data: bytes) -> str | None:
    """The type a file's content shows, among those accepted; None for anything else."""
    return next((kind for magic, kind in SIGNATURES if data.startswith(magic)), None)


def check_count(count: int) -> None:
    """Refuse more than ``MAX_ATTACHMENTS`` files; the form asks before it reads any."""
    if count > MAX_ATTACHMENTS:
        raise FieldError(
            "attachments", _("Attach at most %(count)s files.") % {"count": MAX_ATTACHMENTS}
        )


def check_size(name: str, size: int) -> None:
    """Refuse a file over ``MAX_ATTACHMENT_BYTES``; the form asks with the size the upload
    had, before it reads the file."""
    if size > MAX_ATTACHMENT_BYTES:
        raise FieldError(
            "attachments",
            _("%(name)s is larger than %(mb)s MB.")
            % {"name": _label(name), "mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
        )


def _label(name: str) -> str:
    return (name or "").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200] or "bilaga"


def check_attachments(files: list[tuple[str, bytes]]) -> list[CheckedFile]:
    """Accept up to ``MAX_ATTACHMENTS`` files of at most ``MAX_ATTACHMENT_BYTES`` each whose
    content is a PDF, PNG or JPEG; refuse the whole set with a message naming the file."""
    check_count(len(files))
    checked = []
    for name, data in files:
        check_size(name, len(data))
        kind = content_type_of(data)
        if kind is None:
            raise FieldError(
                "attachments",
                _("%(name)s is not a PDF or an image (PNG, JPEG).") % {"name": _label(name)},
            )
        checked.append(CheckedFile(_label(name), kind, data))
    return checked
