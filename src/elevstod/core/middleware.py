"""Security headers that neither Django's SecurityMiddleware nor django-csp's CSPMiddleware sets
(Permissions-Policy, and no caching of logged-in pages)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if request.user.is_authenticated if hasattr(request, "user") else False:
            # Pages about pupils must not be kept in shared caches or the browser's back cache.
            response.headers.setdefault("Cache-Control", "no-store, private")
        return response


class DomainErrorMiddleware:
    """Turns a refused access into the same 404 page as a missing object: nothing leaks; and a
    request value that cannot be read (``core.params``) into a 400 page that says so."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from django.shortcuts import render

        from .errors import AccessDenied
        from .params import BadParameter

        if isinstance(exception, AccessDenied):
            return render(request, "404.html", status=404)
        if isinstance(exception, BadParameter):
            return render(request, "400.html", {"message": exception.message}, status=400)
        return None


class LanguageMiddleware:
    """Swedish unless the user chose another language (the language cookie set by the footer's
    language form). The browser's Accept-Language is not followed: staff on English-language
    computers still get the Swedish interface their school works in."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response
