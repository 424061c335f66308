"""Under `mkdocs serve`, one build per edit: the generator's own writes into docs/ start no rebuild.

MkDocs 1.6 watches docs/ with a watchdog observer whose every file event sets the server's
`_want_rebuild` flag; since the plugin writes pages into docs/ during each build, every edit of the
data was built twice. So the plugin swaps MkDocs' watch of docs/ for one that passes on only the
events of files the generator does not own (hand-written pages and assets): the pages it lists,
the ones a run is writing, its manifest and its journal are skipped. This relies on two private
attributes of MkDocs' LiveReloadServer; MkDocs 1.x is pinned and has had no release since 1.6.1,
and without them the watch is left as MkDocs made it (two builds per edit, as before).
"""

from __future__ import annotations

import os
from pathlib import Path

from factsite import run
from factsite.journal import JOURNAL
from factsite.manifest import MANIFEST

def watch_hand_written_docs(server, docs: Path, owned: set[str], session=None) -> bool:
    """Replace MkDocs' watch of `docs`, skipping the pages in `owned` (the generator's, which the plugin
    adds to as it writes them); returns False (and changes nothing) on a server without the hooks needed."""
    needed = ("unwatch", "observer", "_rebuild_cond", "_want_rebuild", "_watched_paths")
    if not all(hasattr(server, name) for name in needed) or os.path.abspath(docs) not in server._watched_paths:
        return False
    import watchdog.events

    server.unwatch(str(docs))
    root = os.path.abspath(docs)

    def on_any_event(event) -> None:
        if event.is_directory:
            return
        paths = [event.src_path, getattr(event, "dest_path", "") or ""]
        if all(not path or is_ours(os.path.relpath(os.fsdecode(path), root), docs, owned) for path in paths):
            return
        if session is not None:
            session.hand_written_changed = True  # only a MkDocs build finds which page, and new or removed ones
        with server._rebuild_cond:
            server._want_rebuild = True
            server._rebuild_cond.notify_all()

    handler = watchdog.events.FileSystemEventHandler()
    handler.on_any_event = on_any_event
    server.observer.schedule(handler, root, recursive=True)
    return True


def is_ours(name: str, docs: Path, owned: set[str]) -> bool:
    name = name.replace(os.sep, "/")
    if name == MANIFEST or name == JOURNAL or name.startswith(JOURNAL + "/") or name in owned:
        return True
    current = run.active(docs)
    return current is not None and name in current.touched


# watchdog's event types that change nothing: reading a file (the generator reads templates and data) must start no build
READS = ("opened", "closed_no_write")


def watch_with_file_events(server) -> bool:
    """MkDocs polls every watched folder every half second: a stat of each of 12,000 files at 4,000
    entities, which also slows the builds it waits for, and up to half a second before an edit is seen.
    This moves its watches, before the server starts, to the system's file events (inotify on Linux),
    with the same handlers, which never hear of a read. False (nothing changed) where watchdog has only polling."""
    import watchdog.observers
    import watchdog.observers.polling

    old = getattr(server, "observer", None)
    if old is None or old.is_alive() or not isinstance(getattr(server, "_watch_refs", None), dict) \
            or not hasattr(old, "_handlers"):
        return False
    new = watchdog.observers.Observer()
    if isinstance(new, watchdog.observers.polling.PollingObserver):
        return False
    moved = {}
    for watch, handlers in list(old._handlers.items()):
        for handler in handlers:
            moved[watch] = new.schedule(_changes_only(handler), watch.path, recursive=watch.is_recursive)
    server._watch_refs = {path: moved.get(ref, ref) for path, ref in server._watch_refs.items()}
    server.observer = new
    if isinstance(getattr(server, "build_delay", None), float):
        server.build_delay = SETTLE
    return True


# How long the server waits after a change for more before it builds (MkDocs: 0.1 s). A file event
# arrives within a millisecond of the write, and an editor's save (a write, or a temporary file renamed
# over the old one) is over in fewer: a change that comes later is built next, nothing lost.
SETTLE = 0.03


def _changes_only(handler):
    import watchdog.events

    def on_any_event(event) -> None:
        if event.event_type not in READS:
            handler.dispatch(event)

    wrapper = watchdog.events.FileSystemEventHandler()
    wrapper.on_any_event = on_any_event
    return wrapper
