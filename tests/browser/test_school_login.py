"""Skolfederation login in a real browser: the identity provider is a pysaml2 IdP served from the
test process on another site (``localhost``, while the app is on 127.0.0.1), so its answer
reaches the app as a cross-site POST, which carries no ``SameSite=Lax`` session cookie, as
with a real provider. Its page has a "Fortsätt" button, as a provider's consent page has."""

from __future__ import annotations

import html
import re
import threading
import urllib.request
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from .pages import click_and_wait
from .server import manage

pytestmark = pytest.mark.browser

expect: Any = pytest.importorskip("playwright.sync_api").expect

LOA_BAS = "http://id.skolfederation.se/loa/bas"
LOA_2FA = "http://id.skolfederation.se/loa/2fa"
EPPN = "mentor@abyholm.example"


class IdPServer:
    """An HTTP identity provider: each sign-on answers with the next assurance in ``answers``."""

    def __init__(
        self,
        tmp_path: Path,
        sp_metadata: str,
        attributes: Callable[[list[str]], dict[str, list[str]]] | None = None,
        class_ref: str = "",
    ) -> None:
        """``attributes``: what the provider asserts for each answer's assurance (a school
        login's eppn by default); ``class_ref``: the authentication context it reports."""
        from tests.accounts.test_saml import InProcessIdP

        self.attributes = attributes or (
            lambda assurance: {"eduPersonPrincipalName": [EPPN], "eduPersonAssurance": assurance}
        )
        self.class_ref = class_ref

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://localhost:{self.httpd.server_address[1]}"
        self.idp = InProcessIdP(tmp_path, sp_metadata, entity_id=f"{self.base}/idp")
        self.answers: list[list[str]] = []
        self.requests: list[str] = []

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if not self.path.startswith("/idp/sso/redirect?"):  # e.g. the favicon
                    self.send_error(404)
                    return
                server.requests.append(self.path)
                assurance = server.answers.pop(0)
                attributes = server.attributes(assurance)
                extra = {"class_ref": server.class_ref} if server.class_ref else {}
                saml_response = server.idp.answer(server.base + self.path, attributes, **extra)
                acs = re.search(r'AssertionConsumerServiceURL="([^"]+)"', server.last_request())
                page = (
                    '<!doctype html><html lang="sv"><title>Skolinloggning</title>'
                    '<link rel="icon" href="data:,">'
                    f'<form method="post" action="{html.escape(acs.group(1) if acs else "")}">'
                    f'<input type="hidden" name="SAMLResponse" value="{saml_response}">'
                    "<button>Fortsätt</button></form></html>"
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler

    def last_request(self) -> str:
        import base64
        import zlib
        from urllib.parse import parse_qs, urlsplit

        query = parse_qs(urlsplit(self.requests[-1]).query)
        return zlib.decompress(base64.b64decode(query["SAMLRequest"][0]), -15).decode()

    def __enter__(self) -> IdPServer:
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()


@pytest.fixture
def school_login(app_server: Any, app_url: str, tmp_path: Path) -> Iterator[IdPServer]:
    """The IdP, registered in the app for the demo organiser, with the mentor's eppn linked."""
    with urllib.request.urlopen(f"{app_url}/konto/saml/metadata/") as answer:  # noqa: S310
        sp_metadata = answer.read().decode()
    with IdPServer(tmp_path, sp_metadata) as server:
        metadata = tmp_path / "idp.xml"
        metadata.write_text(server.idp.metadata, encoding="utf-8")
        manage(
            app_server.env,
            "shell",
            "-c",
            "from pathlib import Path\n"
            "from elevstod.accounts.models import IdentityProvider, User\n"
            "from elevstod.accounts.services import user_link_eppn\n"
            "user = User.objects.get(username='mentor')\n"
            "IdentityProvider.objects.create(\n"
            "    organiser=user.person.duties.first().organiser, name='Åbyholms skolinloggning',\n"
            f"    entity_id='{server.base}/idp', asserts_2fa=True,\n"
            f"    metadata_xml=Path({str(metadata)!r}).read_text(encoding='utf-8'))\n"
            f"user_link_eppn(actor=None, user=user, eppn={EPPN!r})\n",
        )
        yield server


def test_school_login_at_base_level_then_a_step_up_at_the_provider(
    new_page: Callable[[str], Any], school_login: IdPServer, check_page: Callable[[Any, str], None]
) -> None:
    page = new_page("desktop")

    # Login at the base level: the provider's answer comes back as a cross-site POST.
    school_login.answers.append([LOA_BAS])
    page.goto("/konto/saml/logga-in/")
    click_and_wait(page, page.get_by_role("link", name=re.compile("Åbyholms skolinloggning")))
    expect(page).to_have_url(re.compile(r"^http://localhost:\d+/idp/sso/redirect"))
    click_and_wait(page, page.get_by_role("button", name="Fortsätt"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Välkommen")

    # The support part asks for the step-up, which the provider can give.
    units = page.get_by_role("region", name="Mina skolenheter").get_by_role("link")
    click_and_wait(page, units.first)
    support_path = re.sub(r"^https?://[^/]+", "", page.url) + "anpassningar/"
    page.goto(support_path)
    expect(page).to_have_url(re.compile(r"/konto/verifiera/"))
    check_page(page, "step-up-school-login")
    school_login.answers.append([LOA_BAS, LOA_2FA])
    click_and_wait(page, page.get_by_role("button", name="Bekräfta med Åbyholms skolinloggning"))
    assert 'ForceAuthn="true"' in school_login.last_request()
    click_and_wait(page, page.get_by_role("button", name="Fortsätt"))
    expect(page).to_have_url(re.compile(re.escape(support_path) + "$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
