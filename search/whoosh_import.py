"""Importing Whoosh without the web client it imports for nothing: for one-shot commands (`briefing search`).

`whoosh.compat` does `from urllib.request import urlretrieve`, which pulls in http.client, email,
ssl and socket — about half of `import whoosh.index` — and nothing here ever downloads through
Whoosh. While whoosh.compat is first imported, `urllib.request` is a stand-in whose urlretrieve
imports the real one when called; the stand-in is gone from sys.modules afterwards, so any later
`import urllib.request` (feeds, fetch) gets the real module.
"""

from __future__ import annotations

import sys
import types
from typing import Any


def _urlretrieve(*args: Any, **kwargs: Any) -> Any:
    from urllib.request import urlretrieve

    return urlretrieve(*args, **kwargs)


def import_whoosh() -> None:
    """Import whoosh.compat with the stand-in; a no-op once either module is imported."""
    if "whoosh.compat" in sys.modules or "urllib.request" in sys.modules:
        return
    stand_in = types.ModuleType("urllib.request", "stands in while whoosh.compat is imported")
    stand_in.urlretrieve = _urlretrieve  # type: ignore[attr-defined]
    sys.modules["urllib.request"] = stand_in
    try:
        import whoosh.compat  # noqa: F401
    finally:
        if sys.modules.get("urllib.request") is stand_in:
            del sys.modules["urllib.request"]
