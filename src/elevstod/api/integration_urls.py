from django.urls import path

from . import integration_views

app_name = "integrations"
urlpatterns = [
    path("integrationer/", integration_views.clients, name="clients"),
    path("integrationer/ny/", integration_views.client_create, name="client_create"),
    path("integrationer/aterkalla/", integration_views.client_revoke, name="client_revoke"),
]
