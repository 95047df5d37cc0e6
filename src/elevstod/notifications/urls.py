from django.urls import path

from . import views

app_name = "notifications"
urlpatterns = [
    path("inkorg/", views.inbox, name="inbox"),
    path("inkorg/last/", views.mark_read, name="mark_read"),
    path("inkorg/installningar/", views.preferences, name="preferences"),
    path("inkorg/misslyckade-utskick/", views.failed_deliveries, name="failed_deliveries"),
]
