"""The acting user, as the apps below ``accounts`` see it.

``accounts.models.User`` sits above ``organisation`` and the audit log (a user is linked to a
person), so those apps may not import it, not even for typing (the dependency test reads every
import). They type the actor with ``Actor``, the few attributes they read, which ``User``
satisfies; the apps above ``accounts`` use ``User`` itself (docs/architecture.md, "The acting
user").
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


class Actor(Protocol):
    """A signed-in user: who acts, and the person they are (if any)."""

    @property
    def pk(self) -> Any: ...

    @property
    def person_id(self) -> int | None: ...

    @property
    def is_authenticated(self) -> Literal[True]: ...

    def get_username(self) -> str: ...


# Whoever asks, signed in or not: what ``request.user`` is. The access layer answers for both
# (nothing for an anonymous user); ``if user.is_authenticated`` narrows it to ``Actor``.
AnyUser: TypeAlias = "Actor | AnonymousUser"
