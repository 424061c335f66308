"""Quote verification: every quote stands in the paragraph its `at` names, in every checkout.

Each source that is cited has, beside its YAML, either its verification data (`<id>.verify`) or,
when it is public-domain, its own text (`<id>.txt`): factsite/verification.py. Quotes, locators
and `paragraph_openings` are checked against that, with no archived text needed. Given a folder
of archived texts (`--texts DIR`), factsite/drift.py also checks that the repository's data still
matches them, and messages can show the source's own words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from factsite.drift import compare_archived
from factsite.fingerprint import MIN_QUOTE_WORDS, RUN_WORDS, words
from factsite.load import Document, display_path
from factsite.matching import difference, found_in, nearest, nearest_in_text, quote_runs, span_text, stands_at, stands_in
from factsite.model import Entity, Model
from factsite.problems import Problem
from factsite.verification import (PUBLIC_DOMAIN, TEXT_SUFFIX, VERIFY_SUFFIX, Reference, read_text_file,
                                   read_verify_file, text_path, verify_path)

EXACT = "copy the words exactly: only curly quotes, dashes and spaces may differ"


@dataclass
class Verified:
    problems: list[Problem] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)  # the ids of the sources whose quotes were verified
    compared: list[str] = field(default_factory=list)  # those whose data was compared with an archived text


def verify_quotes(model: Model, documents: dict[str, Document], data_dir: Path,
                  texts: Path | None = None) -> Verified:
    verified = Verified()
    sources = {e.id: e for e in model.entities.values() if e.kind == "sources"}
    citations = _citations(model, sources)
    verified.problems += _stray_files(data_dir / "sources")
    for source in sources.values():
        _verify_source(source, citations.get(source.id, []), documents, data_dir, texts, verified)
    return verified


def verify_sources(model: Model, documents: dict[str, Document], data_dir: Path, texts: Path | None,
                   only: set[str]) -> tuple[dict[str, Verified], list[Problem]]:
    """For each source in `only`, what verify_quotes finds about it and the quotes that cite it; and the
    stray files. The preview rechecks only the sources whose data, text or citations changed."""
    sources = {e.id: e for e in model.entities.values() if e.kind == "sources"}
    citations = _citations(model, {id_: sources[id_] for id_ in only if id_ in sources})
    results = {}
    for id_ in only:
        if id_ in sources:
            results[id_] = Verified()
            _verify_source(sources[id_], citations.get(id_, []), documents, data_dir, texts, results[id_])
    return results, _stray_files(data_dir / "sources")


def _verify_source(source: Entity, citations: list, documents: dict[str, Document], data_dir: Path,
                   texts: Path | None, verified: Verified) -> None:
    reference = _reference(source, data_dir / "sources", documents[source.id], citations, verified.problems)
    if reference is None:
        return
    if texts is not None:
        problems, compared = compare_archived(source, reference, texts)
        verified.problems += problems
        if compared:
            verified.compared.append(source.id)
    checker = _SourceChecker(source, reference, documents, verified.problems)
    if checker.fits():
        for document, path, cited in citations:
            checker.citation(document, path, cited)
        verified.sources.append(source.id)


def _citations(model: Model, sources: dict[str, Entity]) -> dict[str, list]:
    """Each source's citations: (document-id, field path, fact or relation)."""
    cited: dict[str, list] = {}
    for entity in model.entities.values():
        items = [(("facts", i), f) for i, f in enumerate(entity.facts)]
        items += [(("relations", i), r) for i, r in enumerate(entity.relations)]
        for path, item in items:
            if item.source in sources:
                cited.setdefault(item.source, []).append((entity.id, path, item))
    return cited


def _stray_files(sources_dir: Path) -> list[Problem]:
    if not sources_dir.is_dir():
        return []
    problems = []
    for path in sorted(sources_dir.iterdir()):
        if path.suffix in (VERIFY_SUFFIX, TEXT_SUFFIX) and not path.with_suffix(".yaml").is_file():
            problems.append(Problem(display_path(path), 1, 1, "", f"no source '{path.stem}' for this file",
                                    f"it belongs beside data/sources/{path.stem}.yaml; rename or remove it"))
    return problems


def _reference(source: Entity, sources_dir: Path, document: Document, citations: list,
               problems: list[Problem]) -> Reference | None:
    """What the source's quotes are checked against, or None (its problems reported)."""
    text_file, verify_file = text_path(sources_dir, source.id), verify_path(sources_dir, source.id)
    public = source.licence == PUBLIC_DOMAIN
    if text_file.is_file() and not public:
        problems.append(Problem(display_path(text_file), 1, 1, "", "the text of a source that is not public-domain "
                                "must not be in the repository", f"delete it and keep {source.id}{VERIFY_SUFFIX}; "
                                "or, if anyone may copy the text, set `licence: public-domain`"))
        return None
    if public and text_file.is_file():
        reference = read_text_file(text_file)
        if not reference.problems:
            source.text_paragraphs = [p.text for p in reference.paragraphs]
    elif verify_file.is_file():
        reference = read_verify_file(verify_file, source.id)
    else:
        if citations:
            problems.append(_missing(source, document, citations, verify_file, public))
        return None
    problems += reference.problems
    return None if reference.problems else reference


def _missing(source: Entity, document: Document, citations: list, verify_file: Path, public: bool) -> Problem:
    first_id, first_path, _ = citations[0]
    others = f" and {len(citations) - 1} more" if len(citations) > 1 else ""
    own = f" or its text ({source.id}{TEXT_SUFFIX})" if public else ""
    line, col = document.position(("name",), key=True)
    return Problem(document.path, line, col, "", f"no verification data{own} for the quotes that cite it "
                   f"({first_id}, {_dotted(first_path)}{others}): {display_path(verify_file)} is missing",
                   f"make it with `factsite source add TEXTFILE --id {source.id} …` from the source's text")


def _dotted(path: tuple) -> str:
    return f"{path[0]}[{path[1]}]"


class _SourceChecker:
    def __init__(self, source: Entity, reference: Reference, documents: dict[str, Document],
                 problems: list[Problem]):
        self.source, self.reference, self.documents, self.problems = source, reference, documents, problems
        self.count = len(reference.paragraphs)

    def fits(self) -> bool:
        """The data and the source's YAML describe one text: its paragraph count and openings."""
        document = self.documents[self.source.id]
        if self.source.paragraphs and self.source.paragraphs != self.count:
            self.problems.append(document.problem(
                ("paragraphs",), f"the verification data has {self.count} paragraphs, not {self.source.paragraphs}",
                f"correct 'paragraphs', or make {self.reference.path} again from the source's text"))
        openings = self.source.paragraph_openings
        if len(openings) > self.count:
            self.problems.append(document.problem(
                ("paragraph_openings",), f"{len(openings)} openings, but the source has {self.count} paragraphs",
                "one opening per paragraph, in order"))
            return False
        results = [self._opening(i, text) for i, text in enumerate(openings)]
        if len(openings) >= 2 and not any(results):
            self.problems.append(Problem(
                self.reference.path, self.reference.paragraphs[0].line if self.count else 1, 1, "",
                f"made from another text: none of the paragraph_openings of '{self.source.id}' is in it",
                f"make it again with `factsite source add` from {self.source.id}'s own text"))
            return False
        for index, ok in enumerate(results):
            if not ok:
                self.problems.append(self._opening_problem(index, openings[index]))
        return True

    def _opening(self, index: int, text: str) -> bool:
        opening = words(text)
        return index < self.count and bool(opening) and stands_at(
            self.reference.paragraphs[index], quote_runs(self.reference, opening), 0, len(opening))

    def _opening_problem(self, index: int, text: str) -> Problem:
        document, path = self.documents[self.source.id], ("paragraph_openings", index)
        opening = words(text)
        if len(opening) < RUN_WORDS:
            return document.problem(path, f"{len(opening)} words are too few to verify",
                                    f"give at least {RUN_WORDS} words of ¶{index + 1}")
        elsewhere = [n for n in range(1, self.count + 1) if n != index + 1 and self._opening(n - 1, text)]
        hint = (f"it opens ¶{elsewhere[0]}: is an opening missing or out of order?" if elsewhere
                else self._near_hint(opening, index + 1))
        return document.problem(path, f"not the opening of ¶{index + 1} of '{self.source.id}'", hint)

    def citation(self, document_id: str, path: tuple, cited) -> None:
        document = self.documents[document_id]
        at = cited.at
        if not isinstance(at, int):
            if not self.source.paragraphs:  # else the validator has said so
                self.problems.append(document.problem(
                    path + ("at",), f"'{self.source.id}' is located by paragraph number, got '{at}'",
                    f"write a number from 1 to {self.count}"))
            return
        if not 1 <= at <= self.count:
            if not self.source.paragraphs:  # else the validator has said so
                self.problems.append(document.problem(
                    path + ("at",), f"¶{at} is outside '{self.source.id}', which has {self.count} paragraphs",
                    f"write a number from 1 to {self.count}"))
            return
        quote = words(cited.quote)
        if len(quote) < MIN_QUOTE_WORDS:
            self.problems.append(document.problem(
                path + ("quote",), f"{len(quote)} words are too few to verify: a quote needs at least "
                                   f"{MIN_QUOTE_WORDS}", "quote a few more of the source's words around them"))
            return
        cited_paragraph = self.reference.paragraphs[at - 1]
        if self.reference.key is None and cited_paragraph.holds_words(quote):  # the text at hand: no runs needed
            return
        runs = quote_runs(self.reference, quote)
        if stands_in(cited_paragraph, runs, len(quote)):
            return
        elsewhere = found_in(self.reference, runs, len(quote))
        hint = (f"found in {' and '.join(f'¶{n}' for n in elsewhere)}; correct 'at'" if elsewhere
                else self._near_hint(quote, at))
        self.problems.append(document.problem(path + ("quote",), f"not in ¶{at} of '{self.source.id}'", hint))

    def _near_hint(self, quote: list[str], at: int) -> str:
        runs = quote_runs(self.reference, quote)
        near = nearest(self.reference, runs, at)
        cited = self.reference.paragraphs[at - 1]
        if near is None and cited.text and (in_text := nearest_in_text(cited, quote)):
            start, word = in_text
            return (f"¶{at} differs from it at word {word}, '{quote[word - 1]}': there it reads "
                    f'"{span_text(cited, start, len(quote))}"; {EXACT}')
        if near is None:
            return f"no run of {RUN_WORDS} of its words is in ¶{at}; {EXACT}"
        diff = difference(near)
        where = f"¶{near.paragraph}" if near.paragraph == at else f"the nearest, ¶{near.paragraph},"
        hint = (f"{where} has its words {diff.same_from}-{diff.same_to}, but not its run of words "
                f"{diff.run_from}-{diff.run_to}: word {diff.word}, '{quote[diff.word - 1]}', differs")
        shown = span_text(self.reference.paragraphs[near.paragraph - 1], near.start, len(quote))
        if shown:
            hint += f'; there it reads "{shown}"'
        return f"{hint}; {EXACT}"

