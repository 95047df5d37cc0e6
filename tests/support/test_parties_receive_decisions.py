"""The parties of a decision (förvaltningslagen; Skollagen 28 kap.): the guardians with custody
and the pupil from 16 are told when a decision is taken, read it in the family view, confirm
receipt after a fresh step-up (which starts their appeal period) and may appeal online. Anyone
else (a guardian without custody, a pupil under 16, another family) sees nothing of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core import mail
from django.urls import reverse

import pytest

from elevstod.accounts.models import User
from elevstod.accounts.services import user_create
from elevstod.audit.models import AccessLogEntry
from elevstod.core.errors import AccessDenied
from elevstod.core.timeutil import today
from elevstod.notifications.delivery import deliver_due
from elevstod.notifications.models import Notification
from elevstod.organisation import services as org
from elevstod.organisation.access import Reason
from elevstod.organisation.models import Person
from elevstod.support import workflow as wf
from elevstod.support.access import parties_by_decision, parties_of, party_decisions, party_reason
from elevstod.support.fingerprint import decision_fingerprint
from elevstod.support.models import Appeal, Decision, PartyNotification
from elevstod.support.services.parties import decision_acknowledge
from tests.builders import decided_programme, family_url, page, started_investigation
from tests.factories import civic_number_for


@dataclass
class Family:
    decision: Decision
    guardian: User  # with custody
    without_custody: User
    other_guardian: User  # of a classmate
    pupil: User  # the pupil's own login (under 16 unless a test says otherwise)


def _login(username: str, person: Person, email: str = "") -> User:
    return user_create(actor=None, username=username, person=person, password="x" * 12, email=email)


@pytest.fixture
def family(school) -> Family:
    school.guardian.email = "gun@example.se"
    school.guardian.save(update_fields=["email"])
    far = org.person_create(actor=None, given_name="Frans", family_name="Elev")
    org.guardianship_add(actor=None, guardian=far, pupil=school.pupil, custody=False)
    other = org.person_create(actor=None, given_name="Olle", family_name="Annan")
    org.guardianship_add(actor=None, guardian=other, pupil=school.classmate)
    family = Family(
        decision=Decision.objects.none().first(),  # type: ignore[arg-type]
        guardian=school.guardian,
        without_custody=_login("frans", far, "frans@example.se"),
        other_guardian=_login("olle", other),
        pupil=_login("alva", school.pupil),
    )
    family.decision = decided_programme(school).decisions.get()
    return family


def _decision_url(decision: Decision, name: str = "decision") -> str:
    return reverse(f"family:{name}", args=[decision.pk])


def _turn_sixteen_before_decisions(pupil: Person) -> None:
    born = today() - dt.timedelta(days=365 * 17)
    Person.objects.filter(pk=pupil.pk).update(civic_number=civic_number_for(born, 321))


# --- who is a party --------------------------------------------------------------------------


def test_a_guardian_with_custody_is_a_party_of_the_decision(family):
    assert party_reason(family.guardian, family.decision) == Reason.PARTY


def test_a_guardian_without_custody_is_no_party_and_sees_no_decision(client, family, school):
    assert party_reason(family.without_custody, family.decision) is None
    client.force_login(family.without_custody)
    body = page(client, family_url(school.pupil))
    assert _decision_url(family.decision) not in body
    assert client.get(_decision_url(family.decision)).status_code == 404


def test_the_party_s_decision_page_links_the_decision_s_pdf(client, family):
    client.force_login(family.guardian)
    body = page(client, _decision_url(family.decision))
    assert reverse("family_documents:decision_pdf", args=[family.decision.pk]) in body


def _token(client, url: str) -> str:
    return page(client, url).split('name="token" value="')[1].split('"')[0]


def test_a_pupil_under_16_is_no_party(client, family, school):
    assert party_reason(family.pupil, family.decision) is None
    assert not Notification.objects.filter(recipient=family.pupil).exists()
    client.force_login(family.pupil)
    assert client.get(_decision_url(family.decision)).status_code == 404
    for name in ("decision_acknowledge", "appeal_new"):
        url = _decision_url(family.decision, name)
        assert client.get(url).status_code == 404, name
        assert (
            client.post(url, {"token": "t", "change_requested": "x", "grounds": "y"}).status_code
            == 404
        )
    assert not PartyNotification.objects.filter(decision=family.decision).exists()
    assert not Appeal.objects.exists()


def test_a_pupil_from_16_is_a_party(client, family, school):
    _turn_sixteen_before_decisions(school.pupil)
    assert party_reason(family.pupil, family.decision) == Reason.PARTY
    client.force_login(family.pupil)
    assert client.get(_decision_url(family.decision)).status_code == 200


def test_a_pupil_from_16_is_told_confirms_receipt_and_appeals_for_themselves(
    client, family, school
):
    # given a decision taken after the pupil's 16th birthday
    _turn_sixteen_before_decisions(school.pupil)
    decision = decided_programme(school).decisions.get()
    # then the pupil is told, like the guardian
    notice = Notification.objects.get(code="support.decision.for_party", recipient=family.pupil)
    assert notice.url == _decision_url(decision)
    client.force_login(family.pupil)
    assert decision.reasons in page(client, _decision_url(decision))
    # confirms receipt
    url = _decision_url(decision, "decision_acknowledge")
    assert client.post(url, {"token": _token(client, url)}).status_code == 302
    record = PartyNotification.objects.get(decision=decision)
    assert record.party_id == school.pupil.pk
    assert record.method == PartyNotification.Method.DIGITAL
    # and appeals online in their own name
    url = _decision_url(decision, "appeal_new")
    data = {"token": _token(client, url), "change_requested": "Mer stöd", "grounds": "Skäl."}
    assert client.post(url, data).status_code == 302
    appeal = Appeal.objects.get(decision=decision)
    assert appeal.appellant_id == school.pupil.pk
    assert appeal.lodged_online


def test_a_guardian_of_another_family_gets_the_404_of_a_missing_page(client, family):
    client.force_login(family.other_guardian)
    assert client.get(_decision_url(family.decision)).status_code == 404
    assert client.get(_decision_url(family.decision, "appeal_new")).status_code == 404
    assert client.get(reverse("family:decision", args=[999999])).status_code == 404


def test_staff_are_no_party_in_the_family_view(client, family, school):
    assert not party_decisions(school.principal, school.pupil).exists()
    client.force_login(school.principal)
    assert client.get(_decision_url(family.decision)).status_code == 404


def test_a_family_read_of_a_decision_is_logged_granted_and_refused(client, family):
    client.force_login(family.guardian)
    client.get(_decision_url(family.decision))
    client.force_login(family.other_guardian)
    client.get(_decision_url(family.decision))
    rows = AccessLogEntry.objects.filter(purpose="support.decision.party_page")
    assert {(r.actor_id, r.granted) for r in rows} == {
        (family.guardian.pk, True),
        (family.other_guardian.pk, False),
    }


# --- told when the decision is taken -----------------------------------------------------------


def test_each_party_is_notified_of_the_decision_and_the_email_names_no_pupil(family, school):
    notices = Notification.objects.filter(code="support.decision.for_party")
    assert {n.recipient_id for n in notices} == {family.guardian.pk}
    assert notices.get().url == _decision_url(family.decision)
    deliver_due()
    sent = [m for m in mail.outbox if "gun@example.se" in m.to]
    assert len(sent) == 1
    assert _decision_url(family.decision) in sent[0].body
    assert school.pupil.given_name not in sent[0].body + sent[0].subject
    assert not [m for m in mail.outbox if "frans@example.se" in m.to]


# --- the family view ---------------------------------------------------------------------------


def test_the_family_view_lists_the_decision_with_the_programme_as_decided(client, family, school):
    client.force_login(family.guardian)
    body = page(client, family_url(school.pupil))
    assert _decision_url(family.decision) in body
    decision_page = page(client, _decision_url(family.decision))
    assert family.decision.content["measures"][0]["what"] in decision_page
    assert family.decision.reasons in decision_page


def test_an_investigation_is_only_mentioned_with_its_planned_decision_date(client, family, school):
    school.pupil.refresh_from_db()
    inv = started_investigation(school)  # a second, running investigation
    client.force_login(family.guardian)
    body = page(client, family_url(school.pupil))
    assert "En utredning pågår." in body
    assert f"{inv.planned_decision_date:%Y-%m-%d}" in body
    assert reverse("support:investigation_detail", args=[inv.pk]) not in body
    client.force_login(family.without_custody)
    assert "En utredning pågår." not in page(client, family_url(school.pupil))


def test_the_family_page_runs_as_many_queries_for_four_decisions_as_for_one(client, family, school):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(family.guardian)
    client.get(family_url(school.pupil))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(family_url(school.pupil)).status_code == 200
        return len(captured)

    one = queries()
    for _ in range(3):
        decided_programme(school)
    decision_acknowledge(actor=family.guardian, decision_id=family.decision.pk)
    assert queries() == one
    assert one <= 40


# --- "Jag har tagit del av beslutet" -----------------------------------------------------------


@pytest.mark.real_step_up
def test_confirming_receipt_asks_for_a_fresh_step_up_first(client, family):
    client.force_login(family.guardian)
    response = client.post(_decision_url(family.decision, "decision_acknowledge"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:step_up"))
    assert not PartyNotification.objects.filter(decision=family.decision).exists()


@pytest.mark.real_step_up
def test_a_step_up_long_ago_is_not_fresh_enough_to_confirm(client, family, time_machine):
    from elevstod.accounts.models import FederationDevice
    from elevstod.accounts.stepup import VERIFIED_SESSION_KEY, session_mark_verified

    client.force_login(family.guardian)
    device = FederationDevice.objects.create(user=family.guardian, name="t", confirmed=True)
    session = client.session
    session_mark_verified(session, device)
    session[VERIFIED_SESSION_KEY] = session[VERIFIED_SESSION_KEY] - 3600
    session.save()
    response = client.get(_decision_url(family.decision, "decision_acknowledge"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:step_up"))


def test_the_receipt_page_names_the_decision_as_a_sentence_would(client, family):
    client.force_login(family.guardian)
    body = page(client, _decision_url(family.decision, "decision_acknowledge"))
    day = f"{family.decision.decided_on:%Y-%m-%d}"
    assert f"Jag har tagit del av beslutet om åtgärdsprogram från {day}." in body
    assert "(Beslut om åtgärdsprogram)" not in body


def test_confirming_receipt_records_a_digital_notification_and_shows_the_last_day(client, family):
    client.force_login(family.guardian)
    form = page(client, _decision_url(family.decision, "decision_acknowledge"))
    token = form.split('name="token" value="')[1].split('"')[0]
    response = client.post(_decision_url(family.decision, "decision_acknowledge"), {"token": token})
    assert response.status_code == 302
    record = PartyNotification.objects.get(decision=family.decision)
    assert record.party_id == family.guardian.person_id
    assert record.method == PartyNotification.Method.DIGITAL
    assert record.notified_on == today()
    assert record.document_version == decision_fingerprint(family.decision)
    body = page(client, _decision_url(family.decision))
    assert f"{wf.appeal_last_day(today()):%Y-%m-%d}" in body


def test_confirming_receipt_twice_writes_once(family):
    first = decision_acknowledge(actor=family.guardian, decision_id=family.decision.pk, token="t1")
    again = decision_acknowledge(actor=family.guardian, decision_id=family.decision.pk, token="t1")
    later = decision_acknowledge(actor=family.guardian, decision_id=family.decision.pk, token="t2")
    assert first.pk == again.pk == later.pk
    assert PartyNotification.objects.filter(decision=family.decision).count() == 1


def test_a_guardian_without_custody_cannot_confirm_receipt(family):
    with pytest.raises(AccessDenied):
        decision_acknowledge(actor=family.without_custody, decision_id=family.decision.pk)


def test_staff_see_who_received_the_decision_and_who_not(client, family, school):
    # given a second guardian with custody, taken before the decision, who has not confirmed
    mor = org.person_create(actor=None, given_name="Maja", family_name="Elev")
    org.guardianship_add(actor=None, guardian=mor, pupil=school.pupil)
    decision = decided_programme(school).decisions.get()
    decision_acknowledge(actor=family.guardian, decision_id=decision.pk)
    client.force_login(school.principal)
    body = page(client, reverse("support:decision_detail", args=[decision.pk]))
    received = body.split("Gun Elev", 1)[1].split("</li>", 1)[0]
    assert "digitalt" in received
    not_yet = body.split("Maja Elev", 1)[1].split("</li>", 1)[0]
    assert "inte underrättad ännu" in not_yet
    assert "inte underrättad ännu" not in received
    assert "Frans" not in body  # no custody: not a party, not listed


def test_the_party_decision_page_runs_as_many_queries_with_three_appeals_as_with_one(
    client, school, family
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from elevstod.support.models import AppealAttachment
    from elevstod.support.services.appeals import appeal_lodge, appeal_register

    client.force_login(family.guardian)
    url = _decision_url(family.decision)
    client.get(url)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def paper_appeal(n: int) -> None:
        # One online appeal per party; the school registers what else comes in on paper.
        appeal = appeal_register(
            actor=school.principal,
            decision_id=family.decision.pk,
            appellant_id=family.guardian.person_id,
            received_on=today(),
        )
        AppealAttachment.objects.create(
            appeal=appeal, name=f"{n}.pdf", content_type="application/pdf", size=1, sha256="0"
        )

    appeal_lodge(
        actor=family.guardian,
        decision_id=family.decision.pk,
        change_requested="Ändring",
        grounds="Skäl.",
        attachments=[("intyg.pdf", b"%PDF-1.7 x")],
    )
    one = queries()
    paper_appeal(1)
    paper_appeal(2)
    assert queries() == one


def test_staff_see_on_the_pupil_page_which_guardian_has_no_custody(client, family, school):
    client.force_login(school.mentor)
    body = page(client, reverse("organisation:pupil_detail", args=[school.pupil.pk]))
    frans = body.split("Frans Elev", 1)[1].split("</li>", 1)[0]
    assert "utan vårdnad" in frans
    gun = body.split("Gun Elev", 1)[1].split("</li>", 1)[0]
    assert "utan vårdnad" not in gun


def test_a_guardian_whose_guardianship_ended_is_no_party_and_sees_nothing(client, family, school):
    # given the guardian with custody stopped being the pupil's guardian yesterday
    link = school.pupil.guardianships.get(guardian=family.guardian.person)
    org.guardianship_end(actor=None, link=link, end_date=today() - dt.timedelta(days=1))

    # then they are no party, and neither the family page nor the decision is there for them
    assert party_reason(family.guardian, family.decision) is None
    client.force_login(family.guardian)
    assert client.get(family_url(school.pupil)).status_code == 404
    assert client.get(_decision_url(family.decision)).status_code == 404


def test_a_guardianship_ending_today_still_counts_today(family, school):
    link = school.pupil.guardianships.get(guardian=family.guardian.person)
    org.guardianship_end(actor=None, link=link, end_date=today())

    assert party_reason(family.guardian, family.decision) == Reason.PARTY


def test_a_guardian_stays_a_party_of_a_decision_taken_while_they_had_custody(
    family, school, time_machine
):
    # given the decision was taken today and the guardianship ends tomorrow
    link = school.pupil.guardianships.get(guardian=family.guardian.person)
    org.guardianship_end(actor=None, link=link, end_date=today() + dt.timedelta(days=1))
    decided_on = family.decision.decided_on

    # ten days later the decision's parties are still those of its day
    time_machine.move_to(today() + dt.timedelta(days=10))
    on_the_day = parties_of(school.pupil, on=decided_on)
    assert family.guardian.person in on_the_day
    assert parties_by_decision(school.pupil, [family.decision])[family.decision.pk] == on_the_day
    # but a decision taken now has not the former guardian as a party
    assert family.guardian.person not in parties_of(school.pupil)
