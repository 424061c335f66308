"""Stage 1, load: read every YAML file under data/ strictly, keeping the position of each value; and
the data's date (`data_epoch`), which the downloads and the edition carry.

The YAML is parsed by libyaml when PyYAML was built with it (measured 7.5x faster than the
pure-Python parser) and turned into values here, event by event, so that the strict rules
hold whichever parser runs: no duplicate keys, no anchors or aliases, no tags, one document.
Unquoted scalars are kept as `Plain` strings; the validator, which knows what each field
expects, decides whether YAML 1.1 would have read them as something else (`NO` -> false).
"""

from __future__ import annotations

import datetime
import functools
import os
import re
import stat
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from factsite.ids import character_name
from factsite.problems import Problem, did_you_mean
from factsite.schema import GLOSSARY_FILE, KINDS
from factsite.types import Plain

Parser = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_DEPTH = 32
FieldPath = tuple  # ('relations', 1, 'to')


@dataclass
class Document:
    """One data file: its parsed value and where each value and key stands in the file."""

    path: str  # as shown in messages, relative to the working directory when possible
    kind: str  # a kind's folder name, or "glossary"
    id: str  # the file's stem
    data: object
    value_positions: dict = field(default_factory=dict)
    key_positions: dict = field(default_factory=dict)
    # Where each text value's source stands in `text` (start and end offsets), so that a problem inside
    # a value, like a mistyped [[link]] in a paragraph, can be placed where it is written.
    value_spans: dict = field(default_factory=dict)
    text: str = ""
    # A file that could not be read (its problem is already reported): validation skips it, but its
    # id still counts as taken, so that references to it do not each report a second, misleading error.
    broken: bool = False

    def position(self, path: FieldPath, *, key: bool = False) -> tuple[int, int]:
        """Line and column of the value at `path` (or of its key), else of its nearest parent."""
        table = self.key_positions if key else self.value_positions
        while path:
            if path in table:
                return table[path]
            path = path[:-1]
            table = self.value_positions
        return self.value_positions.get((), (1, 1))

    def problem(self, path: FieldPath, message: str, hint: str = "", *, key: bool = False) -> Problem:
        line, col = self.position(path, key=key)
        return Problem(self.path, line, col, dotted(path), message, hint)

    def position_of(self, path: FieldPath, written: str, occurrence: int = 0) -> tuple[int, int]:
        """Line and column of `written`, a piece of the text value at `path` (its `occurrence`-th time),
        where the file holds it as it is; else the value's own position.

        A folded or quoted value may differ from its source (line breaks folded, escapes), so the piece
        is looked for in the source and, when it is not found there as often as in the value, the
        value's start is the honest answer."""
        span = self.value_spans.get(path)
        if span is None:
            return self.position(path)
        source = self.text[span[0]:span[1]]
        at = -1
        for _ in range(occurrence + 1):
            at = source.find(written, at + 1)
            if at < 0:
                return self.position(path)
        offset = span[0] + at
        line_start = self.text.rfind("\n", 0, offset) + 1
        return self.text.count("\n", 0, offset) + 1, offset - line_start + 1


def dotted(path: FieldPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


class LoadError(Exception):
    def __init__(self, problem: Problem):
        self.problem = problem
        super().__init__(str(problem))


@dataclass
class Loaded:
    documents: list[Document]
    problems: list[Problem]


def display_path(path: Path) -> str:
    # The folder is resolved, not the file: a symbolic link is shown where it stands, not where it points.
    folder = _shown_folder(str(path.parent), os.getcwd())
    if folder is None:
        return str(path)
    return f"{folder}/{path.name}" if folder else path.name


@functools.lru_cache(maxsize=256)  # thousands of files share a few folders; resolving each cost 0.17 s at 4,000
def _shown_folder(folder: str, cwd: str) -> str | None:
    """The folder relative to the working directory ("" for itself), or None when it lies outside."""
    try:
        relative = Path(folder).resolve().relative_to(Path(cwd).resolve())
    except ValueError:
        return None
    return "" if relative == Path(".") else str(relative)


def load_data(data_dir: Path) -> Loaded:
    """Read every data file; a file that cannot be read becomes a problem, not an exception."""
    documents: list[Document] = []
    problems: list[Problem] = []
    for path, kind in _data_files(data_dir, problems):
        try:
            documents.append(load_file(path, kind))
        except LoadError as error:
            problems.append(error.problem)
            documents.append(Document(display_path(path), kind, path.stem, None, broken=True))
    return Loaded(documents, problems)


def data_epoch(data_dir: Path) -> int:
    """When the data was made, never the clock, so the same data gives the same files: SOURCE_DATE_EPOCH if
    set, else the time of the last commit that touched the data, else its newest file's modification time."""
    if os.environ.get("SOURCE_DATE_EPOCH"):
        return int(os.environ["SOURCE_DATE_EPOCH"])
    committed = _last_commit_time(data_dir)
    if committed is not None:
        return committed
    times = _yaml_mtimes(data_dir)
    return int(max(times)) if times else 0


def _yaml_mtimes(data_dir: Path) -> list[float]:
    """The modification times of the YAML files under `data_dir`, as `rglob("*.yaml")` finds them, by
    os.walk: pathlib's rglob took a second at 4,000 entities, and the preview asks on every edit."""
    times = []
    for folder, _, names in os.walk(data_dir, followlinks=True):
        times += [os.stat(os.path.join(folder, name)).st_mtime for name in names if name.endswith(".yaml")]
    return times


def _last_commit_time(data_dir: Path) -> int | None:
    try:
        result = subprocess.run(["git", "log", "-1", "--format=%ct", "--", "."], cwd=data_dir, capture_output=True,
                                text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return int(result.stdout.strip()) if result.returncode == 0 and result.stdout.strip() else None


def iso_time(epoch: int) -> str:
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _entries(folder: Path, problems: list[Problem]) -> list[os.DirEntry]:
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda e: e.name)
    except OSError as error:
        problems.append(cannot_read(display_path(folder), error))
        return []


def cannot_read(shown: str, error: OSError) -> Problem:
    return Problem(shown, 0, 0, "", "cannot read", error.strerror or str(error))


def _data_files(data_dir: Path, problems: list[Problem]):
    if not data_dir.is_dir():
        problems.append(Problem(display_path(data_dir), 1, 1, "", "no such data folder"))
        return
    for entry in _entries(data_dir, problems):
        path = Path(entry.path)
        if entry.is_symlink():
            problems.append(_symlink_problem(path))
        elif entry.is_dir():
            if entry.name in KINDS:
                yield from _kind_files(path, entry.name, problems)
            elif not entry.name.startswith("."):
                hint = did_you_mean(entry.name, KINDS) or f"data folders are: {', '.join(KINDS)}"
                problems.append(Problem(display_path(path), 1, 1, "", "unknown data folder", hint))
        elif entry.name == GLOSSARY_FILE:
            yield path, "glossary"
        elif entry.name.endswith((".yaml", ".yml")):
            problems.append(Problem(display_path(path), 1, 1, "", "a data file outside a kind's folder",
                                    f"move it into one of: {', '.join(KINDS)}"))


def _kind_files(folder: Path, kind: str, problems: list[Problem]):
    for entry in _entries(folder, problems):
        path = Path(entry.path)
        if entry.is_symlink():
            problems.append(_symlink_problem(path))
        elif entry.is_dir():
            problems.append(Problem(display_path(path), 1, 1, "", "folders inside a kind's folder are not read",
                                    f"put the files directly in data/{kind}/"))
        elif entry.name.endswith(".yaml"):
            yield path, kind
        elif entry.name.endswith(".yml"):
            problems.append(Problem(display_path(path), 1, 1, "", "data files end in .yaml",
                                    f"rename it to {path.stem}.yaml"))


def _symlink_problem(path: Path) -> Problem:
    return Problem(display_path(path), 1, 1, "", "symbolic links are not allowed in data/",
                   "replace the link with the file itself")


def load_file(path: Path, kind: str) -> Document:
    shown = display_path(path)
    text = decode(read_regular_file(path, shown), shown)
    document = Document(shown, kind, path.stem, None, text=text)
    document.data = _Builder(document).build(text)
    return document


_NOT_REGULAR = [(stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"),
                (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device")]


def _refuse_unless_regular(mode: int, shown: str) -> None:
    if not stat.S_ISREG(mode):
        what = next((name for test, name in _NOT_REGULAR if test(mode)), "not a regular file")
        raise LoadError(Problem(shown, 0, 0, "", "cannot read", f"it is {what}; data files are plain files"))


def _refuse_if_not_regular(path: Path, shown: str) -> None:
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return
    _refuse_unless_regular(mode, shown)


def read_regular_file(path: Path, shown: str) -> bytes:
    """The bytes of a regular file; anything else (a FIFO would block forever) is a problem, never a hang.

    The file is opened without blocking and checked once open, so that it cannot be swapped for a pipe
    between a check and the read."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
    except OSError as error:
        _refuse_if_not_regular(path, shown)  # a socket cannot be opened at all: say what it is
        raise LoadError(cannot_read(shown, error)) from None
    try:
        _refuse_unless_regular(os.fstat(descriptor).st_mode, shown)
        with os.fdopen(descriptor, "rb", closefd=False) as file:
            return file.read()
    except OSError as error:
        raise LoadError(cannot_read(shown, error)) from None
    finally:
        os.close(descriptor)


# What YAML refuses to find in a file: control characters other than tab and line breaks, and U+FFFE/U+FFFF.
_UNPRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")


def _utf16_without_mark(raw: bytes) -> bool:
    """Text in UTF-16 has a zero byte beside each ASCII letter: `n\\0a\\0` or `\\0n\\0a`."""
    head = raw[:4]
    return len(head) == 4 and ((head[1] == head[3] == 0) or (head[0] == head[2] == 0)) and head != bytes(4)


def decode(raw: bytes, shown: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or _utf16_without_mark(raw):
        raise LoadError(Problem(shown, 1, 1, "", "the file is UTF-16, not UTF-8", "save it as UTF-8"))
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        col = len(before[before.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        byte = raw[error.start]
        raise LoadError(Problem(shown, line, col, "", f"not valid UTF-8 (byte 0x{byte:02x})",
                                "save the file as UTF-8")) from None
    unprintable = _UNPRINTABLE.search(text)
    if unprintable:  # libyaml would name only the offset, in a second line
        offset = unprintable.start()
        line_start = text.rfind("\n", 0, offset) + 1
        raise LoadError(Problem(shown, text.count("\n", 0, offset) + 1, offset - line_start + 1, "",
                                f"the file holds {character_name(text[offset])}, which YAML does not allow",
                                "remove it"))
    return text


class _Builder:
    """Turns libyaml's event stream into dicts, lists and strings, refusing what we do not allow."""

    def __init__(self, document: Document):
        self.document = document

    def build(self, text: str) -> object:
        try:
            events = self._events = iter(list(yaml.parse(text, Loader=Parser)))
        except yaml.MarkedYAMLError as error:
            raise LoadError(self._yaml_problem(error)) from None
        except yaml.YAMLError as error:  # pragma: no cover - every parser error carries a mark
            raise LoadError(Problem(self.document.path, 1, 1, "", f"invalid YAML: {error}")) from None
        next(events)  # StreamStart
        start = next(events)
        if isinstance(start, yaml.StreamEndEvent):
            raise LoadError(Problem(self.document.path, 1, 1, "", "the file is empty",
                                    "a data file is a mapping of fields, starting with 'name:'"))
        value = self._node(next(events), (), 0)
        next(events)  # DocumentEnd
        extra = next(events)
        if isinstance(extra, yaml.DocumentStartEvent):
            raise self._error(extra, "only one YAML document is allowed in a file", "remove the '---' line and what follows, or split the file")
        return value

    def _error(self, event, message: str, hint: str = "", path: FieldPath = ()) -> LoadError:
        mark = event.start_mark
        return LoadError(Problem(self.document.path, mark.line + 1, mark.column + 1, dotted(path), message, hint))

    def _yaml_problem(self, error: yaml.MarkedYAMLError) -> Problem:
        mark = error.problem_mark or error.context_mark
        problem = (error.problem or error.context or "invalid YAML").strip()
        hint = ""
        if "'\\t'" in problem or "tab" in problem:
            problem, hint = "a tab character where YAML expects indentation or a value", "indent with spaces, not tabs"
        elif error.context:
            context = error.context.strip()
            start = error.context_mark
            if error.problem and start and mark and (start.line, start.column) != (mark.line, mark.column):
                # "while parsing a flow sequence" says little; where it started says which bracket is open
                context += f" that starts at line {start.line + 1}, column {start.column + 1}"
            problem = f"{context}: {problem}" if error.problem else problem
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        return Problem(self.document.path, line, col, "", f"invalid YAML: {problem}", hint)

    def _node(self, event, path: FieldPath, depth: int):
        if depth > MAX_DEPTH:
            raise self._error(event, f"nested more than {MAX_DEPTH} levels deep", "flatten the structure", path)
        if type(event) is yaml.AliasEvent:
            raise self._error(event, f"aliases (*{event.anchor}) are not allowed", "write the value out in full", path)
        if event.anchor is not None:
            raise self._error(event, f"anchors (&{event.anchor}) are not allowed", "write each value out in full", path)
        if event.tag is not None:
            shown = event.tag.replace("tag:yaml.org,2002:", "!!")
            raise self._error(event, f"tags ({shown}) are not allowed", "remove the tag; data files hold only plain values", path)
        mark = event.start_mark
        self.document.value_positions[path] = (mark.line + 1, mark.column + 1)
        kind = type(event)
        if kind is yaml.ScalarEvent:
            self.document.value_spans[path] = (mark.index, event.end_mark.index)
            return Plain(event.value) if not event.style else event.value
        if kind is yaml.SequenceStartEvent:
            return self._sequence(path, depth)
        return self._mapping(path, depth)

    def _sequence(self, path: FieldPath, depth: int) -> list:
        items: list = []
        events = self._events
        event = next(events)
        while type(event) is not yaml.SequenceEndEvent:
            items.append(self._node(event, path + (len(items),), depth + 1))
            event = next(events)
        return items

    def _mapping(self, path: FieldPath, depth: int) -> dict:
        mapping: dict = {}
        first_seen: dict = {}
        key_positions = self.document.key_positions
        events = self._events
        key_event = next(events)
        while type(key_event) is not yaml.MappingEndEvent:
            if type(key_event) is not yaml.ScalarEvent or key_event.anchor or key_event.tag:
                raise self._error(key_event, "keys must be plain field names", "write 'field: value'", path)
            key = str(key_event.value)
            mark = key_event.start_mark
            if key in mapping:
                raise self._error(key_event, f"duplicate key '{key}' (first at line {first_seen[key]})",
                                  "keep one of them", path + (key,))
            first_seen[key] = mark.line + 1
            key_positions[path + (key,)] = (mark.line + 1, mark.column + 1)
            mapping[key] = self._node(next(events), path + (key,), depth + 1)
            key_event = next(events)
        return mapping
