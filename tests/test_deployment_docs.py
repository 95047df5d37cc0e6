"""docs/deployment.md explains every setting the app reads from the environment: a new
``ELEVSTOD_*`` variable in the settings, gunicorn's settings or ``scripts/serve.sh`` fails this
test until its row is written."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
READERS = [
    *sorted((ROOT / "src" / "elevstod" / "config" / "settings").glob("*.py")),
    ROOT / "src" / "elevstod" / "config" / "gunicorn_conf.py",
    ROOT / "scripts" / "serve.sh",
]
# Read by the tests only, never by a deployed app.
TEST_ONLY = {"ELEVSTOD_CHROMIUM"}


def _variables() -> set[str]:
    found: set[str] = set()
    for path in READERS:
        text = path.read_text()
        found |= set(
            re.findall(r"""(?:environ\.get|env_bool|env_list)\(\s*["'](ELEVSTOD_\w+)""", text)
        )
        found |= set(re.findall(r"\$\{(ELEVSTOD_\w+)", text))
    return found - TEST_ONLY


def test_every_environment_variable_is_explained_in_the_deployment_guide():
    variables = _variables()
    assert {"ELEVSTOD_SECRET_KEY", "ELEVSTOD_WEB_WORKERS", "ELEVSTOD_TASK_WORKERS"} <= variables
    guide = (ROOT / "docs" / "deployment.md").read_text()
    missing = sorted(v for v in variables if f"`{v}`" not in guide)
    assert missing == []
