"""The log file: what the helpdesk needs to find a fault, and nothing about people.

One rotating file in platformdirs' user_log_dir (Linux ~/.local/state/Postwijs/log, Windows
%LOCALAPPDATA%\\SCOH\\Postwijs\\Logs, macOS ~/Library/Logs/Postwijs), at most
MAX_BYTES × (BACKUPS + 1). The log promises no post texts, names, handles, e-mail addresses,
tokens or passwords. What Postwijs itself logs are events by kind and id; as a second line of
defence every line passes `scrub`, and an exception is logged by its type and where it was raised,
never by its message (messages quote file names, handles and answers from the networks).
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

import platformdirs

from app import APP_AUTHOR, APP_NAME

FILE_NAME = "postwijs.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
LOGGER = "postwijs"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_HANDLE = re.compile(r"(?<![\w/])@[\w.-]+")  # @juf.anne, @school@mastodon.example
# Bearer tokens, app passwords (xxxx-xxxx-xxxx-xxxx), JWTs, keys: an app password's shape, long
# runs that mix capitals, small letters and digits, and long hexadecimal runs. (File and module
# names, which are not mixed like that, stay readable.)
_TOKEN = re.compile(
    r"\b(?:[A-Za-z0-9]{4}-){3}[A-Za-z0-9]{4}\b"
    r"|(?=[A-Za-z0-9_\-+=]*\d)(?=[A-Za-z0-9_\-+=]*[a-z])(?=[A-Za-z0-9_\-+=]*[A-Z])"
    r"[A-Za-z0-9_\-+=]{20,}"
    r"|\b[0-9a-fA-F]{32,}\b"
)
_QUERY = re.compile(r"(https?://[^\s?#]+)\?[^\s]*")
_SECRET_FIELD = re.compile(
    r"(?i)\b(password|passwd|token|secret|code|code_verifier|authorization|cookie)"
    r"(['\"]?\s*[:=]\s*['\"]?)[^\s'\",}&]+"
)


def log_dir() -> Path:
    """POSTWIJS_LOG_DIR if set (IT's choice, or a test's), else the platform's log folder."""
    chosen = os.environ.get("POSTWIJS_LOG_DIR")
    return Path(chosen) if chosen else Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def log_file(folder: Path | None = None) -> Path:
    return (folder or log_dir()) / FILE_NAME


def scrub(text: str) -> str:
    """Removes what could identify a person or open an account from one log line."""
    text = _QUERY.sub(r"\1?…", text)
    text = _SECRET_FIELD.sub(r"\1\2[verborgen]", text)
    text = _EMAIL.sub("[e-mailadres]", text)
    text = _HANDLE.sub("@[account]", text)
    text = _TOKEN.sub("[verborgen]", text)
    home = str(Path.home())
    if len(home) > 1:
        text = text.replace(home, "~")  # the home folder carries the user's login name
    return text


def where_raised(error: BaseException) -> str:
    """An exception as its type and stack (file, line, function), without its message."""
    import traceback

    lines = [f"{type(error).__module__}.{type(error).__qualname__}"]
    for frame in traceback.extract_tb(error.__traceback__):
        lines.append(f"  {_short_path(frame.filename)}:{frame.lineno} in {frame.name}")
    cause = error.__cause__ or (None if error.__suppress_context__ else error.__context__)
    if cause is not None:
        lines.append("caused by " + where_raised(cause))
    return "\n".join(lines)


def _short_path(filename: str) -> str:
    """A source path from the package folder down (app/…, ui/…), not the laptop's folders."""
    parts = Path(filename).parts
    for index in range(len(parts) - 1, -1, -1):
        if parts[index] in ("app", "ui", "connectors", "site-packages"):
            return "/".join(parts[index:])
    return parts[-1] if parts else filename


class _ScrubbingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        record = logging.makeLogRecord(record.__dict__)
        if record.exc_info and record.exc_info[1] is not None:
            stack = where_raised(record.exc_info[1])
            record.exc_info, record.exc_text = None, None
            line = super().format(record)
            return scrub(line) + "\n" + scrub(stack)
        record.exc_text, record.stack_info = None, None
        return scrub(super().format(record))


_handler: logging.Handler | None = None
_lock = threading.Lock()


def start(folder: Path | None = None, level: int = logging.INFO) -> Path | None:
    """Writes the log to `folder` (default: the platform's log folder) from now on.

    Returns the file, or None when it cannot be written (a read-only profile): Postwijs works
    without a log rather than not at all.
    """
    import logging.handlers  # here, not at the top: it costs the window's start ~15 ms

    global _handler
    path = log_file(folder)
    with _lock:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handler = logging.handlers.RotatingFileHandler(
                path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=False
            )
        except OSError:
            return None
        handler.setFormatter(_ScrubbingFormatter(FORMAT))
        root = logging.getLogger()
        if _handler is not None:
            root.removeHandler(_handler)
            _handler.close()
        root.addHandler(handler)
        root.setLevel(level)
        # The HTTP library logs every address it fetches, queries included: keep it to faults.
        logging.getLogger("urllib3").setLevel(logging.WARNING)
        _handler = handler
    return path


def ensure_started() -> None:
    """Starts the log in the usual place unless it runs already (a crash before the deferred
    start of the window's log still gets written)."""
    if _handler is None:
        start()


def stop() -> None:
    global _handler
    with _lock:
        if _handler is not None:
            logging.getLogger().removeHandler(_handler)
            _handler.close()
            _handler = None


def current_file() -> Path | None:
    return Path(_handler.baseFilename) if isinstance(_handler, logging.FileHandler) else None


def last_lines(count: int = 40, path: Path | None = None) -> list[str]:
    """The log's last lines (already scrubbed when written), oldest first."""
    path = path or current_file() or log_file()
    try:
        with path.open("rb") as file:
            file.seek(0, os.SEEK_END)
            size = file.tell()
            file.seek(max(0, size - 64_000))
            tail = file.read().decode("utf-8", errors="replace")
    except OSError:
        return []
    return tail.splitlines()[-count:]


def crash_handler(show: Callable[[], Any] | None = None):
    """A sys.excepthook that logs an exception reaching the top and then calls `show` (the UI's
    one-sentence notice). KeyboardInterrupt keeps Python's own behaviour."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        ensure_started()
        logging.getLogger(LOGGER).critical(
            "unhandled exception (version %s)", _version(), exc_info=(kind, error, tb)
        )
        if show is not None:
            try:
                show()
            except Exception:  # the notice itself failed: the log has the crash already
                logging.getLogger(LOGGER).exception("the crash notice could not be shown")

    return hook


def _version() -> str:
    from app import __version__

    return __version__


class Timed:
    """Logs one event with its outcome and duration: `with Timed("publish", network="x"):`.
    Only kinds, ids and counts belong in `fields`, never texts or names."""

    def __init__(self, event: str, **fields: object) -> None:
        self.event = event
        self.fields = fields
        self.log = logging.getLogger(f"{LOGGER}.events")

    def __enter__(self) -> Timed:
        self.started = time.perf_counter()
        return self

    def __exit__(self, kind, error, tb) -> None:
        seconds = time.perf_counter() - self.started
        details = " ".join(f"{k}={v}" for k, v in self.fields.items())
        if error is None:
            self.log.info("%s ok %s (%.2f s)", self.event, details, seconds)
        else:
            self.log.warning(
                "%s failed %s: %s (%.2f s)", self.event, details, type(error).__name__, seconds
            )


class LoggedConnector:
    """A connector whose network calls each leave one line in the log: the call, the network,
    the outcome and how long it took (never the post, the account or the answer)."""

    CALLS = frozenset(
        {"connect", "who_am_i", "publish", "find_post", "delete", "list_follows", "unfollow"}
    )

    def __init__(self, connector: Any, network: str) -> None:
        self._connector = connector
        self._network = network

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._connector, name)
        if name not in self.CALLS or not callable(attribute):
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            with Timed(name, network=self._network):
                return attribute(*args, **kwargs)

        return call

    def __enter__(self) -> LoggedConnector:
        enter = getattr(self._connector, "__enter__", None)
        if enter is not None:
            enter()
        return self

    def __exit__(self, *exc_info: object) -> None:
        leave = getattr(self._connector, "__exit__", None)
        if leave is not None:
            leave(*exc_info)
