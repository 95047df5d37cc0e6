from django.urls import path

from . import views

app_name = "organisation"
urlpatterns = [
    path("elever/", views.pupil_search, name="pupil_search"),
    path("elever/<int:pk>/", views.pupil_detail, name="pupil_detail"),
    path("mitt-barn/<int:pk>/", views.family_pupil, name="family_pupil"),
    path("grupper/<int:pk>/", views.group_detail, name="group_detail"),
    path("skolenheter/<int:pk>/", views.unit_detail, name="unit_detail"),
]
