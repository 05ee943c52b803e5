"""Shared test set-up: Qt runs offscreen, and every test gets its own data directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture(autouse=True)
def briefing_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "briefing-home"
    monkeypatch.setenv("BRIEFING_HOME", str(home))
    return home
