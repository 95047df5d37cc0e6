"""Every create form of the support pages carries its own token; the same post sent twice makes
one record and both answers lead to it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.db import models
from django.urls import resolve, reverse

import pytest

from elevstod.core.timeutil import today
from elevstod.support import workflow as wf
from elevstod.support.models import (
    AdaptationEvaluation,
    AdaptationFollowUp,
    AdaptationTemplate,
    Appeal,
    Decision,
    DelegationGrant,
    ExtraAdaptation,
    Investigation,
    Measure,
    PartyNotification,
    ProgrammeEvaluation,
    ProgrammeFollowUp,
    Referral,
)
from elevstod.support.services import investigations
from tests.builders import (
    completed_investigation,
    decided_programme,
    draft_programme,
    new_adaptation,
)

D = today().isoformat()
LATER = (today() + dt.timedelta(weeks=4)).isoformat()
Case = tuple[Any, str, dict[str, Any]]


def _new_adaptation(school: Any) -> Case:
    data = {
        "title": "Förlängd skrivtid",
        "need": "Hinner inte läsa färdigt.",
        "all_subjects": "on",
        "start_date": D,
        "next_follow_up": LATER,
        "responsible": school.teacher.person.pk,
    }
    return school.teacher, reverse("support:adaptation_new", args=[school.pupil.pk]), data


def _follow_up(school: Any) -> Case:
    url = reverse("support:adaptation_follow_up", args=[new_adaptation(school).pk])
    data = {"date": D, "observation": "Bättre.", "effect": "PARTLY", "next_follow_up": LATER}
    return school.teacher, url, data


def _evaluation(school: Any) -> Case:
    url = reverse("support:adaptation_evaluate", args=[new_adaptation(school).pk])
    data = {
        "date": D,
        "outcome": "Fungerar.",
        "effect": "WORKS",
        "next_step": "CONTINUE",
        "next_follow_up": LATER,
    }
    return school.teacher, url, data


def _referral(school: Any) -> Case:
    url = reverse("support:referral_new", args=[school.pupil.pk])
    return school.teacher, url, {"tried": "Skrivtid.", "why": "Räcker inte."}


def _investigation(school: Any) -> Case:
    url = reverse("support:investigation_new", args=[school.pupil.pk])
    return school.principal, url, {"planned_decision_date": ""}


def _no_programme(school: Any) -> Case:
    inv = completed_investigation(school)
    url = reverse("support:investigation_conclude_without_programme", args=[inv.pk])
    data = {"version": inv.version, "reasons": "Räcker.", "decided_on": D}
    return school.principal, url, data


def _measures(school: Any) -> Case:
    inv = completed_investigation(school)
    p = investigations.investigation_conclude_with_programme(
        actor=school.principal, investigation_id=inv.pk, expected_version=inv.version
    )
    data = {
        "version": p.version,
        "needs": "Stöd i läsning.",
        "measures-TOTAL_FORMS": "1",
        "measures-INITIAL_FORMS": "0",
        "measures-0-what": "Lästräning",
        "measures-0-responsible": school.teacher.person.pk,
        "measures-0-support_form": wf.SupportForm.ORDINARY,
    }
    return school.teacher, reverse("support:programme_edit", args=[p.pk]), data


def _programme(school: Any, step: str, prefix: str, **data: Any) -> Case:
    p = draft_programme(school) if step == "decide" else decided_programme(school)
    fields = {f"{prefix}{k}": v for k, v in data.items()}
    fields.update(version=p.version)
    return school.principal, reverse(f"support:programme_{step}", args=[p.pk]), fields


def _decision(school: Any) -> Decision:
    return Decision.objects.get(programme=decided_programme(school))


def _notify(school: Any) -> Case:
    url = reverse("support:decision_notify", args=[_decision(school).pk])
    data = {"party": school.guardian.person.pk, "notified_on": D}
    return school.principal, url, {**data, "method": "LETTER"}


def _appeal(school: Any) -> Case:
    url = reverse("support:decision_appeal", args=[_decision(school).pk])
    data = {"appellant": school.guardian.person.pk, "received_on": D}
    return school.principal, url, data


def _delegation(school: Any) -> Case:
    url = reverse("support:delegation_add", args=[school.unit.pk])
    data = {"delegate": school.teacher.person.pk, "valid_from": D}
    return school.principal, url, {**data, "kind": wf.DecisionKind.PROGRAMME}


def _library(school: Any) -> Case:
    url = reverse("support:library_add", args=[school.unit.pk])
    return school.principal, url, {"title": "Bildstöd", "description": "", "subject": ""}


FORMS: dict[str, tuple[Callable[[Any], Case], type[models.Model], str]] = {
    "new adaptation": (_new_adaptation, ExtraAdaptation, ""),
    "adaptation follow-up": (_follow_up, AdaptationFollowUp, ""),
    "adaptation evaluation": (_evaluation, AdaptationEvaluation, ""),
    "referral": (_referral, Referral, ""),
    "investigation": (_investigation, Investigation, ""),
    "no programme": (_no_programme, Decision, ""),
    "programme with measures": (_measures, Measure, ""),
    "programme decision": (
        lambda s: _programme(s, "decide", "", reasons="Behov.", decided_on=D),
        Decision,
        "",
    ),
    "programme follow-up": (
        lambda s: _programme(s, "follow_up", "fu-", date=D, text="Framåt."),
        ProgrammeFollowUp,
        "fu-",
    ),
    "programme evaluation": (
        lambda s: _programme(s, "evaluate", "ev-", date=D, text="Nått."),
        ProgrammeEvaluation,
        "ev-",
    ),
    "closing decision": (
        lambda s: _programme(s, "close", "close-", reasons="Klart.", decided_on=D),
        Decision,
        "close-",
    ),
    "party notification": (_notify, PartyNotification, ""),
    "appeal": (_appeal, Appeal, ""),
    "delegation": (_delegation, DelegationGrant, ""),
    "library entry": (_library, AdaptationTemplate, ""),
}


# The page whose form posts to a step (the step's own URL otherwise).
PAGE_OF = {
    "investigation_conclude_without_programme": "investigation_detail",
    "programme_decide": "programme_detail",
    "programme_follow_up": "programme_detail",
    "programme_evaluate": "programme_detail",
    "programme_close": "programme_detail",
    "decision_notify": "decision_detail",
    "decision_appeal": "decision_detail",
    "delegation_add": "delegation_order",
    "library_add": "library",
}


def _page_of(url: str) -> str:
    match = resolve(url)
    return reverse(f"support:{PAGE_OF.get(match.url_name, match.url_name)}", kwargs=match.kwargs)


@pytest.mark.parametrize("what", list(FORMS))
def test_the_same_post_sent_twice_makes_one_record_and_both_answers_lead_to_it(
    client, school, what
):
    setup, model, prefix = FORMS[what]
    user, url, data = setup(school)
    client.force_login(user)
    page = client.get(_page_of(url)).content.decode()
    # the token of the form that posts to this step (or of the page's own form)
    own_form = re.escape(f'action="{url}"') + ".*?" if url != _page_of(url) else ""
    token = re.search(rf'{own_form}name="{prefix}token" value="([^"]+)"', page, re.DOTALL)
    assert token is not None, f"the {what} form carries no token"
    data[f"{prefix}token"] = token.group(1)
    before = model._default_manager.count()
    first = client.post(url, data)
    second = client.post(url, data)
    assert first.status_code == 302, first.content.decode()[:2000]
    assert second.status_code == 302, second.content.decode()[:2000]
    assert second["Location"] == first["Location"]
    assert model._default_manager.count() == before + 1


def test_each_rendering_of_a_form_has_a_new_token(client, school):
    user, url, _ = _new_adaptation(school)
    client.force_login(user)
    tokens = {client.get(url).context["form"]["token"].value() for _ in range(2)}
    assert len(tokens) == 2


@pytest.mark.parametrize("what", list(FORMS))
def test_a_page_with_its_forms_repeats_no_element_id(client, school, what):
    # Several once-forms on one page (a decision with its parties and appeals) must not repeat
    # an id: labels and assistive technology find the first element only.
    setup, _, _ = FORMS[what]
    user, url, _ = setup(school)
    client.force_login(user)
    ids = re.findall(r'\sid="([^"]+)"', client.get(_page_of(url)).content.decode())
    assert sorted(i for i in set(ids) if ids.count(i) > 1) == []
