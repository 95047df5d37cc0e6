"""`make demo` (scripts/demo.sh): the links in its e-mail and SMS point at its own address."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "demo.sh"


def _base_urls_seen(tmp_path: Path, **env: str) -> set[str]:
    """Run the script with a stand-in Python that records ELEVSTOD_BASE_URL and exits."""
    seen = tmp_path / "seen"
    fake = tmp_path / "python"
    fake.write_text(f'#!/bin/sh\necho "$ELEVSTOD_BASE_URL" >> "{seen}"\n')
    fake.chmod(0o755)
    clean = {k: v for k, v in os.environ.items() if k != "ELEVSTOD_BASE_URL"}
    subprocess.run(
        ["bash", str(SCRIPT)],
        env={**clean, "PY": str(fake), **env},
        check=True,
        capture_output=True,
        timeout=30,
    )
    return set(seen.read_text().split())


def test_the_demo_links_point_at_the_host_and_port_it_serves_on(tmp_path):
    assert _base_urls_seen(tmp_path, HOST="192.0.2.7", PORT="8123") == {"http://192.0.2.7:8123"}


def test_an_explicit_base_url_wins_over_the_demo_address(tmp_path):
    urls = _base_urls_seen(tmp_path, PORT="8123", ELEVSTOD_BASE_URL="https://elevstod.example")
    assert urls == {"https://elevstod.example"}
