"""A machine translation provider on 127.0.0.1 for tests and the benchmark.

It speaks the HTTP APIs that deep-translator's real adapters call: LibreTranslate
(``POST <url>translate``, ``q source target format api_key`` -> ``{"translatedText"}``), DeepL
(``GET <url>translate``, ``auth_key source_lang target_lang text`` -> ``{"translations": [...]}``)
and MyMemory (``GET <url>``, ``q langpair`` -> ``{"responseData": {"translatedText"}}``).
Its "translation" is ``<target>: <TEXT IN CAPITALS>``, so unmasked markup would show (URLs in
capitals). Faults are injected per request: a queue of ``faults`` taken first, then ``rule``.
"""

from __future__ import annotations

import json
import re
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

# A fault: ("status", code[, headers]), ("malformed",), ("hang",), ("delay", seconds),
# ("drip", seconds per byte), ("stall",) (headers, then silence), ("drop-masks",)
Fault = tuple


@dataclass(frozen=True)
class Request:
    api: str
    text: str
    source: str
    target: str
    key: str | None


class StubProvider:
    def __init__(self, latency: float = 0.0, key: str | None = None) -> None:
        self.latency = latency
        self.key = key  # when set, another key is refused with 403
        self.faults: list[Fault] = []
        self.rule: Callable[[Request], Fault | None] | None = None
        self.requests: list[Request] = []
        self.release = threading.Event()  # frees hung handlers when the stub stops
        self._lock = threading.RLock()  # a rule may call count() while a request is logged
        self._arrived = threading.Condition(self._lock)
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as real providers do
            disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms stall

            def do_GET(self) -> None:
                stub._handle(self)

            def do_POST(self) -> None:
                stub._handle(self)

            def log_message(self, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: object, client_address: object) -> None:
                pass  # a client that timed out or was killed hung up mid-answer: expected here

        self.server = Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/"

    def __enter__(self) -> StubProvider:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()

    def count(self, api: str | None = None) -> int:
        with self._lock:
            return sum(1 for r in self.requests if api is None or r.api == api)

    def texts(self) -> Counter:
        with self._lock:
            return Counter((r.target, r.text) for r in self.requests)

    def wait_for(self, count: int, timeout: float = 10.0) -> bool:
        """Block until ``count`` requests have arrived (instead of sleeping in a test)."""
        with self._arrived:
            return self._arrived.wait_for(lambda: len(self.requests) >= count, timeout)

    # ------------------------------------------------------------------ serving
    def _parse(self, handler: BaseHTTPRequestHandler) -> Request | None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode("utf-8") if length else ""
        params = {k: v[0] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
        if body.startswith("{"):
            params.update(json.loads(body))
        elif body:
            params.update({k: v[0] for k, v in parse_qs(body, keep_blank_values=True).items()})
        if "auth_key" in params:
            return Request("deepl", params.get("text", ""), params.get("source_lang", ""),
                           params.get("target_lang", ""), params["auth_key"])  # fmt: skip
        if "langpair" in params:
            source, _, target = params["langpair"].partition("|")
            return Request("mymemory", params.get("q", ""), source, target, None)
        if parts.path.endswith("/translate") and handler.command == "POST":
            return Request(
                "libre", params.get("q", ""), params.get("source", ""), params.get("target", ""),
                params.get("api_key"),
            )  # fmt: skip
        return None

    def _handle(self, handler: BaseHTTPRequestHandler) -> None:
        request = self._parse(handler)
        if request is None:
            return self._send(handler, 404, b'{"error": "not found"}')
        with self._arrived:
            self.requests.append(request)
            fault = (
                self.faults.pop(0) if self.faults else (self.rule(request) if self.rule else None)
            )
            self._arrived.notify_all()
        if self.latency:
            self.release.wait(self.latency)
        kind = fault[0] if fault else None
        if kind == "hang":
            self.release.wait(60)
            handler.close_connection = True
            return None
        if kind == "delay":
            self.release.wait(fault[1])
        if kind == "status":
            headers = fault[2] if len(fault) > 2 else {}
            return self._send(handler, fault[1], b'{"error": "injected"}', headers)
        if kind == "malformed":
            return self._send(handler, 200, b'{"translatedText": "unterminated')
        if self.key is not None and request.key != self.key:
            return self._send(handler, 403, b'{"error": "Invalid API key"}')
        text = request.text
        if kind == "drop-masks":
            text = re.sub(r"\{\d+\}", "", text)
        translated = f"{request.target}: {text.upper()}"
        answer = {
            "libre": {"translatedText": translated},
            "deepl": {"translations": [{"detected_source_language": "EN", "text": translated}]},
            "mymemory": {"responseData": {"translatedText": translated}, "matches": []},
        }[request.api]
        data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
        if kind == "drip":
            return self._drip(handler, data, fault[1])
        if kind == "stall":
            return self._drip(handler, data, 60)
        return self._send(handler, 200, data)

    def _send(
        self, handler: BaseHTTPRequestHandler, status: int, data: bytes, headers: dict | None = None
    ) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)

    def _drip(self, handler: BaseHTTPRequestHandler, data: bytes, pause: float) -> None:
        """A slow answer: one byte at a time, each well within a read timeout."""
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.flush()
        try:
            for byte in data:
                if self.release.wait(pause):
                    break
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
        except OSError:
            pass
        handler.close_connection = True
