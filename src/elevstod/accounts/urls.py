from django.contrib.auth.decorators import login_required
from django.urls import path

from . import saml_views, security_views, views, webauthn_views

app_name = "accounts"
urlpatterns = [
    path("logga-in/", views.LoginView.as_view(), name="login"),
    path("logga-ut/", views.LogoutView.as_view(), name="logout"),
    path("verifiera/", views.step_up, name="step_up"),
    path("verifiera/skicka-kod/", views.step_up_send, name="step_up_send"),
    path("sakerhet/", security_views.security, name="security"),
    path("sakerhet/sms/", security_views.sms_enrol, name="sms_enrol"),
    path("sakerhet/app/", security_views.totp_enrol, name="totp_enrol"),
    path("sakerhet/nyckel/", security_views.webauthn_enrol, name="webauthn_enrol"),
    path(
        "sakerhet/nyckel/registrera/start/",
        login_required(webauthn_views.RegisterBegin.as_view()),
        name="webauthn_register_begin",
    ),
    path(
        "sakerhet/nyckel/registrera/klar/",
        login_required(webauthn_views.RegisterComplete.as_view()),
        name="webauthn_register_complete",
    ),
    path(
        "verifiera/nyckel/start/",
        login_required(webauthn_views.VerifyBegin.as_view()),
        name="webauthn_verify_begin",
    ),
    path(
        "verifiera/nyckel/klar/",
        login_required(webauthn_views.VerifyComplete.as_view()),
        name="webauthn_verify_complete",
    ),
    path("sakerhet/reservkoder/", security_views.backup_codes, name="backup_codes"),
    path("sakerhet/ta-bort/", security_views.factor_remove, name="factor_remove"),
    path("sakerhet/nycklar/ny/", security_views.token_create, name="token_create"),
    path("sakerhet/nycklar/aterkalla/", security_views.token_revoke, name="token_revoke"),
    path("personal/tvafaktor/", security_views.staff_factors, name="staff_factors"),
    path("saml/metadata/", saml_views.metadata, name="saml_metadata"),
    path("saml/logga-in/", saml_views.login, name="saml_login"),
    path("saml/acs/", saml_views.acs, name="saml_acs"),
    path("saml/klar/", saml_views.complete, name="saml_complete"),
]
