"""The first organiser, unit and administrator of a new installation (``manage.py
organiser_setup``), written through the services so the audit log has them."""

from io import StringIO

from django.core.management import call_command
from django.core.management.base import CommandError

import pytest

from elevstod.accounts.models import User
from elevstod.audit.models import AuditEvent
from elevstod.organisation.access import scope_for
from elevstod.organisation.models import Duty, Organiser, SchoolUnit

pytestmark = pytest.mark.django_db
FIRST = [
    "--organiser", "Ekby kommun", "--unit", "Ekskolan", "--unit-code", "12345678",
    "--username", "anna.admin", "--given-name", "Anna", "--family-name", "Ek",
]  # fmt: skip


def test_the_first_administrator_gets_a_unit_duty_and_no_password_on_the_command_line():
    out = StringIO()
    call_command("organiser_setup", *FIRST, stdout=out)
    user = User.objects.get(username="anna.admin")
    duty = Duty.objects.get(person=user.person)
    assert duty.role == Duty.Role.ADMINISTRATOR
    assert duty.unit == SchoolUnit.objects.get(school_unit_code="12345678")
    assert duty.unit.support_module_enabled
    assert scope_for(user).has_duty
    assert not user.has_usable_password()
    assert "changepassword anna.admin" in out.getvalue()
    codes = set(AuditEvent.objects.values_list("code", flat=True))
    assert {"organisation.organiser.created", "organisation.unit.created"} <= codes
    assert {"organisation.duty.assigned", "accounts.user.created"} <= codes


def test_a_second_user_reuses_the_organiser_and_unit_and_a_taken_username_is_refused():
    call_command("organiser_setup", *FIRST, stdout=StringIO())
    second = [*FIRST[:6], "--username", "rektor", "--given-name", "Rut", "--family-name", "Al"]
    call_command("organiser_setup", *second, "--role", "PRINCIPAL", stdout=StringIO())
    assert Organiser.objects.count() == 1
    assert SchoolUnit.objects.count() == 1
    assert Duty.objects.get(person__given_name="Rut").role == Duty.Role.PRINCIPAL
    with pytest.raises(CommandError, match="exists already"):
        call_command("organiser_setup", *FIRST, stdout=StringIO())
    assert User.objects.count() == 2


def test_a_data_protection_officer_gets_an_organiser_wide_duty():
    call_command("organiser_setup", *FIRST, "--role", "DATA_PROTECTION_OFFICER", stdout=StringIO())
    assert Duty.objects.get().unit is None
