from django.urls import path

from .views import adaptations as views
from .views import cases, decisions, programme_steps, programmes

app_name = "support"
urlpatterns = [
    path("elever/<int:pupil_pk>/anpassningar/ny/", views.adaptation_new, name="adaptation_new"),
    path("anpassningar/<int:pk>/", views.adaptation_detail, name="adaptation_detail"),
    path("anpassningar/<int:pk>/andra/", views.adaptation_edit, name="adaptation_edit"),
    path(
        "anpassningar/<int:pk>/uppfoljning/",
        views.adaptation_follow_up,
        name="adaptation_follow_up",
    ),
    path(
        "anpassningar/<int:pk>/utvardering/", views.adaptation_evaluate, name="adaptation_evaluate"
    ),
    path("anpassningar/<int:pk>/avsluta/", views.adaptation_end, name="adaptation_end"),
    path("skolenheter/<int:pk>/anpassningar/", views.unit_overview, name="unit_overview"),
    path("grupper/<int:pk>/anpassningar/", views.group_overview, name="group_overview"),
    path("skolenheter/<int:pk>/anpassningsbibliotek/", views.library, name="library"),
    path("elever/<int:pupil_pk>/anmalan/ny/", cases.referral_new, name="referral_new"),
    path("anmalningar/<int:pk>/", cases.referral_detail, name="referral_detail"),
    path(
        "elever/<int:pupil_pk>/utredningar/ny/", cases.investigation_new, name="investigation_new"
    ),
    path("utredningar/<int:pk>/", cases.investigation_detail, name="investigation_detail"),
    path("atgardsprogram/<int:pk>/", programmes.programme_detail, name="programme_detail"),
    path("atgardsprogram/<int:pk>/andra/", programmes.programme_edit, name="programme_edit"),
    path("atgardsprogram/<int:pk>/nytt/", programme_steps.programme_renew, name="programme_renew"),
    path(
        "atgardsprogram/<int:pk>/kassera/",
        programme_steps.programme_discard,
        name="programme_discard",
    ),
    path(
        "atgardsprogram/<int:pk>/beslut-om-stodform/",
        programme_steps.programme_support_form_decision,
        name="programme_support_form_decision",
    ),
    path("beslut/<int:pk>/", decisions.decision_detail, name="decision_detail"),
    path("overklaganden/<int:pk>/", decisions.appeal_detail, name="appeal_detail"),
    path(
        "overklaganden/bilagor/<int:pk>/",
        decisions.appeal_attachment,
        name="appeal_attachment",
    ),
    path(
        "skolenheter/<int:pk>/delegationsordning/",
        decisions.delegation_order,
        name="delegation_order",
    ),
    path(
        "skolenheter/<int:pk>/sarskilt-stod/",
        decisions.unit_special_support,
        name="unit_special_support",
    ),
]
