"""The development talk is held with the pupil and the vårdnadshavare (Skollagen 10 kap.
12 §): a parent without custody is no vårdnadshavare, so they see no talk and no plan, book no
time, answer no preparation and are told of nothing; the guardian with custody does it all."""

from __future__ import annotations

from django.urls import reverse

import pytest

from elevstod.conversations.models import PreparationAnswer, TalkSlot
from elevstod.conversations.services import booking, talks
from elevstod.core.errors import DomainError
from elevstod.notifications.models import Notification
from tests.factories import GuardianshipFactory, PersonFactory, UserFactory

from .test_pages import _fixed_plan_with_snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def without_custody(cast):
    """A parent of the cast's pupil whose guardianship carries no custody."""
    parent = PersonFactory(given_name="Frans", family_name="Utan")
    GuardianshipFactory(guardian=parent, pupil=cast.pupil, custody=False)
    return UserFactory(username="frans_utan", person=parent)


def _statuses(client, user, urls) -> list[int]:
    client.force_login(user)
    return [client.get(url).status_code for url in urls]


def test_a_parent_without_custody_sees_no_talk_and_no_plan(client, cast, without_custody):
    plan = _fixed_plan_with_snapshot(cast)
    urls = [
        reverse("conversations:pupil_talks", args=[cast.pupil.pk]),
        reverse("conversations:plan_detail", args=[plan.pk]),
        reverse("conversations:talk_book", args=[cast.pupil.pk]),
        reverse("plan_documents:plan_pdf", args=[plan.pk]),
    ]
    assert _statuses(client, without_custody, urls) == [404, 404, 404, 404]
    assert _statuses(client, cast.guardian, urls) == [200, 200, 200, 200]


def test_the_family_page_links_the_talks_only_for_the_guardian_with_custody(
    client, cast, without_custody
):
    url = reverse("organisation:family_pupil", args=[cast.pupil.pk])
    talks_url = reverse("conversations:pupil_talks", args=[cast.pupil.pk])
    client.force_login(without_custody)
    page = client.get(url)
    assert page.status_code == 200  # the family view of the pupil stays theirs
    assert talks_url not in page.content.decode()
    client.force_login(cast.guardian)
    assert talks_url in client.get(url).content.decode()


def test_a_parent_without_custody_cannot_book_the_pupils_talk(cast, class_5a, without_custody):
    slot = class_5a.slots[0]
    with pytest.raises(DomainError) as refused:
        booking.slot_book(actor=without_custody, pupil=cast.pupil, slot_id=slot.pk)
    assert refused.value.code == "forbidden"
    assert TalkSlot.objects.get(pk=slot.pk).pupil is None
    talk = booking.slot_book(actor=cast.guardian, pupil=cast.pupil, slot_id=slot.pk)
    assert TalkSlot.objects.get(pk=slot.pk).pupil == cast.pupil
    assert without_custody.person not in talk.participants.all()
    assert cast.guardian.person in talk.participants.all()


def test_a_parent_without_custody_does_not_prepare_the_talk(
    client, cast, class_5a, without_custody
):
    talk = booking.slot_book(actor=cast.guardian, pupil=cast.pupil, slot_id=class_5a.slots[0].pk)
    question = talk.unit.preparation_questions.first()
    url = reverse("conversations:talk_prepare", args=[talk.pk])
    answer = {f"q{question.pk}": "Hon gillar att läsa."}
    client.force_login(without_custody)
    assert client.post(url, answer).status_code == 404
    assert not PreparationAnswer.objects.exists()
    client.force_login(cast.guardian)
    assert client.post(url, answer).status_code == 302
    assert PreparationAnswer.objects.get().respondent == cast.guardian.person


def test_a_parent_without_custody_is_not_told_of_the_talk(cast, class_5a, without_custody):
    assert talks.guardians_of(cast.pupil) == [cast.guardian.person]
    slot = class_5a.slots[0]
    booking.slot_book(actor=cast.guardian, pupil=cast.pupil, slot_id=slot.pk)
    booking.slot_withdraw(actor=cast.mentor, slot_id=slot.pk)
    told = set(
        Notification.objects.filter(code="conversations.talk.withdrawn").values_list(
            "recipient_id", flat=True
        )
    )
    assert cast.guardian.pk in told
    assert without_custody.pk not in told
