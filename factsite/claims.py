"""Who says what: every fact and relation filed under whoever makes the claim, by subject.

A statement's voice is its claimant (`claimed_by`). An accusation (`accuses`) is filed under the
accuser, as reported by its claimant: "Afghanistan, as the DoD report reports it"; its subject is
the pair of states, so the two sides of a mutual accusation meet. Statements with no claimant rest on
a source's own wording and are listed apart. Where two voices speak of the same subject in the same
paragraph of a source, their claims stand side by side.

Each voice has a page of its own, in parts of at most SUBJECTS_PER_PART subjects, so that no page grows
with the fact base: at 4,000 entities the one page that filed every statement was 5.4 MB of Markdown,
and MkDocs took 15–18 s to build it again after any edit of a statement.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from factsite.pages import claims_page_path
from factsite.views import Citation, EntityView, Graph
from factsite.vocabulary import RELATION_TYPES

REPORTED_TYPES = {"accuses"}  # relations whose `from` entity is itself the one making a claim
SUBJECTS_PER_PART = 50


@dataclass
class Claim:
    says: str  # prose; "" for a relation stated by its label alone
    citation: Citation
    subject: list[EntityView]  # what the claim is about: one entity, or both sides of an accusation
    label: str = ""  # a relation: its label and its other end

    other: EntityView | None = None


@dataclass
class Subject:
    entities: list[EntityView]
    claims: list[Claim]


@dataclass
class Part:
    """One page of a voice's statements: a run of its subjects, in their order."""
    number: int  # from 1
    subjects: list[Subject]
    page: str  # its path in the docs folder (factsite/pages.py)
    heading: str  # "Who says what: the DoD report", "…, part 2 of 3"

    @property
    def first(self) -> EntityView:
        return self.subjects[0].entities[0]

    @property
    def last(self) -> EntityView:
        return self.subjects[-1].entities[0]

    @property
    def span(self) -> str:
        """The subjects it runs from and to: "Alpha Front to Beta Network"."""
        return self.first.name if self.first is self.last else f"{self.first.name} to {self.last.name}"


@dataclass
class Voice:
    key: str  # the claimant's id, "reported:" and the accuser's id, or ":no-claimant" (no id holds a colon)
    label: str  # "the DoD report", "Afghanistan, as the DoD report reports it", "no claimant"
    claimant: EntityView | None
    reported: bool = False  # an accusation, filed under the accuser as its claimant reports it
    subjects: list[Subject] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)

    @property
    def title(self) -> str:
        return self.label[:1].upper() + self.label[1:]

    @property
    def count(self) -> int:
        return sum(len(s.claims) for s in self.subjects)

    @property
    def page(self) -> str:
        return self.parts[0].page


@dataclass
class Column:
    voice: Voice
    claims: list[Claim]


@dataclass
class SideBySide:
    subject: list[EntityView]
    source: EntityView
    at: int | str
    anchor: str
    columns: list[Column]


@dataclass
class WhoSaysWhat:
    voices: list[Voice]  # every claimant, sources first; the statements with no claimant last
    side_by_side: list[SideBySide]

    @property
    def parts(self) -> list[tuple[Voice, Part]]:
        return [(voice, part) for voice in self.voices for part in voice.parts]


def who_says_what(graph: Graph) -> WhoSaysWhat:
    voices: dict[str, Voice] = {}
    claims: dict[str, list[Claim]] = defaultdict(list)
    for view in graph.entities.values():
        for fact in view.facts:
            for voice in _voices(fact.citation, voices):
                claims[voice.key].append(Claim(fact.says, fact.citation, [view]))
        for group, type_id in _typed_groups(view):
            for link in group.links:
                if type_id in REPORTED_TYPES:
                    voice = _reported_voice(view, link.citation, voices)
                    pair = sorted([view, link.entity], key=lambda v: v.sort_key)
                    claims[voice.key].append(Claim(link.says, link.citation, pair, group.label, link.entity))
                    continue
                for voice in _voices(link.citation, voices):
                    claims[voice.key].append(Claim(link.says, link.citation, [view], group.label, link.entity))
    for key, voice in voices.items():
        voice.subjects = _by_subject(claims[key])
        voice.parts = _parts(voice)
    ordered = sorted(voices.values(), key=_voice_order)
    return WhoSaysWhat(ordered, _side_by_side(ordered))


def _typed_groups(view: EntityView):
    by_label = {t.label: t.id for t in RELATION_TYPES.values()}
    return [(group, by_label[group.label]) for group in view.outgoing]


def _voice(key: str, label: str, claimant: EntityView | None, voices: dict[str, Voice], reported: bool = False) -> Voice:
    if key not in voices:
        voices[key] = Voice(key, label, claimant, reported)
    return voices[key]


def _voices(citation: Citation, voices: dict[str, Voice]) -> list[Voice]:
    if not citation.claimants:
        return [_voice(":no-claimant", "no claimant", None, voices)]
    return [_voice(c.id, c.claimant_label, c, voices) for c in citation.claimants]


def _reported_voice(accuser: EntityView, citation: Citation, voices: dict[str, Voice]) -> Voice:
    reporters = " and ".join(c.claimant_label for c in citation.claimants) or citation.source.claimant_label
    return _voice(f"reported:{accuser.id}", f"{accuser.claimant_label}, as {reporters} reports it", accuser, voices,
                  reported=True)


def _voice_order(voice: Voice) -> tuple:
    if voice.claimant is None:
        return (2, "")
    return (0 if voice.claimant.entity.kind == "sources" else 1, voice.claimant.sort_key, voice.key)


def _parts(voice: Voice) -> list[Part]:
    claimant = voice.claimant.id if voice.claimant is not None else None
    runs = [voice.subjects[at:at + SUBJECTS_PER_PART] for at in range(0, len(voice.subjects), SUBJECTS_PER_PART)]
    heading = f"Who says what: {voice.label}"
    return [Part(number, run, claims_page_path(claimant, voice.reported, number),
                 heading if len(runs) == 1 else f"{heading}, part {number} of {len(runs)}")
            for number, run in enumerate(runs, start=1)]


def _subject_key(claim: Claim) -> tuple[str, ...]:
    return tuple(v.id for v in claim.subject)


def _by_subject(claims: list[Claim]) -> list[Subject]:
    grouped: dict[tuple[str, ...], list[Claim]] = defaultdict(list)
    for claim in claims:
        grouped[_subject_key(claim)].append(claim)
    subjects = [Subject(group[0].subject, group) for group in grouped.values()]
    return sorted(subjects, key=lambda s: [v.sort_key for v in s.entities])


def _side_by_side(voices: list[Voice]) -> list[SideBySide]:
    meeting: dict[tuple, dict[str, Column]] = defaultdict(dict)
    for voice in voices:
        if voice.claimant is None:
            continue
        for subject in voice.subjects:
            for claim in subject.claims:
                key = (_subject_key(claim), claim.citation.source.id, str(claim.citation.at))
                column = meeting[key].setdefault(voice.key, Column(voice, []))
                column.claims.append(claim)
    found = []
    for columns in meeting.values():
        if len(columns) < 2:
            continue
        first = next(iter(columns.values())).claims[0]
        found.append(SideBySide(first.subject, first.citation.source, first.citation.at, first.citation.anchor,
                                list(columns.values())))
    return sorted(found, key=lambda s: ([v.sort_key for v in s.subject], str(s.at)))
