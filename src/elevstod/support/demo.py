"""Demo support data: a library of common adaptations and pupils with adaptations in several
states (new, followed up, overdue, evaluated, ended). Written through the services, as the
pupils' own teachers, so the demo has real history, audit events and notifications."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from elevstod.accounts.models import User
from elevstod.accounts.services import user_create
from elevstod.core.timeutil import today
from elevstod.organisation.access import Reason
from elevstod.organisation.models import Duty, Person, Placement, SchoolUnit, Subject
from elevstod.organisation.staff_access import staff_with_access_to

from .access import parties_of
from .models import (
    ActionProgramme,
    Effect,
    ExtraAdaptation,
    Investigation,
    NextStep,
    PartyNotification,
    Referral,
)
from .services import adaptations as services
from .services import appeals, investigations, programmes
from .services.decisions import decision_notify_party
from .services.library import template_create_for_organiser

LIBRARY = [
    ("Förlängd skrivtid vid prov", "Upp till 50 % längre tid, i ett lugnt rum vid behov.", None),
    (
        "Uppgifter uppdelade i mindre delar",
        "Läraren delar upp uppgiften och checkar av varje del.",
        None,
    ),
    (
        "Tydlig struktur för lektionen",
        "Lektionens upplägg skrivet på tavlan och i Classroom.",
        None,
    ),
    ("Bildstöd vid instruktioner", "Instruktioner med bilder eller symboler.", None),
    ("Inläst läromedel", "Tillgång till talböcker och inlästa läromedel.", "GRGRSVE01"),
    ("Konkret material i matematik", "Laborativt material vid nya moment.", "GRGRMAT01"),
    ("Anpassad placering i klassrummet", "Plats nära läraren, med få störningsmoment.", None),
    ("Hörselkåpor vid enskilt arbete", "", None),
    ("Muntlig redovisning i stället för skriftlig", "", None),
    ("Extra genomgång före nytt moment", "Kort genomgång i mindre grupp.", None),
]

NEEDS = [
    "Har svårt att komma igång och att hålla fokus under längre arbetspass.",
    "Läser långsamt och hinner inte läsa instruktionerna färdigt.",
    "Blir stressad vid prov och visar inte vad hen kan.",
    "Behöver mer tid för att förstå nya begrepp.",
    "Tappar tråden när instruktioner ges muntligt till hela gruppen.",
]
OBSERVATIONS = [
    "Kommer igång snabbare och blir klar med fler uppgifter.",
    "Viss förbättring, men fortfarande svårt vid långa pass.",
    "Ingen tydlig skillnad ännu.",
]


def login_for(person: Person) -> User:
    """The person's user; staff without a demo login get one that cannot log in, so that the
    demo's history is written in their name through the real services."""
    user = User.objects.filter(person=person).first()
    if user is None:
        user = user_create(actor=None, username=f"personal-{person.pk}", person=person)
    return user


def _teacher_of(pupil: Person) -> User | None:
    people = staff_with_access_to(pupil, reasons=frozenset({Reason.TEACHER, Reason.MENTOR}))
    demo_user = (
        User.objects.filter(person__in=people).exclude(username__startswith="personal-").first()
    )
    person = demo_user.person if demo_user else people.order_by("pk").first()
    return login_for(person) if person is not None else None


def _input(
    rng: random.Random,
    title: str,
    desc: str,
    responsible: Person,
    start: dt.date,
    follow_up: dt.date,
) -> services.AdaptationInput:
    return services.AdaptationInput(
        title=title,
        description=desc,
        need=rng.choice(NEEDS),
        all_subjects=True,
        subject_ids=[],
        start_date=start,
        responsible_id=responsible.pk,
        next_follow_up=follow_up,
        visible_to_family=rng.random() < 0.3,
    )


@transaction.atomic
def support_demo_load(*, seed: int = 2026, per_unit: int = 25) -> int:
    """Adaptations for ``per_unit`` pupils at each unit with the support module."""
    rng = random.Random(seed)
    day = today()
    count = 0
    units = list(SchoolUnit.objects.filter(support_module_enabled=True).order_by("pk"))
    for unit in {u.organiser_id: u for u in units}.values():  # one library per organiser
        for title, desc, code in LIBRARY:
            subject = Subject.objects.filter(code=code).first() if code else None
            template_create_for_organiser(
                actor=None, unit=unit, title=title, description=desc, subject=subject
            )
    for unit in units:
        pupil_ids = list(
            Placement.objects.active()
            .filter(unit=unit)
            .order_by("pupil_id")
            .values_list("pupil_id", flat=True)
        )
        for pupil in Person.objects.filter(
            pk__in=rng.sample(pupil_ids, min(per_unit, len(pupil_ids)))
        ):
            count += _adaptations_for(rng, pupil, day)
    return count


def _adaptations_for(rng: random.Random, pupil: Person, day: dt.date) -> int:
    actor = _teacher_of(pupil)
    if actor is None or actor.person is None:
        return 0
    made = 0
    for _ in range(rng.choice([1, 1, 2, 3])):
        title, desc, _subject = rng.choice(LIBRARY)
        start = day - dt.timedelta(days=rng.randint(20, 120))
        follow_up = day + dt.timedelta(days=rng.randint(-10, 30))
        if follow_up <= start:
            follow_up = start + dt.timedelta(days=14)
        data = _input(rng, title, desc, actor.person, start, follow_up)
        adaptation = services.adaptation_create(actor=actor, pupil=pupil, data=data)
        made += 1
        _history(rng, actor, adaptation, day)
    return made


def _history(rng: random.Random, actor: User, adaptation: ExtraAdaptation, day: dt.date) -> None:
    roll = rng.random()
    if roll < 0.4:
        services.adaptation_follow_up(
            actor=actor,
            adaptation_id=adaptation.pk,
            date=min(day, adaptation.start_date + dt.timedelta(days=14)),
            observation=rng.choice(OBSERVATIONS),
            effect=rng.choice(Effect.values),
            next_follow_up=day + dt.timedelta(days=rng.randint(3, 40)),
        )
    elif roll < 0.55:
        services.adaptation_evaluate(
            actor=actor,
            adaptation_id=adaptation.pk,
            date=day,
            outcome="Behovet är tillgodosett; anpassningen behövs inte längre.",
            effect=Effect.WORKS,
            next_step=NextStep.END,
        )


# --- special support: pupils at every stage of the chain --------------------------------------


def _principal_of(unit: SchoolUnit) -> User:
    duty = Duty.objects.active().filter(unit=unit, role=Duty.Role.PRINCIPAL).first()
    assert duty is not None
    return login_for(duty.person)


def _health_of(unit: SchoolUnit) -> User:
    duty = Duty.objects.active().filter(unit=unit, role=Duty.Role.PUPIL_HEALTH).first()
    assert duty is not None
    return login_for(duty.person)


@transaction.atomic
def special_support_demo_load(*, seed: int = 2026) -> None:
    """At each unit with the module: a referral waiting for the principal, an investigation in
    progress, a draft programme, a submitted one, a decided one (parties notified, one appeal
    in time), an evaluated one, a closed one and a decision not to draw up a programme."""
    rng = random.Random(seed + 1)
    for unit in SchoolUnit.objects.filter(support_module_enabled=True).order_by("pk"):
        pupils = _candidates(unit, rng)
        stages = [
            _referral_only,
            _investigating,
            _draft,
            _submitted,
            _decided_and_appealed,
            _evaluated,
            _closed,
            _no_programme,
        ]
        for stage, pupil in zip(stages, pupils, strict=False):
            stage(unit, pupil)
    _decision_for_demo_guardian()


def _decision_for_demo_guardian() -> None:
    """The demo guardian's younger child gets a decided programme that no party has received
    yet: the guardian receives it in the family view, confirms it and may appeal it online."""
    guardian = User.objects.filter(username="vardnadshavare").select_related("person").first()
    if guardian is None or guardian.person is None:
        return
    placements = (
        Placement.objects.active()
        .filter(pupil__guardianships__guardian=guardian.person, unit__support_module_enabled=True)
        .exclude(pupil__programmes__isnull=False)
        .exclude(pupil__referrals__isnull=False)
        .select_related("unit", "pupil")
        .order_by("school_year", "pupil_id")
    )
    placement = placements.first()
    if placement is not None and staff_with_access_to(placement.pupil).exists():
        _decide(placement.unit, placement.pupil)


def _candidates(unit: SchoolUnit, rng: random.Random) -> list[Person]:
    ids = list(
        Placement.objects.active()
        .filter(unit=unit, pupil__security_marking="NONE")
        .exclude(pupil__adaptations__isnull=True)
        .values_list("pupil_id", flat=True)
        .distinct()
        .order_by("pupil_id")
    )
    return list(Person.objects.filter(pk__in=rng.sample(ids, min(8, len(ids)))).order_by("pk"))


def _referral_only(unit: SchoolUnit, pupil: Person) -> Referral:
    teacher = _teacher_of(pupil)
    assert teacher is not None
    adaptations = list(ExtraAdaptation.objects.filter(pupil=pupil).values_list("pk", flat=True))
    return investigations.referral_submit(
        actor=teacher,
        pupil=pupil,
        adaptation_ids=adaptations,
        tried="Extra anpassningar sedan flera veckor: förlängd tid, uppdelade uppgifter.",
        why="Eleven når ändå inte kunskapskraven i svenska och matematik.",
    )


def _investigating(unit: SchoolUnit, pupil: Person) -> Investigation:
    referral = _referral_only(unit, pupil)
    health = _health_of(unit)
    inv = investigations.investigation_start(
        actor=_principal_of(unit),
        pupil=pupil,
        referral=referral,
        investigator_ids=[health.person_id] if health.person_id else [],
        planned_decision_date=today() + dt.timedelta(days=10),
    )
    return investigations.investigation_update(
        actor=health,
        investigation_id=inv.pk,
        expected_version=inv.version,
        data=investigations.InvestigationInput(
            mapping_individual="Läser långsamt och har svårt att hålla fokus över tid.",
            mapping_group="Stor klass med mycket rörelse.",
            mapping_school="Tillgång till speciallärare två dagar i veckan.",
            assessment="Eleven behöver särskilt stöd i läsförståelse under en längre tid.",
            health_consulted=True,
            pupil_views="Vill ha hjälp men inte lämna klassen.",
            guardian_views="Ser samma svårigheter hemma.",
            planned_decision_date=today() + dt.timedelta(days=10),
        ),
    )


def _draft(unit: SchoolUnit, pupil: Person) -> ActionProgramme:
    inv = _investigating(unit, pupil)
    principal = _principal_of(unit)
    programme = investigations.investigation_conclude_with_programme(
        actor=principal, investigation_id=inv.pk, expected_version=inv.version
    )
    staff = [p.pk for p in staff_with_access_to(pupil)]
    teacher = _teacher_of(pupil)
    responsible = teacher.person_id if teacher and teacher.person_id in staff else staff[0]
    return programmes.programme_update(
        actor=principal,
        programme_id=programme.pk,
        expected_version=programme.version,
        data=programmes.ProgrammeInput(
            needs="Eleven behöver stöd i läsförståelse och i att komma igång med uppgifter.",
            follow_up_plan="Varannan vecka på arbetslagsmöte.",
            follow_up_responsible_id=responsible,
            evaluation_responsible_id=principal.person_id,
            evaluation_date=today() + dt.timedelta(days=90),
            pupil_participated=True,
            guardians_participated=True,
            participation_views="Eleven och vårdnadshavarna är positiva till stödet.",
            measures=[
                programmes.MeasureInput(
                    what="Lästräning med speciallärare",
                    how="Enskilt, strukturerad läsmetod",
                    how_much="3 × 20 minuter i veckan",
                    responsible_id=responsible,
                )
            ],
        ),
    )


def _submitted(unit: SchoolUnit, pupil: Person) -> ActionProgramme:
    programme = _draft(unit, pupil)
    return programmes.programme_submit(
        actor=_principal_of(unit), programme_id=programme.pk, expected_version=programme.version
    )


def _decide(unit: SchoolUnit, pupil: Person) -> ActionProgramme:
    programme = _draft(unit, pupil)
    return programmes.programme_decide(
        actor=_principal_of(unit),
        programme_id=programme.pk,
        expected_version=programme.version,
        reasons="Utredningen visar att eleven behöver särskilt stöd i läsförståelse.",
        decided_on=today(),
    )


def _decided_and_appealed(unit: SchoolUnit, pupil: Person) -> ActionProgramme:
    programme = _decide(unit, pupil)
    decision = programme.decisions.get()
    principal = _principal_of(unit)
    parties = parties_of(pupil)
    for party in parties:
        decision_notify_party(
            actor=principal,
            decision=decision,
            party=party,
            notified_on=today(),
            method=PartyNotification.Method.IN_PERSON,
        )
    if parties:
        appeals.appeal_register(
            actor=principal,
            decision_id=decision.pk,
            appellant_id=parties[0].pk,
            received_on=today(),
        )
    return programme


def _evaluated(unit: SchoolUnit, pupil: Person) -> ActionProgramme:
    programme = _decide(unit, pupil)
    programmes.programme_follow_up(
        actor=_principal_of(unit),
        programme_id=programme.pk,
        date=today(),
        text="Läsflytet har ökat något.",
    )
    programmes.programme_evaluate(
        actor=_principal_of(unit),
        programme_id=programme.pk,
        date=today(),
        text="Delvis nådda mål; behovet kvarstår.",
        need_remains=True,
    )
    return programme


def _closed(unit: SchoolUnit, pupil: Person) -> ActionProgramme:
    programme = _evaluated(unit, pupil)
    return programmes.programme_close(
        actor=_principal_of(unit),
        programme_id=programme.pk,
        decided_on=today(),
        reasons="Eleven når nu kunskapskraven med extra anpassningar.",
    )


def _no_programme(unit: SchoolUnit, pupil: Person) -> Investigation:
    inv = _investigating(unit, pupil)
    return investigations.investigation_conclude_without_programme(
        actor=_principal_of(unit),
        investigation_id=inv.pk,
        expected_version=inv.version,
        decided_on=today(),
        reasons="Behoven kan tillgodoses med extra anpassningar inom ordinarie undervisning.",
    )
