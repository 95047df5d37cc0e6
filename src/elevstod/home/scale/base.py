"""What the parts of the scale loader share: the day, the random source, the identities, the
logs being written, and the people and log rows every part makes."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import models
from django.utils import timezone

from elevstod.accounts.models import User
from elevstod.audit.bulk import ChainWriter
from elevstod.audit.models import AccessLogEntry, AuditEvent
from elevstod.organisation import demo_names as names
from elevstod.organisation.models import Group, Organiser, Person, Subject

SCALE_PASSWORD = "elevstod-scale-2026"
YEARS = range(0, 10)


@dataclass
class Klass:
    group: Group
    teacher: Person
    pupils: list[Person]
    year: int


class Base:
    organiser: Organiser
    subjects: dict[str, Subject]

    def __init__(
        self, rng: random.Random, day: dt.date, class_size: int, access_per_pupil: int, batch: int
    ) -> None:
        self.rng, self.day, self.class_size, self.batch = rng, day, class_size, batch
        self.access_per_pupil = access_per_pupil
        august = dt.date(day.year, 8, 15)
        self.term_start = august if august <= day else august.replace(year=day.year - 1)
        self.ids = names.Identities(rng)
        self.now = timezone.now()
        self.password = make_password(SCALE_PASSWORD)
        self.adaptations = self.programmes = self.pupil_count = self.stage = 0
        self.audit = ChainWriter(AuditEvent, batch)
        self.access = ChainWriter(AccessLogEntry, batch)
        self.users: dict[str, User] = {}  # the current unit's logins: principal, Specialpedagog
        self.guardians: dict[int, list[int]] = {}  # the current unit's pupils' guardians

    def _audit(
        self,
        code: str,
        obj: models.Model | None,
        pupil_id: int | None,
        unit_id: int | None,
        data: dict[str, Any],
        staff: dict[str, Person] | None = None,
    ) -> None:
        """One audit row, dated within the past year, by the principal when staff is given."""
        user = self.users["principal"] if staff else None
        label = f"{user.username} ({staff['principal'].full_name})" if user and staff else ""
        self.audit.add(
            occurred_at=self._moment(),
            code=code,
            actor_id=user.pk if user else None,
            actor_label=label or "system",
            pupil_id=pupil_id,
            unit_id=unit_id,
            object_type=obj._meta.label_lower if obj is not None else "",
            object_id=str(obj.pk) if obj is not None else "",
            data=data,
        )

    def _bulk(self, model: type[models.Model], rows: Iterable[models.Model]) -> None:
        model._default_manager.bulk_create(rows, batch_size=self.batch)

    def _moment(self) -> dt.datetime:
        return self.now - dt.timedelta(seconds=self.rng.randrange(365 * 24 * 3600))

    def _person(self, given: str, family: str, born: dt.date, female: bool, address: str) -> Person:
        return Person(
            given_name=given,
            family_name=family,
            civic_number=self.ids.civic_number(born, female),
            address=address,
        )

    def _adult(
        self, origin: str | None = None, family_name: str | None = None, born: int | None = None
    ) -> Person:
        origin = origin or self.ids.origin()
        female = self.rng.random() < 0.5
        family_name = family_name or self.ids.family_name(origin)
        given = self.ids.given_name(origin, female, child=False, taken=[])
        birthday = self.ids.birthday(born or self.term_start.year - self.rng.randint(26, 63))
        domain = names.GUARDIAN_DOMAIN if born else names.STAFF_DOMAIN
        return Person(
            given_name=given,
            family_name=family_name,
            civic_number=self.ids.civic_number(birthday, female),
            email=self.ids.email(given, family_name, domain),
            mobile=self.ids.phone(),
        )
