"""Importing Whoosh without the web client and the event loop it imports for nothing: for one-shot commands.

`whoosh.compat` does `from urllib.request import urlretrieve` (http.client, email, ssl, socket) and
`whoosh.reading` imports `cached_property`, which imports asyncio (its event loop, ssl, logging,
concurrent.futures) to ask whether each cached property is a coroutine function; together about
half of a search's imports, and nothing here downloads through Whoosh or runs a coroutine. While
Whoosh is first imported, both names are stand-ins that import the real module when it is used
(urlretrieve called, or any asyncio name other than iscoroutinefunction of a plain function);
afterwards the stand-ins are gone from sys.modules, so a later `import urllib.request` or
`import asyncio` (feeds, fetch) gets the real module.
"""

from __future__ import annotations

import inspect
import sys
import types
from typing import Any


def _urlretrieve(*args: Any, **kwargs: Any) -> Any:
    from urllib.request import urlretrieve

    return urlretrieve(*args, **kwargs)


class _AsyncioOnDemand(types.ModuleType):
    """What cached_property sees as asyncio: the real module is imported for anything but
    telling a plain function from a coroutine function."""

    @staticmethod
    def iscoroutinefunction(func: Any) -> bool:
        if inspect.iscoroutinefunction(func):
            return True
        if getattr(func, "_is_coroutine", None) is None:
            return False  # what asyncio answers for a function without its marker
        import asyncio

        return asyncio.iscoroutinefunction(func)

    def __getattr__(self, name: str) -> Any:
        import asyncio

        return getattr(asyncio, name)


def import_whoosh() -> None:
    """Import Whoosh's modules that pull in those two with the stand-ins; a no-op when Whoosh or
    either module is already imported."""
    names = ("whoosh.compat", "whoosh.reading", "urllib.request", "asyncio")
    if any(name in sys.modules for name in names):
        return
    url_stand_in = types.ModuleType("urllib.request", "stands in while whoosh is imported")
    url_stand_in.urlretrieve = _urlretrieve  # type: ignore[attr-defined]
    stand_ins = {
        "urllib.request": url_stand_in,
        "asyncio": _AsyncioOnDemand("asyncio", "stands in while whoosh is imported"),
    }
    sys.modules.update(stand_ins)
    try:
        import whoosh.compat  # noqa: F401
        import whoosh.reading  # noqa: F401
    finally:
        for name, stand_in in stand_ins.items():
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]
