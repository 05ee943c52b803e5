"""One window per library: a second launch hands its arguments to the first over a local socket and exits."""

from __future__ import annotations

import getpass
import hashlib
import json
import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, QDir, QLockFile, QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_MS = 1000
# The first instance answers from its event loop; a busy window may take a moment.
REPLY_TIMEOUT_MS = 3000
# Two launches at the same moment wait for each other's check-then-listen, never longer than this.
LOCK_TIMEOUT_MS = 5000
REPLY = b"ok\n"


def instance_key(data_dir: Path) -> str:
    """The key for SingleInstance: one running app per data directory, however the path is spelled."""
    return str(Path(data_dir).resolve())


def server_name(key: str) -> str:
    """A socket name that is short, filesystem-safe and private to this user."""
    digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]
    return f"briefing-cards-{getpass.getuser()}-{digest}"


class SingleInstance(QObject):
    """The first instance listens on a local socket; later ones send it their argv and step aside."""

    message_received = Signal(list)

    def __init__(self, key: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = server_name(key)
        self._server: QLocalServer | None = None
        self._buffers: dict[QLocalSocket, bytes] = {}

    def acquire(self, args: list[str]) -> bool:
        """True if we are the first instance (now listening); False if `args` went to the running one."""
        # Serialises "is anyone listening? else listen" between launches started at the same moment.
        lock = QLockFile(QDir(QDir.tempPath()).filePath(self._name + ".lock"))
        lock.setStaleLockTime(LOCK_TIMEOUT_MS * 2)
        if not lock.tryLock(LOCK_TIMEOUT_MS):
            log.warning("single-instance lock %s stayed busy; going on without it", lock.error())
        try:
            if self._hand_over(args):
                return False
            # Nobody answered, so a socket file left here belongs to a crashed instance.
            QLocalServer.removeServer(self._name)
            server = QLocalServer(self)
            server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
            if not server.listen(self._name):
                log.warning(
                    "cannot listen on %s (%s); running without single-instance hand-over",
                    self._name,
                    server.errorString(),
                )
                return True
            server.newConnection.connect(self._accept)
            self._server = server
            log.info("single instance: listening on %s", server.fullServerName())
            return True
        finally:
            lock.unlock()

    def _hand_over(self, args: list[str]) -> bool:
        socket = QLocalSocket()
        socket.connectToServer(self._name)
        if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
            return False
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
        return True

    def _accept(self) -> None:
        assert self._server is not None
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._forget(s))

    def _read(self, socket: QLocalSocket) -> None:
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
