"""The first organiser, school unit and user of a new installation (docs/deployment.md).

Everything after this normally comes from the school's registry (SS 12000); this command is for
the first login, and for adding a user with a duty by hand. Each object is created through its
service, so the audit log records it (actor: the system). The password is never a command-line
argument (it would sit in the shell history): set it afterwards with ``manage.py changepassword``,
or leave it unusable when the user logs in through Skolfederation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from elevstod.accounts.models import User
from elevstod.accounts.services import user_create
from elevstod.core.timeutil import today
from elevstod.organisation.models import Duty, Organiser, SchoolUnit
from elevstod.organisation.services import (
    duty_assign,
    organiser_create,
    person_create,
    unit_create,
)

ROLES = [Duty.Role.ADMINISTRATOR, Duty.Role.PRINCIPAL, Duty.Role.DATA_PROTECTION_OFFICER]


class Command(BaseCommand):
    help = (
        "Create (or reuse, by name) an organiser and a school unit, and a user with a duty there. "
        "Set the password afterwards with `manage.py changepassword USERNAME`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organiser", required=True, help="e.g. 'Ekby kommun'")
        kinds = [k.value for k in Organiser.Kind]
        parser.add_argument("--kind", choices=kinds, default=Organiser.Kind.MUNICIPALITY.value)
        parser.add_argument("--organisation-number", default="", help="e.g. 212000-0000")
        parser.add_argument("--unit", required=True, help="the school unit's name")
        parser.add_argument("--unit-code", required=True, help="its school unit code (8 digits)")
        parser.add_argument(
            "--no-support-module", action="store_true", help="the unit does not use the module"
        )
        parser.add_argument("--username", required=True)
        parser.add_argument("--given-name", required=True)
        parser.add_argument("--family-name", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument("--role", choices=[r.value for r in ROLES], default=ROLES[0].value)

    def handle(self, *args: Any, **options: Any) -> None:
        if User.objects.filter(username=options["username"]).exists():
            raise CommandError(f"the user {options['username']} exists already")
        with transaction.atomic():
            organiser = self._organiser(options)
            unit = self._unit(organiser, options)
            user = self._user(organiser, unit, options, start=today())
        self.stdout.write(
            f"organiser {organiser.pk}, unit {unit.pk}, user {user.username} "
            f"({options['role']}). Set the password: manage.py changepassword {user.username}"
        )

    def _organiser(self, options: dict[str, Any]) -> Organiser:
        found = Organiser.objects.filter(name=options["organiser"]).first()
        if found is not None:
            return found
        return organiser_create(
            actor=None,
            name=options["organiser"],
            kind=options["kind"],
            organisation_number=options["organisation_number"],
        )

    def _unit(self, organiser: Organiser, options: dict[str, Any]) -> SchoolUnit:
        found = SchoolUnit.objects.filter(school_unit_code=options["unit_code"]).first()
        if found is not None and found.organiser_id != organiser.pk:
            raise CommandError(f"the unit code {options['unit_code']} is another organiser's")
        if found is not None:
            return found
        return unit_create(
            actor=None,
            organiser=organiser,
            name=options["unit"],
            school_unit_code=options["unit_code"],
            support_module_enabled=not options["no_support_module"],
        )

    def _user(
        self, organiser: Organiser, unit: SchoolUnit, options: dict[str, Any], start: dt.date
    ) -> User:
        person = person_create(
            actor=None,
            given_name=options["given_name"],
            family_name=options["family_name"],
            email=options["email"],
        )
        role = options["role"]
        organiser_wide = role in Duty.ORGANISER_ROLES
        duty_assign(
            actor=None,
            person=person,
            role=role,
            start_date=start,
            unit=None if organiser_wide else unit,
            organiser=organiser,
        )
        return user_create(
            actor=None, username=options["username"], person=person, email=options["email"]
        )
