"""A call run in a forked child while this process goes on: the job's DOCX while WeasyPrint lays out
the PDF, on the worker's other core.

``ForkedCall(function, *args)`` forks at once; ``result()`` waits for the child and returns what the
function returned, pickled through a pipe. The child shares this process's memory copy-on-write, so
nothing is imported or set up again; it only reads what it shares: the function must not query the
database (the connection's socket is the parent's) nor write a file the parent writes. The child
turns the garbage collector off (a collection writes to every object it visits, which would copy the
whole inherited heap) and leaves with ``os._exit``: no atexit handler, buffered output or connection
teardown of the parent's runs twice.

Nothing is forked when it is not safe: no ``os.fork``, or other threads running in this process (a
thread pool, a test server, pytest-xdist's channel), whose locks a child could inherit held;
``result()`` then raises ``NotForked``. (A prefork Celery worker's child process, where the job
runs, has one thread.) A child that failed (its function raised, it was killed, it took longer than the
timeout, its answer cannot be read) makes ``result()`` raise ``ChildFailed``. Either way the caller
does the work in this process, where a real error is raised again with its own type.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import select
import signal
import tempfile
import threading
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)

# The most memory (kB) this process and a child of its have held together: this process's resident
# memory once the child has ended, plus the pages the child had of its own (those it wrote, and those
# this process wrote while it lived), which it shares with nothing. A benchmark reads it beside
# ru_maxrss, which counts this process alone.
_peak_with_child_kb = 0


class NotForked(Exception):
    """Nothing was forked (no os.fork, or other threads are running): do the work here."""


class ChildFailed(Exception):
    """The child did not give an answer (its function raised, it died or timed out): do the work here."""


def peak_with_child_kb() -> int:
    """The most memory (kB) this process and a child forked by it have held together (0: none forked)."""
    return _peak_with_child_kb


def threads_running() -> int:
    """This process's threads, those no ``threading.Thread`` stands for included (execnet's, a C library's)."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


def can_fork() -> bool:
    return hasattr(os, "fork") and threads_running() == 1


class ForkedCall:
    """``function(*args, **kwargs)`` in a forked child; use as a context manager, so that a child
    still running when the caller stops (an error, the soft time limit) is killed and reaped."""

    def __init__(self, function: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        self.pid: int | None = None
        self._pipe: int | None = None
        self._answer = None
        if not can_fork():
            return
        # The answer goes to a file, not through the pipe: a child blocked writing a pipe nobody reads
        # yet would live on, and while it lives every page this process writes is copied for it.
        # The pipe only tells that the child has ended (its end closes).
        self._answer = tempfile.TemporaryFile()  # noqa: SIM115 - closed by close()
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:  # no memory or process left for a child: the caller does the work
            logger.warning("Could not fork a child", exc_info=True)
            for end in (read, write):
                os.close(end)
            self.close()
            return
        if pid == 0:  # the child: never returns
            os.close(read)
            _child(self._answer.fileno(), function, args, kwargs)
        os.close(write)
        self.pid, self._pipe = pid, read

    def __enter__(self) -> ForkedCall:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def result(self, *, timeout: float = 60) -> Any:
        """What the function returned in the child; raises NotForked or ChildFailed."""
        global _peak_with_child_kb
        if self.pid is None or self._pipe is None:
            raise NotForked
        try:
            if not select.select([self._pipe], [], [], timeout)[0]:
                raise ChildFailed(f"no answer within {timeout} s")
            self._reap()
            self._answer.seek(0)
            data = self._answer.read()
        finally:
            self.close()
        try:
            outcome, value, private_kb = pickle.loads(data)  # noqa: S301 - our own child's answer
        except Exception as error:
            raise ChildFailed(f"unreadable answer ({len(data)} bytes)") from error
        _peak_with_child_kb = max(_peak_with_child_kb, _resident_kb() + private_kb)
        if outcome != "ok":
            raise ChildFailed(value)
        return value

    def close(self) -> None:
        """Kills the child if it still runs, and reaps it (no zombie is left)."""
        if self._pipe is not None:
            os.close(self._pipe)
            self._pipe = None
        if self.pid is not None:
            with contextlib.suppress(ChildProcessError):  # reaped already (a SIGCHLD handler of the worker's)
                if os.waitpid(self.pid, os.WNOHANG) == (0, 0):
                    os.kill(self.pid, signal.SIGKILL)
                    os.waitpid(self.pid, 0)
            self.pid = None
        if self._answer is not None:
            self._answer.close()
            self._answer = None

    def _reap(self) -> None:
        """Waits for the child, whose end of the pipe has closed (it is exiting)."""
        with contextlib.suppress(ChildProcessError):  # reaped already
            os.waitpid(self.pid, 0)
        self.pid = None


def _child(answer_file: int, function: Callable[..., Any], args: tuple, kwargs: dict) -> None:
    status = 1
    try:
        import gc

        gc.disable()
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGUSR1):
            signal.signal(number, signal.SIG_DFL)  # the worker's handlers are not the child's
        try:
            answer = ("ok", function(*args, **kwargs))
        except BaseException as error:  # told to the parent, which does the work again
            answer = ("error", repr(error)[:500])
        data = pickle.dumps((*answer, _private_kb()))
        with os.fdopen(answer_file, "wb") as out:
            out.write(data)
        status = 0
    except BaseException:  # noqa: S110 - the parent sees no answer and does the work itself
        pass
    finally:
        os._exit(status)


def _resident_kb() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError):
        return 0


def _private_kb() -> int:
    """This process's own pages (kB): those it wrote, and those the parent wrote since the fork."""
    try:
        with open("/proc/self/smaps_rollup", encoding="ascii") as rollup:
            fields = dict(line.split(":", 1) for line in rollup if ":" in line)
    except OSError:
        return 0
    return sum(int(fields.get(name, "0 kB").split()[0]) for name in ("Private_Clean", "Private_Dirty"))
