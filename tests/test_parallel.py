"""The forked half of the render stage (the pipeline shares it out): same files as one process, and its
failures reach the parent."""

from __future__ import annotations

import os
import signal
import threading

import pytest
from conftest import MINI

from factsite import parallel, pipeline
from factsite.enrich import enrich
from factsite.pipeline import check
from factsite.render import TEMPLATES


@pytest.fixture(autouse=True)
def forking():
    if not parallel.can_fork():
        threads = ", ".join(t.name for t in threading.enumerate())
        reason = f"forking needs Linux, two cores and one thread (threads running: {threads})"
        if os.environ.get("CI"):  # CI's machine has all three (conftest runs these tests first)
            pytest.fail(f"the forking tests must run in CI: {reason}")
        pytest.skip(reason)


def test_the_other_half_runs_in_another_process():
    here, there = parallel.both(os.getpid, os.getpid)
    assert here == os.getpid() and there != os.getpid()


def test_one_process_when_asked_or_not_worth_it(monkeypatch):
    assert parallel.both(os.getpid, os.getpid, worth_forking=False) == (os.getpid(), os.getpid())
    monkeypatch.setenv("FACTSITE_PROCESSES", "1")
    assert not parallel.can_fork()
    assert parallel.both(os.getpid, os.getpid) == (os.getpid(), os.getpid())


def test_no_fork_while_other_threads_run():
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not parallel.can_fork()
        assert parallel.both(os.getpid, os.getpid) == (os.getpid(), os.getpid())
    finally:
        stop.set()
        thread.join()


def test_an_error_in_the_child_is_raised_in_the_parent_with_where_it_happened():
    def fails():
        raise KeyError("no-such-entity")

    with pytest.raises(KeyError, match="no-such-entity") as raised:
        parallel.both(lambda: 1, fails)
    assert any("in the forked worker" in note and "fails" in note for note in raised.value.__notes__)


def test_an_error_that_will_not_pickle_still_says_what_it_was():
    class Local(Exception):  # a class defined in a function cannot be pickled
        pass

    def fails():
        raise Local("the template broke")

    with pytest.raises(parallel.WorkerError, match="the template broke"):
        parallel.both(lambda: 1, fails)


def test_a_child_that_dies_is_reported():
    with pytest.raises(parallel.WorkerError, match=f"killed by signal {int(signal.SIGKILL)}"):
        parallel.both(lambda: 1, lambda: os.kill(os.getpid(), signal.SIGKILL))


def test_forked_render_gives_the_same_pages_in_the_same_order(monkeypatch):
    graph = enrich(check(MINI / "data").validated.model)

    def made() -> dict[str, str]:
        return pipeline.pages_and_downloads(graph, TEMPLATES, "2017-12-15T00:00:00Z")

    monkeypatch.setenv("FACTSITE_PROCESSES", "1")
    serial = made()
    monkeypatch.delenv("FACTSITE_PROCESSES")
    monkeypatch.setattr(pipeline, "FORK_FROM_ENTITIES", 0)
    forks, real_fork = [], os.fork
    monkeypatch.setattr(parallel.os, "fork", lambda: forks.append(1) or real_fork())
    forked = made()
    assert forks == [1]  # it did fork: the comparison below is not one process against itself
    assert list(forked) == list(serial)
    assert forked == serial


def test_a_fork_that_fails_runs_both_here(monkeypatch):
    def no_fork():
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(parallel.os, "fork", no_fork)
    assert parallel.both(os.getpid, os.getpid) == (os.getpid(), os.getpid())
