from django.urls import path

from .views import adaptations as views
from .views import cases, decisions, library, programme_steps, programmes

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
    path("skolenheter/<int:pk>/anpassningsbibliotek/", library.library, name="library"),
    path("skolenheter/<int:pk>/anpassningsbibliotek/ny/", library.library_add, name="library_add"),
    path(
        "skolenheter/<int:pk>/anpassningsbibliotek/ta-bort/",
        library.library_remove,
        name="library_remove",
    ),
    path("elever/<int:pupil_pk>/anmalan/ny/", cases.referral_new, name="referral_new"),
    path("anmalningar/<int:pk>/", cases.referral_detail, name="referral_detail"),
    path(
        "elever/<int:pupil_pk>/utredningar/ny/", cases.investigation_new, name="investigation_new"
    ),
    path("utredningar/<int:pk>/", cases.investigation_detail, name="investigation_detail"),
    path("utredningar/<int:pk>/spara/", cases.investigation_save, name="investigation_save"),
    path("utredningar/<int:pk>/bjud-in/", cases.investigation_invite, name="investigation_invite"),
    path(
        "utredningar/<int:pk>/atgardsprogram/",
        cases.investigation_conclude_with_programme,
        name="investigation_conclude_with_programme",
    ),
    path(
        "utredningar/<int:pk>/inget-atgardsprogram/",
        cases.investigation_conclude_without_programme,
        name="investigation_conclude_without_programme",
    ),
    path("atgardsprogram/<int:pk>/", programmes.programme_detail, name="programme_detail"),
    path("atgardsprogram/<int:pk>/andra/", programmes.programme_edit, name="programme_edit"),
    path(
        "atgardsprogram/<int:pk>/lamna-for-beslut/",
        programme_steps.programme_submit,
        name="programme_submit",
    ),
    path(
        "atgardsprogram/<int:pk>/tillbaka-till-utkast/",
        programme_steps.programme_return,
        name="programme_return",
    ),
    path(
        "atgardsprogram/<int:pk>/besluta/",
        programme_steps.programme_decide,
        name="programme_decide",
    ),
    path(
        "atgardsprogram/<int:pk>/uppfoljning/",
        programme_steps.programme_follow_up,
        name="programme_follow_up",
    ),
    path(
        "atgardsprogram/<int:pk>/utvardering/",
        programme_steps.programme_evaluate,
        name="programme_evaluate",
    ),
    path(
        "atgardsprogram/<int:pk>/avsluta/", programme_steps.programme_close, name="programme_close"
    ),
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
    path("beslut/<int:pk>/underrattelse/", decisions.decision_notify, name="decision_notify"),
    path("beslut/<int:pk>/overklagande/", decisions.decision_appeal, name="decision_appeal"),
    path("overklaganden/<int:pk>/avvisa/", decisions.appeal_dismiss, name="appeal_dismiss"),
    path(
        "overklaganden/<int:pk>/omprovning/", decisions.appeal_reconsider, name="appeal_reconsider"
    ),
    path("overklaganden/<int:pk>/overlamna/", decisions.appeal_forward, name="appeal_forward"),
    path("overklaganden/<int:pk>/avgorande/", decisions.appeal_ruling, name="appeal_ruling"),
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
        "skolenheter/<int:pk>/delegationsordning/ny/",
        decisions.delegation_add,
        name="delegation_add",
    ),
    path(
        "skolenheter/<int:pk>/delegationsordning/aterkalla/",
        decisions.delegation_revoke,
        name="delegation_revoke",
    ),
    path(
        "skolenheter/<int:pk>/sarskilt-stod/",
        decisions.unit_special_support,
        name="unit_special_support",
    ),
]
