"""A local SMTP server (aiosmtpd) and a local webhook receiver (http.server) for the channel
tests; both record what they received."""

from __future__ import annotations

import json
import socket
import threading
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class _Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


class SmtpServer:
    def __init__(self, port: int):
        self.port = port
        self.inbox = _Inbox()
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=port)

    @property
    def messages(self):
        return self.inbox.messages

    def start(self):
        self.controller.start()

    def stop(self):
        self.controller.stop()


class WebhookReceiver:
    """Records each POST; `fail_next` answers that many with 500 after recording them (the
    sender cannot tell whether the message was taken)."""

    def __init__(self, port: int):
        self.port = port
        self.received: list[dict] = []
        self.fail_next = 0
        self.server = None
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append(
                    {"headers": dict(self.headers), "body": body, "json": json.loads(body)}
                )
                status = 500 if receiver.fail_next else 200
                receiver.fail_next = max(0, receiver.fail_next - 1)
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.handler = Handler

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def keys(self) -> list[str]:
        return [r["headers"]["Idempotency-Key"] for r in self.received]

    def start(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self.handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
