"""Run the factsite command line, and send this very process a signal at its K-th file-system step.

    python tests/crash_at.py K SIGNAL [factsite arguments...]

A step is a call of os.replace, os.rename, os.unlink, os.mkdir, os.rmdir or of the write stage's
write_file, in any thread: the generator's, the journal's and MkDocs' alike. With K = 0 no signal
is sent and each step is listed, one a line, in the file named by $CRASH_STEPS.
"""

from __future__ import annotations

import atexit
import itertools
import os
import signal
import sys

from factsite import transaction
from factsite.cli import main

K, SIGNAL = int(sys.argv[1]), getattr(signal, sys.argv[2])
# A process started in the background by a non-interactive shell inherits SIGINT ignored, and Python
# then installs no KeyboardInterrupt handler: stand in for a reader's Ctrl-C whoever started the tests.
signal.signal(signal.SIGINT, signal.default_int_handler)
STEPS: list[str] = []
_count = itertools.count(1)


def _step(name: str, path) -> None:
    number = next(_count)
    if K == 0:
        STEPS.append(f"{name} {os.fsdecode(path)}")
    elif number == K:
        os.kill(os.getpid(), SIGNAL)


def _counted(name: str, real):
    def step(path, *args, **kwargs):
        _step(name, path)
        return real(path, *args, **kwargs)
    return step


for _name in ("replace", "rename", "unlink", "mkdir", "rmdir"):
    setattr(os, _name, _counted(_name, getattr(os, _name)))
transaction.write_file = _counted("write_file", transaction.write_file)

if K == 0:
    atexit.register(lambda: open(os.environ["CRASH_STEPS"], "w", encoding="utf-8").write("\n".join(STEPS) + "\n"))

sys.argv = ["factsite", *sys.argv[3:]]
main()
