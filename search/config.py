"""Where Briefing Cards keeps its data: the user's data directory, or an override for tests and scripts."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "briefing-cards"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_ROOT / "seeds"
RESOURCES_DIR = PROJECT_ROOT / "resources"


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data directory: `override` (--data-dir), else $BRIEFING_HOME, else the platform's user data dir."""
    if override:
        path = Path(override)
    elif os.environ.get("BRIEFING_HOME"):
        path = Path(os.environ["BRIEFING_HOME"])
    else:
        path = Path(platformdirs.user_data_dir(APP_NAME))
    path.mkdir(parents=True, exist_ok=True)
    return path


def index_dir(data: Path) -> Path:
    """The Whoosh index inside a data directory."""
    return data / "index"


def config_dir() -> Path:
    """The user's config directory (keymap overrides live here); under $BRIEFING_HOME when set."""
    if os.environ.get("BRIEFING_HOME"):
        return Path(os.environ["BRIEFING_HOME"]) / "config"
    return Path(platformdirs.user_config_dir(APP_NAME))


def state_dir() -> Path:
    """The user's state directory (logs); under $BRIEFING_HOME when set."""
    if os.environ.get("BRIEFING_HOME"):
        return Path(os.environ["BRIEFING_HOME"]) / "state"
    return Path(platformdirs.user_state_dir(APP_NAME))
