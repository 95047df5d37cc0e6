"""Sessions in the database, as Django's database backend keeps them, so that every app
server reads the same rows; only the read that every request makes goes through a statement
compiled once (``core.compiled``) instead of being built anew."""

from __future__ import annotations

import datetime as dt

from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.db.models import QuerySet
from django.utils import timezone

from elevstod.core.compiled import compiled_objects


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Session | None:
        key = self.session_key
        if not isinstance(key, str):
            return super()._get_session_from_db()  # type: ignore[misc,no-any-return]
        found = compiled_objects("sessions:session", _live, key=key, now=timezone.now())
        if not found:
            self._session_key = None
            return None
        session: Session = found[0]
        return session


def _live(*, key: str, now: dt.datetime) -> QuerySet[Session]:
    return Session.objects.filter(session_key=key, expire_date__gt=now)
