"""Reading one SS 12000 record: the values Elevstöd keeps, or a ``RecordError`` saying why not.

Nothing here touches the database. The reference subset of the standard (Skolverket's) is what
is required; parts of the full standard that suppliers send are read when present
(``startDate``/``endDate`` of enrolments, memberships and duties, ``organisationType``,
``responsibles``, an activity's ``syllabus``, a duty's ``assignmentRole``). See docs/ss12000.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from elevstod.core.errors import DomainError
from elevstod.organisation.civic import civic_number_normalize
from elevstod.organisation.models import Group, Person


class RecordError(Exception):
    def __init__(self, reason: Promise | str) -> None:
        super().__init__(str(reason))
        self.reason = reason


SECURITY_MARKINGS = {
    "Ingen": Person.SecurityMarking.NONE,
    "Sekretessmarkering": Person.SecurityMarking.CONFIDENTIALITY,
    "Skyddad folkbokföring": Person.SecurityMarking.PROTECTED_REGISTRATION,
}
GROUP_KINDS = {"Klass": Group.Kind.CLASS, "Undervisning": Group.Kind.TEACHING}
MENTOR_GROUP = "Mentor"
GUARDIAN_RELATIONS = {"Vårdnadshavare"}
# Email types in order of preference for the address Elevstöd writes to.
EMAIL_PREFERENCE = ("Skola personal", "Skola elev", "Arbete övrigt", "Privat")


def digest(record: dict[str, Any]) -> str:
    """A fingerprint of what the record says (its ``meta`` left out)."""
    content = {k: v for k, v in record.items() if k != "meta"}
    raw = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def record_id(record: Any) -> str:
    if not isinstance(record, dict):
        raise RecordError(_("The record is not an object."))
    found = _uuid(record.get("id"))
    if found is None:
        raise RecordError(_("The record has no valid id."))
    return found


def uuid_of(value: Any, message: Promise | str) -> str:
    found = _uuid(value)
    if found is None:
        raise RecordError(message)
    return found


# The form nearly every supplier sends, which ``str(uuid.UUID(value))`` gives back unchanged.
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _uuid(value: Any) -> str | None:
    """The id in its canonical form, or None when it is no UUID. Asked for every record and
    reference, so the reason for a refusal is only made when there is one."""
    if not isinstance(value, str):
        return None
    if _CANONICAL_UUID.fullmatch(value):
        return value
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None


def ref_id(record: dict[str, Any], key: str) -> str:
    ref = record.get(key)
    if not isinstance(ref, dict):
        raise RecordError(_("The reference “%(key)s” is missing.") % {"key": key})
    found = _uuid(ref.get("id"))
    if found is None:
        raise RecordError(_("The reference “%(key)s” has no valid id.") % {"key": key})
    return found


def text(record: dict[str, Any], key: str, *, required: bool = True, limit: int = 100) -> str:
    value = record.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        raise RecordError(_("The field “%(key)s” is missing or not text.") % {"key": key})
    if len(value) > limit:
        raise RecordError(_("The field “%(key)s” is too long.") % {"key": key})
    return value.strip()


def date_of(record: dict[str, Any], key: str) -> dt.date | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise RecordError(_("The field “%(key)s” is not a date.") % {"key": key})
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise RecordError(_("The field “%(key)s” is not a date.") % {"key": key}) from None


def modified_of(record: dict[str, Any]) -> dt.datetime | None:
    meta = record.get("meta")
    value = meta.get("modified") if isinstance(meta, dict) else None
    if not isinstance(value, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    except (ValueError, OverflowError):
        return None


@dataclass(frozen=True)
class Period:
    start: dt.date | None
    end: dt.date | None


def period_of(record: dict[str, Any]) -> Period:
    start, end = date_of(record, "startDate"), date_of(record, "endDate")
    if start and end and end < start:
        raise RecordError(_("The end date is before the start date."))
    return Period(start, end)


@dataclass(frozen=True)
class UnitValues:
    name: str
    school_unit_code: str


def unit_values(record: dict[str, Any]) -> UnitValues | None:
    """A school unit, or None for an organisation of another type (the organiser itself, a
    department): those are not units of their own in Elevstöd."""
    kind = record.get("organisationType")
    if kind is not None and kind != "Skolenhet":
        return None
    code = record.get("schoolUnitCode")
    if not isinstance(code, str) or not code.strip().isdigit() or len(code.strip()) > 8:
        raise RecordError(_("The school unit code is missing or invalid."))
    name = text(record, "displayName", required=False, limit=200) or code.strip()
    return UnitValues(name=name, school_unit_code=code.strip())


@dataclass(frozen=True)
class PersonValues:
    given_name: str
    family_name: str
    civic_number: str | None
    security_marking: str
    email: str
    eppn: str

    def as_fields(self) -> dict[str, object]:
        return {
            "given_name": self.given_name,
            "family_name": self.family_name,
            "civic_number": self.civic_number,
            "security_marking": self.security_marking,
            "email": self.email,
            "eppn": self.eppn,
        }


def person_values(record: dict[str, Any]) -> PersonValues:
    given = text(record, "givenName")
    middle = text(record, "middleName", required=False)
    marking = record.get("securityMarking", "Ingen")
    if marking not in SECURITY_MARKINGS:
        raise RecordError(_("Unknown security marking."))
    eppns = record.get("eduPersonPrincipalNames") or []
    if not isinstance(eppns, list) or not all(isinstance(e, str) for e in eppns):
        raise RecordError(_("The field “%(key)s” is not a list of texts.") % {"key": "eppn"})
    return PersonValues(
        given_name=f"{given} {middle}" if middle else given,
        family_name=text(record, "familyName"),
        civic_number=_civic_number(record.get("civicNo")),
        security_marking=SECURITY_MARKINGS[marking],
        email=_email(record.get("emails")),
        eppn=eppns[0].strip().lower()[:254] if eppns else "",
    )


def _civic_number(civic: Any) -> str | None:
    if civic is None:
        return None
    value = civic.get("value") if isinstance(civic, dict) else None
    if not isinstance(value, str):
        raise RecordError(_("The personal identity number is not text."))
    if not value.strip():
        return None
    try:
        return civic_number_normalize(value)
    except DomainError:
        raise RecordError(_("Invalid personal identity number.")) from None


def _email(emails: Any) -> str:
    if not isinstance(emails, list):
        return ""
    found = [e for e in emails if isinstance(e, dict) and isinstance(e.get("value"), str)]
    found.sort(
        key=lambda e: EMAIL_PREFERENCE.index(e["type"]) if e.get("type") in EMAIL_PREFERENCE else 9
    )
    return found[0]["value"].strip()[:254] if found else ""


@dataclass(frozen=True)
class EnrolmentValues:
    unit_ref: str
    school_year: int
    period: Period
    cancelled: bool


def enrolment_values(enrolment: Any) -> EnrolmentValues:
    if not isinstance(enrolment, dict):
        raise RecordError(_("An enrolment is not an object."))
    year = enrolment.get("schoolYear")
    if isinstance(year, float) and year.is_integer():
        year = int(year)
    if not isinstance(year, int) or isinstance(year, bool) or not 0 <= year <= 10:
        raise RecordError(_("The enrolment has no school year from 0 to 10."))
    cancelled = enrolment.get("cancelled", False)
    return EnrolmentValues(
        unit_ref=ref_id(enrolment, "enroledAt"),
        school_year=year,
        period=period_of(enrolment),
        cancelled=cancelled is True,
    )


def guardian_refs(record: dict[str, Any]) -> list[str]:
    """The guardians (vårdnadshavare) among the person's ``responsibles`` (full standard)."""
    found = []
    for responsible in record.get("responsibles") or []:
        if isinstance(responsible, dict) and responsible.get("relationType") in GUARDIAN_RELATIONS:
            found.append(ref_id(responsible, "person"))
    return found


@dataclass(frozen=True)
class GroupValues:
    name: str
    kind: str  # a Group.Kind, or MENTOR_GROUP
    unit_ref: str
    period: Period


def group_values(record: dict[str, Any]) -> GroupValues | None:
    """A class, teaching group or mentor group; None for a group type Elevstöd does not keep."""
    group_type = record.get("groupType")
    kind = GROUP_KINDS.get(group_type) if isinstance(group_type, str) else None
    if kind is None and group_type != MENTOR_GROUP:
        return None
    return GroupValues(
        name=text(record, "displayName"),
        kind=str(kind) if kind else MENTOR_GROUP,
        unit_ref=ref_id(record, "organisation"),
        period=period_of(record),
    )


@dataclass(frozen=True)
class MembershipValues:
    key: str
    person_ref: str
    period: Period


def membership_values(group_id: str, membership: Any) -> MembershipValues:
    if not isinstance(membership, dict):
        raise RecordError(_("A group membership is not an object."))
    person = ref_id(membership, "person")
    own = membership.get("id")
    key = uuid_of(own, _("The membership has no valid id.")) if own else f"{group_id}/{person}"
    return MembershipValues(key=key, person_ref=person, period=period_of(membership))


@dataclass(frozen=True)
class DutyValues:
    person_ref: str
    unit_ref: str
    duty_role: str
    period: Period


def duty_values(record: dict[str, Any]) -> DutyValues:
    return DutyValues(
        person_ref=ref_id(record, "person"),
        unit_ref=ref_id(record, "dutyAt"),
        duty_role=text(record, "dutyRole"),
        period=period_of(record),
    )


def mentor_assignments(record: dict[str, Any]) -> dict[str, Period]:
    """The groups a duty is the mentor of, with the assignment's dates: its ``assignmentRole``
    entries (full standard) with ``assignmentRoleType`` Mentor, and their ``startDate`` and
    ``endDate`` when given; other assignment types are not kept."""
    roles = record.get("assignmentRole") or []
    if not isinstance(roles, list):
        raise RecordError(_("The field “%(key)s” is not a list.") % {"key": "assignmentRole"})
    return {
        ref_id(role, "group"): period_of(role)
        for role in roles
        if isinstance(role, dict) and role.get("assignmentRoleType") == MENTOR_GROUP
    }


@dataclass(frozen=True)
class SubjectValues:
    code: str
    name: str


@dataclass(frozen=True)
class ActivityValues:
    group_refs: list[str]
    duty_refs: list[str]
    period: Period
    subject: SubjectValues | None = None


def syllabus_values(record: dict[str, Any]) -> SubjectValues | None:
    """The subject of an activity from its ``syllabus`` (full standard: ``subjectCode`` and
    ``subjectName``); None when there is none, or only a bare reference without a code."""
    syllabus = record.get("syllabus")
    if syllabus is None:
        return None
    if not isinstance(syllabus, dict):
        raise RecordError(_("The field “%(key)s” is not an object.") % {"key": "syllabus"})
    if syllabus.get("subjectCode") is None:
        return None
    code = text(syllabus, "subjectCode", limit=20)
    return SubjectValues(code=code, name=text(syllabus, "subjectName", required=False) or code)


def activity_values(record: dict[str, Any]) -> ActivityValues:
    groups = record.get("groups")
    if not isinstance(groups, list):
        raise RecordError(_("The field “%(key)s” is missing or not a list.") % {"key": "groups"})
    teachers = record.get("teachers") or []
    if not isinstance(teachers, list):
        raise RecordError(_("The field “%(key)s” is missing or not a list.") % {"key": "teachers"})
    return ActivityValues(
        group_refs=[
            uuid_of(g.get("id") if isinstance(g, dict) else None, _("Invalid group."))
            for g in groups
        ],
        duty_refs=[ref_id(t, "duty") for t in teachers if isinstance(t, dict)],
        period=period_of(record),
        subject=syllabus_values(record),
    )
