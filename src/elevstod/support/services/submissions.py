"""A form sent twice writes once: the services claim the form's token in their transaction.

Each rendered form carries a fresh token (``forms.OnceForm``). A creating service calls
``submission_claim`` first: it returns ``None`` for a fresh token (go on, then call
``submission_done`` with what was written) or the record the first post of the same form
wrote, which the service returns instead of writing again. The claim is an insert guarded by a
unique constraint, so a second post that runs at the same time waits for the first and then
finds its result. An empty token (the demo, importers, tests) claims nothing."""

from __future__ import annotations

from typing import TypeVar

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _

from elevstod.accounts.models import User
from elevstod.core.errors import DomainError

from ..models import Submission

M = TypeVar("M", bound=models.Model)

ALREADY_SENT = _("This form was already sent. Reload the page to see what was saved.")


def _kind(model: type[models.Model]) -> str:
    return str(model._meta.label_lower)


def submission_claim(*, actor: User, token: str, model: type[M]) -> M | None:
    """Claim ``token`` for ``actor``; the earlier result when the form was sent before."""
    if not token:
        return None
    try:
        with transaction.atomic():
            Submission.objects.create(user=actor, token=token, kind=_kind(model))
    except IntegrityError:
        earlier = Submission.objects.get(user=actor, token=token)
        found = model._default_manager.filter(pk=earlier.result_id).first()
        if earlier.kind != _kind(model) or found is None:
            raise DomainError(ALREADY_SENT, code="already_sent") from None
        return found
    return None


def submission_done(*, actor: User, token: str, result: models.Model) -> None:
    """Remember what the claimed form wrote, for a second post of it."""
    if token:
        Submission.objects.filter(user=actor, token=token).update(result_id=result.pk)
