"""The documents' log codes in words (read by ``elevstod.audit.labels``)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PURPOSES: dict[str, Promise] = {
    "documents.programme.pdf": _("Printed an action programme (PDF)"),
    "documents.decision.pdf": _("Printed a decision (PDF)"),
    "documents.decision.party_pdf": _("A party opened a decision (PDF)"),
    "documents.investigation.pdf": _("Printed an investigation (PDF)"),
    "documents.history.pdf": _("Printed the pupil's support history (PDF)"),
    "documents.plan.pdf": _("Printed a written development plan (PDF)"),
}
