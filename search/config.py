"""Where Briefing Cards keeps its data: the user's data directory, or an override for tests and scripts."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

APP_NAME = "briefing-cards"
PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS_DIR = PROJECT_ROOT / "seeds"
RESOURCES_DIR = PROJECT_ROOT / "resources"


class DataDirError(Exception):
    """The data directory cannot be used at all (a file, or it cannot be created); str(e) says which."""


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The data directory: `override` (--data-dir), else $BRIEFING_HOME, else the platform's user data dir.

    Created when missing. Raises DataDirError naming the setting when it is a file or cannot be made.
    """
    if override:
        path, setting = Path(override), f"--data-dir {override}"
    elif os.environ.get("BRIEFING_HOME"):
        path = Path(os.environ["BRIEFING_HOME"])
        setting = f"BRIEFING_HOME={path}"
    else:
        import platformdirs  # here: --data-dir and $BRIEFING_HOME do not need it

        path = Path(platformdirs.user_data_dir(APP_NAME))
        setting = f"the data folder {path}"
    if path.exists() and not path.is_dir():
        raise DataDirError(f"{setting} is a file, not a folder: point it at a folder")
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DataDirError(f"{setting} cannot be created ({error.strerror})") from None
    return path


def read_only_reason(folder: Path) -> str | None:
    """Why nothing can be written in `folder` (a read-only disk or folder), or None if it can be.

    Tried, not worked out from permission bits, which do not tell a read-only mount or root's view.
    """
    try:
        with tempfile.TemporaryFile(dir=folder):
            return None
    except OSError as error:
        return f"{folder} is read-only ({error.strerror})"


def index_dir(data: Path) -> Path:
    """The Whoosh index inside a data directory."""
    return data / "index"


def config_dir() -> Path:
    """The user's config directory (keymap overrides live here); under $BRIEFING_HOME when set."""
    if os.environ.get("BRIEFING_HOME"):
        return Path(os.environ["BRIEFING_HOME"]) / "config"
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME))


def state_dir() -> Path:
    """The user's state directory (logs); under $BRIEFING_HOME when set."""
    if os.environ.get("BRIEFING_HOME"):
        return Path(os.environ["BRIEFING_HOME"]) / "state"
    import platformdirs

    return Path(platformdirs.user_state_dir(APP_NAME))
