from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("skoldata/", views.sources, name="sources"),
    path("skoldata/pagar/", views.progress, name="progress"),
    path("skoldata/synkronisera/", views.sync_now, name="sync_now"),
    path("skoldata/personer/", views.people, name="people"),
]
