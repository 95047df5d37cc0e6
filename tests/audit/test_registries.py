"""The audit app's registries are complete: every model that holds data about a pupil is in a
section of the register extract, and the extract is exactly the registered sections in order."""

from __future__ import annotations

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

import pytest

from elevstod.audit import disposal
from elevstod.audit.extract import register_extract
from elevstod.audit.models import DisposalRun, RetentionRule
from elevstod.audit.registry import (
    DISPOSABLE_KINDS,
    EXTRACT_SECTIONS,
    DisposableKind,
    extract_sections,
)
from elevstod.notifications.models import Delivery
from elevstod.organisation.models import Duty, Person
from tests.factories import DutyFactory, UserFactory

# Models that point at pupil data but are deliberately not in the extract, with the reason.
NOT_IN_THE_EXTRACT: dict[type[models.Model], str] = {
    Delivery: "the e-mail/SMS sending of a notification that is in the extract: recipient, "
    "channel and state, nothing more about the pupil",
}
# Links that do not make a row pupil data (a programme's predecessor is the same pupil's).
NOT_A_PUPIL_LINK = {"previous", "based_on"}


def _models_holding_pupil_data() -> set[type[models.Model]]:
    """Models with a pupil field, and (repeatedly) models with a link to such a model."""
    ours = [m for m in apps.get_models() if m._meta.app_config.name.startswith("elevstod.")]
    held = {m for m in ours if {"pupil", "pupil_id"} & {f.attname for f in m._meta.concrete_fields}}
    grown = True
    while grown:
        linked = {
            m
            for m in ours
            for f in m._meta.concrete_fields
            if f.is_relation and f.related_model in held and f.name not in NOT_A_PUPIL_LINK
        }
        grown = not linked <= held
        held |= linked
    return held | {Person}


def test_every_model_holding_pupil_data_is_in_the_register_extract():
    covered = {model for section in EXTRACT_SECTIONS.values() for model in section.models}
    missing = _models_holding_pupil_data() - covered - set(NOT_IN_THE_EXTRACT)
    assert sorted(m._meta.label for m in missing) == []


@pytest.mark.django_db
def test_the_register_extract_is_the_registered_sections_in_their_order(cast):
    data = register_extract(cast.pupil)
    assert list(data) == [section.name for section in extract_sections()]
    assert list(data) == [  # the order of the page, from the pupil's record to the logs
        "pupil",
        "placements",
        "group_memberships",
        "guardians",
        "mentors",
        "extra_adaptations",
        "adaptation_versions",
        "adaptation_follow_ups",
        "adaptation_evaluations",
        "referrals",
        "investigations",
        "action_programmes",
        "measures",
        "programme_follow_ups",
        "programme_evaluations",
        "decisions",
        "party_notifications",
        "appeals",
        "appeal_attachments",
        "development_talks",
        "talk_times",
        "preparation_answers",
        "development_plans",
        "plan_subjects",
        "plan_adaptation_snapshots",
        "plan_versions",
        "notifications_about_the_pupil",
        "change_log",
        "access_log",
    ]


def test_a_section_name_cannot_be_registered_twice():
    from elevstod.audit.registry import register_extract_section

    with pytest.raises(ValueError, match="registered twice"):
        register_extract_section(EXTRACT_SECTIONS["pupil"])


@pytest.mark.django_db
def test_a_kind_of_disposable_records_is_one_declaration(client, cast, monkeypatch):
    # given a new kind, declared only through the registry, that lets every person go
    removed: list[list[int]] = []

    def remove(ids: list[int]) -> dict[str, int]:
        removed.append(ids)
        return {"test_records": len(ids)}

    kind = DisposableKind(
        kind="TEST_RECORDS",
        label="Testposter",
        default_keep_years=0,
        candidates=lambda organiser, cutoff: Person.objects.filter(pk=cast.pupil.pk).annotate(
            pupil_id=models.F("pk")
        ),
        remove=remove,
    )
    monkeypatch.setitem(DISPOSABLE_KINDS, kind.kind, kind)
    dpo = UserFactory()
    DutyFactory(
        person=dpo.person,
        organiser=cast.organiser_a,
        unit=None,
        role=Duty.Role.DATA_PROTECTION_OFFICER,
    )
    # then the disposal page offers its own rule and dry run
    client.force_login(dpo)
    page = client.get(reverse("audit:disposal")).content.decode()
    assert "Testposter" in page
    assert 'value="TEST_RECORDS"' in page
    # and a rule of it is valid where a kind nobody declared is not
    RetentionRule(organiser=cast.organiser_a, kind="TEST_RECORDS", keep_years=1).full_clean()
    with pytest.raises(ValidationError):
        RetentionRule(organiser=cast.organiser_a, kind="UNDECLARED", keep_years=1).full_clean()
    # when the data protection officer runs (from the page) and confirms a disposal of that kind
    client.post(reverse("audit:disposal_dry_run"), {"kind": "TEST_RECORDS"})
    run = DisposalRun.objects.get(kind="TEST_RECORDS")
    run = disposal.disposal_confirm(actor=dpo, run_id=run.pk)
    # then the procedure used the declared query and removal
    assert run.candidate_ids == [cast.pupil.pk]
    assert removed == [[cast.pupil.pk]]
    assert run.state == DisposalRun.State.CONFIRMED
    assert run.removed == {"test_records": 1}
