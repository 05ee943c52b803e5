"""One window per library: a second launch hands its arguments to the first over a local socket and exits.

The first launch takes an advisory lock (flock) on a file in the temp directory and holds it
while it runs; the kernel drops it when the process ends, however it ends. Taking the lock is
cheap, so the window can open before the first instance starts listening on its local socket
(QtNetwork is imported then, not at start-up). A later launch that finds the lock held connects
to that socket, waiting for the first instance to start listening if it has not yet.
"""

from __future__ import annotations

import fcntl
import logging
import os
import tempfile
import time
import weakref
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QObject, Signal

if TYPE_CHECKING:
    from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_MS = 1000
# The first instance answers from its event loop; a busy window may take a moment.
REPLY_TIMEOUT_MS = 3000
# How long a later launch waits for a starting first instance to listen before giving up on it.
LISTEN_WAIT_MS = 10_000
RETRY_INTERVAL_S = 0.05
REPLY = b"ok\n"


def instance_key(data_dir: Path) -> str:
    """The key for SingleInstance: one running app per data directory, however the path is spelled."""
    return str(Path(data_dir).resolve())


def server_name(key: str) -> str:
    """A socket name that is short, filesystem-safe and private to this user."""
    # A checksum tells one user's few libraries apart; hashlib would cost ~3 ms of start-up.
    digest = zlib.crc32(key.encode("utf-8"))
    return f"briefing-cards-{os.getuid()}-{digest:08x}"


def _close_lock(fd: int) -> None:
    # Closing the descriptor releases the flock.
    os.close(fd)


class SingleInstance(QObject):
    """The first instance holds the library's lock and listens; later ones send it their argv and step aside."""

    message_received = Signal(list)

    def __init__(self, key: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = server_name(key)
        # The standard library's temp directory rather than QDir.tempPath(): the same folder
        # ($TMPDIR, else /tmp), without making QDir's enums at start-up.
        self._lock_path = str(Path(tempfile.gettempdir()) / (self._name + ".lock"))
        self._locked = False
        self._server: QLocalServer | None = None
        self._buffers: dict[QLocalSocket, bytes] = {}

    def claim(self) -> bool:
        """Take the library's lock without blocking: True if this is the first instance.

        The lock is held until this object (or the process) goes; call `listen()` afterwards,
        once the window is on screen, so later launches can hand over.
        """
        if self._locked:
            return True
        try:
            fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as error:
            log.warning("cannot open the single-instance lock %s (%s)", self._lock_path, error)
            return not self._someone_listens()
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        weakref.finalize(self, _close_lock, fd)
        self._locked = True
        return True

    def listen(self) -> None:
        """Start answering later launches (call after `claim()` returned True)."""
        from PySide6.QtNetwork import QLocalServer

        if self._server is not None:
            return
        # We hold the lock, so a socket file left here belongs to a crashed instance.
        QLocalServer.removeServer(self._name)
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self._name):
            log.warning(
                "cannot listen on %s (%s); later launches will wait, then give up",
                self._name,
                server.errorString(),
            )
            return
        server.newConnection.connect(self._accept)
        self._server = server
        log.info("single instance: listening on %s", server.fullServerName())

    def acquire(self, args: list[str]) -> bool:
        """True if we are the first instance (now listening); False if `args` went to the running one.

        A first instance that is still starting (it holds the lock, but does not listen yet) is
        waited for; one that goes away meanwhile leaves the lock, and this launch becomes the first.
        """
        deadline = time.monotonic() + LISTEN_WAIT_MS / 1000
        while not self.claim():
            socket = self._connect()
            if socket is not None:
                self._send(socket, args)
                return False
            if time.monotonic() > deadline:
                # Never open the library beside a live instance, even one that does not answer.
                log.warning("the running instance on %s never started listening", self._name)
                return False
            time.sleep(RETRY_INTERVAL_S)
        self.listen()
        return True

    def _connect(self) -> QLocalSocket | None:
        from PySide6.QtNetwork import QLocalSocket

        socket = QLocalSocket()
        socket.connectToServer(self._name)
        return socket if socket.waitForConnected(CONNECT_TIMEOUT_MS) else None

    def _someone_listens(self) -> bool:
        socket = self._connect()
        if socket is None:
            return False
        socket.disconnectFromServer()
        return True

    def _send(self, socket: QLocalSocket, args: list[str]) -> None:
        import json

        socket.write(QByteArray(json.dumps(args).encode("utf-8") + b"\n"))
        socket.flush()
        socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
        answered = socket.waitForReadyRead(REPLY_TIMEOUT_MS)
        reply = bytes(socket.readAll().data())
        socket.disconnectFromServer()
        if not answered or reply != REPLY:
            # Something holds the socket but did not take the arguments: report it rather than
            # start a second writer on the same index.
            log.warning("the running instance on %s did not acknowledge the hand-over", self._name)

    def _accept(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))

    def _read(self, socket: QLocalSocket) -> None:
        import json

        self._buffers[socket] = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if b"\n" not in self._buffers[socket]:
            return
        line = self._buffers[socket].split(b"\n", 1)[0]
        self._buffers[socket] = b""
        try:
            args = json.loads(line.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            log.warning("ignored a malformed hand-over message: %r", line[:200])
            socket.disconnectFromServer()
            return
        if not isinstance(args, list) or not all(isinstance(a, str) for a in args):
            log.warning("ignored a hand-over message that is not a list of strings: %r", args)
            socket.disconnectFromServer()
            return
        socket.write(QByteArray(REPLY))
        socket.flush()
        log.info("another launch handed over %s", args)
        self.message_received.emit(args)

    def _forget(self, socket: QLocalSocket) -> None:
        # The server owns its sockets and deletes them with itself; a deleteLater() here can fire
        # while the server is being destroyed and crash (seen in tests). A launch is rare, so
        # keeping a closed socket until then costs nothing.
        self._buffers.pop(socket, None)
