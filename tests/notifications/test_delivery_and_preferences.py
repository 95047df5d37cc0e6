"""Every notification lands in the inbox; e-mail and SMS go out later, from the outbox, by the
recipient's choices, and say nothing sensitive."""

from __future__ import annotations

from django.core import mail
from django.core.management import call_command
from django.utils import translation

import pytest

from elevstod.accounts.models import SMSDevice
from elevstod.notifications import sms
from elevstod.notifications.models import Delivery, Notification, NotificationPreference
from elevstod.notifications.services import preference_update
from elevstod.support.services import investigations
from tests.builders import new_adaptation

from .helpers import deliver, sent_to

pytestmark = pytest.mark.django_db


def test_a_new_adaptation_is_in_the_inbox_and_mailed_only_by_the_worker(mail_school):
    s = mail_school
    # when
    new_adaptation(s)
    # then: inbox rows now, e-mail not inside the service (or request)
    assert Notification.objects.filter(recipient=s.mentor).count() == 1
    assert mail.outbox == []
    assert Delivery.objects.filter(recipient=s.mentor, state="PENDING").count() == 1
    # when the worker runs
    run = deliver()
    # then
    assert run.sent == 1
    assert len(sent_to("mats@skola.example")) == 1
    assert Delivery.objects.get(recipient=s.mentor).state == "SENT"


def test_the_email_links_to_the_page_and_never_names_the_pupil(mail_school):
    s = mail_school
    adaptation = new_adaptation(s)
    deliver()
    message = sent_to("mats@skola.example")[0]
    assert f"/anpassningar/{adaptation.pk}/" in message.body
    assert message.body.count("http://") == 1
    for secret in (s.pupil.full_name, s.pupil.given_name, adaptation.title, "Tove"):
        assert secret not in message.body
        assert secret not in message.subject


def test_email_and_sms_links_use_the_configured_base_url(mail_school, settings):
    # given the app served on another address than the development default
    settings.ELEVSTOD_BASE_URL = "https://elevstod.skola.example:8443"
    s = mail_school
    s.mentor.person.mobile = "+46701234567"
    s.mentor.person.save()
    preference_update(actor=s.mentor, email=True, sms=True, digest=False, muted=[])

    # when an adaptation is written and the worker sends the messages
    adaptation = new_adaptation(s)
    deliver()

    # then both links point at that address, not at a fixed host
    link = f"https://elevstod.skola.example:8443/anpassningar/{adaptation.pk}/"
    email = sent_to("mats@skola.example")[0].body
    [(_to, text)] = sms.outbox
    for body in (email, text):
        assert link in body
        assert "127.0.0.1" not in body


def test_the_inbox_may_show_the_pupils_name(mail_school, client):
    s = mail_school
    new_adaptation(s)
    client.force_login(s.mentor)
    with translation.override("en"):
        page = client.get("/inkorg/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert s.pupil.full_name in page


def test_the_actor_is_never_notified_of_their_own_change(mail_school):
    s = mail_school
    new_adaptation(s, actor=s.mentor, responsible=s.teacher.person)
    deliver()
    assert not Notification.objects.filter(recipient=s.mentor).exists()
    assert sent_to("mats@skola.example") == []
    assert len(sent_to("tove@skola.example")) == 1


def test_a_referral_notifies_the_principal_only(mail_school):
    s = mail_school
    investigations.referral_submit(actor=s.teacher, pupil=s.pupil, tried="Stöd", why="Räcker ej")
    recipients = set(Notification.objects.values_list("recipient__username", flat=True))
    assert recipients == {"rut"}


def test_sms_goes_out_only_to_users_who_chose_it_and_have_a_mobile(mail_school):
    s = mail_school
    preference_update(actor=s.teacher, email=False, sms=True, digest=False, muted=[])
    preference_update(actor=s.mentor, email=False, sms=True, digest=False, muted=[])
    s.mentor.person.mobile = "+46701234567"
    s.mentor.person.save()
    s.mentor.refresh_from_db()
    preference_update(actor=s.mentor, email=False, sms=True, digest=False, muted=[])
    # when
    new_adaptation(s, actor=s.principal, responsible=s.teacher.person)
    deliver()
    # then: the teacher has no mobile, so no SMS (and SMS was never switched on for them)
    assert NotificationPreference.objects.get(user=s.teacher).sms is False
    assert [to for to, _text in sms.outbox] == ["+46701234567"]
    assert s.pupil.given_name not in sms.outbox[0][1]
    assert mail.outbox == []


def test_sms_goes_to_the_number_the_user_confirmed_for_login(mail_school):
    # given a mentor whose person record has an old number, and who confirmed their own phone
    s = mail_school
    s.mentor.person.mobile = "+46701111111"
    s.mentor.person.save()
    SMSDevice.objects.create(user=s.mentor, number="+46702222222", name="070", confirmed=True)
    SMSDevice.objects.create(user=s.mentor, number="+46703333333", name="070", confirmed=False)
    preference_update(actor=s.mentor, email=False, sms=True, digest=False, muted=[])

    # when an adaptation is written
    new_adaptation(s, actor=s.principal, responsible=s.teacher.person)
    deliver()

    # then the SMS goes to the confirmed phone, not the unconfirmed one or the registry's
    assert [to for to, _text in sms.outbox] == ["+46702222222"]


def test_a_muted_category_stays_in_the_inbox_but_is_not_mailed(mail_school):
    s = mail_school
    preference_update(
        actor=s.mentor, email=True, sms=False, digest=False, muted=["support.adaptation."]
    )
    new_adaptation(s)
    deliver()
    assert Notification.objects.filter(recipient=s.mentor).count() == 1
    assert sent_to("mats@skola.example") == []


def test_a_digest_user_gets_one_message_a_day_however_often_the_job_runs(mail_school):
    s = mail_school
    preference_update(actor=s.mentor, email=True, sms=False, digest=True, muted=[])
    a = new_adaptation(s)
    new_adaptation(s, title="Bildstöd")
    deliver()
    assert sent_to("mats@skola.example") == []
    # when
    call_command("send_digests", "--now", stdout=None)
    call_command("send_digests", "--now", stdout=None)
    deliver()
    # then
    digest = sent_to("mats@skola.example")
    assert len(digest) == 1
    assert "2" in digest[0].body
    assert "/inkorg/" in digest[0].body
    assert a.title not in digest[0].body
    # a later notification waits for tomorrow's digest
    new_adaptation(s, title="Hörselkåpor")
    call_command("send_digests", "--now", stdout=None)
    deliver()
    assert len(sent_to("mats@skola.example")) == 1
    assert Notification.objects.filter(recipient=s.mentor, digest_pending=True).count() == 1


def test_the_preferences_page_saves_the_users_choices(mail_school, client):
    s = mail_school
    client.force_login(s.teacher)
    assert client.get("/inkorg/installningar/").status_code == 200
    response = client.post(
        "/inkorg/installningar/", {"digest": "on", "muted": ["reminder."], "sms": "on"}
    )
    assert response.status_code == 302
    pref = NotificationPreference.objects.get(user=s.teacher)
    assert (pref.email, pref.sms, pref.digest, pref.muted) == (False, False, True, ["reminder."])
