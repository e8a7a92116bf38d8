"""One request through a WSGI application in-process, as gunicorn hands it over (no socket)."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Mapping
from typing import Any


def call(
    application: Callable[..., Any],
    method: str,
    path: str,
    *,
    body: bytes = b"",
    host: str = "127.0.0.1",
    headers: Mapping[str, str] | None = None,
) -> tuple[int, bytes]:
    """``(status, body)`` of one request; `headers` are WSGI keys (``HTTP_AUTHORIZATION``…).

    The response is closed, which fires Django's request_finished (closing the database
    connection as under gunicorn).
    """
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": host,
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": f"{host}:8000",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **(headers or {}),
    }
    if body:
        environ["CONTENT_LENGTH"] = str(len(body))
    status: list[str] = []

    def start_response(code: str, headers: list[tuple[str, str]], exc_info: object = None) -> Callable[[bytes], object]:
        status.append(code)
        return lambda _: None

    response = application(environ, start_response)
    try:
        content = b"".join(response)
    finally:
        response.close()
    return int(status[0].split()[0]), content
