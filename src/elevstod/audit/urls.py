from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("logg/", views.log, name="log"),
    path("logg/kedja/", views.chain, name="chain"),
    path("gallring/", views.disposal, name="disposal"),
    path("gallring/regel/", views.disposal_rule, name="disposal_rule"),
    path("gallring/provkorning/", views.disposal_dry_run, name="disposal_dry_run"),
    path("gallring/bekrafta/", views.disposal_confirm, name="disposal_confirm"),
    path(
        "elever/<int:pupil_pk>/registerutdrag/",
        views.register_extract_view,
        name="register_extract",
    ),
]
