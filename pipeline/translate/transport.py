"""How one request reaches a provider: timeouts, HTTP statuses, retries, key redaction.

deep-translator calls ``requests.get``/``requests.post`` with no timeout, no size limit, and folds
HTTP statuses into exceptions that lose them (or into none at all). This is the one place that fixes
that:
``install`` replaces the ``requests`` name inside a deep-translator provider module by a proxy.
Inside ``Transport.call`` the proxy sends through a session of ours that bounds the whole request
by ``timeout`` and ``MAX_ANSWER`` bytes and raises typed errors on 401/403, 429 and 5xx; outside it (any other user of
deep-translator in the process) the proxy is plain ``requests``.
"""

from __future__ import annotations

import email.utils
import random
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any, TypeVar
from urllib.parse import parse_qsl, quote, quote_plus, urlsplit

import requests
import urllib3
from requests.adapters import HTTPAdapter

T = TypeVar("T")

# An answer is one translated text: a megabyte is far beyond any real one. Larger answers are cut
# off while they stream in, so neither memory nor --timeout depends on what a server sends.
MAX_ANSWER = 1 << 20

_active = threading.local()


class ProviderError(Exception):
    """A request failed for good: not retryable, or still failing after the retries."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


class Retryable(ProviderError):
    """429, 5xx, a timeout or a connection error: worth another attempt."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class KeyRejected(ProviderError):
    """The provider refused the API key (401/403, or the provider's own way of saying so)."""

    def __init__(self, status: int, reason: str | None = None) -> None:
        super().__init__(reason or f"HTTP {status}")
        self.status = status


class _RequestsProxy:
    """Stands for the ``requests`` module inside a deep-translator provider module."""

    def __init__(self, real: ModuleType) -> None:
        self._real = real

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return self.request("GET", url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        return self.request("POST", url, **kwargs)

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        transport: Transport | None = getattr(_active, "transport", None)
        if transport is None:
            return self._real.request(method, url, **kwargs)
        return transport.send(method, url, **kwargs)

    def __getattr__(self, name: str) -> Any:  # requests.exceptions and the like
        return getattr(self._real, name)


def install(module: ModuleType) -> None:
    """Route ``module``'s HTTP calls through this adapter (idempotent)."""
    if not isinstance(getattr(module, "requests", None), _RequestsProxy):
        module.requests = _RequestsProxy(requests)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """``Retry-After`` as seconds from now: delta-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None or when.tzinfo is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


_SECRET_NAME = re.compile(r"key|token|secret|auth|sig|pass|client|appid", re.IGNORECASE)


def url_secrets(url: str | None) -> tuple[str, ...]:
    """What looks like a key in a URL: the password of ``user:password@`` and the values of query
    parameters named like keys (``?api_key=...``, ``&token=...``), six characters or longer."""
    if not url:
        return ()
    parts = urlsplit(url)
    found = [parts.password] if parts.password else []
    found += [v for name, v in parse_qsl(parts.query) if len(v) >= 6 and _SECRET_NAME.search(name)]
    return tuple(found)


_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def printable(text: str) -> str:
    """Provider text fit for a terminal: newlines become spaces, other controls (ANSI escapes
    among them) and lone surrogates are spelled as escapes, never sent to the terminal raw."""
    text = text.replace("\r\n", " ").replace("\n", " ")
    return _CONTROL.sub(lambda m: ascii(m.group())[1:-1], text)


def redact(text: str, secrets: tuple[str, ...]) -> str:
    """``text`` with every secret (also URL-encoded, as it appears in query strings) hidden."""
    forms = {f for s in secrets if s for f in (s, quote(s), quote(s, safe=""), quote_plus(s))}
    for form in sorted(forms, key=len, reverse=True):  # a key inside a longer one: the longer first
        text = text.replace(form, "***")
    return text


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = 3  # attempts after the first
    backoff: float = 1.0  # first wait in seconds; doubles with each retry
    max_wait: float = 120.0  # a Retry-After longer than this fails at once

    def delay(
        self, attempt: int, retry_after: float | None, rand: Callable[[], float] = random.random
    ) -> float:
        """Wait before retry ``attempt`` (0-based): exponential, jittered, at least Retry-After."""
        base = self.backoff * 2**attempt
        wait = base / 2 + rand() * base / 2  # jitter spreads retries of concurrent requests
        return max(wait, retry_after or 0.0)


class RateLimit:
    """At most ``rate`` requests per second across all threads (None: no limit)."""

    def __init__(self, rate: float | None) -> None:
        self.interval = 1.0 / rate if rate else 0.0
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next)
            self._next = slot + self.interval
        if slot > now:
            time.sleep(slot - now)


class Transport:
    """Sends one provider's requests: deadline, status mapping, retries, rate limit, redaction."""

    def __init__(
        self,
        timeout: float,
        policy: RetryPolicy,
        secrets: tuple[str, ...] = (),
        key_protected: bool = False,
        rate: RateLimit | None = None,
        sleep: Callable[[float], None] = time.sleep,
        key_error: Callable[[requests.Response], str | None] | None = None,
        max_answer: int = MAX_ANSWER,
    ) -> None:
        self.timeout = timeout
        self.key_error = key_error  # for providers that answer "bad key" with HTTP 200
        self.max_answer = max_answer
        self.policy = policy
        self.secrets = secrets
        self.key_protected = key_protected
        self.rate = rate or RateLimit(None)
        self.sleep = sleep
        self._sessions = threading.local()
        self._all_sessions: list[requests.Session] = []
        self._origins: dict[tuple[str, str], dict[str, Any]] = {}
        self._lock = threading.Lock()

    def call(self, request: Callable[[], T]) -> T:
        """Run ``request`` (a deep-translator call) with retries; errors come out redacted."""
        for attempt in range(self.policy.retries + 1):
            self.rate.wait()
            previous = getattr(_active, "transport", None)
            _active.transport = self
            try:
                return request()
            except Retryable as exc:
                if exc.retry_after is not None and exc.retry_after > self.policy.max_wait:
                    wait = f"the provider asks to wait {exc.retry_after:g} s (Retry-After)"
                    raise ProviderError(f"{exc.reason}: {wait}") from None
                if attempt == self.policy.retries:
                    tries = "attempt" if attempt == 0 else "attempts"
                    raise ProviderError(f"{exc.reason} ({attempt + 1} {tries})") from None
                self.sleep(self.policy.delay(attempt, exc.retry_after))
            except ProviderError:
                raise
            except Exception as exc:  # deep-translator choking on an answer it did not expect
                detail = printable(redact(str(exc), self.secrets))[:160]
                raise ProviderError(f"unexpected answer ({type(exc).__name__}: {detail})") from None
            finally:
                _active.transport = previous
        raise AssertionError("unreachable")

    def send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """One HTTP request, bounded by ``timeout`` from connect to the last byte of the body."""
        kwargs.pop("timeout", None)
        kwargs.pop("stream", None)
        # requests would read a redirect's body whole, past the size cap, and send the request on
        # to wherever the answer points: a redirect is reported instead.
        kwargs["allow_redirects"] = False
        deadline = time.monotonic() + self.timeout
        late = f"no complete answer within {self.timeout:g} s"
        for name, value in self._environment(url).items():
            if kwargs.get(name) is None:
                kwargs[name] = value
        too_big = f"answer larger than {self.max_answer:,} bytes: cut off"
        try:
            response = self._session().request(
                method, url, timeout=self.timeout, stream=True, **kwargs
            )
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > self.max_answer:
                response.close()
                raise ProviderError(too_big)
            body = bytearray()
            while True:
                # read1 returns what has arrived: a server dripping bytes still meets the deadline
                chunk = response.raw.read1(65536, decode_content=True)
                if not chunk:
                    break
                body += chunk
                if len(body) > self.max_answer:
                    response.close()
                    raise ProviderError(too_big)
                if time.monotonic() > deadline:
                    response.close()
                    raise Retryable(late)
            response._content = bytes(body)
            response._content_consumed = True
            response.close()  # the body is read: hand the connection back to the pool
        # Never str(exc) here: requests and urllib3 quote the URL, and keys ride in URLs.
        except requests.ConnectTimeout:
            raise Retryable(f"could not connect within {self.timeout:g} s") from None
        except (requests.Timeout, urllib3.exceptions.ReadTimeoutError):
            raise Retryable(late) from None
        except (requests.ConnectionError, urllib3.exceptions.ProtocolError):
            raise Retryable("connection failed") from None
        except (requests.RequestException, urllib3.exceptions.HTTPError) as exc:
            raise ProviderError(f"request failed ({type(exc).__name__})") from None
        status = response.status_code
        if status in (401, 403) and self.key_protected:
            raise KeyRejected(status)
        if status == 429 or status >= 500:
            raise Retryable(
                f"HTTP {status}", parse_retry_after(response.headers.get("Retry-After"))
            )
        if 300 <= status < 400:
            where = printable(redact(response.headers.get("Location", ""), self.secrets))[:160]
            raise ProviderError(f"HTTP {status}: redirected to {where or '?'} (not followed: use that URL)")
        if status >= 400:
            excerpt = printable(redact(response.text, self.secrets)).strip()[:160]
            raise ProviderError(f"HTTP {status}" + (f": {excerpt}" if excerpt else ""))
        if self.key_protected and self.key_error is not None:
            refusal = self.key_error(response)
            if refusal:
                raise KeyRejected(status, printable(redact(refusal, self.secrets)))
        return response

    def _environment(self, url: str) -> dict[str, Any]:
        """Proxies, CA bundle and client certificate from the environment, once per origin.

        requests reads them (scanning all of os.environ) on every request; that was a third of
        the time the pipeline added to a request on a fast local provider.
        """
        origin = urlsplit(url)[:2]
        settings = self._origins.get(origin)
        if settings is None:
            with requests.Session() as probe:
                merged = probe.merge_environment_settings(url, {}, None, None, None)
            settings = {name: merged[name] for name in ("proxies", "verify", "cert")}
            self._origins[origin] = settings
        return settings

    def _session(self) -> requests.Session:
        # One session per worker thread: connections are reused, and Session is not thread-safe.
        session = getattr(self._sessions, "session", None)
        if session is None:
            session = requests.Session()
            session.trust_env = False  # the environment is read once per origin: _environment
            adapter = HTTPAdapter(pool_connections=1, pool_maxsize=1, max_retries=0)
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            self._sessions.session = session
            with self._lock:
                self._all_sessions.append(session)
        return session

    def close(self) -> None:
        with self._lock:
            for session in self._all_sessions:
                session.close()
            self._all_sessions.clear()
