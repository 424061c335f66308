"""Signals: SIGTERM ends a run the way Ctrl-C does (so it undoes its changes), and the steps that
finish or undo a run are not cut short by either."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

STOPPING = (signal.SIGINT, signal.SIGTERM)


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signal.Signals(signum).name}")


def terminate_as_interrupt() -> None:
    """From now on SIGTERM raises KeyboardInterrupt, as SIGINT does, instead of ending the process on the spot."""
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)


@contextmanager
def deferred():
    """Hold SIGINT and SIGTERM until the block is done, then act on the first that came."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {signum: signal.signal(signum, lambda signum, frame: received.append(signum)) for signum in STOPPING}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
        if received:
            signal.raise_signal(received[0])
