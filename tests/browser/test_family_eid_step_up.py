"""The step-up page in its e-ID version, in real Chromium at 375 and 1280 px with axe: the demo
guardian (vardnadshavare), logged in with a password, is offered the organiser's e-ID for the
family, confirms with it at the provider (another site) and comes back to where they were."""

from __future__ import annotations

import datetime as dt
import re
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.factories import civic_number_for

from .pages import click_and_wait
from .server import manage
from .test_school_login import IdPServer

pytestmark = pytest.mark.browser

expect: Any = pytest.importorskip("playwright.sync_api").expect

LOA3 = "http://id.elegnamnden.se/loa/1.0/loa3"
CIVIC = "urn:oid:1.2.752.29.4.13"
NUMBER = civic_number_for(dt.date(1911, 11, 11), 919)
NAME = "Åbyholms e-legitimation"


@pytest.fixture
def family_eid(app_server: Any, app_url: str, tmp_path: Path) -> Iterator[IdPServer]:
    """An e-ID provider of the demo guardian's organiser, answering with the guardian's number
    at the organiser's level; switched off afterwards, so the other tests do not see it."""
    with urllib.request.urlopen(f"{app_url}/konto/saml/metadata/") as answer:  # noqa: S310
        sp_metadata = answer.read().decode()
    with IdPServer(tmp_path, sp_metadata, lambda _a: {CIVIC: [NUMBER]}, LOA3) as server:
        metadata = tmp_path / "idp.xml"
        metadata.write_text(server.idp.metadata, encoding="utf-8")
        _shell(
            app_server,
            "from pathlib import Path\n"
            "from elevstod.accounts.models import IdentityProvider, User\n"
            "from elevstod.organisation.models import Person, Placement\n"
            "person = User.objects.get(username='vardnadshavare').person\n"
            f"Person.objects.filter(pk=person.pk).update(civic_number={NUMBER!r})\n"
            "child = person.wards.first().pupil\n"
            "unit = Placement.objects.filter(pupil=child).first().unit\n"
            f"IdentityProvider.objects.create(organiser=unit.organiser, name={NAME!r},\n"
            f"    entity_id='{server.base}/idp', asserts_2fa=True, mfa_authn_context={LOA3!r},\n"
            "    citizen_eid=True,\n"
            f"    metadata_xml=Path({str(metadata)!r}).read_text(encoding='utf-8'))\n",
        )
        try:
            yield server
        finally:
            _shell(
                app_server,
                "from elevstod.accounts.models import IdentityProvider\n"
                f"IdentityProvider.objects.filter(name={NAME!r}).update(active=False)\n",
            )


def _shell(app_server: Any, code: str) -> None:
    manage(app_server.env, "shell", "-c", code)


def test_the_guardian_confirms_with_the_e_id_on_the_step_up_page(
    new_page: Callable[[str], Any],
    log_in: Callable[..., None],
    family_eid: IdPServer,
    check_page: Callable[[Any, str], None],
) -> None:
    phone, laptop = new_page("phone"), new_page("desktop")
    for page in (phone, laptop):
        log_in(page, "vardnadshavare", step_up=False)
        page.goto("/konto/verifiera/?next=/")
        section = page.get_by_role("region", name=f"E-legitimation: {NAME}")
        expect(section).to_contain_text("Logga in igen med din egen e-legitimation")
        check_page(page, "family-step-up-eid")

    family_eid.answers.append([])
    click_and_wait(phone, phone.get_by_role("button", name=f"Bekräfta med {NAME}"))
    assert 'ForceAuthn="true"' in family_eid.last_request()
    click_and_wait(phone, phone.get_by_role("button", name="Fortsätt"))
    expect(phone).to_have_url(re.compile(r"^http://[^/]+/$"))
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
