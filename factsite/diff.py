"""`factsite diff`: what a change does to the site, before MkDocs runs.

The generator runs twice in this process, on the data and templates at a git commit (copied into
a temporary folder) and on those in the work tree, and nothing is written anywhere else: not
docs/, not site/, not the work tree. The two results are compared three ways:

- pages: every generated Markdown page (and redirect) by its path in docs/;
- downloads: the data files of the Data page, compared without their `generated_at` time;
- search entries: for each entity page, what search matches it by and shows for it (its title,
  its names: name, abbreviation, aliases and the "Also spelt" forms, and its summary): all that the
  search index holds of an entity page (factsite/search_index.py).

The generator's code is the work tree's on both sides: the comparison shows what a change to the
data or the templates does to the site.
"""

from __future__ import annotations

import difflib
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import jinja2

from factsite import gitref
from factsite.enrich import EntityView, Graph, enrich
from factsite.load import iso_time
from factsite.pages import html_path
from factsite.pipeline import check, pages_and_downloads
from factsite.problems import DataError, Problem
from factsite.render import TEMPLATES

PAGE_SUFFIXES = (".md", ".html")  # everything else the generator makes is a download
UNCOMPARED_TIME = iso_time(0)  # both sides' downloads carry this `generated_at`, so only the data counts


@dataclass
class Snapshot:
    """What the generator makes from one copy of the data, by path."""

    pages: dict[str, str]
    downloads: dict[str, str]
    search: dict[str, str]  # an entity page's address -> its search entry as text
    entity_pages: dict[str, str]  # id -> page
    former_ids: dict[str, str]  # a renamed entity's former id -> its page


@dataclass
class Change:
    path: str
    before: str | None  # None: added
    after: str | None  # None: removed
    former_path: str = ""  # a renamed entity's page (or search entry) before

    @property
    def status(self) -> str:
        if self.former_path:
            return "renamed"
        return "added" if self.before is None else "removed" if self.after is None else "changed"

    @property
    def shown(self) -> str:
        return f"{self.former_path} → {self.path}" if self.former_path else self.path

    def unified(self) -> list[str]:
        """The change as a unified diff, headed like git's."""
        before, after = _lines(self.before), _lines(self.after)
        return list(difflib.unified_diff(before, after,
                                         "/dev/null" if self.before is None else f"a/{self.former_path or self.path}",
                                         "/dev/null" if self.after is None else f"b/{self.path}", lineterm=""))


def _lines(text: str | None) -> list[str]:
    if text is None:
        return []
    return text.removesuffix("\n").split("\n")  # a final newline ends the last line; it starts no other


@dataclass
class Changes:
    entity_pages: list[Change] = field(default_factory=list)
    other_pages: list[Change] = field(default_factory=list)
    downloads: list[Change] = field(default_factory=list)
    search: list[Change] = field(default_factory=list)

    def groups(self) -> list[tuple[str, list[Change]]]:
        return [("entity pages", self.entity_pages), ("other pages", self.other_pages),
                ("downloads", self.downloads), ("search entries", self.search)]

    def __bool__(self) -> bool:
        return any(changes for _, changes in self.groups())


@dataclass
class Comparison:
    base: gitref.Base
    changes: Changes
    notes: list[str] = field(default_factory=list)  # how the comparison was made, where it is not the usual way


class BaseDataError(Exception):
    """The data at the commit compared with has errors, so there is no site to compare with."""

    def __init__(self, base: gitref.Base, problems: list[Problem]):
        self.base = base
        self.problems = problems
        super().__init__(f"the data at {base.label} has errors")


# ---------------------------------------------------------------- one side


def snapshot(data_dir: Path, templates: Path = TEMPLATES) -> Snapshot:
    """load → validate → enrich → render, in memory; raises DataError when the data has errors."""
    checked = check(data_dir)
    if checked.problems:
        raise DataError(checked.problems)
    graph = enrich(checked.validated.model)
    made = pages_and_downloads(graph, templates, UNCOMPARED_TIME)
    pages = {path: text for path, text in made.items() if path.endswith(PAGE_SUFFIXES)}
    return Snapshot(pages=pages, downloads={path: text for path, text in made.items() if path not in pages},
                    search=search_entries(graph), entity_pages={id_: view.page for id_, view in graph.entities.items()},
                    former_ids={old: view.page for old, view in graph.redirects.items()})


def search_entries(graph: Graph) -> dict[str, str]:
    return {html_path(view.page): search_entry(view) for view in graph.entities.values()}


def search_entry(view: EntityView) -> str:
    names = [view.name, view.entity.abbreviation, *view.entity.aliases, *view.search_names]
    unique = list(dict.fromkeys(name for name in names if name))
    return f"title: {view.title}\nnames: {' · '.join(unique)}\nsummary: {view.summary_text}\n"


# ---------------------------------------------------------------- two sides


def compare(before: Snapshot, after: Snapshot) -> Changes:
    entity_pages = set(before.entity_pages.values()) | set(after.entity_pages.values())
    renamed = renames(before, after)
    pages = _changed(before.pages, after.pages, renamed)
    return Changes(entity_pages=[c for c in pages if c.path in entity_pages],
                   other_pages=[c for c in pages if c.path not in entity_pages],
                   downloads=_changed(before.downloads, after.downloads),
                   search=_changed(before.search, after.search,
                                   {html_path(new): html_path(old) for new, old in renamed.items()}))


def renames(before: Snapshot, after: Snapshot) -> dict[str, str]:
    """new page -> old page, for each entity that lists the id of a page that is gone as a former id."""
    found = {}
    for old_id, new_page in after.former_ids.items():
        old_page = before.entity_pages.get(old_id)
        if old_page and old_page not in after.pages and new_page not in before.pages:
            found[new_page] = old_page
    return found


def _changed(before: dict[str, str], after: dict[str, str], renamed: dict[str, str] | None = None) -> list[Change]:
    """Each path whose text differs; a renamed page is one change, from its old path to its new."""
    renamed = renamed or {}
    gone = set(renamed.values())
    changes = []
    for path in sorted(before.keys() | after.keys()):
        if path in renamed:
            changes.append(Change(path, before[renamed[path]], after[path], former_path=renamed[path]))
        elif path not in gone and before.get(path) != after.get(path):
            changes.append(Change(path, before.get(path), after.get(path)))
    return changes


def compare_with_commit(data_dir: Path, ref: str | None, templates: Path | None = None) -> Comparison:
    """The work tree's site against the one at REF (default: the merge base with main).

    Raises gitref.GitError when there is nothing to compare with, BaseDataError when the data at
    REF has errors, DataError when the work tree's has."""
    templates = templates or TEMPLATES
    repo = gitref.toplevel(data_dir)
    base = gitref.resolve(repo, ref)
    data_path = _inside(data_dir, repo, "--data")
    with tempfile.TemporaryDirectory(prefix="factsite-diff-") as folder:
        copy = Path(folder).resolve()
        if not gitref.has_folder(repo, base.commit, data_path):
            raise gitref.GitError(f"{base.label} has no folder {data_path}/ to compare with")
        base_data = gitref.export(repo, base.commit, data_path, copy)
        notes: list[str] = []
        base_templates = _templates_at(repo, base, templates, copy, notes)
        try:
            before = snapshot(base_data, base_templates)
        except DataError as error:
            raise BaseDataError(base, [_at_commit(p, copy, base) for p in error.problems]) from None
        except jinja2.TemplateError as error:
            # The generator's code is the work tree's: templates of an older commit may ask for what it no longer has.
            notes.append(f"The templates at {base.short} do not render with the work tree's generator ({error}); "
                         "both sides use the work tree's templates, so template changes are not shown.")
            before = snapshot(base_data, templates)
    return Comparison(base, compare(before, snapshot(data_dir, templates)), notes)


def _templates_at(repo: Path, base: gitref.Base, templates: Path, copy: Path, notes: list[str]) -> Path:
    """The templates folder as it is at the base commit, or the work tree's when the repository has none."""
    if not templates.resolve().is_relative_to(repo):
        notes.append("The templates folder is outside the repository: both sides use it as it is.")
        return templates
    path = templates.resolve().relative_to(repo).as_posix()
    if not gitref.has_folder(repo, base.commit, path):
        notes.append(f"{base.short} has no {path}/ folder: both sides use the work tree's templates.")
        return templates
    return gitref.export(repo, base.commit, path, copy)


def _inside(folder: Path, repo: Path, option: str) -> str:
    try:
        return folder.resolve().relative_to(repo).as_posix()
    except ValueError:
        raise gitref.GitError(f"{option} {folder} is outside the git repository {repo}") from None


def _at_commit(problem: Problem, copy: Path, base: gitref.Base) -> Problem:
    """A problem in the temporary copy, named the way git names a file at a commit: 1a2b3c4:data/x.yaml."""
    prefix = f"{copy}/"
    if problem.path.startswith(prefix):
        return replace(problem, path=f"{base.short}:{problem.path[len(prefix):]}")
    return problem
