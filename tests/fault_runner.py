"""Run the CLI with one system call made to fail: ``L10N_FAULT=call:N:mode``.

``call`` is ``replace``, ``rename``, ``fsync`` or ``write`` (a write to any file opened for
writing, through ``open`` or ``os.fdopen``); at its ``N``th call the process
either gets an ``OSError`` (``mode`` = ``raise``) or ends on the spot as ``kill -9`` would end it
(``exit``). With ``L10N_FAULT_COUNT=path`` nothing fails and the number of calls is written to
``path`` when the command ends: the trials then cover every call, from the first to the last.
"""

from __future__ import annotations

import atexit
import builtins
import errno
import io
import os
import sys


last_calls = None  # after ``_install``: how many calls were made so far


def _install(call: str, nth: int, mode: str, count_path: str | None) -> None:
    global last_calls
    calls = [0]
    last_calls = lambda: calls[0]  # noqa: E731

    def hit() -> None:
        calls[0] += 1
        if calls[0] == nth:
            if mode == "exit":
                os._exit(137)
            raise OSError(errno.EIO, f"injected failure of {call} (call {nth})")

    if count_path:
        atexit.register(lambda: open(count_path, "w").write(str(calls[0])))
    if call in ("replace", "rename", "fsync"):
        real = getattr(os, call)

        def patched(*args, **kwargs):
            hit()
            return real(*args, **kwargs)

        setattr(os, call, patched)
    elif call == "write":
        real_fdopen = os.fdopen

        class Counted:
            def __init__(self, handle) -> None:
                self._handle = handle

            def write(self, data):
                hit()
                return self._handle.write(data)

            def __enter__(self):
                self._handle.__enter__()
                return self

            def __exit__(self, *exc):
                return self._handle.__exit__(*exc)

            def __getattr__(self, name):
                return getattr(self._handle, name)

        os.fdopen = lambda *args, **kwargs: Counted(real_fdopen(*args, **kwargs))
        real_open = io.open

        def counted_open(file, mode="r", *args, **kwargs):
            handle = real_open(file, mode, *args, **kwargs)
            return Counted(handle) if any(flag in mode for flag in "wax+") else handle

        io.open = builtins.open = counted_open
    else:
        raise SystemExit(f"unknown call {call!r}")


if __name__ == "__main__":
    spec = os.environ["L10N_FAULT"]
    call, nth, mode = spec.split(":")
    _install(call, int(nth), mode, os.environ.get("L10N_FAULT_COUNT"))
    from pipeline.cli import main

    sys.argv[0] = "l10n"
    main()
