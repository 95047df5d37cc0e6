"""A new web worker is readied before its first request (config/warmup.py, called from gunicorn's
post_worker_init): every template of the project compiles, and the URL configuration with every
view is imported. A template that does not compile is found here, not by the first user."""

from __future__ import annotations

from elevstod.config import gunicorn_conf
from elevstod.config.warmup import template_names, warm


def test_every_template_of_the_project_compiles_when_a_worker_starts():
    names = template_names()
    assert "base.html" in names
    assert "conversations/slot_withdraw.html" in names
    assert not any(n.startswith("admin/") for n in names)  # others' templates load on use
    assert warm() == len(names)


def test_gunicorn_readies_each_worker_before_it_serves(monkeypatch):
    called = []
    monkeypatch.setattr("elevstod.config.warmup.warm", lambda: called.append(1) or 0)
    gunicorn_conf.post_worker_init(worker=None)
    assert called == [1]
