"""A party appeals online (FL 43-45 §§; Skollagen 28 kap. 16 §): the appeal is lodged with the
school on the day it is sent, checked for time like a paper appeal, the principal is notified
and handles it as any appeal; attachments are PDFs or images by their content, bounded in size,
and served back only to those who may see the appeal."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.datastructures import MultiValueDict

import pytest

from elevstod.accounts.services import user_create
from elevstod.core.errors import AccessDenied, DomainError
from elevstod.core.timeutil import today
from elevstod.notifications.models import Notification
from elevstod.organisation import services as org
from elevstod.support import workflow as wf
from elevstod.support.attachments import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS
from elevstod.support.errors import FieldError
from elevstod.support.forms.family import AppealLodgeForm
from elevstod.support.models import Appeal, AppealAttachment
from elevstod.support.services import appeals
from elevstod.support.services.parties import decision_acknowledge
from tests.builders import decided_programme, page

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def _lodge(actor, decision, **kw):
    return appeals.appeal_lodge(
        actor=actor,
        decision_id=decision.pk,
        change_requested=kw.pop("change_requested", "Mer tid med speciallärare."),
        grounds=kw.pop("grounds", "Tre pass i veckan räcker inte."),
        **kw,
    )


@pytest.fixture
def decision(school):
    return decided_programme(school).decisions.get()


def test_a_party_appeals_online_and_the_principal_is_notified(school, decision):
    appeal = _lodge(school.guardian, decision, attachments=[("intyg.pdf", PDF)])
    assert appeal.lodged_online
    assert appeal.in_time
    assert appeal.received_on == today()
    assert appeal.appellant_id == school.guardian.person_id
    assert appeal.state == wf.AppealState.RECEIVED
    notice = Notification.objects.get(code="support.appeal.lodged")
    assert notice.recipient_id == school.principal.pk
    assert notice.url == reverse("support:appeal_detail", args=[appeal.pk])
    stored = appeal.attachments.get()
    assert (stored.content_type, bytes(stored.data)) == ("application/pdf", PDF)


def test_an_online_appeal_after_the_period_is_late_and_dismissed_like_a_paper_one(
    school, decision, time_machine
):
    decision_acknowledge(actor=school.guardian, decision_id=decision.pk)
    time_machine.move_to(dt.datetime.combine(today() + dt.timedelta(days=30), dt.time(12)))
    appeal = _lodge(school.guardian, decision)
    assert not appeal.in_time
    appeals.appeal_dismiss_late(
        actor=school.principal, appeal_id=appeal.pk, reasons="För sent.", decided_on=today()
    )
    appeal.refresh_from_db()
    assert appeal.state == wf.AppealState.DISMISSED_LATE


def test_the_principal_forwards_an_online_appeal_and_the_party_sees_what_happened(
    client, school, decision
):
    appeal = _lodge(school.guardian, decision)
    appeals.appeal_forward(actor=school.principal, appeal_id=appeal.pk, forwarded_on=today())
    client.force_login(school.guardian)
    body = page(client, reverse("family:appeal", args=[appeal.pk]))
    assert "Skolväsendets överklagandenämnd" in body or "School Appeals Board" in body
    assert "Tre pass i veckan räcker inte." in body


def test_a_guardian_without_custody_cannot_appeal_online(school, decision):
    far = org.person_create(actor=None, given_name="Frans", family_name="Elev")
    org.guardianship_add(actor=None, guardian=far, pupil=school.pupil, custody=False)
    user = user_create(actor=None, username="frans", person=far, password="x" * 12)
    with pytest.raises(AccessDenied):
        _lodge(user, decision)
    assert not Appeal.objects.exists()


def test_an_appeal_says_what_is_to_be_changed_and_why(school, decision):
    with pytest.raises(FieldError) as what:
        _lodge(school.guardian, decision, change_requested="  ")
    with pytest.raises(FieldError) as why:
        _lodge(school.guardian, decision, grounds="")
    assert (what.value.field, why.value.field) == ("change_requested", "grounds")


def test_an_attachment_is_checked_by_its_content_not_its_name(school, decision):
    with pytest.raises(FieldError) as error:
        _lodge(school.guardian, decision, attachments=[("intyg.pdf", b"<html>hej</html>")])
    assert "intyg.pdf" in str(error.value.message)
    assert not Appeal.objects.exists()
    appeal = _lodge(school.guardian, decision, attachments=[("bild.txt", PNG)])
    assert appeal.attachments.get().content_type == "image/png"


def test_an_attachment_over_the_size_limit_is_refused(school, decision):
    big = PDF + b"0" * MAX_ATTACHMENT_BYTES
    with pytest.raises(FieldError):
        _lodge(school.guardian, decision, attachments=[("stor.pdf", big)])
    assert not AppealAttachment.objects.exists()


class _WatchedUpload(SimpleUploadedFile):
    """An uploaded file that records whether the form read it."""

    def __init__(self, name: str, data: bytes, size: int | None = None) -> None:
        super().__init__(name, data, content_type="application/pdf")
        self.size = len(data) if size is None else size
        self.was_read = False

    def read(self, *args, **kwargs):
        self.was_read = True
        return super().read(*args, **kwargs)


def _appeal_form(files: list[_WatchedUpload]) -> AppealLodgeForm:
    data = {"token": "t", "change_requested": "Mer stöd", "grounds": "Skäl."}
    return AppealLodgeForm(data, MultiValueDict({"attachments": files}))


def test_too_many_attachments_are_refused_before_any_is_read(db):
    files = [_WatchedUpload(f"{n}.pdf", PDF) for n in range(MAX_ATTACHMENTS + 1)]
    form = _appeal_form(files)
    assert not form.is_valid()
    assert form.errors["attachments"] == [f"Bifoga högst {MAX_ATTACHMENTS} filer."]
    assert not any(f.was_read for f in files)
    allowed = files[:MAX_ATTACHMENTS]
    assert _appeal_form(allowed).is_valid()
    assert all(f.was_read for f in allowed)


def test_an_attachment_too_large_by_its_upload_is_refused_before_it_is_read(db):
    files = [_WatchedUpload("intyg.pdf", PDF), _WatchedUpload("stor.pdf", PDF, 10**9)]
    form = _appeal_form(files)
    assert not form.is_valid()
    assert "stor.pdf" in form.errors["attachments"][0]
    assert not any(f.was_read for f in files)


def test_a_decision_that_cannot_be_appealed_is_not_appealed_online(client, school, decision):
    from elevstod.support.services.support_forms import programme_support_form_decide

    not_appealable = programme_support_form_decide(
        actor=school.principal,
        programme_id=decision.programme_id,
        kind=wf.DecisionKind.NO_SPECIAL_GROUP,
        reasons="Behoven kan mötas i klassen.",
        decided_on=today(),
    )
    with pytest.raises(DomainError):
        _lodge(school.guardian, not_appealable)
    client.force_login(school.guardian)
    body = page(client, reverse("family:decision", args=[not_appealable.pk]))
    assert reverse("family:appeal_new", args=[not_appealable.pk]) not in body


def test_sending_the_appeal_form_twice_writes_once(client, school, decision):
    client.force_login(school.guardian)
    url = reverse("family:appeal_new", args=[decision.pk])
    form = page(client, url)
    token = form.split('name="token" value="')[1].split('"')[0]
    data = {"token": token, "change_requested": "Mer stöd", "grounds": "Behovet är större."}
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Appeal.objects.count() == 1


def test_a_refused_attachment_keeps_what_the_party_wrote(client, school, decision):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(school.guardian)
    url = reverse("family:appeal_new", args=[decision.pk])
    form = page(client, url)
    token = form.split('name="token" value="')[1].split('"')[0]
    fake = SimpleUploadedFile("intyg.pdf", b"MZ not a pdf", content_type="application/pdf")
    data = {"token": token, "change_requested": "Mer stöd", "grounds": "Mitt skäl."}
    response = client.post(url, {**data, "attachments": [fake]})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Mitt skäl." in body
    assert "intyg.pdf" in body
    assert not Appeal.objects.exists()


def test_an_attachment_is_served_only_to_those_who_may_see_the_appeal(client, school, decision):
    appeal = _lodge(school.guardian, decision, attachments=[("intyg.pdf", PDF)])
    attachment = appeal.attachments.get()
    client.force_login(school.principal)
    response = client.get(reverse("support:appeal_attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]
    client.force_login(school.guardian)
    assert client.get(reverse("family:appeal_attachment", args=[attachment.pk])).content == PDF
    client.force_login(school.colleague)  # teaches no group of the pupil
    assert client.get(reverse("support:appeal_attachment", args=[attachment.pk])).status_code == 404
    client.force_login(school.teacher)  # works with the pupil's support, but is no party
    assert client.get(reverse("family:appeal_attachment", args=[attachment.pk])).status_code == 404


# --- one online appeal per party and decision ---------------------------------------------------


def test_a_party_who_appealed_is_refused_a_second_appeal_and_told_to_contact_the_school(
    school, decision
):
    first = _lodge(school.guardian, decision)
    with pytest.raises(DomainError) as refused:
        _lodge(school.guardian, decision, grounds="Ett skäl till.")
    assert first.received_on.isoformat() in str(refused.value.message)
    assert "kontaktar du skolan" in str(refused.value.message)
    assert Appeal.objects.get() == first


def test_the_other_guardian_with_custody_may_still_appeal_the_same_decision(school, decision):
    mor = org.person_create(actor=None, given_name="Maj", family_name="Elev")
    org.guardianship_add(actor=None, guardian=mor, pupil=school.pupil)
    other = user_create(actor=None, username="maj", person=mor, password="x" * 12)
    _lodge(school.guardian, decision)
    theirs = _lodge(other, decision)
    assert theirs.appellant_id == mor.pk
    assert Appeal.objects.count() == 2


def test_a_party_whose_appeal_was_dismissed_as_late_is_refused_another_of_the_same_decision(
    school, decision, time_machine
):
    # A second appeal would be late too: what may be appealed is the dismissal, its own decision.
    decision_acknowledge(actor=school.guardian, decision_id=decision.pk)
    time_machine.move_to(dt.datetime.combine(today() + dt.timedelta(days=30), dt.time(12)))
    late = _lodge(school.guardian, decision)
    appeals.appeal_dismiss_late(
        actor=school.principal, appeal_id=late.pk, reasons="För sent.", decided_on=today()
    )
    with pytest.raises(DomainError):
        _lodge(school.guardian, decision)
    assert Appeal.objects.get() == late


def test_a_party_who_appealed_on_paper_is_refused_an_online_appeal_too(school, decision):
    appeals.appeal_register(
        actor=school.principal,
        decision_id=decision.pk,
        appellant_id=school.guardian.person_id,
        received_on=today(),
    )
    with pytest.raises(DomainError):
        _lodge(school.guardian, decision)


def test_the_decision_page_links_the_appeal_sent_instead_of_offering_another(
    client, school, decision
):
    client.force_login(school.guardian)
    url = reverse("family:decision", args=[decision.pk])
    new = reverse("family:appeal_new", args=[decision.pk])
    assert new in page(client, url)
    appeal = _lodge(school.guardian, decision)
    body = page(client, url)
    assert new not in body
    assert reverse("family:appeal", args=[appeal.pk]) in body
    assert f"Du har överklagat beslutet {appeal.received_on.isoformat()}" in body


def test_the_appeal_form_opened_again_leads_to_the_appeal_already_sent(client, school, decision):
    appeal = _lodge(school.guardian, decision)
    client.force_login(school.guardian)
    response = client.get(reverse("family:appeal_new", args=[decision.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("family:appeal", args=[appeal.pk])
    assert "Du har redan överklagat beslutet" in response.content.decode()


def test_a_second_appeal_form_sent_is_refused_with_the_text_kept(client, school, decision):
    client.force_login(school.guardian)
    url = reverse("family:appeal_new", args=[decision.pk])
    form = page(client, url)
    token = form.split('name="token" value="')[1].split('"')[0]
    _lodge(school.guardian, decision)  # sent from another tab meanwhile
    data = {"token": token, "change_requested": "Mer stöd", "grounds": "Ett nytt skäl."}
    response = client.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Du har redan överklagat beslutet" in body
    assert "Ett nytt skäl." in body
    assert Appeal.objects.count() == 1
