"""How much a user may type: titles are short, free texts long but bounded.

Models declare the limits as validators (``TEXT_LIMIT``) and forms as ``max_length``, so the
user is told in their language and keeps what they typed; nothing longer is stored."""

from __future__ import annotations

from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

TITLE_MAX = 200
TEXT_MAX = 10_000

TEXT_LIMIT = [MaxLengthValidator(TEXT_MAX)]

TOO_LONG = _("Write at most %(limit_value)d characters. This is %(show_value)d.")
