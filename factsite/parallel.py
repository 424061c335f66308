"""Two pieces of work at once, on a machine with more than one core: one here, one in a forked child.

The render stage is pure Python, so threads would take turns; a forked child starts with the
graph and the compiled templates already in memory and sends back only its strings. Forking is
used only where it is safe and worth it: on Linux, with more than one core, while this process
runs a single thread (`mkdocs serve` runs several: it renders in one process), and when
FACTSITE_PROCESSES is not 1. Otherwise both pieces run here, one after the other, with the same
result.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
import traceback
from collections.abc import Callable
from typing import TypeVar

A = TypeVar("A")
B = TypeVar("B")


class WorkerError(RuntimeError):
    pass


def can_fork() -> bool:
    if os.environ.get("FACTSITE_PROCESSES", "").strip() == "1":
        return False
    if not sys.platform.startswith("linux") or threading.active_count() > 1:
        return False
    return len(os.sched_getaffinity(0)) > 1


def both(here: Callable[[], A], there: Callable[[], B], *, worth_forking: bool = True) -> tuple[A, B]:
    """(here(), there()), with there() run in a forked child when that is possible and worth it."""
    if not (worth_forking and can_fork()):
        return here(), there()
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no memory or process slot for a worker: the same work, in one process
        os.close(read_end)
        os.close(write_end)
        return here(), there()
    if pid == 0:  # the child: run, send the result (or the error) back, and leave without cleaning up
        os.close(read_end)
        _child(there, write_end)
    os.close(write_end)
    try:
        mine = here()
    finally:
        with os.fdopen(read_end, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(pid, 0)
    return mine, _result(payload, status, pid)


def _child(work: Callable[[], object], write_end: int) -> None:
    try:
        try:
            payload = pickle.dumps((True, work()), protocol=pickle.HIGHEST_PROTOCOL)
        except BaseException as error:  # noqa: BLE001 - every failure goes back to the parent
            error.add_note("in the forked worker:\n" + "".join(traceback.format_tb(error.__traceback__)).rstrip())
            payload = pickle.dumps((False, _picklable(error)), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
    finally:
        os._exit(0)


def _picklable(error: BaseException) -> BaseException:
    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:  # noqa: BLE001 - an exception that will not pickle still has its text
        return WorkerError("".join(traceback.format_exception(error)).rstrip())


def _result(payload: bytes, status: int, pid: int):
    if not payload:
        raise WorkerError(f"the forked worker (pid {pid}) ended without a result ({_describe(status)})")
    ok, value = pickle.loads(payload)
    if not ok:
        raise value
    return value


def _describe(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"
