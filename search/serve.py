"""A resident search process: `briefing serve` keeps a library's index open and answers `briefing
search` calls from the shell over a Unix socket in the data directory.

A fresh interpreter spends most of a shell search importing Whoosh and opening the index (see
benchmarks/README.md). With a server running, `briefing search` only imports this module's client
half (the standard library's socket and json) and prints what the server answered, which is
exactly what it would have printed on its own (search.cli.search_output makes both). With no
server, a stale socket or a server of another version, the call searches in its own process as
before. The server refreshes its searcher when the index changes (a sync, a rebuild), answers one
call at a time, and exits after an idle spell, removing its socket.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from search.index import ArticleIndex

SOCKET_NAME = "search.sock"
SORTS = ("relevance", "date")
# Bumped when a request or answer changes shape: a client and server of different versions
# (the app updated while a server runs) do not talk, and the client searches on its own.
PROTOCOL = 1
DEFAULT_IDLE_MINUTES = 60.0
MAX_REQUEST_BYTES = 1 << 20
# How long a client waits for an answer before searching on its own (a wedged server).
ANSWER_TIMEOUT_S = 60.0


def socket_path(data: Path) -> Path:
    """Where the server of the library in `data` listens."""
    return data.resolve() / SOCKET_NAME


# -- the client: only the standard library, so a call does not pay for Whoosh -------------------


def ask(data: Path, request: dict[str, Any]) -> dict[str, Any] | None:
    """The server's answer to `request` ({"query", "sort", "limit", "json", "bold"}), or None when
    no server of this version answers (then the caller searches on its own)."""
    path = socket_path(data)
    if not hasattr(socket, "AF_UNIX") or not path.exists():
        return None
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(ANSWER_TIMEOUT_S)
            conn.connect(str(path))
            conn.sendall(json.dumps({"protocol": PROTOCOL, **request}).encode() + b"\n")
            conn.shutdown(socket.SHUT_WR)
            answer = json.loads(_read_all(conn))
    except (OSError, ValueError):
        return None  # no server (a stale socket), a refused or broken call: search here
    if not isinstance(answer, dict) or answer.get("protocol") != PROTOCOL:
        return None
    if not isinstance(answer.get("code"), int):
        return None
    return answer


def print_output(code: int, out: str, err: str) -> int:
    """Print what search.cli.search_output made (here or in the server); returns the exit code."""
    if err:
        print(err, file=sys.stderr)
    if code != 0:
        return code
    try:
        print(out, flush=True)
    except BrokenPipeError:
        # `briefing search ... | head` closed the pipe early: not an error, and no traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def _read_all(conn: socket.socket) -> bytes:
    chunks = []
    while chunk := conn.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


# -- the server ----------------------------------------------------------------------------------


class ServeError(Exception):
    """The server cannot start here; str(e) says why."""


def _answering(path: Path) -> bool:
    """Whether a server is listening on `path` (not just a socket file left by one that died)."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
            probe.settimeout(1.0)
            probe.connect(str(path))
            return True
    except OSError:
        return False


def listen(data: Path) -> socket.socket:
    """A socket listening in `data` for search calls; only the user can connect to it.

    Raises ServeError when a server already answers for this library, or a socket cannot be
    made there (a path too long for a Unix socket, a file system without them).
    """
    if not hasattr(socket, "AF_UNIX"):
        raise ServeError("this system has no Unix sockets, so searches cannot be served")
    path = socket_path(data)
    if path.exists() or path.is_symlink():
        if _answering(path):
            raise ServeError(f"a search server already answers for {data} (its socket: {path})")
        if not stat.S_ISSOCK(path.lstat().st_mode):
            raise ServeError(f"{path} is in the way: it is not a socket, so it is left alone")
        path.unlink()  # left by a server that did not exit cleanly
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old_mask = os.umask(0o177)  # the socket file is the user's alone: rw-------
    try:
        server.bind(str(path))
    except OSError as error:
        server.close()
        raise ServeError(f"cannot listen at {path}: {error.strerror or error}") from None
    finally:
        os.umask(old_mask)
    server.listen(16)
    return server


def serve(
    data: Path,
    *,
    idle_minutes: float = DEFAULT_IDLE_MINUTES,
    ready: Callable[[Path], None] | None = None,
) -> int:
    """Answer search calls for the library in `data` until idle for `idle_minutes` (0: never),
    SIGTERM or Ctrl+C. `ready(path)` is called once listening. Returns the exit code."""
    from search.index import ArticleIndex

    server = listen(data)
    path = socket_path(data)
    identity = os.stat(path).st_ino
    index: ArticleIndex | None = None
    server.settimeout(idle_minutes * 60 if idle_minutes > 0 else None)
    try:
        index = ArticleIndex.open(data)
        if ready is not None:
            ready(path)
        while True:
            try:
                conn, _ = server.accept()
            except TimeoutError:
                return 0  # idle: the next call searches on its own
            with conn:
                _answer(conn, index)
    finally:
        server.close()
        # Only our own socket: a server started after this one was stopped may own the path now.
        try:
            if os.stat(path).st_ino == identity:
                path.unlink()
        except OSError:
            pass
        if index is not None:
            index.close()


def _search(index: ArticleIndex, query: str, **options: Any) -> tuple[int | None, str, str]:
    """search.cli.search_output, or (None, "", "") when it fails unexpectedly: the client then
    searches in its own process and shows the failure as it always would."""
    from search.cli import search_output

    try:
        return search_output(index, query, **options)
    except Exception as error:  # noqa: BLE001 (the server outlives one failed call)
        print(f"briefing serve: searching {query!r} failed ({error!r})", file=sys.stderr)
        return None, "", ""


def _answer(conn: socket.socket, index: ArticleIndex) -> None:
    """Read one request from `conn`, search, and send the answer back. A request of another
    protocol, or a search that failed unexpectedly, gets no answer (protocol None): the client
    then searches in its own process."""
    conn.settimeout(10.0)  # a client that connects and says nothing does not hold the server
    answer: dict[str, Any] = {"protocol": None}
    try:
        raw = b""
        while len(raw) <= MAX_REQUEST_BYTES and (chunk := conn.recv(65536)):
            raw += chunk
        if not raw:
            return  # a probe (another `briefing serve` checking for this one): nothing asked
        request = json.loads(raw)
        if isinstance(request, dict) and request.get("protocol") == PROTOCOL:
            sort = request.get("sort", "relevance")
            if sort not in SORTS:
                raise ValueError(f"no such sort order: {sort!r}")
            code, out, err = _search(
                index,
                str(request["query"]),
                sort=sort,
                limit=int(request.get("limit", 10)),
                as_json=bool(request.get("json")),
                bold=bool(request.get("bold")),
            )
            if code is not None:
                answer = {"protocol": PROTOCOL, "code": code, "out": out, "err": err}
    except (OSError, ValueError, KeyError, TypeError) as error:
        print(f"briefing serve: a call could not be read ({error})", file=sys.stderr)
        return
    try:
        conn.sendall(json.dumps(answer, ensure_ascii=False).encode())
    except OSError:
        pass  # the caller gave up (Ctrl+C, a closed pipe): nothing to tell it


def cmd_serve(args: Any) -> int:
    """`briefing serve`: answer search calls for the library until idle, Ctrl+C or SIGTERM."""
    import signal

    from search import config

    data = config.data_dir(args.data_dir)

    def stop(signum: int, frame: object) -> None:
        raise SystemExit(0)  # unwinds serve(), which removes its socket

    previous = signal.signal(signal.SIGTERM, stop)
    minutes = "minute" if args.idle == 1 else "minutes"
    idle = (
        "never exits on its own" if args.idle <= 0 else f"exits after {args.idle:g} idle {minutes}"
    )

    def ready(path: Path) -> None:
        print(f"Answering searches of {data} at {path}; {idle} (Ctrl+C stops it).", flush=True)

    try:
        return serve(data, idle_minutes=args.idle, ready=ready)
    except ServeError as error:
        print(f"briefing serve: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
