from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("", include("elevstod.home.urls")),
    path("", include("elevstod.core.urls")),
    path("konto/", include("elevstod.accounts.urls")),
    path("", include("elevstod.organisation.urls")),
    path("", include("elevstod.support.urls")),
    path("", include("elevstod.support.family_urls")),
    path("", include("elevstod.documents.urls")),
    path("", include("elevstod.overviews.urls")),
    path("", include("elevstod.conversations.urls")),
    path("", include("elevstod.notifications.urls")),
    path("", include("elevstod.audit.urls")),
    path("api/v1/", include("elevstod.api.urls")),
    path("", include("elevstod.api.integration_urls")),
    path("", include("elevstod.imports.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
]
