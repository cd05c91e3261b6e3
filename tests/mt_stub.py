"""A machine translation provider on 127.0.0.1 for tests and the benchmark.

It speaks the HTTP APIs that deep-translator's real adapters call, each shaped like the provider's
own (endpoint path, where the key goes, request body, answer JSON, how a bad key is refused):

- LibreTranslate ``POST <url>translate?q&source&target&format&api_key`` -> ``{"translatedText"}``;
  bad key 403
- DeepL ``GET <url>translate?auth_key&source_lang&target_lang&text`` -> ``{"translations": [...]}``;
  bad key 403
- MyMemory ``GET <url>?q&langpair=en-GB|ko-KR`` -> ``{"responseData": {"translatedText"}}``
- Google ``GET <url>/m?sl&tl&q`` -> an HTML page with ``<div class="result-container">``
- Microsoft ``POST /translate?api-version=3.0&from&to``, key in ``Ocp-Apim-Subscription-Key``,
  JSON body ``[{"text"}]`` -> ``[{"translations": [{"text", "to"}]}]``; bad key 401
- Papago ``POST /v1/papago/n2mt``, keys in ``X-Naver-Client-Id``/``-Secret`` headers, form body
  ``source target text`` -> ``{"message": {"result": {"translatedText"}}}``; bad key 401
- Yandex ``POST /api/v1.5/tr.json/translate``, form body ``text format lang=en-ko key`` ->
  ``{"code": 200, "text": [...]}``; bad key 401
- Baidu ``POST /api/trans/vip/translate?appid&q&from&to&salt&sign`` (sign = md5 of appid, q, salt,
  appkey) -> ``{"trans_result": [{"src", "dst"}]}``; a bad key is HTTP 200 with ``error_code``
- QCRI ``GET /api/v1/translate?key&langpair=en-ar&domain&text`` -> ``{"translatedText"}``; bad key 401
- OpenAI ``POST /v1/chat/completions``, ``Authorization: Bearer <key>``, JSON body ``{"model",
  "messages": [{"role": "user", "content": 'Translate the text below into Korean.\nText: "..."'}]}``
  -> ``{"choices": [{"message": {"content"}}]}``; bad key 401

Its "translation" is ``<target>: <TEXT IN CAPITALS>``, so unmasked markup would show (URLs in
capitals). Faults are injected per request: a queue of ``faults`` taken first, then ``rule``.
"""

from __future__ import annotations

import functools
import hashlib
import html
import json
import re
import threading
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

# A fault: ("status", code[, headers]), ("malformed",), ("hang",), ("delay", seconds),
# ("drip", seconds per byte), ("stall",) (headers, then silence), ("drop-masks",),
# ("answer", text) (this translation instead), ("huge", megabytes, declared) (an endless answer,
# its Content-Length declared or not), ("gzip-bomb", megabytes) (that many zeros, gzip-compressed),
# ("status", code, headers, body)
Fault = tuple


@functools.cache
def _gzip_bomb(megabytes: int) -> bytes:
    """``megabytes`` MB of zeros, gzip-compressed (about 1,000 to 1), made without holding them."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # wbits 31: the gzip format
    block = b"0" * (1 << 20)
    return b"".join([*(compressor.compress(block) for _ in range(megabytes)), compressor.flush()])


@dataclass(frozen=True)
class Request:
    api: str
    text: str
    source: str
    target: str
    key: str | None
    method: str = "GET"
    path: str = ""
    key_in: str = ""  # where the key came: "query auth_key", "header Ocp-Apim-Subscription-Key"...


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
        path, method, headers = parts.path, handler.command, handler.headers
        length = int(headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode("utf-8") if length else ""
        query = dict(parse_qsl(parts.query, keep_blank_values=True))
        form, document = {}, None
        if (headers.get("Content-Type") or "").startswith("application/json"):
            document = json.loads(body)
        elif body:
            form = dict(parse_qsl(body, keep_blank_values=True))

        def request(api: str, text: str, source: str, target: str, key: str | None, key_in: str) -> Request:
            return Request(api, text, source, target, key, method, path, key_in if key is not None else "")

        if path.endswith("/chat/completions") and method == "POST" and isinstance(document, dict):
            prompt = document["messages"][0]["content"]
            asked = re.fullmatch(r'Translate the text below into (.+)\.\nText: "(.*)"', prompt, re.DOTALL)
            bearer = headers.get("Authorization") or ""
            key = bearer.removeprefix("Bearer ") if bearer.startswith("Bearer ") else None
            return request("chatgpt", asked.group(2) if asked else "", "", asked.group(1) if asked else "",
                           key, "header Authorization: Bearer")
        if "api-version" in query and method == "POST" and isinstance(document, list):
            key = headers.get("Ocp-Apim-Subscription-Key")
            return request("microsoft", document[0].get("text", ""), query.get("from", ""), query.get("to", ""),
                           key, "header Ocp-Apim-Subscription-Key")
        if path.endswith("/v2/translate") and "auth_key" in query:
            return request("deepl", query.get("text", ""), query.get("source_lang", ""),
                           query.get("target_lang", ""), query["auth_key"], "query auth_key")
        if "langpair" in query and "|" in query["langpair"] and method == "GET":
            source, _, target = query["langpair"].partition("|")
            return request("mymemory", query.get("q", ""), source, target, None, "")
        if path.endswith("/m") and method == "GET":
            return request("google", query.get("q", ""), query.get("sl", ""), query.get("tl", ""), None, "")
        if path.endswith("/v1/papago/n2mt") and method == "POST":
            secret = headers.get("X-Naver-Client-Secret")
            key = secret if headers.get("X-Naver-Client-Id") else None
            return request("papago", form.get("text", ""), form.get("source", ""), form.get("target", ""),
                           key, "header X-Naver-Client-Secret")
        if path.endswith("/tr.json/translate") and method == "POST":
            source, _, target = form.get("lang", "").partition("-")
            return request("yandex", form.get("text", ""), source, target, form.get("key"), "form key")
        if path.endswith("/api/trans/vip/translate") and method == "POST":
            text, salt = query.get("q", ""), query.get("salt", "")
            signed = hashlib.md5((query.get("appid", "") + text + salt + (self.key or "")).encode()).hexdigest()
            key = (self.key if signed == query.get("sign") else "a wrong appkey") if "sign" in query else None
            return request("baidu", text, query.get("from", ""), query.get("to", ""), key, "query sign")
        if path.endswith("/api/v1/translate") and method == "GET":
            source, _, target = query.get("langpair", "").partition("-")
            return request("qcri", query.get("text", ""), source, target, query.get("key"), "query key")
        if path.endswith("/translate") and method == "POST":
            params = {**form, **query}
            return request("libre", params.get("q", ""), params.get("source", ""), params.get("target", ""),
                           params.get("api_key"), "query api_key")
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
            body = fault[3] if len(fault) > 3 else b'{"error": "injected"}'
            return self._send(handler, fault[1], body, headers)
        if kind == "gzip-bomb":
            return self._send(handler, 200, _gzip_bomb(fault[1]), {"Content-Encoding": "gzip"})
        if kind == "malformed":
            return self._send(handler, 200, b'{"translatedText": "unterminated')
        if self.key is not None and request.key != self.key:
            return self._refuse(handler, request.api)
        text = request.text
        if kind == "drop-masks":
            text = re.sub(r"\{\d+\}", "", text)
        translated = fault[1] if kind == "answer" else f"{request.target}: {text.upper()}"
        if kind == "huge":
            return self._huge(handler, fault[1], fault[2])
        data = self._answer(request, translated)
        if kind == "drip":
            return self._drip(handler, data, fault[1])
        if kind == "stall":
            return self._drip(handler, data, 60)
        content_type = "text/html; charset=utf-8" if request.api == "google" else "application/json"
        return self._send(handler, 200, data, {"Content-Type": content_type})

    @staticmethod
    def _answer(request: Request, translated: str) -> bytes:
        """The body each provider answers with (JSON with \\u escapes, as most providers send)."""
        if request.api == "google":
            page = f'<html><body><div class="result-container">{html.escape(translated)}</div></body></html>'
            return page.encode("utf-8")
        answer = {
            "libre": {"translatedText": translated},
            "deepl": {"translations": [{"detected_source_language": "EN", "text": translated}]},
            "mymemory": {"responseData": {"translatedText": translated}, "matches": []},
            "microsoft": [{"translations": [{"text": translated, "to": request.target}]}],
            "papago": {"message": {"@type": "response", "result": {
                "srcLangType": request.source, "tarLangType": request.target, "translatedText": translated}}},
            "yandex": {"code": 200, "lang": f"{request.source}-{request.target}", "text": [translated]},
            "baidu": {"from": request.source, "to": request.target,
                      "trans_result": [{"src": request.text, "dst": translated}]},
            "qcri": {"translatedText": translated},
            "chatgpt": {"object": "chat.completion", "model": "gpt-3.5-turbo", "choices": [
                {"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": translated}}]},
        }[request.api]
        return json.dumps(answer).encode("ascii")

    def _refuse(self, handler: BaseHTTPRequestHandler, api: str) -> None:
        """A bad key, refused the way each provider refuses it."""
        status, answer = {
            "deepl": (403, {"message": "Wrong auth_key"}),
            "libre": (403, {"error": "Invalid API key"}),
            "microsoft": (401, {"error": {"code": 401000, "message": "The request is not authorized"}}),
            "papago": (401, {"errorMessage": "Authentication failed", "errorCode": "024"}),
            "yandex": (401, {"code": 401, "message": "API key is invalid"}),
            "baidu": (200, {"error_code": "54001", "error_msg": "Invalid Sign"}),
            "qcri": (401, {"error": "Invalid key"}),
            "chatgpt": (401, {"error": {"message": "Incorrect API key provided", "code": "invalid_api_key"}}),
        }[api]
        return self._send(handler, status, json.dumps(answer).encode("ascii"))

    def _huge(self, handler: BaseHTTPRequestHandler, megabytes: int, declared: bool) -> None:
        """An answer of ``megabytes`` MB, sent as fast as the client takes it."""
        handler.send_response(200)
        handler.send_header("Content-Type", "application/json")
        if declared:
            handler.send_header("Content-Length", str(megabytes << 20))
        else:
            handler.send_header("Connection", "close")
        handler.end_headers()
        handler.close_connection = True
        block = b"[" + b" " * ((1 << 20) - 1)
        try:
            for _ in range(megabytes):
                if self.release.is_set():
                    break
                handler.wfile.write(block)
        except OSError:
            pass  # the client hung up: what it should do

    def _send(
        self, handler: BaseHTTPRequestHandler, status: int, data: bytes, headers: dict | None = None
    ) -> None:
        headers = {"Content-Type": "application/json", **(headers or {})}
        handler.send_response(status)
        handler.send_header("Content-Length", str(len(data)))
        for name, value in headers.items():
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
