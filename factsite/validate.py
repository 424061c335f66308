"""Stage 2, validate: raw documents → typed model, with every problem collected."""

from __future__ import annotations

from dataclasses import dataclass

from factsite.ids import id_problem, suggested_id
from factsite.load import Document, dotted
from factsite.model import Entity, Model
from factsite.problems import Problem, did_you_mean
from factsite.schema import GLOSSARY, KINDS, RESERVED_IDS
from factsite.types import LINK, NULLS, Plain, convert_all


@dataclass
class Validated:
    model: Model
    documents: dict[str, Document]  # by entity id; "glossary" for the glossary
    problems: list[Problem]


def validate(documents: list[Document], converted: dict | None = None, references: dict | None = None) -> Validated:
    """`converted`, kept by the preview between runs, holds each document's typed value and own
    problems by the document object: an unchanged file (the same object) is not converted again;
    `references`, the preview's too, each entity's reference problems (_check_references)."""
    problems: list[Problem] = []
    entities: dict[str, Entity] = {}
    by_id: dict[str, Document] = {}
    glossary = []
    broken: set[str] = set()  # ids of files with errors of their own: references to them are not errors too
    folded = _ids_by_folded(documents)
    for document in documents:
        if document.broken:
            broken.add(document.id)
            continue
        value, own = _converted(document) if converted is None else _converted_once(document, converted)
        problems.extend(own)
        if value is None:
            broken.add(document.id)
            continue
        if document.kind == "glossary":
            glossary = value.terms
            by_id["glossary"] = document
            continue
        if not _check_id(document, by_id, folded, problems):
            broken.add(document.id)
            continue
        value.id, value.path = document.id, document.path
        entities[value.id] = value
        by_id[value.id] = document
    problems.extend(_check_references(entities, glossary, by_id, broken, references))
    return Validated(Model(entities, glossary), by_id, problems)


def _converted(document: Document) -> tuple[object, list[Problem]]:
    """The document's typed value (None if it has errors) and its own problems."""
    record = GLOSSARY if document.kind == "glossary" else KINDS[document.kind].record
    problems = _event_date_problems(document) if document.kind == "events" else []
    value, errors = convert_all(record, document.data)
    if errors:
        return None, problems + [document.problem(e.path, e.message, e.hint, key=e.key) for e in errors]
    return value, problems


def _converted_once(document: Document, converted: dict) -> tuple[object, list[Problem]]:
    held = converted.get(id(document))
    if held is None or held[0] is not document:
        held = converted[id(document)] = (document, *_converted(document))
    return held[1], held[2]


def _ids_by_folded(documents: list[Document]) -> dict[str, list[Document]]:
    folded: dict[str, list[Document]] = {}
    for document in documents:
        if document.kind != "glossary":
            folded.setdefault(suggested_id(document.id), []).append(document)
    return folded


def _check_id(document: Document, seen: dict[str, Document], folded: dict[str, list[Document]],
              problems: list[Problem]) -> bool:
    stem = document.id
    wrong = id_problem(stem, f"'{stem}', the file's name,")
    if wrong:
        slug = suggested_id(stem)
        taken = [other for other in folded.get(slug, []) if other.id == slug]
        if taken:  # Alpha-Front.yaml next to alpha-front.yaml: renaming it as the slug would clash
            problems.append(Problem(document.path, 1, 1, "", f"{wrong[0]}, "
                                    f"and as a lower-case slug it would clash with {taken[0].path}",
                                    "ids are unique across all kinds, ignoring case; give this entity another id"))
        else:
            problems.append(Problem(document.path, 1, 1, "", wrong[0],
                                    f"rename the file to {slug or 'a-slug'}.yaml"))
        return False
    if stem in RESERVED_IDS:
        problems.append(Problem(document.path, 1, 1, "", f"'{stem}', the file's name, is an id kept for the site's "
                                "own pages", f"rename the file; ids may not be {_reserved_list()}"))
        return False
    if stem in seen:
        problems.append(Problem(document.path, 1, 1, "", f"the id '{stem}' is already used by {seen[stem].path}",
                                "ids are unique across all kinds; rename one of the files"))
        return False
    return True


def _check_references(entities: dict[str, Entity], glossary, documents: dict[str, Document],
                      broken: set[str] = frozenset(), kept: dict | None = None) -> list[Problem]:
    """`kept`, the preview's between runs, holds each entity's own reference problems: they are found
    again only for an entity that is not the very object they were found for, or when what they
    depend on of the others (which ids there are, of what kind, the sources' paragraphs) changed."""
    problems: list[Problem] = []
    sources = {i for i, e in entities.items() if e.kind == "sources"}
    former = {}
    if kept is not None:
        context = (tuple((i, e.kind, e.paragraphs) for i, e in entities.items()), frozenset(broken))
        if kept.get(_CONTEXT) != context:
            kept.clear()
            kept[_CONTEXT] = context
    for entity in entities.values():
        document = documents[entity.id]
        held = kept.get(entity.id) if kept is not None else None
        if held is None or held[0] is not entity or held[1] is not document:
            own: list[Problem] = []
            _check_entity_references(entity, _ReferenceChecker(document, entities, sources, own, broken))
            held = (entity, document, own)
            if kept is not None:
                kept[entity.id] = held
        problems += held[2]
        _check_former_ids(entity, document, entities, former, problems)
    if "glossary" in documents:
        check = _ReferenceChecker(documents["glossary"], entities, sources, problems, broken)
        for index, term in enumerate(glossary):
            if term.entity:
                check.entity(("terms", index, "entity"), term.entity)
            check.links(("terms", index, "description"), term.description)
    return problems


_CONTEXT = ":context"  # no entity id holds a colon


def _check_entity_references(entity: Entity, check: _ReferenceChecker) -> None:
    """What an entity's own data names that does not exist or cannot be."""
    check.links(("summary",), entity.summary)
    for index, fact in enumerate(entity.facts):
        check.citation(("facts", index), fact)
        check.links(("facts", index, "says"), fact.says)
    for index, relation in enumerate(entity.relations):
        where = ("relations", index)
        check.citation(where, relation)
        check.links(where + ("says",), relation.says)
        check.entity(where + ("to",), relation.to)
        if relation.to == entity.id:
            check.problems.append(check.document.problem(where + ("to",), "a relation cannot point to its own entity"))
    if entity.kind == "events":
        check.links(("date_derived",), entity.date_derived)
        check.links(("undated",), entity.undated)
        if entity.after:
            check.event_before(entity)


def _check_former_ids(entity: Entity, document: Document, entities: dict[str, Entity], former: dict[str, str],
                      problems: list[Problem]) -> None:
    """Each former id is free, and redirects to one entity only (`former`: those of the entities before)."""
    for index, old in enumerate(entity.former_ids):
        where = ("former_ids", index)
        if old == entity.id:
            problems.append(document.problem(where, f"'{old}' is this entity's own id",
                                             "former_ids lists only the ids it had before a rename; remove it"))
        elif old in RESERVED_IDS:
            problems.append(document.problem(where, f"'{old}' is kept for the site's own pages",
                                             f"its redirect would replace one of them; ids may not be "
                                             f"{_reserved_list()}"))
        elif old in entities:
            problems.append(document.problem(where, f"'{old}' is the id of another entity",
                                             "an old id can only redirect to one entity"))
        elif old in former:
            problems.append(document.problem(where, f"'{old}' is already a former id of '{former[old]}'",
                                             "an old id can only redirect to one entity"))
        former.setdefault(old, entity.id)


def _reserved_list() -> str:
    return ", ".join(sorted(RESERVED_IDS))


def _given(value) -> bool:
    return value is not None and not (isinstance(value, Plain) and value in NULLS)


def _event_date_problems(document: Document) -> list[Problem]:
    """An event has a date, or says it has none: checked on the raw data, so that it is reported
    with the file's other problems."""
    data = document.data if isinstance(document.data, dict) else {}
    dated, undated = (_given(data.get(name)) for name in ("date", "undated"))
    if dated and undated:
        return [document.problem(("undated",), "an event with a 'date' cannot also be 'undated'",
                                 "keep 'date', or remove it if the source gives none")]
    if not dated and not undated:
        return [document.problem(("date",), "an event needs a 'date', or 'undated' when the source gives none",
                                 "write the date as precisely as the source allows, like 2017-08, or add 'undated: …'")]
    return []


class _ReferenceChecker:
    def __init__(self, document: Document, entities: dict[str, Entity], sources: set[str], problems: list[Problem],
                 broken: set[str] = frozenset()):
        self.document, self.entities, self.sources, self.problems = document, entities, sources, problems
        self.broken = broken  # files that failed on their own: a reference to one is not a second error

    def entity(self, path: tuple, target: str) -> None:
        if target not in self.entities and target not in self.broken:
            hint = did_you_mean(target, self.entities) or "add its file first, or check the spelling"
            self.problems.append(self.document.problem(path, f"no entity '{target}'", hint))

    def event_before(self, event: Entity) -> None:
        """`after` names another event, and only an event without a date has one."""
        self.entity(("after",), event.after)
        other = self.entities.get(event.after)
        if event.after == event.id:
            self.problems.append(self.document.problem(("after",), "an event cannot come after itself",
                                                       "name the event the source puts before this one"))
        elif other is not None and other.kind != "events":
            self.problems.append(self.document.problem(("after",), f"'{event.after}' is not an event",
                                                       "`after` names the event that came before this one"))
        elif event.date:
            self.problems.append(self.document.problem(("after",), "an event with a 'date' is placed by its date",
                                                       "remove 'after', or the date if the source gives none"))

    def citation(self, path: tuple, cited) -> None:
        if cited.source in self.broken:
            pass
        elif cited.source not in self.sources:
            hint = did_you_mean(cited.source, self.sources) or "sources are the files in data/sources/"
            self.problems.append(self.document.problem(path + ("source",), f"no source '{cited.source}'", hint))
        else:
            self._locator(path + ("at",), cited.at, self.entities[cited.source])
        for index, claimant in enumerate(cited.claimed_by):
            self.entity(path + ("claimed_by",) + ((index,) if len(cited.claimed_by) > 1 else ()), claimant)

    def _locator(self, path: tuple, at, source: Entity) -> None:
        if not source.paragraphs:
            return
        if not isinstance(at, int) and at.isascii() and at.isdigit():
            self.problems.append(self.document.problem(
                path, f"'{source.id}' is located by paragraph number, and the quoted \"{at}\" is text",
                f"remove the quotes: at: {int(at)}"))
        elif not isinstance(at, int):
            self.problems.append(self.document.problem(
                path, f"'{source.id}' is located by paragraph number, got '{at}'",
                f"write a number from 1 to {source.paragraphs}"))
        elif not 1 <= at <= source.paragraphs:
            self.problems.append(self.document.problem(
                path, f"paragraph {at} is outside '{source.id}', which has paragraphs 1-{source.paragraphs}",
                "check the paragraph numbers in the source's locator scheme"))

    def links(self, path: tuple, text: str) -> None:
        seen: dict[str, int] = {}  # how often each link was met, to place the n-th one
        for match in LINK.finditer(text or ""):
            target, written = match.group(1), match.group()
            occurrence = seen[written] = seen.get(written, -1) + 1
            if target not in self.entities and target not in self.broken:
                hint = did_you_mean(target, self.entities) or "write [[id]] with the id of an existing entity"
                line, col = self.document.position_of(path, written, occurrence)
                self.problems.append(Problem(self.document.path, line, col, dotted(path),
                                             f"the link {written} names no entity", hint))
