"""The list of files the generator owns in the docs folder (docs/.factsite-manifest.json).

Whatever it lists, a later run may replace or delete, so it is read with suspicion: every entry
must be a relative path inside the docs folder that the generator could have made (a page, a
kind's page, a redirect, a data download). A hand-written page (`about.md`), an absolute path
or one with `..` makes the whole manifest invalid: nothing is written, and the message names
`factsite generate --repair-manifest`.
"""

from __future__ import annotations

import functools
import json
import posixpath
import re
from pathlib import Path

from factsite.pages import ABBREVIATIONS_INCLUDE, FIXED_DOWNLOADS, GENERATED_NAMES, HOME, TIMELINE, WHOLE_GRAPH

MANIFEST = ".factsite-manifest.json"
REPAIR = "factsite generate --repair-manifest"

# Every name comes from the one table of pages and addresses (factsite/pages.py).
_FIXED = {HOME.path, TIMELINE, ABBREVIATIONS_INCLUDE, *(page.path for page in WHOLE_GRAPH), *FIXED_DOWNLOADS}


class ManifestError(Exception):
    pass


def problem_with(name: object) -> str | None:
    """Why `name` cannot be a file the generator made, or None when it can."""
    if not isinstance(name, str) or not name:
        return "not a file name"
    return _problem_with_name(name)


@functools.lru_cache(maxsize=65536)  # the manifest's 8,000 names at 4,000 entities, read on each of the preview's edits
def _problem_with_name(name: str) -> str | None:
    if name.startswith("/") or re.match(r"[A-Za-z]:", name):
        return "an absolute path"
    if ".." in name.split("/") or posixpath.normpath(name) != name or "\\" in name:
        return "a path that leaves or wanders the docs folder"
    if name in _FIXED or GENERATED_NAMES.fullmatch(name):
        return None
    return "not a file factsite generates (a hand-written file?)"


def read_manifest(docs: Path) -> set[str]:
    """The names the generator owns; raises ManifestError, naming the repair, if the manifest is not one it wrote."""
    path = docs / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return set()
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise ManifestError(_message(path, f"cannot be read ({_reason(error)})")) from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list):
        raise ManifestError(_message(path, 'is not a factsite manifest (no "files" list)'))
    for number, name in enumerate(files):
        reason = problem_with(name)
        if reason:
            raise ManifestError(_message(path, f"files[{number}] {json.dumps(name)}: {reason}"))
    return set(files)


def salvage(docs: Path) -> tuple[set[str], list[str]]:
    """For a repair: the entries of the manifest that pass, and a line for each one dropped."""
    try:
        data = json.loads((docs / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return set(), []
    except (OSError, UnicodeDecodeError, ValueError) as error:
        return set(), [f"the whole list ({_reason(error)})"]
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list):
        return set(), ['the whole list (no "files" list)']
    kept, dropped = set(), []
    for name in files:
        reason = problem_with(name)
        if reason:
            dropped.append(f"{json.dumps(name)}: {reason}")
        else:
            kept.add(name)
    return kept, dropped


def manifest_bytes(names: set[str]) -> bytes:
    return (json.dumps({"generator": "factsite", "files": sorted(names)}, indent=1) + "\n").encode("utf-8")


def _message(path: Path, problem: str) -> str:
    return (f"{path}: {problem}; nothing was written or deleted (run `{REPAIR}`: it keeps the valid entries, "
            "claims the pages this run generates, and deletes nothing else)")


def _reason(error: Exception) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    if isinstance(error, UnicodeDecodeError):
        return "not UTF-8"
    return f"not JSON: {error}"
