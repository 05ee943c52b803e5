"""The window's layout on screen (ui/settings.py): a restored window fits the screen it opens on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Opens the window as the app does and says where it is; "save" first makes it nearly as big as a
# 1× screen of 800×800 (Qt's offscreen screen) and closes it, which saves the geometry.
WINDOW = """
import json, sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from ui.main_window import MainWindow
window = MainWindow(Path(sys.argv[1]))
window.show()
app.processEvents()
if sys.argv[2] == "save":
    window.resize(780, 750)
    window.move(4, 4)
    app.processEvents()
frame, available = window.frameGeometry(), window.screen().availableGeometry()
print(json.dumps({"frame": frame.getRect(), "available": available.getRect(),
                  "panel_right": window.panel.mapTo(window, window.panel.rect().topRight()).x(),
                  "width": window.width()}))
window.close()
"""


def _open(data: Path, home: Path, what: str, scale: str) -> dict[str, list[int]]:
    env = dict(os.environ, BRIEFING_HOME=str(home), QT_QPA_PLATFORM="offscreen")
    env["QT_SCALE_FACTOR"] = scale
    done = subprocess.run(
        [sys.executable, "-c", WINDOW, str(data), what],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _inside(where: dict[str, list[int]]) -> bool:
    x, y, w, h = where["frame"]
    ax, ay, aw, ah = where["available"]
    return ax <= x and ay <= y and x + w <= ax + aw and y + h <= ay + ah


def test_a_saved_geometry_bigger_than_the_screen_is_fitted_to_it(tmp_path: Path) -> None:
    # Saved at 1×, opened again at 2×: the saved window is twice the screen's size in its pixels.
    home = tmp_path / "home"
    saved = _open(tmp_path / "data", home, "save", "1")
    assert _inside(saved)
    again = _open(tmp_path / "data", home, "restore", "2")
    assert again["available"][2:] == [400, 400]
    assert _inside(again), again
    # The side panel, the rightmost pane, is on screen.
    assert again["panel_right"] <= again["width"] <= 400


def test_the_first_window_fits_a_small_screen(tmp_path: Path) -> None:
    first = _open(tmp_path / "data", tmp_path / "home", "restore", "1")
    assert first["available"][2:] == [800, 800]
    assert _inside(first), first
