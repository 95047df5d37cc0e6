"""The request of a view behind ``login_required``, typed: its user is signed in.

``HttpRequest.user`` is ``User | AnonymousUser``; behind ``login_required`` it is always a
``User``, so a view that hands the user to a service (``actor: User``) declares
``request: SignedInRequest``. Reads take either (``core.actors.AnyUser``)."""

from __future__ import annotations

from django.http import HttpRequest

from .models import User


class SignedInRequest(HttpRequest):
    user: User
