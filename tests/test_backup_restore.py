"""Backup and restore of PostgreSQL with the scripts the project ships (scripts/backup.sh,
scripts/restore.sh): a dump restored into an empty database holds the same data and an intact
audit chain; a restore into a database in use is refused; and a restore that lost rows the
signed checkpoints counted is reported, not passed over. PostgreSQL only (skipped on SQLite)."""

from __future__ import annotations

import contextlib
import os
import subprocess

import pytest

from tests.servers import ROOT, fresh_database, manage, production_env

pytestmark = [
    pytest.mark.worker,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="backup and restore are of PostgreSQL (DATABASE_URL=postgres://…)",
    ),
]
READ_PUPILS = (  # the principal opens the pupils' pages: rows in the read log
    "from elevstod.accounts.models import User;"
    "from elevstod.organisation.access import access_pupil, pupils_visible_to;"
    "user = User.objects.get(username='rektor');"
    "[access_pupil(actor=user, pk=p.pk, purpose='pupil page') for p in pupils_visible_to(user)]"
)
COUNTS = (
    "from elevstod.audit.models import AuditEvent, AccessLogEntry;"
    "from elevstod.organisation.models import Person;"
    "from elevstod.support.models import ExtraAdaptation, ActionProgramme;"
    "print(*(m.objects.count() for m in"
    " (Person, ExtraAdaptation, ActionProgramme, AuditEvent, AccessLogEntry)))"
)


def _script(name: str, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(ROOT / "scripts" / name), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def _counts(env: dict[str, str]) -> list[int]:
    return [int(n) for n in manage(env, "shell", "--no-imports", "-c", COUNTS).stdout.split()]


@pytest.fixture(scope="module")
def backed_up(tmp_path_factory):
    """A database with the demo in it, its chains checkpointed, and its dump."""
    tmp_path = tmp_path_factory.mktemp("backup")
    with fresh_database(tmp_path) as source_url:
        env = production_env(tmp_path, source_url)
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "seed_demo", "--pupils", "12")
        manage(env, "shell", "--no-imports", "-c", READ_PUPILS)
        manage(env, "verify_audit_chain")  # signs checkpoints of both chains' heads
        dump = tmp_path / "elevstod.dump"
        result = _script("backup.sh", env, str(dump))
        assert result.returncode == 0, result.stderr
        yield env, dump, _counts(env)


@contextlib.contextmanager
def _empty_database(env, tmp_path):
    with fresh_database(tmp_path) as url:
        yield {**env, "DATABASE_URL": url}


def test_a_dump_restored_into_an_empty_database_has_the_data_and_an_intact_audit_chain(
    backed_up, tmp_path
):
    env, dump, counts = backed_up
    assert oct(dump.stat().st_mode & 0o777) == "0o600"  # readable by its owner only
    assert (dump.parent / f"{dump.name}.checkpoints.jsonl").exists()
    assert all(n > 0 for n in counts), (
        counts
    )  # pupils, adaptations, programmes, audit rows, read log
    with _empty_database(env, tmp_path) as target:
        # when
        result = _script("restore.sh", target, str(dump))
        # then
        assert result.returncode == 0, result.stdout + result.stderr
        assert "auditevent" in result.stdout.lower()
        assert result.stdout.count("chain intact") == 2
        assert _counts(target) == counts


def test_a_restore_into_a_database_in_use_is_refused(backed_up):
    env, dump, counts = backed_up
    result = _script("restore.sh", env, str(dump))
    assert result.returncode == 2
    assert "not empty" in result.stderr
    assert _counts(env) == counts


def test_a_restore_missing_rows_that_the_checkpoints_counted_is_reported(backed_up, tmp_path):
    env, dump, _ = backed_up
    later = {"ELEVSTOD_AUDIT_CHECKPOINT_FILE": str(tmp_path / "later.jsonl")}
    # given the backup restored, used (more audit rows) and checkpointed again
    with _empty_database(env, tmp_path) as copy:
        copy.update(later)
        assert _script("restore.sh", copy, str(dump)).returncode == 0
        manage(copy, "organiser_setup", "--organiser", "Nyby kommun", "--unit", "Nyskolan",
               "--unit-code", "99999999", "--username", "ny", "--given-name", "Nils",
               "--family-name", "Ny")  # fmt: skip
        manage(copy, "verify_audit_chain")
    # when the older dump is restored and checked against the later checkpoints
    with _empty_database(env, tmp_path) as target:
        result = _script("restore.sh", {**target, **later}, str(dump))
    # then the missing rows are reported, not passed over
    assert result.returncode != 0
    assert "rows were removed" in result.stdout + result.stderr
