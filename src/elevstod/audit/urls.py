from django.urls import path

from . import views

app_name = "audit"
urlpatterns = [
    path("logg/", views.log, name="log"),
    path("logg/kedja/", views.chain, name="chain"),
    path("gallring/", views.disposal, name="disposal"),
    path(
        "elever/<int:pupil_pk>/registerutdrag/",
        views.register_extract_view,
        name="register_extract",
    ),
]
