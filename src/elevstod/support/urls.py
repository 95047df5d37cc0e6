from django.urls import path

from . import views

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
]
