"""The conversations app's log codes in words (read by ``elevstod.audit.labels``)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PURPOSES: dict[str, Promise] = {
    "conversations.pupil.page": _("Read the pupil's development talks and plans"),
    "conversations.talk.page": _("Read a development talk"),
    "conversations.talk.plan": _("Opened the planning of a development talk"),
    "conversations.talk.book": _("Opened the booking of a development talk"),
    "conversations.talk.cancel": _("Opened the cancelling of a booked talk time"),
    "conversations.talk.prepare": _("Opened the preparation questions of a development talk"),
    "conversations.talk.record": _("Opened the record of a development talk"),
    "conversations.plan.page": _("Read a written development plan"),
    "conversations.plan.start": _("Opened the start of a written development plan"),
    "conversations.plan.edit": _("Opened the editing of a written development plan"),
    "conversations.plan.subject": _("Opened a subject's part of a written development plan"),
    "conversations.plan.snapshot": _("Read the extra adaptations for the plan's snapshot"),
    "conversations.plan.fix": _("Opened the fixing of a written development plan"),
    "conversations.adaptation.plan": _("Followed an extra adaptation to its development plan"),
    "conversations.overview.page": _("Read the unit's overview of development talks and plans"),
    "conversations.group_times.page": _("Read who booked the times for development talks"),
}

EVENTS: dict[str, Promise] = {
    "conversations.settings.changed": _("Changed the unit's settings for development plans"),
    "conversations.questions.set": _("Set the unit's preparation questions"),
    "conversations.slots.offered": _("Offered times for development talks"),
    "conversations.slot.withdrawn": _("Withdrew an offered time for development talks"),
    "conversations.talk.planned": _("Planned a development talk"),
    "conversations.talk.moved": _("Moved a development talk"),
    "conversations.talk.booked": _("Booked a time for a development talk"),
    "conversations.talk.rebooked": _("Moved a booked time for a development talk"),
    "conversations.talk.cancelled": _("Cancelled a booked time for a development talk"),
    "conversations.talk.withdrawn": _("Withdrew the booked time of a development talk"),
    "conversations.talk.prepared": _("Answered the preparation questions of a talk"),
    "conversations.talk.recorded": _("Wrote the record of a development talk"),
    "conversations.plan.started": _("Started a written development plan"),
    "conversations.plan.drafted": _("Wrote in a written development plan"),
    "conversations.plan.subject_written": _("Wrote a subject's part of a development plan"),
    "conversations.plan.snapshot_taken": _("Took a snapshot of the extra adaptations for a plan"),
    "conversations.plan.fixed": _("Fixed a written development plan for the term"),
    "conversations.plan.reopened": _("Started a new version of a fixed development plan"),
}

REASONS: dict[str, Promise] = {}  # its reasons are the access layer's (organisation)
