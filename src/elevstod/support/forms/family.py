"""Forms of the family view: a party confirming receipt of a decision, and appealing it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from ..attachments import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, check_count, check_size
from ..errors import FieldError
from .common import OnceForm, free_text


class AcknowledgeForm(OnceForm):
    """ "Jag har tagit del av beslutet": only the token; the step-up is the check."""


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input. Too many files, or one too large by the size of its upload,
    are refused before any file is read; the others are read up to one byte over the limit
    (the service refuses what is too large or not a PDF or an image, by its content)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[tuple[str, bytes]]:
        given = data if isinstance(data, list | tuple) else [data] if data else []
        files = [f for f in given if isinstance(f, UploadedFile)]
        try:
            check_count(len(files))
            for f in files:
                check_size(f.name or "", f.size or 0)
        except FieldError as error:
            raise forms.ValidationError(str(error.message), code="invalid") from error
        return [(f.name or "", f.read(MAX_ATTACHMENT_BYTES + 1)) for f in files]


class AppealLodgeForm(OnceForm):
    change_requested = free_text(_("What do you want changed in the decision?"), rows=4)
    grounds = free_text(_("Why should the decision be changed?"), rows=6)
    attachments = MultipleFileField(label=_("Attachments (optional)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["attachments"]
        field.widget.attrs["accept"] = "application/pdf,image/png,image/jpeg"
        field.help_text = _(
            "At most %(count)s files, PDF or image (PNG, JPEG), at most %(mb)s MB each."
        ) % {"count": MAX_ATTACHMENTS, "mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)}
