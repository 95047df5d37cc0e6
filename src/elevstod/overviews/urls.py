from django.urls import path

from . import views

app_name = "overviews"
urlpatterns = [
    path("skolenheter/<int:pk>/att-gora/<slug:kind>/", views.todo_list, name="todo_list"),
    path("skolenheter/<int:pk>/statistik/", views.unit_statistics, name="unit_statistics"),
    path(
        "skolenheter/<int:pk>/statistik/officiell-statistik/",
        views.unit_official,
        name="unit_official",
    ),
    path("huvudman/<int:pk>/statistik/", views.organiser_statistics, name="organiser_statistics"),
    path(
        "huvudman/<int:pk>/statistik/officiell-statistik/",
        views.organiser_official,
        name="organiser_official",
    ),
]
