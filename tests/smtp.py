"""A mail server in a thread for tests and benchmarks: one that accepts connections and never
says a word (`hang=True`), or a minimal SMTP server that accepts every message."""

from __future__ import annotations

import socket
import threading


class Server:
    """A TCP server on 127.0.0.1 in a thread. `hang`: accept and never say a word (no SMTP
    greeting). Otherwise a minimal SMTP server that accepts every message (`messages`)."""

    def __init__(self, *, hang: bool) -> None:
        self.hang = hang
        self.connections = 0
        self.messages: list[tuple[list[str], str]] = []
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.stopping = threading.Event()
        self.held: list[socket.socket] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            self.connections += 1
            if self.hang:
                self.held.append(conn)  # open, silent, until the test ends
            else:
                with conn:
                    self._smtp(conn)

    def _smtp(self, conn: socket.socket) -> None:
        f = conn.makefile("rwb")

        def say(line: str) -> None:
            f.write(line.encode() + b"\r\n")
            f.flush()

        say("220 test ESMTP")
        rcpt: list[str] = []
        while line := f.readline():
            verb = line.decode().strip().split(" ")[0].upper()
            if verb in {"EHLO", "HELO"}:
                say("250 test")
            elif verb == "RCPT":
                rcpt.append(line.decode().split("<", 1)[1].split(">", 1)[0])
                say("250 OK")
            elif verb == "DATA":
                say("354 go on")
                data = b""
                while not data.endswith(b"\r\n.\r\n"):
                    data += f.readline()
                self.messages.append((rcpt, data.decode()))
                rcpt = []
                say("250 OK")
            elif verb == "QUIT":
                say("221 bye")
                return
            else:  # MAIL, RSET, NOOP
                say("250 OK")

    def stop(self) -> None:
        self.stopping.set()
        self.thread.join(timeout=5)
        for conn in self.held:
            conn.close()
        self.sock.close()
