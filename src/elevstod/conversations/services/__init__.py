"""Writes of the development talks and plans: one transaction each, the rules, the audit event
and the notifications (``talks``, ``booking``, ``plans``)."""
