"""Demo support data: a library of common adaptations and pupils with adaptations in several
states (new, followed up, overdue, evaluated, ended). Written through the services, as the
pupils' own teachers, so the demo has real history, audit events and notifications."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from elevstod.accounts.models import User
from elevstod.core.timeutil import today
from elevstod.organisation.access import Reason, staff_with_access_to
from elevstod.organisation.models import Person, Placement, SchoolUnit

from .models import Effect, ExtraAdaptation, NextStep
from .services import adaptations as services
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


def _teacher_of(pupil: Person) -> User | None:
    people = staff_with_access_to(pupil, reasons=frozenset({Reason.TEACHER, Reason.MENTOR}))
    return User.objects.filter(person__in=people).order_by("pk").first()


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
    for unit in SchoolUnit.objects.filter(support_module_enabled=True).order_by("pk"):
        for title, desc, _subject in LIBRARY:
            template_create_for_organiser(
                actor=None, unit=unit, title=title, description=desc, subject=None
            )
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
