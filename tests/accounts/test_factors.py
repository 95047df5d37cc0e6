"""Second factors: enrolment, success, wrong and expired codes, throttling, removal."""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from elevstod.accounts.models import SMSDevice
from elevstod.accounts.phone import mobile_normalise
from elevstod.accounts.services import sms_enrol_start
from elevstod.accounts.stepup import step_up_url
from elevstod.audit.models import AuditEvent
from elevstod.core.errors import DomainError

from .conftest import last_code

pytestmark = pytest.mark.real_step_up

STEP_UP = reverse("accounts:step_up")
SEND = reverse("accounts:step_up_send")
SMS = reverse("accounts:sms_enrol")
APP = reverse("accounts:totp_enrol")


@pytest.mark.parametrize(
    "typed", ["070-123 45 67", "0701234567", "+46 70 123 45 67", "0046701234567", "+46(0)701234567"]
)
def test_a_swedish_mobile_number_has_one_normal_form(typed):
    assert mobile_normalise(typed) == "+46701234567"


@pytest.mark.parametrize("typed", ["08-123 456 78", "12345", "", "070-123 45 6x"])
def test_a_number_that_is_not_a_mobile_number_is_refused(typed):
    with pytest.raises(DomainError):
        mobile_normalise(typed)


def _enrol_sms(client, user, number="070-123 45 67"):
    client.force_login(user)
    started = client.post(SMS, {"step": "number", "number": number})
    device = started.context["device"]
    return client.post(SMS, {"step": "code", "device": device.pk, "code": last_code()})


def test_a_teacher_enrols_their_mobile_with_a_code_sent_to_it(client, school):
    answer = _enrol_sms(client, school.teacher)

    assert answer.status_code == 302
    device = SMSDevice.objects.get(user=school.teacher)
    assert device.confirmed
    assert device.number == "+46701234567"
    event = AuditEvent.objects.get(code="accounts.factor.enrolled")
    assert event.data["kind"] == "sms"


def test_one_number_belongs_to_one_person_however_it_is_typed(client, school):
    _enrol_sms(client, school.teacher, "070-123 45 67")
    client.force_login(school.colleague)

    answer = client.post(SMS, {"step": "number", "number": "+46701234567"})

    assert answer.status_code == 400
    assert not SMSDevice.objects.filter(user=school.colleague).exists()
    with pytest.raises(DomainError):
        sms_enrol_start(user=school.colleague, number="0046 70 123 45 67")


def test_two_people_confirming_the_same_number_at_once_only_one_gets_it(client, school):
    first = sms_enrol_start(user=school.teacher, number="0701234567")
    first_code = last_code()
    second = sms_enrol_start(user=school.colleague, number="0701234567")
    second_code = last_code()
    from elevstod.accounts.services import sms_enrol_confirm

    assert sms_enrol_confirm(user=school.teacher, device=first, code=first_code)
    with pytest.raises(DomainError):
        sms_enrol_confirm(user=school.colleague, device=second, code=second_code)


def _with_sms(client, user):
    device = SMSDevice.objects.create(user=user, number="+46701234567", name="070", confirmed=True)
    client.force_login(user)
    client.post(SEND, {"device": f"sms:{device.pk}"})
    return device


def test_a_wrong_sms_code_is_refused_and_logged(client, school):
    device = _with_sms(client, school.principal)
    wrong = "000000" if last_code() != "000000" else "111111"

    answer = client.post(STEP_UP, {"device": f"sms:{device.pk}", "code": wrong})

    assert answer.status_code == 400
    assert AuditEvent.objects.filter(code="accounts.step_up.failed").count() == 1
    path = reverse("support:unit_overview", args=[school.unit.pk])
    assert client.get(path)["Location"] == step_up_url(path)


def test_right_after_a_wrong_code_the_user_is_asked_to_wait_not_told_it_is_wrong(client, school):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        device = _with_sms(client, school.principal)
        code = last_code()
        wrong = "000000" if code != "000000" else "111111"
        client.post(STEP_UP, {"device": f"sms:{device.pk}", "code": wrong})

        hasty = client.post(STEP_UP, {"device": f"sms:{device.pk}", "code": code})
        clock.shift(dt.timedelta(seconds=2))
        calm = client.post(STEP_UP, {"device": f"sms:{device.pk}", "code": code})

    assert hasty.status_code == 400
    assert "Vänta några sekunder" in hasty.content.decode()
    assert calm.status_code == 302


def test_an_expired_sms_code_is_refused(client, school):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        device = _with_sms(client, school.principal)
        code = last_code()
        clock.shift(dt.timedelta(minutes=6))
        answer = client.post(STEP_UP, {"device": f"sms:{device.pk}", "code": code})
    assert answer.status_code == 400


def test_codes_are_throttled_per_account_after_five_failures(client, school):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        device = _with_sms(client, school.principal)
        code = last_code()
        wrong = "000000" if code != "000000" else "111111"
        for _ in range(5):
            clock.shift(dt.timedelta(seconds=40))  # past django-otp's growing per-device delay
            client.post(STEP_UP, {"device": f"sms:{device.pk}", "code": wrong})

        clock.shift(dt.timedelta(seconds=40))
        answer = client.post(STEP_UP, {"device": f"sms:{device.pk}", "code": code})

    assert answer.status_code == 400
    assert "quarter of an hour" in answer.content.decode() or "kvart" in answer.content.decode()
    assert AuditEvent.objects.filter(code="accounts.step_up.throttled").exists()


def test_an_authenticator_app_is_enrolled_with_a_qr_code_and_verifies(client, school):
    client.force_login(school.health)
    page = client.get(APP)
    assert 'src="data:image/svg+xml' in page.content.decode()
    device = page.context["device"]

    wrong = client.post(APP, {"device": device.pk, "code": "12345"})
    assert wrong.status_code == 400
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    done = client.post(APP, {"device": device.pk, "code": f"{totp(device.bin_key):06d}"})

    assert done.status_code == 302
    assert TOTPDevice.objects.get(user=school.health).confirmed
    path = reverse("support:unit_overview", args=[school.unit.pk])
    assert client.get(path).status_code == 200


def test_an_authenticator_code_steps_up_and_a_reused_one_does_not(client, school):
    device = TOTPDevice.objects.create(user=school.principal, name="app", confirmed=True)
    client.force_login(school.principal)
    code = f"{totp(device.bin_key):06d}"

    assert client.post(STEP_UP, {"device": f"totp:{device.pk}", "code": code}).status_code == 302
    client.post(reverse("accounts:logout"))
    client.force_login(school.principal)
    assert client.post(STEP_UP, {"device": f"totp:{device.pk}", "code": code}).status_code == 400


def test_an_authenticator_code_from_minutes_ago_is_refused(client, school):
    device = TOTPDevice.objects.create(user=school.principal, name="app", confirmed=True)
    client.force_login(school.principal)
    old = f"{totp(device.bin_key, t0=120):06d}"  # the code the app showed two minutes ago

    answer = client.post(STEP_UP, {"device": f"totp:{device.pk}", "code": old})

    assert answer.status_code == 400
    assert AuditEvent.objects.filter(code="accounts.step_up.failed").count() == 1


def test_after_a_first_factor_the_next_page_offers_backup_codes_then_goes_on(client, school):
    # given a teacher on their way to a support page, without any factor yet
    going_to = reverse("support:unit_overview", args=[school.unit.pk])
    client.force_login(school.teacher)
    started = client.post(SMS, {"step": "number", "number": "0701234567", "next": going_to})
    device = started.context["device"]

    # when they confirm the code of their first factor
    done = client.post(
        SMS, {"step": "code", "device": device.pk, "code": last_code(), "next": going_to}
    )

    # then the page after the enrolment offers backup codes, and still leads on
    assert done["Location"] == f"{reverse('accounts:security')}?next={quote(going_to, safe='')}"
    page = client.get(done["Location"]).content.decode()
    assert "Nästa steg: reservkoder" in page
    assert 'name="next" value="' + going_to + '"' in page
    codes = client.post(reverse("accounts:backup_codes"), {"next": going_to})
    assert len(codes.context["codes"]) == 10
    assert f'href="{going_to}"' in codes.content.decode()


def test_once_backup_codes_exist_an_enrolment_goes_straight_on(client, school):
    _enrol_sms(client, school.teacher)
    client.post(reverse("accounts:backup_codes"))
    going_to = reverse("support:unit_overview", args=[school.unit.pk])

    app = client.get(APP).context["device"]
    done = client.post(
        APP, {"device": app.pk, "code": f"{totp(app.bin_key):06d}", "next": going_to}
    )

    assert done["Location"] == going_to
    page = client.get(reverse("accounts:security")).content.decode()
    assert "Nästa steg: reservkoder" not in page


def test_new_backup_codes_replace_the_old_ones(client, school):
    _enrol_sms(client, school.principal)
    old = client.post(reverse("accounts:backup_codes")).context["codes"]
    new = client.post(reverse("accounts:backup_codes")).context["codes"]
    device = StaticDevice.objects.get(user=school.principal)
    client.post(reverse("accounts:logout"))
    client.force_login(school.principal)

    refused = client.post(STEP_UP, {"device": f"backup:{device.pk}", "code": old[0]})
    StaticDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)  # no delay
    accepted = client.post(STEP_UP, {"device": f"backup:{device.pk}", "code": new[0]})

    assert refused.status_code == 400
    assert accepted.status_code == 302


def test_backup_codes_are_shown_once_and_each_works_once(client, school):
    _enrol_sms(client, school.principal)
    page = client.post(reverse("accounts:backup_codes"))
    codes = page.context["codes"]
    assert len(codes) == 10
    assert codes[0] in page.content.decode()
    device = StaticDevice.objects.get(user=school.principal)

    client.post(reverse("accounts:logout"))
    client.force_login(school.principal)
    first = client.post(STEP_UP, {"device": f"backup:{device.pk}", "code": codes[0]})
    client.post(reverse("accounts:logout"))
    client.force_login(school.principal)
    again = client.post(STEP_UP, {"device": f"backup:{device.pk}", "code": codes[0]})

    assert first.status_code == 302
    assert again.status_code == 400
    assert codes[0] not in client.get(reverse("accounts:security")).content.decode()


def test_managing_factors_needs_the_second_factor_once_one_exists(client, school):
    _enrol_sms(client, school.teacher)
    client.post(reverse("accounts:logout"))
    client.force_login(school.teacher)

    answer = client.get(reverse("accounts:security"))

    assert answer["Location"] == step_up_url(reverse("accounts:security"))


def test_a_user_removes_their_own_factor(client, school):
    _enrol_sms(client, school.teacher)
    device = SMSDevice.objects.get(user=school.teacher)

    client.post(reverse("accounts:factor_remove"), {"kind": "sms", "pk": device.pk})

    assert not SMSDevice.objects.filter(pk=device.pk).exists()
    assert AuditEvent.objects.get(code="accounts.factor.removed").data["by_administrator"] is False


def test_an_administrator_removes_a_lost_phone_of_a_colleague(client, school):
    _enrol_sms(client, school.teacher)
    client.post(reverse("accounts:logout"))
    lost = SMSDevice.objects.get(user=school.teacher)
    _enrol_sms(client, school.admin, "070-765 43 21")

    page = client.get(reverse("accounts:staff_factors"))
    assert page.status_code == 200
    client.post(
        reverse("accounts:staff_factors"), {"user": school.teacher.pk, "kind": "sms", "pk": lost.pk}
    )

    assert not SMSDevice.objects.filter(pk=lost.pk).exists()
    event = AuditEvent.objects.get(code="accounts.factor.removed")
    assert event.actor_id == school.admin.pk
    assert event.data["by_administrator"] is True


def test_a_teacher_cannot_remove_a_colleagues_factor(client, school):
    _enrol_sms(client, school.teacher)
    lost = SMSDevice.objects.get(user=school.teacher)
    _enrol_sms(client, school.colleague, "070-765 43 21")

    assert client.get(reverse("accounts:staff_factors")).status_code == 404
    client.post(reverse("accounts:factor_remove"), {"kind": "sms", "pk": lost.pk})

    assert SMSDevice.objects.filter(pk=lost.pk).exists()
