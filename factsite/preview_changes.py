"""What an edit changed, and what each page prints of it: the comparisons the incremental preview
(factsite/preview.py) makes to decide which pages to render again.

An entity whose summary alone changed (only_own_text) prints anew only where its summary prints; an
entity whose printed names or labels changed though its file did not (relabelled) is redone where it
shows; a page about the whole graph is redone when its key (whole_graph_keys) changed; who says what
is filed again when an entity's statements, or how they print (claims_key), changed.
"""

from __future__ import annotations

import dataclasses

from factsite import pages as table
from factsite.escape import prose_to_text
from factsite.views import EntityView, Graph


def refers_to(entity) -> set[str]:
    """The entities whose pages print something of this entity's data: what its relations point to,
    the sources it cites and their claimants."""
    refers = {relation.to for relation in entity.relations}
    for cited in [*entity.facts, *entity.relations]:
        refers.add(cited.source)
        refers.update(cited.claimed_by)
    return refers


SOURCES_INDEX = table.kind_index_path("sources")


def whole_graph_keys(graph: Graph) -> dict[str, tuple]:
    """For the pages about the whole graph, a key of what each prints, the same exactly when the page is:
    the home page's counts, reporting sources and network; the data page's counts; the glossary's
    entries; who-says-what's list of claimants and the claims that meet (_who_says_what_key); the
    facts citing each source, which the sources' index counts beside its entities' lines."""
    network = graph.network
    kept = {view.id for view in network}
    return {
        table.HOME.path: (tuple((v.id, v.name, v.page, v.byline) for v in graph.reporting_sources),
                          tuple((k.kind.title, k.page, len(k.entities)) for k in graph.kinds),
                          tuple(graph.counts.items()), len(graph.entities),
                          tuple((v.id, v.name, v.entity.kind, v.page) for v in network),
                          tuple((v.id, link.entity.id, group.label, link.citation.per_short)
                                for v in network for group in v.outgoing for link in group.links
                                if link.entity.id in kept)),
        table.DATA_PAGE: (tuple(graph.counts.items()), next(iter(graph.entities), None)),
        table.GLOSSARY: tuple((e.term, e.expansion, _prose_key(graph, e.description), e.key, e.concept,
                              (e.entity.id, e.entity.name, e.entity.page) if e.entity else None) for e in graph.glossary),
        table.WHO_SAYS_WHAT: _who_says_what_key(graph),
        SOURCES_INDEX: tuple((v.id, v.citing_fact_count) for v in graph.sources),
    }


def _who_says_what_key(graph: Graph) -> tuple:
    """What who-says-what.md prints: each claimant's line, and the claims that meet."""
    claims = graph.who_says_what
    def entity(view: EntityView | None) -> tuple:
        return (view.id, view.name, view.page) if view is not None else ()

    def claim(c) -> tuple:
        return (_prose_key(graph, c.says), c.label, entity(c.other), c.citation.at, c.citation.anchor)

    return (tuple((v.title, v.page, v.count, len(v.subjects), len(v.parts)) for v in claims.voices),
            tuple((tuple(map(entity, m.subject)), m.at,
                   tuple((c.voice.title, c.voice.page, tuple(map(claim, c.claims))) for c in m.columns)) for m in claims.side_by_side))


def _prose_key(graph: Graph, text: str) -> str:
    """Prose as it prints: with the name and page of each entity it links."""
    if not text:
        return ""
    return prose_to_text(text, lambda id_: f"[{graph.entities[id_].prose_name}]({graph.entities[id_].page})")


def claims_key(view: EntityView | None) -> tuple | None:
    if view is None:
        return None
    return (view.name, view.page, view.claimant_label, view.prose_name, view.entity.facts, view.entity.relations)


def only_own_text(old: EntityView | None, new: EntityView | None) -> bool:
    """Whether what changed of an entity is only its summary, which no other entity's page prints (its own
    page, its kind's index, the timeline and the downloads do): its neighbours' pages stay as they were."""
    if old is None or new is None:
        return False
    return (dataclasses.replace(old.entity, summary=new.entity.summary) == new.entity
            and _labels_but_summary(old) == _labels_but_summary(new))


def relabelled(old: Graph, new: Graph) -> set[str]:
    """Entities whose printed names or labels changed though their file did not (a source's label
    takes its publisher's abbreviation), so the pages that show them are redone too."""
    if old is new:  # the graph was kept: only summaries changed (Preview._summaries_only)
        return set()
    return {id_ for id_, view in new.entities.items()
            if id_ in old.entities and _labels(old.entities[id_]) != _labels(view)}


def _labels(view: EntityView) -> tuple:
    return (*_labels_but_summary(view), view.summary_text)


def _labels_but_summary(view: EntityView) -> tuple:
    return (view.name, view.title, view.page, view.sort_key, view.claimant_label, view.prose_name, view.byline,
            view.according_to, view.date_label)
