"""Real protocol peers on 127.0.0.1 for the notification tests: an SMTP server (aiosmtpd) and an HTTP
webhook receiver (http.server in a thread). Both record every delivery and the idempotency key it carried,
so a test can count raw deliveries and distinct keys (what a deduplicating receiver would process)."""

from __future__ import annotations

import email
import hashlib
import hmac
import json
import socket
import threading
from collections import Counter
from email import policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpReceiver:
    """An SMTP server that accepts every message and keeps it (Message-ID, recipients, subject, body)."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        message = email.message_from_bytes(
            envelope.original_content or envelope.content, policy=policy.default
        )
        with self.lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def start(self) -> SmtpReceiver:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    @property
    def keys(self) -> Counter:
        with self.lock:
            return Counter(str(m["Message-ID"]) for m in self.messages)


class WebhookReceiver:
    """An HTTP server that records each POST. ``fail_next`` answers that many requests with 503 first;
    from the ``hold_after``-th recorded request on, the handler waits for ``release`` before answering (so a
    test can kill the sender while its request is in flight); ``holding`` is set when that happens."""

    def __init__(self, secret: str):
        self.secret = secret.encode()
        self.requests: list[dict] = []
        self.bad_signatures = 0
        self.fail_next = 0
        self.lock = threading.Lock()
        self.received = threading.Event()
        self.hold_after: int | None = None
        self.holding = threading.Event()
        self.release = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's hook name
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                timestamp = self.headers.get("X-PCKB-Timestamp", "")
                expected = (
                    "sha256="
                    + hmac.new(receiver.secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
                )
                signature_ok = hmac.compare_digest(expected, self.headers.get("X-PCKB-Signature", ""))
                with receiver.lock:
                    if receiver.fail_next > 0:
                        receiver.fail_next -= 1
                        status = 503
                    else:
                        status = 200 if signature_ok else 401
                    if status == 200:
                        receiver.requests.append(
                            {"key": self.headers.get("Idempotency-Key"), "json": json.loads(body)}
                        )
                    if not signature_ok:
                        receiver.bad_signatures += 1
                    hold = receiver.hold_after is not None and len(receiver.requests) >= receiver.hold_after
                receiver.received.set()
                if hold and not receiver.release.is_set():
                    receiver.holding.set()
                    receiver.release.wait(30)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self) -> WebhookReceiver:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    @property
    def keys(self) -> Counter:
        with self.lock:
            return Counter(r["key"] for r in self.requests)
