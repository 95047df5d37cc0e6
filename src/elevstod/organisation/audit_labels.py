"""The organisation app's log codes in words (read by ``elevstod.audit.labels``)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .access import Reason

PURPOSES: dict[str, Promise] = {
    "organisation.pupil.search": _("Searched for pupils"),
    "organisation.pupil.page": _("Read the pupil's page"),
    "organisation.pupil.family_page": _("Read the pupil's family page"),
}

EVENTS: dict[str, Promise] = {
    "organisation.organiser.created": _("Created an organiser"),
    "organisation.unit.created": _("Created a school unit"),
    "organisation.unit.support_module_changed": _("Switched the support module on or off"),
    "organisation.subject.created": _("Created a subject"),
    "organisation.person.created": _("Created a person"),
    "organisation.guardianship.added": _("Added a guardian"),
    "organisation.guardianship.ended": _("Ended a guardianship"),
    "organisation.placement.started": _("Placed the pupil at a school unit"),
    "organisation.placement.ended": _("Ended the pupil's placement at a school unit"),
    "organisation.group.created": _("Created a group"),
    "organisation.membership.added": _("Added the pupil to a group"),
    "organisation.membership.ended": _("Took the pupil out of a group"),
    "organisation.duty.assigned": _("Gave a staff member a duty"),
    "organisation.duty.ended": _("Ended a staff member's duty"),
    "organisation.teaching.assigned": _("Made a teacher teach a group"),
    "organisation.mentorship.assigned": _("Made a staff member the pupil's mentor"),
    "organisation.mentorship.ended": _("Ended a staff member's mentorship of the pupil"),
    "organisation.person.updated": _("Changed a person's details"),
    "organisation.unit.updated": _("Changed a school unit's details"),
    "organisation.placement.year_changed": _("Changed the pupil's school year"),
    "organisation.group.updated": _("Changed a group's details"),
    "organisation.group.ended": _("Ended a group"),
    "organisation.duty.role_changed": _("Changed the role of a staff member's duty"),
    "organisation.teaching.ended": _("Ended a teacher's teaching of a group"),
    "organisation.persons.written_in_bulk": _("Created or changed persons from a synchronisation"),
    "organisation.placements.written_in_bulk": _(
        "Placed pupils or changed their school years from a synchronisation"
    ),
    "organisation.guardianships.written_in_bulk": _("Added guardians from a synchronisation"),
    "organisation.groups.written_in_bulk": _("Created or changed groups from a synchronisation"),
    "organisation.memberships.written_in_bulk": _("Added pupils to groups from a synchronisation"),
    "organisation.duties.written_in_bulk": _(
        "Assigned duties or changed their roles from a synchronisation"
    ),
    "organisation.teaching.written_in_bulk": _("Let teachers teach groups from a synchronisation"),
    "organisation.subjects.created_in_bulk": _("Created subjects from a synchronisation"),
    "organisation.groups.subject_set_in_bulk": _(
        "Gave groups their subjects from a synchronisation"
    ),
    "organisation.placements.ended_in_bulk": _("Ended placements from a synchronisation"),
    "organisation.memberships.ended_in_bulk": _("Took pupils out of groups from a synchronisation"),
    "organisation.mentorships.ended_in_bulk": _("Ended mentorships from a synchronisation"),
    "organisation.teaching.ended_in_bulk": _("Ended teaching of groups from a synchronisation"),
    "organisation.duties.ended_in_bulk": _("Ended duties from a synchronisation"),
    "organisation.groups.ended_in_bulk": _("Ended groups from a synchronisation"),
    "organisation.guardianships.ended_in_bulk": _("Ended guardianships from a synchronisation"),
}

REASONS: dict[str, Promise] = {str(value): label for value, label in Reason.choices}
