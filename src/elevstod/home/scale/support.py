"""The support of a unit at scale: active extra adaptations, and referrals, investigations and
action programmes at every stage with their decisions, notified parties, follow-ups and
evaluations; and a year of reads in the access log."""

from __future__ import annotations

import datetime as dt

from elevstod.organisation.models import Person, SchoolUnit
from elevstod.support import workflow as wf
from elevstod.support.models import (
    ActionProgramme,
    AdaptationVersion,
    Decision,
    ExtraAdaptation,
    Investigation,
    Measure,
    PartyNotification,
    ProgrammeEvaluation,
    ProgrammeFollowUp,
    Referral,
)
from elevstod.support.services.adaptation_records import snapshot as adaptation_snapshot
from elevstod.support.texts import appeal_instructions_for

from .base import Base, Klass
from .people import SUBJECT_GROUPS

P = wf.ProgrammeState
# The stages a loaded programme is at, in turn; a renewal and a replacement bring a second one.
STAGES = (P.DRAFT, P.SUBMITTED, P.DECIDED, P.EVALUATED, P.BEING_RENEWED, P.REPLACED, P.CLOSED)
DECIDED = frozenset({P.DECIDED, P.EVALUATED, P.BEING_RENEWED, P.REPLACED, P.CLOSED})
EVALUATED = frozenset({P.EVALUATED, P.BEING_RENEWED, P.REPLACED, P.CLOSED})
ADAPTATION_SHARE = 0.2  # pupils with an active extra adaptation
PROGRAMME_SHARE = 0.05  # pupils with an action programme (5,000 at 100,000)


class Support(Base):
    def _adaptations(
        self, unit: SchoolUnit, classes: list[Klass], staff: dict[str, Person]
    ) -> dict[int, ExtraAdaptation]:
        """Active extra adaptations for a fifth of the pupils, their class teacher responsible."""
        user = self.users["principal"]
        rows = [
            ExtraAdaptation(
                pupil=pupil,
                unit=unit,
                title="Anpassad instruktion",
                description="Instruktionen ges muntligt och skriftligt, i korta steg.",
                need="Har svårt att komma igång med uppgifter.",
                start_date=self.day - dt.timedelta(days=self.rng.randint(7, 200)),
                responsible=klass.teacher,
                next_follow_up=self.day + dt.timedelta(days=self.rng.randint(-10, 40)),
                created_by=user,
            )
            for klass in classes
            for pupil in klass.pupils
            if self.rng.random() < ADAPTATION_SHARE
        ]
        self._bulk(ExtraAdaptation, rows)
        self._adaptation_records(rows)
        for a in rows:
            self._audit("support.adaptation.created", a, a.pupil_id, unit.pk, {}, staff)
        self.adaptations += len(rows)
        return {a.pupil_id: a for a in rows}

    def _adaptation_records(self, rows: list[ExtraAdaptation]) -> None:
        """Each adaptation's subject and its first version, as ``adaptation_create`` keeps."""
        user = self.users["principal"]
        subject = [self.subjects[key].pk for key in SUBJECT_GROUPS]
        through = ExtraAdaptation.subjects.through
        self._bulk(
            through,
            (through(extraadaptation_id=a.pk, subject_id=subject[a.pk % 2]) for a in rows),
        )
        self._bulk(
            AdaptationVersion,
            (
                AdaptationVersion(
                    adaptation=a,
                    version=1,
                    changed_by=user,
                    changes={},
                    snapshot=adaptation_snapshot(a, [subject[a.pk % 2]]),
                )
                for a in rows
            ),
        )

    def _programmes(
        self, unit: SchoolUnit, classes: list[Klass], staff: dict[str, Person], adapted: set[int]
    ) -> None:
        """A case for a twentieth of the pupils (among those with adaptations), its programme
        at the next stage in turn; a renewal copy or a replacement beside some."""
        teacher_of = {p.pk: k.teacher for k in classes for p in k.pupils}
        wanted = max(1, round(len(teacher_of) * PROGRAMME_SHARE))
        chosen = [p for k in classes for p in k.pupils if p.pk in adapted][:wanted]
        investigations = self._cases(unit, chosen, teacher_of)
        programmes, successors = [], []
        for p, investigation in zip(chosen, investigations, strict=True):
            state = STAGES[self.stage % len(STAGES)]
            self.stage += 1
            first = self._programme(p, unit, investigation, state, teacher_of[p.pk])
            programmes.append(first)
            then = {P.BEING_RENEWED: P.DRAFT, P.REPLACED: P.DECIDED}.get(state)
            if then:  # a renewal copy in draft (the old one stays in force), or its successor
                successors.append(
                    self._programme(p, unit, investigation, then, teacher_of[p.pk], first)
                )
        self._bulk(ActionProgramme, programmes)
        for successor in successors:
            successor.previous_id = successor.previous.pk if successor.previous else None
        self._bulk(ActionProgramme, successors)
        everything = programmes + successors
        self._measures(everything, staff)
        for a in everything:
            self._audit("support.programme.drafted", a, a.pupil_id, unit.pk, {}, staff)
        self._decisions(unit, [a for a in everything if a.state in DECIDED], staff)
        self.programmes += len(everything)

    def _measures(self, programmes: list[ActionProgramme], staff: dict[str, Person]) -> None:
        self._bulk(
            Measure,
            (
                Measure(
                    programme=a,
                    what="Undervisning i liten grupp i matematik",
                    how="Tre lektioner i veckan med speciallärare.",
                    responsible=staff["Specialpedagog"],
                    support_form=wf.SupportForm.ORDINARY,
                )
                for a in programmes
            ),
        )

    def _cases(
        self, unit: SchoolUnit, chosen: list[Person], teacher_of: dict[int, Person]
    ) -> list[Investigation]:
        """The handled referral and the concluded investigation each programme rests on."""
        user = self.users["principal"]
        investigations = [
            Investigation(
                pupil=p,
                unit=unit,
                state=wf.InvestigationState.PROGRAMME_TO_BE_DRAWN_UP,
                assessment="Eleven är i behov av särskilt stöd i matematik.",
                health_consulted=True,
                started_by=user,
                concluded_on=self.day - dt.timedelta(days=60),
            )
            for p in chosen
        ]
        self._bulk(Investigation, investigations)
        self._bulk(
            Referral,
            (
                Referral(
                    pupil=p,
                    unit=unit,
                    reported_by=user,
                    reporter=teacher_of[p.pk],
                    tried="Extra anpassningar under en termin.",
                    why="Eleven når inte kunskapskraven trots anpassningarna.",
                    state=wf.ReferralState.HANDLED,
                    handled_at=self.now,
                    investigation=investigation,
                )
                for p, investigation in zip(chosen, investigations, strict=True)
            ),
        )
        return investigations

    def _decisions(
        self, unit: SchoolUnit, decided: list[ActionProgramme], staff: dict[str, Person]
    ) -> None:
        """The decision on each decided programme (and on closing it), with the appeal
        instructions of the unit, the guardians notified, a follow-up and the evaluation."""
        instructions = appeal_instructions_for(unit)
        decisions = [self._decision(a, wf.DecisionKind.PROGRAMME, instructions) for a in decided]
        decisions += [
            self._decision(a, wf.DecisionKind.CLOSE_PROGRAMME, instructions)
            for a in decided
            if a.state == P.CLOSED
        ]
        user = self.users["principal"]
        for decision in decisions:
            decision.decided_by, decision.decided_by_user = staff["principal"], user
        self._bulk(Decision, decisions)
        self._bulk(
            PartyNotification,
            (
                PartyNotification(
                    decision=d,
                    party_id=guardian,
                    notified_on=d.decided_on + dt.timedelta(days=1),
                    method=PartyNotification.Method.DIGITAL,
                    recorded_by=user,
                )
                for d in decisions
                for guardian in self.guardians.get(d.pupil_id, [])
            ),
        )
        for d in decisions:
            data = {"kind": d.kind, "delegation_id": None, "appealable": d.appealable}
            self._audit("support.decision.recorded", d, d.pupil_id, unit.pk, data, staff)
        self._records(decided)

    def _records(self, decided: list[ActionProgramme]) -> None:
        user = self.users["principal"]
        self._bulk(
            ProgrammeFollowUp,
            (
                ProgrammeFollowUp(
                    programme=a,
                    date=self.day - dt.timedelta(days=20),
                    text="Eleven deltar i undervisningen i liten grupp och gör framsteg.",
                    created_by=user,
                )
                for a in decided
            ),
        )
        self._bulk(
            ProgrammeEvaluation,
            (
                ProgrammeEvaluation(
                    programme=a,
                    date=self.day - dt.timedelta(days=10),
                    text="Åtgärderna har gett effekt.",
                    need_remains=a.state != P.CLOSED,
                    created_by=user,
                )
                for a in decided
                if a.state in EVALUATED
            ),
        )

    def _programme(
        self,
        pupil: Person,
        unit: SchoolUnit,
        investigation: Investigation,
        state: str,
        teacher: Person,
        previous: ActionProgramme | None = None,
    ) -> ActionProgramme:
        return ActionProgramme(
            pupil=pupil,
            unit=unit,
            investigation=investigation,
            previous=previous,
            state=state,
            needs="Behöver stöd i matematik i mindre grupp.",
            follow_up_plan="Uppföljning varannan månad.",
            evaluation_date=self.day + dt.timedelta(days=120),
            follow_up_responsible=teacher,
            evaluation_responsible=teacher,
            pupil_participated=True,
            guardians_participated=True,
        )

    def _decision(self, programme: ActionProgramme, kind: str, instructions: str) -> Decision:
        rule = wf.DECISIONS[wf.DecisionKind(kind)]
        return Decision(
            kind=kind,
            pupil_id=programme.pupil_id,
            unit_id=programme.unit_id,
            programme=programme,
            decided_on=self.day - dt.timedelta(days=self.rng.randint(30, 300)),
            reasons="Utredningen visar att eleven är i behov av särskilt stöd.",
            appealable=rule.appealable,
            law=rule.law,
            appeal_instructions=instructions if rule.appealable else "",
            content={"needs": programme.needs},
        )

    def _access_log(self, classes: list[Klass], staff: dict[str, Person]) -> None:
        """The principal's reads of each pupil's page, spread over the past year."""
        user = self.users["principal"]
        label = f"{user.username} ({staff['principal'].full_name})"
        for klass in classes:
            for pupil in klass.pupils:
                for _n in range(self.access_per_pupil):
                    self.access.add(
                        occurred_at=self._moment(),
                        actor_id=user.pk,
                        actor_label=label,
                        pupil_id=pupil.pk,
                        purpose="organisation.pupil.page",
                        reasons="principal",
                        granted=True,
                        path=f"/elever/{pupil.pk}/",
                    )
