"""Rules of extra adaptations that forms and services share (one place, DOMAIN.md §1 step 1)."""

from __future__ import annotations

import datetime as dt

# How far back a follow-up, evaluation or start date may be dated: documentation is written
# promptly; a date further back is almost always a typing error (e.g. 2016 for 2026).
MAX_BACKDATING = dt.timedelta(days=183)
# How far ahead a follow-up may be planned.
MAX_PLANNING_AHEAD = dt.timedelta(days=366)
# The default interval to the next follow-up offered in the form.
DEFAULT_FOLLOW_UP_INTERVAL = dt.timedelta(weeks=4)
