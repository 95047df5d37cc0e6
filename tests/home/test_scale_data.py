"""The scale loader: the bulk-loaded data keeps the invariants the services keep, so that
benchmarks at municipality scale measure the data a real organiser would have."""

from django.db import transaction
from django.db.models import Count
from django.urls import reverse

import pytest

from elevstod.accounts.models import User
from elevstod.audit.chain import chain_verify
from elevstod.audit.models import AccessLogEntry, AuditEvent
from elevstod.home.scale import STAGES, scale_load
from elevstod.organisation.demo_names import class_letters
from elevstod.organisation.models import Group, Guardianship, Person, Placement
from elevstod.support import workflow as wf
from elevstod.support.models import ActionProgramme, Decision, ExtraAdaptation, PartyNotification

PUPILS, UNITS = 300, 3


@pytest.fixture(scope="class")
def loaded(django_db_setup, django_db_blocker):
    """300 pupils in 3 units, in small batches so that every writer crosses batch edges."""
    with django_db_blocker.unblock(), transaction.atomic():
        # A few rows written the ordinary way first: the bulk chain must continue theirs.
        from elevstod.organisation.services import subject_create

        subject_create(actor=None, code="TEST01", name="Provämne")
        yield scale_load(pupils=PUPILS, units=UNITS, batch=97)
        transaction.set_rollback(True)


def test_class_letters_go_on_after_z_like_a_spreadsheet():
    assert [class_letters(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA",
    ]  # fmt: skip
    with pytest.raises(ValueError, match="never negative"):
        class_letters(-1)


@pytest.mark.django_db
def test_a_year_with_more_than_26_classes_gets_classes_named_beyond_z():
    """Classes of one pupil: a year of about 30 pupils at one unit has classes 1A ... 1AD."""
    scale_load(pupils=PUPILS, units=1, class_size=1, access_per_pupil=0)
    classes = Group.objects.filter(kind=Group.Kind.CLASS)
    names = set(classes.values_list("name", flat=True))
    assert classes.count() == PUPILS == len(names)
    assert any(name.endswith("AA") for name in names)
    assert {"Ma 1A", "Sv 1A"} <= set(Group.objects.values_list("name", flat=True))


@pytest.mark.django_db
class TestScaleData:
    def test_every_pupil_is_placed_once_with_guardians(self, loaded):
        assert loaded.pupils == PUPILS
        placed = Placement.objects.active().values("pupil_id")
        assert placed.count() == PUPILS == placed.distinct().count()
        pupils = Person.objects.filter(pk__in=placed)
        assert not pupils.annotate(n=Count("guardianships")).filter(n=0).exists()
        assert Guardianship.objects.filter(pupil__in=pupils).count() >= PUPILS

    def test_a_fifth_have_active_adaptations(self, loaded):
        active = ExtraAdaptation.objects.filter(status=ExtraAdaptation.Status.ACTIVE)
        assert active.count() == loaded.adaptations
        assert 0.1 * PUPILS < loaded.adaptations < 0.3 * PUPILS
        assert all(a.versions.count() == 1 for a in active[:20])

    def test_programmes_at_every_stage_and_at_most_one_in_force_per_pupil(self, loaded):
        states = set(ActionProgramme.objects.values_list("state", flat=True))
        assert states == set(STAGES)
        in_force = ActionProgramme.objects.filter(state__in=wf.IN_FORCE)
        per_pupil = in_force.values("pupil_id").annotate(n=Count("id"))
        assert per_pupil
        assert max(row["n"] for row in per_pupil) == 1

    def test_decided_programmes_have_appealable_decisions_and_notified_parties(self, loaded):
        decided = ActionProgramme.objects.exclude(state__in=wf.UNDECIDED)
        assert decided.exists()
        for programme in decided:
            decision = programme.decisions.get(kind=wf.DecisionKind.PROGRAMME)
            assert decision.appealable
            assert decision.appeal_instructions
            assert decision.reasons
            assert decision.law == wf.DECISIONS[wf.DecisionKind.PROGRAMME].law
            guardians = set(
                Guardianship.objects.filter(pupil=programme.pupil).values_list(
                    "guardian_id", flat=True
                )
            )
            notified = set(
                PartyNotification.objects.filter(decision=decision).values_list(
                    "party_id", flat=True
                )
            )
            assert notified == guardians
        undecided = ActionProgramme.objects.filter(state__in=wf.UNDECIDED)
        assert not Decision.objects.filter(programme__in=undecided).exists()

    def test_the_audit_and_access_log_chains_verify(self, loaded):
        for model, rows in ((AuditEvent, loaded.audit_rows), (AccessLogEntry, loaded.access_rows)):
            report = chain_verify(model)
            assert report.intact, report.reason
            assert report.rows >= rows > 0

    def test_rows_the_services_write_after_the_load_continue_the_chain(self, loaded):
        from elevstod.organisation.services import subject_create

        last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
        subject_create(actor=None, code="TEST02", name="Provämne två")
        assert AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() > last
        assert chain_verify(AuditEvent).intact

    def test_the_pages_of_a_loaded_pupil_render_for_its_principal(self, loaded, client):
        programme = ActionProgramme.objects.filter(state=wf.ProgrammeState.DECIDED).first()
        principal = User.objects.get(username=f"rektor-{programme.unit.school_unit_code}")
        client.force_login(principal)
        for url in (
            reverse("organisation:pupil_detail", args=[programme.pupil_id]),
            reverse("support:programme_detail", args=[programme.pk]),
            reverse("support:unit_overview", args=[programme.unit_id]),
        ):
            assert client.get(url).status_code == 200, url

    def test_a_principal_of_another_unit_is_refused_the_pupil(self, loaded, client):
        programme = ActionProgramme.objects.filter(state=wf.ProgrammeState.DECIDED).first()
        other = User.objects.exclude(person__duties__unit=programme.unit).filter(
            username__startswith="rektor-"
        )[0]
        client.force_login(other)
        url = reverse("organisation:pupil_detail", args=[programme.pupil_id])
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_seed_scale_loads_once_and_refuses_a_database_with_data():
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = StringIO()
    call_command("seed_scale", "--pupils", "20", "--units", "2", stdout=out)
    assert "Skaldata inläst" in out.getvalue()
    assert "20 elever på 2 skolenheter" in out.getvalue()
    with pytest.raises(CommandError, match="redan en huvudman"):
        call_command("seed_scale", "--pupils", "20", "--units", "2", stdout=StringIO())


@pytest.mark.django_db
def test_seed_scale_needs_a_pupil_per_unit():
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="one pupil per unit"):
        call_command("seed_scale", "--pupils", "1", "--units", "2")
