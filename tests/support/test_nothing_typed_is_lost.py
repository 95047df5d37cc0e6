"""Choosing from the library, inviting a contributor and adding a measure keep what the user has
typed (without JavaScript: the post carries the text and the page comes back with it); text
fields are bounded, and a too long text is refused with the reason and kept for trimming."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest

from elevstod.core.limits import TEXT_MAX
from elevstod.core.timeutil import today
from elevstod.support import workflow as wf
from elevstod.support.models import AdaptationTemplate, ExtraAdaptation, Investigation, Referral
from elevstod.support.services import investigations
from tests.builders import completed_investigation

NEED = "Tappar tråden när instruktioner ges muntligt."


def _form(school, **overrides):
    data = {
        "title": "",
        "need": NEED,
        "description": "",
        "all_subjects": "on",
        "start_date": today().isoformat(),
        "next_follow_up": (today() + dt.timedelta(weeks=4)).isoformat(),
        "responsible": str(school.teacher.person.pk),
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _entry(school, title="Bildstöd vid instruktioner", subject=None):
    return AdaptationTemplate.objects.create(
        organiser=school.unit.organiser,
        unit=None,
        title=title,
        description="Instruktioner med bilder.",
        subject=subject,
    )


def test_choosing_a_library_entry_keeps_what_the_teacher_typed(client, school):
    entry = _entry(school)
    client.force_login(school.teacher)
    url = reverse("support:adaptation_new", args=[school.pupil.pk])
    response = client.post(url, _form(school, pick=entry.pk))
    assert response.status_code == 200
    form = response.context["form"]
    assert form["need"].value() == NEED
    assert form["title"].value() == "Bildstöd vid instruktioner"
    assert form["description"].value() == "Instruktioner med bilder."
    assert not form.errors
    assert not ExtraAdaptation.objects.exists()


def test_choosing_a_library_entry_does_not_overwrite_an_own_title(client, school):
    first, second = _entry(school), _entry(school, title="Hörselkåpor")
    client.force_login(school.teacher)
    url = reverse("support:adaptation_new", args=[school.pupil.pk])
    own = client.post(url, _form(school, title="Pauser", pick=first.pk)).context["form"]
    assert own["title"].value() == "Pauser"
    # an entry's own title is not the user's: choosing another entry replaces it
    data = _form(school, title=first.title, mall=first.pk, pick=second.pk)
    assert client.post(url, data).context["form"]["title"].value() == "Hörselkåpor"


def test_a_library_entry_for_a_subject_preselects_its_subject(client, school):
    entry = _entry(school, title="Konkret material i matematik", subject=school.maths)
    client.force_login(school.teacher)
    url = reverse("support:adaptation_new", args=[school.pupil.pk])
    for response in (
        client.get(url, {"mall": entry.pk}),
        client.post(url, _form(school, pick=entry.pk)),
    ):
        form = response.context["form"]
        assert form["subjects"].value() == [str(school.maths.pk)]
        assert not form["all_subjects"].value()
        body = response.content.decode()
        assert f'value="{school.maths.pk}" id="id_subjects_0" checked' in body.replace("\n", "")


def test_inviting_a_contributor_keeps_the_typed_investigation_text(client, school):
    inv = investigations.investigation_start(
        actor=school.principal, pupil=school.pupil, investigator_ids=[], planned_decision_date=None
    )
    client.force_login(school.principal)
    url = reverse("support:investigation_invite", args=[inv.pk])
    typed = "Läser långsamt, men förstår när texten läses upp."
    response = client.post(
        url,
        {
            "version": inv.version,
            "mapping_individual": typed,
            "contributors": [school.teacher.person.pk],
            "invite": "1",
        },
    )
    assert response.status_code == 200
    assert response.context["form"]["mapping_individual"].value() == typed
    assert "De medverkande bjöds in." in response.content.decode()
    inv.refresh_from_db()
    assert list(inv.contributors.all()) == [school.teacher.person]
    assert inv.mapping_individual == ""  # invited, not saved: the text waits for "Spara"


def test_inviting_nobody_says_why_and_keeps_the_text(client, school):
    inv = investigations.investigation_start(
        actor=school.principal, pupil=school.pupil, investigator_ids=[], planned_decision_date=None
    )
    client.force_login(school.principal)
    url = reverse("support:investigation_invite", args=[inv.pk])
    data = {"version": inv.version, "assessment": "Behöver stöd.", "invite": "1"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["invite"].errors
    assert response.context["form"]["assessment"].value() == "Behöver stöd."
    assert not Investigation.objects.get().contributors.exists()


def _programme(school):
    inv = completed_investigation(school)
    return investigations.investigation_conclude_with_programme(
        actor=school.principal, investigation_id=inv.pk, expected_version=inv.version
    )


def test_adding_a_second_and_third_measure_keeps_everything_typed_and_saves_nothing(client, school):
    programme = _programme(school)
    client.force_login(school.teacher)
    url = reverse("support:programme_edit", args=[programme.pk])
    data = {
        "version": programme.version,
        "needs": "Stöd i läsförståelse.",
        "measures-TOTAL_FORMS": "1",
        "measures-INITIAL_FORMS": "0",
        "measures-0-what": "Lästräning",
        "measures-0-support_form": wf.SupportForm.ORDINARY,
        "add_measure": "1",
    }
    second = client.post(url, data)
    assert second.status_code == 200
    assert second.context["measures"].total_form_count() == 2
    assert second.context["form"]["needs"].value() == "Stöd i läsförståelse."
    assert second.context["measures"].forms[0]["what"].value() == "Lästräning"
    data.update({"measures-TOTAL_FORMS": "2", "measures-1-what": "Inläst läromedel"})
    data["measures-1-support_form"] = wf.SupportForm.ORDINARY
    third = client.post(url, data)
    measures = third.context["measures"]
    assert measures.total_form_count() == 3
    typed = [f["what"].value() or "" for f in measures.forms]
    assert typed == ["Lästräning", "Inläst läromedel", ""]
    assert not measures.forms[2].errors
    assert not programme.measures.exists()


def test_a_text_of_10001_characters_is_refused_with_the_reason_and_kept(client, school):
    client.force_login(school.teacher)
    url = reverse("support:adaptation_new", args=[school.pupil.pk])
    too_long = "a" * (TEXT_MAX + 1)
    response = client.post(url, _form(school, title="Pauser", need=too_long))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Skriv högst 10000 tecken. Här är det 10001." in body
    assert too_long in body
    assert not ExtraAdaptation.objects.exists()


def test_a_text_of_10000_characters_is_saved(client, school):
    client.force_login(school.teacher)
    url = reverse("support:adaptation_new", args=[school.pupil.pk])
    response = client.post(url, _form(school, title="Pauser", need="a" * TEXT_MAX))
    assert response.status_code == 302
    assert len(ExtraAdaptation.objects.get().need) == TEXT_MAX


def test_a_title_longer_than_200_characters_is_refused(client, school):
    client.force_login(school.teacher)
    url = reverse("support:adaptation_new", args=[school.pupil.pk])
    response = client.post(url, _form(school, title="P" * 201))
    assert "Skriv högst 200 tecken. Här är det 201." in response.content.decode()
    assert not ExtraAdaptation.objects.exists()


def test_a_too_long_referral_is_refused_and_kept(client, school):
    client.force_login(school.teacher)
    url = reverse("support:referral_new", args=[school.pupil.pk])
    too_long = "b" * (TEXT_MAX + 1)
    response = client.post(url, {"tried": too_long, "why": "Räcker inte."})
    assert response.status_code == 200
    assert too_long in response.content.decode()
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("model", "field"),
    [(ExtraAdaptation, "need"), (Referral, "tried"), (Investigation, "assessment")],
)
def test_the_models_declare_the_limit_of_free_text(model, field):
    f = model._meta.get_field(field)
    f.run_validators("x" * TEXT_MAX)
    with pytest.raises(ValidationError):
        f.run_validators("x" * (TEXT_MAX + 1))
