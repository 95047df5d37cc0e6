"""A pysaml2 identity provider in the test process, trusting the app's SP metadata, with keys
made for the test."""

from __future__ import annotations

import base64
import datetime as dt
import time
from urllib.parse import parse_qs, urlsplit

from django.conf import settings

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import AUTHN_PASSWORD_PROTECTED, NAMEID_FORMAT_TRANSIENT
from saml2.server import Server

IDP_ENTITY = "https://idp.ekby.example/idp"


def _key_pair(tmp_path, name: str) -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = tmp_path / f"{name}.key", tmp_path / f"{name}.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(key_file), str(cert_file)


class InProcessIdP:
    """A pysaml2 IdP that trusts the app's SP metadata."""

    def __init__(self, tmp_path, sp_metadata: str, entity_id: str = IDP_ENTITY) -> None:
        key_file, cert_file = _key_pair(tmp_path, "idp")
        config = IdPConfig()
        config.load(
            {
                "entityid": entity_id,
                "xmlsec_binary": settings.ELEVSTOD_SAML_XMLSEC_BINARY,
                "key_file": key_file,
                "cert_file": cert_file,
                "service": {
                    "idp": {
                        "endpoints": {
                            "single_sign_on_service": [
                                (f"{entity_id}/sso/redirect", BINDING_HTTP_REDIRECT)
                            ]
                        },
                        "name_id_format": [NAMEID_FORMAT_TRANSIENT],
                        "policy": {"default": {"lifetime": {"minutes": 15}}},
                    }
                },
                "metadata": {"inline": [sp_metadata]},
            }
        )
        self.server = Server(config=config)
        self.metadata = str(entity_descriptor(config))

    def answer(
        self,
        redirect_url: str,
        attributes: dict,
        *,
        sign: bool = True,
        authn_age: int = 0,
        class_ref: str = AUTHN_PASSWORD_PROTECTED,
    ) -> str:
        """The base64 SAMLResponse to the AuthnRequest carried by ``redirect_url``; the user
        authenticated ``authn_age`` seconds ago, in the authentication context ``class_ref``."""
        query = parse_qs(urlsplit(redirect_url).query)
        request = self.server.parse_authn_request(query["SAMLRequest"][0], BINDING_HTTP_REDIRECT)
        message = request.message
        response = self.server.create_authn_response(
            identity=attributes,
            in_response_to=message.id,
            destination=message.assertion_consumer_service_url,
            sp_entity_id=message.issuer.text,
            name_id_policy=message.name_id_policy,
            userid="someone",
            authn={
                "class_ref": class_ref,
                "authn_auth": IDP_ENTITY,
                "authn_instant": time.time() - authn_age,
            },
            sign_assertion=sign,
            sign_response=False,
        )
        return base64.b64encode(str(response).encode()).decode()
