"""``docs/workflow.md``, generated from the workflow table (``manage.py workflow_doc``)."""

from __future__ import annotations

from . import workflow as wf

ACTOR_TEXT = {
    wf.Actor.SUPPORT_STAFF: "staff who work with the pupil's support",
    wf.Actor.PRINCIPAL: "the principal",
    wf.Actor.DECIDER: "the principal, or a delegate under the delegation order",
    wf.Actor.INVESTIGATOR: "principal, pupil health team, named investigators",
    wf.Actor.RESPONSIBLE: "the people responsible for the programme",
    wf.Actor.SCHOOL: "the school (principal)",
}


def render() -> str:
    lines = [
        "# Workflow of special support",
        "",
        "Generated from `src/elevstod/support/workflow.py` by `python manage.py workflow_doc`;",
        "do not edit by hand (a test fails when this file and the table disagree).",
        "",
    ]
    for entity in wf.Entity:
        lines += _entity(entity)
    lines += [
        "## Decisions",
        "",
        "| decision | appealable | under | appeal under | delegable |",
        "|---|---|---|---|---|",
    ]
    for kind, rule in wf.DECISIONS.items():
        lines.append(
            f"| {kind} | {'yes' if rule.appealable else 'no'} | {rule.law} | "
            f"{rule.appeal_law or '–'} | {'yes' if rule.delegable else 'no'} |"
        )
    lines += ["", "Never delegable, whatever the delegation order says (3 kap. 9 § skollagen):", ""]
    lines += [f"- {form}: {law}" for form, law in wf.NON_DELEGABLE_FORMS.items()]
    lines += [
        "",
        f"Appeal period: {wf.APPEAL_PERIOD.days} days from the day the party was "
        f"notified ({wf.APPEAL_PERIOD_LAW}); a last day on a Saturday, Sunday, public "
        "holiday or midsummer, Christmas or New Year's eve moves to the next weekday "
        "(lagen 1930:173). The pupil is a party from "
        f"{wf.PUPIL_PARTY_AGE}.",
        "",
    ]
    return "\n".join(lines)


def _entity(entity: wf.Entity) -> list[str]:
    finals = wf.FINAL_STATES[entity]
    states = ", ".join(f"`{s}`{' (final)' if s in finals else ''}" for s in wf.STATES[entity])
    lines = [
        f"## {entity.value.capitalize()}",
        "",
        f"States: {states}.",
        "",
        "| transition | from | to | who | decision | law | note |",
        "|---|---|---|---|---|---|---|",
    ]
    for t in wf.TRANSITIONS:
        if t.entity != entity:
            continue
        sources = ", ".join(sorted(t.sources)) or "(new)"
        who = "; ".join(ACTOR_TEXT[a] for a in sorted(t.actors))
        lines.append(
            f"| {t.name} | {sources} | {t.target or '(unchanged)'} | {who} | "
            f"{t.decision or '–'} | {t.law or '–'} | {t.note} |"
        )
    lines.append("")
    lines += _diagram(entity)
    return lines


def _diagram(entity: wf.Entity) -> list[str]:
    lines = ["```mermaid", "stateDiagram-v2"]
    for t in wf.TRANSITIONS:
        if t.entity != entity:
            continue
        for source in sorted(t.sources) or ["[*]"]:
            lines.append(f"    {source} --> {t.target or source}: {t.name}")
    for final in sorted(wf.FINAL_STATES[entity]):
        lines.append(f"    {final} --> [*]")
    return [*lines, "```", ""]
