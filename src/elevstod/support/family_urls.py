"""The family's pages of decisions and appeals: their own namespace, outside ``support``, whose
step-up middleware admits staff only; these views ask for the party's step-up themselves."""

from django.urls import path

from .views import family

app_name = "family"
urlpatterns = [
    path("mitt-barn/beslut/<int:pk>/", family.decision, name="decision"),
    path(
        "mitt-barn/beslut/<int:pk>/tagit-del/",
        family.decision_acknowledge,
        name="decision_acknowledge",
    ),
    path("mitt-barn/beslut/<int:pk>/overklaga/", family.appeal_new, name="appeal_new"),
    path("mitt-barn/overklaganden/<int:pk>/", family.appeal, name="appeal"),
    path(
        "mitt-barn/overklaganden/bilagor/<int:pk>/",
        family.appeal_attachment,
        name="appeal_attachment",
    ),
]
