"""The step-up: every support URL asks a password-only session for a second factor first."""

from __future__ import annotations

import re
from urllib.parse import quote

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import pytest
import time_machine
from django_otp import DEVICE_ID_SESSION_KEY

from elevstod.accounts import sms
from elevstod.accounts.models import SMSDevice
from elevstod.accounts.services import user_create
from elevstod.accounts.stepup import step_up_url
from elevstod.audit.models import AuditEvent
from elevstod.support.services.adaptations import adaptation_create
from tests.builders import adaptation_input

from .conftest import last_code

pytestmark = pytest.mark.real_step_up

STEP_UP = reverse("accounts:step_up")
SEND = reverse("accounts:step_up_send")


def _support_patterns(patterns=None, prefix="", inside=False):
    """(name, route, path arguments) of every URL pattern in the stepped-up namespaces: the
    support area and the logs and register extracts about it."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _support_patterns(
                entry.url_patterns,
                route,
                inside or entry.namespace in {"support", "audit", "overviews"},
            )
        elif isinstance(entry, URLPattern) and inside:
            yield entry.name, route, re.findall(r"<\w+:(\w+)>", route)


SUPPORT = sorted(_support_patterns())


def _path(school, name: str, route: str) -> str:
    """The route with its arguments filled: a real pupil, unit or group where one fits, else 1."""
    values = {"pupil_pk": school.pupil.pk}
    if name in {"unit_overview", "library", "delegation_order", "unit_special_support"}:
        values["pk"] = school.unit.pk
    elif name == "group_overview":
        values["pk"] = school.maths_group.pk

    def fill(match):
        return str(values.get(match.group(1), 1))

    return "/" + re.sub(r"<\w+:(\w+)>", fill, route)


def _password_login(client, user):
    client.force_login(user)  # real_step_up: a password-only session


def _verify_by_sms(client, user, number="070-123 45 67"):
    SMSDevice.objects.create(user=user, number="+46701234567", name="070", confirmed=True)
    device = SMSDevice.objects.get(user=user)
    client.post(SEND, {"device": f"sms:{device.pk}"})
    return client.post(STEP_UP, {"device": f"sms:{device.pk}", "code": last_code()})


def test_the_walk_covers_every_part_of_the_support_area():
    names = {name for name, _route, _args in SUPPORT}
    assert {"adaptation_new", "referral_detail", "investigation_detail", "programme_detail"} <= (
        names
    )
    assert {"decision_detail", "appeal_detail", "delegation_order", "library"} <= names
    assert {"unit_overview", "group_overview", "unit_special_support"} <= names
    assert {"log", "register_extract", "disposal"} <= names


@pytest.mark.parametrize(("name", "route", "args"), SUPPORT, ids=[n for n, _r, _a in SUPPORT])
def test_every_support_url_asks_for_the_second_factor_then_lets_in(
    client, school, name, route, args
):
    # given a principal logged in with a password only
    path = _path(school, name, route)
    _password_login(client, school.principal)

    # when they open the support URL, then they are sent to the step-up with next
    refused = client.get(path)
    assert refused.status_code == 302
    assert refused["Location"] == step_up_url(path)

    # and after verifying a factor the same URL is no longer stepped up
    assert _verify_by_sms(client, school.principal)["Location"] == "/"
    allowed = client.get(path)
    assert not (allowed.status_code == 302 and allowed["Location"].startswith(STEP_UP))
    if name in {"unit_overview", "library", "delegation_order", "adaptation_new"}:
        assert allowed.status_code == 200


def _family_user(school, family: str):
    if family == "guardian":
        return school.guardian
    return user_create(actor=None, username="alva", person=school.pupil, password="x" * 12)


@pytest.mark.parametrize("family", ["guardian", "pupil"])
@pytest.mark.parametrize(("name", "route", "args"), SUPPORT, ids=[n for n, _r, _a in SUPPORT])
def test_a_guardian_or_pupil_following_a_staff_link_gets_the_refused_404_not_a_step_up(
    client, school, family, name, route, args, monkeypatch
):
    # given a guardian or a pupil (no staff duty), logged in with a password
    monkeypatch.setattr("django.middleware.csrf._get_new_csrf_string", lambda: "x" * 32)
    _password_login(client, _family_user(school, family))
    refused_path = reverse("organisation:pupil_detail", args=[school.classmate.pk])
    refused = client.get(refused_path)

    # when they follow a link into the support area or the logs
    path = _path(school, name, route)
    answer = client.get(path)

    # then they get the same 404 page as any refused user, and no invitation to a second factor
    assert answer.status_code == refused.status_code == 404
    same = refused.content.decode().replace(refused_path, "URL")
    assert answer.content.decode().replace(path, "URL") == same
    assert STEP_UP not in answer.content.decode()


@pytest.mark.parametrize("staff", ["teacher", "analyst", "other_unit_teacher"])
def test_staff_following_a_staff_link_still_get_the_step_up(client, cast, staff):
    path = reverse("support:unit_overview", args=[cast.unit_a1.pk])
    _password_login(client, cast.user(staff))

    answer = client.get(path)

    assert answer.status_code == 302
    assert answer["Location"] == step_up_url(path)


def test_the_step_up_returns_the_user_where_they_were_going(client, school):
    path = reverse("support:unit_overview", args=[school.unit.pk])
    _password_login(client, school.principal)
    device = SMSDevice.objects.create(
        user=school.principal, number="+46701234567", name="070", confirmed=True
    )
    page = client.get(client.get(path)["Location"])
    assert page.status_code == 200
    assert f'value="{path}"' in page.content.decode()

    client.post(SEND, {"device": f"sms:{device.pk}", "next": path})
    answer = client.post(STEP_UP, {"device": f"sms:{device.pk}", "code": last_code(), "next": path})

    assert answer.status_code == 302
    assert answer["Location"] == path
    assert AuditEvent.objects.filter(code="accounts.step_up.verified").count() == 1


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x"])
def test_the_step_up_never_returns_to_another_site(client, school, target):
    _password_login(client, school.principal)
    answer = _verify_by_sms(client, school.principal)
    device = SMSDevice.objects.get(user=school.principal)
    client.post(SEND, {"device": f"sms:{device.pk}"})
    answer = client.post(
        f"{STEP_UP}?next={quote(target)}",
        {"device": f"sms:{device.pk}", "code": last_code(), "next": target},
    )
    assert answer["Location"] == "/"


def test_the_verification_expires_after_the_idle_time(client, school, settings):
    settings.ELEVSTOD_STEP_UP_IDLE_MINUTES = 45
    path = reverse("support:unit_overview", args=[school.unit.pk])
    with time_machine.travel("2026-11-23 08:00 +01:00", tick=False) as clock:
        _password_login(client, school.principal)
        _verify_by_sms(client, school.principal)
        assert client.get(path).status_code == 200
        clock.shift(44 * 60)
        assert client.get(path).status_code == 200  # in use: the idle clock starts again
        clock.shift(44 * 60)
        assert client.get(path).status_code == 200
        clock.shift(46 * 60)
        assert client.get(path)["Location"] == step_up_url(path)


def test_logging_out_ends_the_verification(client, school):
    path = reverse("support:unit_overview", args=[school.unit.pk])
    _password_login(client, school.principal)
    _verify_by_sms(client, school.principal)
    assert client.get(path).status_code == 200

    client.post(reverse("accounts:logout"))
    client.force_login(school.principal)

    assert client.get(path)["Location"] == step_up_url(path)
    assert AuditEvent.objects.filter(code="accounts.session.logged_out").exists()


@pytest.mark.parametrize("change", ["removed", "unconfirmed", "given to another user"])
def test_a_device_that_no_longer_verifies_the_user_ends_the_step_up_on_the_next_request(
    client, school, change
):
    path = reverse("support:unit_overview", args=[school.unit.pk])
    _password_login(client, school.principal)
    _verify_by_sms(client, school.principal)
    assert client.get(path).status_code == 200  # verified: let in, again and again
    assert client.get(path).status_code == 200

    device = SMSDevice.objects.get(user=school.principal)
    if change == "removed":
        device.delete()
    elif change == "unconfirmed":
        SMSDevice.objects.filter(pk=device.pk).update(confirmed=False)
    else:
        SMSDevice.objects.filter(pk=device.pk).update(user=school.teacher)

    assert client.get(path)["Location"] == step_up_url(path)
    assert DEVICE_ID_SESSION_KEY not in client.session  # and the session forgets the device


def test_the_second_factor_is_checked_in_the_query_that_reads_the_user(client, school):
    _password_login(client, school.principal)
    _verify_by_sms(client, school.principal)
    path = reverse("support:unit_overview", args=[school.unit.pk])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200  # verified: let in
    users = [q["sql"] for q in queries if 'FROM "accounts_user"' in q["sql"]]
    devices = [q["sql"] for q in queries if q["sql"].startswith('SELECT "accounts_smsdevice"')]
    assert len(users) == 1
    assert "accounts_smsdevice" in users[0]
    assert devices == []


def test_an_htmx_request_is_sent_to_the_step_up_page_as_a_whole(client, school):
    path = reverse("support:unit_overview", args=[school.unit.pk])
    _password_login(client, school.principal)
    answer = client.get(
        path, headers={"HX-Request": "true", "HX-Current-URL": f"http://testserver{path}"}
    )
    assert answer["HX-Redirect"] == step_up_url(path)


def test_pages_outside_the_support_area_need_no_second_factor(client, school):
    _password_login(client, school.principal)
    assert client.get(reverse("home:start")).status_code == 200
    assert (
        client.get(reverse("organisation:pupil_detail", args=[school.pupil.pk])).status_code == 200
    )


def test_the_pupil_page_shows_the_support_only_after_the_step_up(client, school):
    # given a teacher with an active adaptation for the pupil, logged in with a password
    data = adaptation_input(school.teacher.person, title="Förlängd skrivtid vid prov")
    adaptation_create(actor=school.teacher, pupil=school.pupil, data=data)
    _password_login(client, school.teacher)
    path = reverse("organisation:pupil_detail", args=[school.pupil.pk])

    # when they open the pupil page, then the adaptations are hidden behind the step-up
    before = client.get(path).content.decode()
    assert "Förlängd skrivtid vid prov" not in before
    assert step_up_url(path) in before.replace("&amp;", "&")

    # and after the second factor they are shown
    _verify_by_sms(client, school.teacher)
    assert "Förlängd skrivtid vid prov" in client.get(path).content.decode()


def test_anonymous_users_still_go_to_the_login_page(client, school):
    path = reverse("support:unit_overview", args=[school.unit.pk])
    assert client.get(path)["Location"].startswith(reverse("accounts:login"))


def test_a_user_without_a_factor_is_offered_to_set_one_up_and_returns(client, school):
    path = reverse("support:unit_overview", args=[school.unit.pk])
    _password_login(client, school.teacher)
    page = client.get(step_up_url(path))
    assert reverse("accounts:security") in page.content.decode()

    sms_page = reverse("accounts:sms_enrol")
    started = client.post(sms_page, {"step": "number", "number": "0701234567", "next": path})
    device = started.context["device"]
    done = client.post(
        sms_page, {"step": "code", "device": device.pk, "code": last_code(), "next": path}
    )

    assert done["Location"] == f"{reverse('accounts:security')}?next={quote(path, safe='')}"
    assert f'href="{path}"' in client.get(done["Location"]).content.decode()
    assert client.get(path).status_code == 200


STAFF_TEXT = "Stödinsatsdelen"
OTHER_STAFF_TEXT = "Vissa delar av Elevstöd"
FAMILY_TEXT = "Besluten om ditt eller ditt barns stöd omfattas av sekretess"


@pytest.mark.parametrize(
    ("user", "told", "not_told"),
    [
        ("teacher", STAFF_TEXT, FAMILY_TEXT),
        ("principal", STAFF_TEXT, FAMILY_TEXT),
        ("admin", OTHER_STAFF_TEXT, STAFF_TEXT),  # no access to the support part
        ("guardian", FAMILY_TEXT, STAFF_TEXT),
        ("pupil_user", FAMILY_TEXT, STAFF_TEXT),
    ],
)
def test_the_second_factor_pages_say_why_in_words_that_fit_the_user(
    client, cast, user, told, not_told
):
    _password_login(client, cast.user(user))
    for path in (step_up_url("/"), reverse("accounts:security")):
        body = client.get(path).content.decode()
        assert told in body, path
        assert not_told not in body, path


def test_a_code_is_never_sent_to_another_users_phone(client, school):
    other = SMSDevice.objects.create(
        user=school.teacher, number="+46709999999", name="070-999", confirmed=True
    )
    _password_login(client, school.principal)
    sms.outbox.clear()
    answer = client.post(SEND, {"device": f"sms:{other.pk}"})
    assert answer.status_code == 302
    assert sms.outbox == []
    mine = SMSDevice.objects.create(user=school.principal, number="+46701234567", confirmed=True)
    client.post(SEND, {"device": f"sms:{mine.pk}"})
    assert [m.to for m in sms.outbox] == ["+46701234567"]


def test_the_step_up_page_names_each_factor_once(client, school):
    # given an authenticator app and backup codes, named by the app after their kind, and a phone
    from elevstod.accounts.services import backup_codes_generate, totp_enrol_start

    app = totp_enrol_start(user=school.principal)
    SMSDevice.objects.create(
        user=school.principal, number="+46701234567", name="070-XXX XX 67", confirmed=True
    )
    type(app).objects.filter(pk=app.pk).update(confirmed=True)
    backup_codes_generate(user=school.principal)
    client.force_login(school.principal)

    headings = re.findall(r'<h2 id="factor-\d+">([^<]*)</h2>', client.get(STEP_UP).content.decode())

    # then no heading repeats the kind as the device's name; the phone keeps its number
    assert headings == ["Kod via sms: 070-XXX XX 67", "Autentiseringsapp", "Reservkod"]
