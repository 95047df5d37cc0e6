"""The sign-in backend: Django's model backend, reading the signed-in user with their person.

Every page names the user (the access log's actor label, the header), so the person comes in
the same query as the user instead of one more per request; so does the check that the
session's second factor still verifies the user (``accounts.verification``).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .models import User
from .verification import device_check


class UserBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        users = User._default_manager.select_related("person").filter(pk=user_id)
        user = users.annotate(**device_check()).first()
        return user if user is not None and self.user_can_authenticate(user) else None
