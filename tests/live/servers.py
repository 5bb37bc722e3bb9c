"""Real ASGI servers and a small SSE client for the live tests and the fan-out bench.

* ``ThreadServer``: uvicorn serving ``pckb.asgi`` in a thread of the test process (same process as the test:
  the in-process broker is shared, the database is the test database).
* ``ProcessServer``: uvicorn in a subprocess, on the same database file (SQLite) or PostgreSQL database.
* ``SSEClient``: HTTP/1.1 over asyncio streams (chunked decoding, ``Last-Event-ID``), no dependency.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on port {port}")


class ThreadServer:
    """uvicorn on a free port in a daemon thread of this process."""

    def __init__(self):
        import uvicorn

        from pckb.asgi import application

        self.port = free_port()
        config = uvicorn.Config(
            application, host="127.0.0.1", port=self.port, log_level="warning", lifespan="off"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="uvicorn-test", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ThreadServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.server.force_exit = True
        self.thread.join(timeout=10)


def database_env() -> dict[str, str]:
    """Environment that points a subprocess at the database this test process uses."""
    from django.db import connection

    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"PCKB_SQLITE_PATH": str(settings["NAME"])}
    user = settings.get("USER") or "postgres"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or "5432"
    return {"PCKB_DATABASE_URL": f"postgresql://{user}{password}@{host}:{port}/{settings['NAME']}"}


class ProcessServer:
    """``uvicorn pckb.asgi:application`` in a subprocess (``workers`` processes on one port)."""

    def __init__(self, env: dict[str, str], workers: int = 1):
        self.port = free_port()
        self.env = {**os.environ, "DJANGO_SETTINGS_MODULE": "pckb.settings", **env}
        self.env.pop("PCKB_TESTING", None)
        self.workers = workers
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ProcessServer:
        cmd = [
            sys.executable,
            "-m",
            "uvicorn",
            "pckb.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--workers",
            str(self.workers),
            "--log-level",
            "warning",
            "--lifespan",
            "off",
            "--no-access-log",
        ]
        self.process = subprocess.Popen(cmd, cwd=ROOT, env=self.env)  # noqa: S603
        try:
            wait_for_port(self.port, process=self.process)
            # Django's first request imports everything: warm it up once.
            with contextlib.suppress(urllib.error.URLError, OSError):
                urllib.request.urlopen(self.url + "/tai-khoan/dang-nhap/", timeout=30).close()  # noqa: S310
        except Exception:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@dataclass
class Event:
    id: int | None
    data: dict
    event: str = "message"
    received: float = field(default_factory=time.perf_counter)


class SSEClient:
    """One SSE connection over HTTP/1.1 (what a browser's EventSource sends)."""

    def __init__(self, port: int, path: str, *, cookie: str = "", last_event_id: int | None = None):
        self.port, self.path, self.cookie, self.last_event_id = port, path, cookie, last_event_id
        self.status: int | None = None
        self.headers: dict[str, str] = {}
        self.comments: list[str] = []
        self._reader: asyncio.StreamReader | None = None
        self._writer: asyncio.StreamWriter | None = None
        self._buffer = b""
        self._chunked = False
        self._eof = False

    async def connect(self, timeout: float = 10.0) -> int:
        self._reader, self._writer = await asyncio.wait_for(
            asyncio.open_connection("127.0.0.1", self.port, limit=2**20), timeout
        )
        lines = [
            f"GET {self.path} HTTP/1.1",
            f"Host: 127.0.0.1:{self.port}",
            "Accept: text/event-stream",
            "Cache-Control: no-cache",
        ]
        if self.cookie:
            lines.append(f"Cookie: {self.cookie}")
        if self.last_event_id is not None:
            lines.append(f"Last-Event-ID: {self.last_event_id}")
        self._writer.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        await self._writer.drain()
        head = await asyncio.wait_for(self._reader.readuntil(b"\r\n\r\n"), timeout)
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        self.status = int(status_line.split()[1])
        for line in header_lines:
            if ":" in line:
                name, value = line.split(":", 1)
                self.headers[name.strip().lower()] = value.strip()
        self._chunked = self.headers.get("transfer-encoding", "").lower() == "chunked"
        return self.status

    async def _more(self) -> None:
        assert self._reader is not None
        if self._chunked:
            size_line = await self._reader.readuntil(b"\r\n")
            size = int(size_line.split(b";")[0].strip(), 16)
            if size == 0:
                self._eof = True
                return
            data = await self._reader.readexactly(size + 2)
            self._buffer += data[:-2]
        else:
            data = await self._reader.read(65536)
            if not data:
                self._eof = True
            self._buffer += data

    async def next_event(self, timeout: float = 5.0) -> Event:
        """The next event with data (comments and retry lines are noted, not returned); ``EOFError`` when the
        server ended the stream, ``TimeoutError`` when nothing came."""
        async with asyncio.timeout(timeout):
            return await self._next_event()

    async def _next_event(self) -> Event:
        while True:
            while b"\n\n" not in self._buffer:
                if self._eof:
                    raise EOFError("stream ended")
                await self._more()
            block, self._buffer = self._buffer.split(b"\n\n", 1)
            event_id, data_lines, name = None, [], "message"
            for line in block.decode("utf-8").split("\n"):
                if line.startswith(":"):
                    self.comments.append(line[1:].strip())
                elif line.startswith("id:"):
                    event_id = int(line[3:].strip())
                elif line.startswith("data:"):
                    data_lines.append(line[5:].strip())
                elif line.startswith("event:"):
                    name = line[6:].strip()
            if data_lines:
                return Event(id=event_id, data=json.loads("\n".join(data_lines)), event=name)

    async def events_until_quiet(self, quiet: float = 0.5) -> list[Event]:
        """Every event that arrives until none has come for ``quiet`` seconds."""
        found = []
        while True:
            try:
                found.append(await self.next_event(timeout=quiet))
            except TimeoutError:
                return found

    async def close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            with contextlib.suppress(Exception):
                await self._writer.wait_closed()
            self._writer = None


def run_async(coroutine):
    """``asyncio.run(coroutine)`` in a thread of its own: the main thread may already run an event loop
    (Playwright's sync API, once a browser test has started)."""
    outcome: dict = {}

    def target():
        try:
            outcome["value"] = asyncio.run(coroutine)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            outcome["error"] = exc

    thread = threading.Thread(target=target, name="sse-test-loop")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def session_cookie(client, user) -> str:
    """Sign ``user`` in with the Django test client; the committed session's cookie for raw clients."""
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"
