"""Stage 3, enrich: the checked model → a graph of page views with everything templates print.

Every inverse relation, grouping, sort, count and number is computed here, so templates only print.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter, defaultdict

from factsite import attribution, search_terms
from factsite.claims import who_says_what
from factsite.escape import abbreviation_key, prose_to_text
from factsite.model import Entity, Fact, Model, Relation, Term
from factsite.pages import data_file_path, entity_page_path, kind_index_path
from factsite.schema import KINDS
from factsite.views import (Citation, Citing, EntityView, FactView, GlossaryEntry, Graph, KindIndex, Link, LinkGroup,
                            Paragraph, TimelineEntry)
from factsite.vocabulary import RELATION_TYPES

# Outgoing relations a reader looks for first; they go into the infobox, in this order.
INFOBOX_TYPES = ["part-of", "affiliate-of", "member-of", "present-in", "has-sanctuary-in", "moves-freely-in",
                 "took-place-in"]
# And the same from the other end: who keeps freedom of movement in a state, who has sanctuary there.
INFOBOX_INCOMING = ["moves-freely-in", "has-sanctuary-in", "present-in", "affiliate-of", "accuses"]
NETWORK_MAX_NODES = 150  # the home page's network diagram: the most connected entities past this


@functools.lru_cache(maxsize=65536)  # names and aliases, met again on every enrich (a third of it at 4,000 entities)
def without_marks(text: str) -> str:
    """Text without its accents and apostrophes, for sorting and search variants."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return plain.replace("’", "").replace("‘", "").replace("'", "").replace("`", "")


def _name_key(name: str) -> str:
    """What a name reads as once apostrophes, accents, hyphens and case are set aside."""
    return " ".join(without_marks(name).replace("-", " ").casefold().split())


def shown_aliases(entity: Entity) -> list[str]:
    """The aliases worth showing: those that are not the name (or an earlier alias) spelt another way."""
    seen = {_name_key(entity.name), *([_name_key(entity.abbreviation)] if entity.abbreviation else [])}
    shown = []
    for alias in entity.aliases:
        if _name_key(alias) not in seen:
            seen.add(_name_key(alias))
            shown.append(alias)
    return shown


def search_names(entity: Entity) -> list[str]:
    """Spellings a reader may type that the page's own text lacks: without apostrophes and accents.
    (Hyphens need no variant: the search separator splits on them.)"""
    written = [entity.name, *([entity.abbreviation] if entity.abbreviation else []), *shown_aliases(entity)]
    seen = {w.casefold() for w in written}
    variants = []
    for name in written:
        if without_marks(name).casefold() not in seen:
            seen.add(without_marks(name).casefold())
            variants.append(without_marks(name))
    return variants


def _search_tags(entity: Entity) -> list[str]:
    names = [entity.name, *([entity.abbreviation] if entity.abbreviation else []), *entity.aliases]
    return search_terms.tags(names + search_names(entity))


def enrich(model: Model, kept_names: dict[str, tuple[Entity, dict]] | None = None, *, claims: bool = True) -> Graph:
    """The graph of `model`. `kept_names` (the preview's, between edits) holds what each view takes from
    its entity alone (names, sort key, date): computed again only for an entity that is not the very
    object it was made from, and brought up to date here. Without `claims`, who-says-what is left
    to the caller (the preview files it only when that page is made again)."""
    names = _names(model, kept_names)
    views = {id_: _view(entity, names[id_][1]) for id_, entity in model.entities.items()}
    claimant_label = attribution.label_maker(model.entities)
    for view in views.values():
        view.claimant_label = claimant_label(view.id)
        view.prose_name = attribution.prose_name(view.entity, view.claimant_label)
        if view.entity.kind == "sources":
            view.byline = _byline(view)
    citations: dict[tuple, Citation] = {}
    backlinks: dict[str, dict[str, list[Link]]] = defaultdict(lambda: defaultdict(list))
    paragraphs: dict[str, dict] = defaultdict(lambda: defaultdict(list))
    for view in views.values():
        _cite_and_link(view, views, citations, backlinks, paragraphs)
    for view in views.values():
        view.incoming = [LinkGroup(label, _sorted_links(links)) for label, links in sorted(backlinks[view.id].items())]
        view.infobox += _infobox_incoming(view.incoming)
        view.summary_text = summary_text(view.entity, views)
        view.according_to = "; ".join(dict.fromkeys(fact.citation.per for fact in view.facts))
    citing = Counter(fact.source for view in views.values() for fact in view.entity.facts)
    for view in views.values():
        _number_notes(view)
        view.events.sort(key=lambda e: (not e.entity.entity.date, e.entity.entity.date, e.entity.sort_key))
        if view.entity.kind == "sources":
            view.citing_facts = _walk(view, paragraphs[view.id])
            view.citing_fact_count = citing[view.id]
    kinds = [KindIndex(kind, kind_index_path(kind.folder),
                       sorted((v for v in views.values() if v.entity.kind == kind.folder), key=lambda v: v.sort_key))
             for kind in KINDS.values()]
    # Undated events go last: the sources tell of them, but not when; one told of as following
    # another comes just after it.
    by_date = sorted(_timeline(views.values()), key=lambda t: (not t.date, t.date, t.entity.sort_key))
    timeline = _in_stated_order(by_date)
    redirects = {old: view for view in views.values() for old in view.entity.former_ids}
    counts = {k.kind.folder: len(k.entities) for k in kinds}
    counts["facts"] = sum(len(v.entity.facts) for v in views.values())
    counts["relations"] = sum(len(v.entity.relations) for v in views.values())
    sources = next(k.entities for k in kinds if k.kind.folder == "sources")
    reporting = [v for v in sources if any(r.type == "reports-on" for r in v.entity.relations)] or sources
    graph = Graph(views, kinds, timeline, _glossary(model.glossary, views), redirects, sources, counts, reporting)
    if claims:
        graph.who_says_what = who_says_what(graph)
    graph.network = network(list(views.values()))
    return graph


def network(views: list[EntityView]) -> list[EntityView]:
    """The entities the home page's network draws: every one, or past NETWORK_MAX_NODES the most connected
    (ties by id). The layout's time grows faster than the nodes (6.7 s of a 10 s render at 1,000
    entities), and a drawing of thousands of names reads as nothing; the kind pages list every entity."""
    if len(views) <= NETWORK_MAX_NODES:
        return views

    def degree(view: EntityView) -> int:
        return sum(len(group.links) for group in view.outgoing + view.incoming)

    return sorted(views, key=lambda v: (-degree(v), v.id))[:NETWORK_MAX_NODES]


def summary_text(entity, views: dict[str, EntityView]) -> str:
    """The summary as plain text, each [[link]] as the named entity's name (page metadata, JSON-LD)."""
    return prose_to_text(entity.summary, lambda id_: views[id_].prose_name)


@functools.lru_cache(maxsize=4096)
def paragraph_anchor(at: int | str) -> str:
    """The id of a locator's heading on its source's page: 5 -> 'p5'."""
    slug = "".join(c if c.isalnum() else "-" for c in str(at).casefold()).strip("-")
    return f"p{slug}" if isinstance(at, int) else f"p-{slug}"


def _byline(view: EntityView) -> str:
    """'news article by Monitoring Desk, 17 December 2017': what is known of a source, and no more."""
    entity = view.entity
    what = entity.medium or "source"
    if entity.author:
        what += f" by {entity.author}"
    parts = [what]
    if entity.publisher:
        parts.append(f"published by {entity.publisher}")
    if view.date_label:
        parts.append(view.date_label)
    return ", ".join(parts)


def _number_notes(view: EntityView) -> None:
    """One footnote per distinct citation on the page, numbered in the order a reader meets them."""
    labels: dict[int, str] = {}
    for item in [*view.facts, *(link for group in view.outgoing + view.incoming for link in group.links)]:
        key = id(item.citation)
        if key not in labels:
            labels[key] = str(len(labels) + 1)
            view.notes[labels[key]] = item.citation
        item.note = labels[key]


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def date_label(date: str) -> str:
    """'2017-08' → 'August 2017': a partial date printed as precisely as it is known, no more."""
    parts = date.split("-")
    if len(parts) == 1:
        return date
    month = MONTHS[int(parts[1]) - 1]
    return f"{month} {parts[0]}" if len(parts) == 2 else f"{int(parts[2])} {month} {parts[0]}"


def _in_stated_order(entries: list[TimelineEntry]) -> list[TimelineEntry]:
    """Each undated event that the source puts after another moved to just after it (chains
    follow); entries caught in a loop of `after`s keep their place at the end."""
    present = {entry.entity.id for entry in entries}
    followers: dict[str, list[TimelineEntry]] = defaultdict(list)
    for entry in entries:
        if entry.after is not None and entry.after.id in present:
            followers[entry.after.id].append(entry)
    ordered: list[TimelineEntry] = []
    placed: set[int] = set()  # by identity: comparing entries field by field took seconds at 4,000 entities

    def place(entry: TimelineEntry) -> None:
        ordered.append(entry)
        placed.add(id(entry))
        for follower in followers[entry.entity.id]:
            if id(follower) not in placed:
                place(follower)

    for entry in entries:
        if id(entry) not in placed and not (entry.after is not None and entry.after.id in present):
            place(entry)
    return ordered + [entry for entry in entries if id(entry) not in placed]


def _date_label(entity: Entity) -> str:
    if entity.date or entity.published:
        return date_label(entity.date or entity.published)
    return "Not dated" if entity.undated else ""


def _timeline(views) -> list[TimelineEntry]:
    entries = []
    views_by_id = {view.id: view for view in views}
    for view in views_by_id.values():
        entity = view.entity
        if entity.kind == "events":
            entries.append(TimelineEntry(entity.date, view.date_label, entity.date_derived, entity.undated, view,
                                         "event", views_by_id.get(entity.after)))
        elif entity.kind == "sources" and entity.published:
            entries.append(TimelineEntry(entity.published, view.date_label, entity.published_derived, "", view,
                                         "published"))
    return entries


def _names(model: Model, kept: dict[str, tuple[Entity, dict]] | None) -> dict[str, tuple[Entity, dict]]:
    held = kept if kept is not None else {}
    names = {}
    for id_, entity in model.entities.items():
        pair = held.get(id_)
        names[id_] = pair if pair is not None and pair[0] is entity else (entity, _entity_names(entity))
    if kept is not None:
        kept.clear()
        kept.update(names)
    return names


def _entity_names(entity: Entity) -> dict:
    """The parts of an entity's view that follow from the entity alone."""
    return {"search_names": search_names(entity), "aliases": shown_aliases(entity), "search_tags": _search_tags(entity),
            "sort_key": without_marks(entity.name).casefold(), "date_label": _date_label(entity)}


def _view(entity: Entity, names: dict) -> EntityView:
    return EntityView(entity, KINDS[entity.kind], entity_page_path(entity.kind, entity.id),
                      data_file_path(entity.kind, entity.id), kind_index_path(entity.kind),
                      search_names=list(names["search_names"]), aliases=list(names["aliases"]),
                      search_tags=list(names["search_tags"]), sort_key=names["sort_key"],
                      date_label=names["date_label"])


def _cite_and_link(view: EntityView, views: dict[str, EntityView], citations: dict[tuple, Citation], backlinks,
                   paragraphs) -> None:
    def cite(cited: Fact | Relation) -> Citation:
        key = (cited.source, cited.at, cited.quote, cited.claimed_by)
        if key not in citations:
            source = views[cited.source]
            claimants = [views[c] for c in cited.claimed_by]
            citations[key] = Citation(source, cited.at, cited.quote, claimants,
                                      attribution.per([c.claimant_label for c in claimants], source.claimant_label),
                                      attribution.per([c.claimant_label for c in claimants], ""),
                                      f"{source.page}#{paragraph_anchor(cited.at)}")
        return citations[key]

    for fact in view.entity.facts:
        citation = cite(fact)
        view.facts.append(FactView(fact.says, citation))
        paragraphs[fact.source][fact.at].append(Citing(view, fact.says, fact.quote, citation.per))
    outgoing: dict[str, list[Link]] = defaultdict(list)
    for relation in view.entity.relations:
        kind = RELATION_TYPES[relation.type]
        citation = cite(relation)
        other = views[relation.to]
        outgoing[relation.type].append(Link(other, citation, relation.says))
        backlinks[relation.to][kind.inverse].append(Link(view, citation, relation.says))
        if relation.type == "has-participant" and view.entity.kind == "events":
            other.events.append(Link(view, citation, relation.says))
        paragraphs[relation.source][relation.at].append(
            Citing(view, relation.says, relation.quote, citation.per, "" if relation.says else kind.label, other))
    groups = {t: LinkGroup(RELATION_TYPES[t].label, _sorted_links(outgoing[t])) for t in RELATION_TYPES if t in outgoing}
    view.outgoing = list(groups.values())
    view.infobox = [groups[t] for t in INFOBOX_TYPES if t in groups]


def _infobox_incoming(incoming: list[LinkGroup]) -> list[LinkGroup]:
    by_label = {group.label: group for group in incoming}
    labels = [RELATION_TYPES[t].inverse for t in INFOBOX_INCOMING]
    return [by_label[label] for label in labels if label in by_label]


def _sorted_links(links: list[Link]) -> list[Link]:
    return sorted(links, key=lambda link: (link.entity.sort_key, str(link.citation.at), link.citation.quote))


def _walk(source: EntityView, cited: dict) -> list[Paragraph]:
    if source.entity.paragraphs:
        locators = list(range(1, source.entity.paragraphs + 1))
    else:
        locators = sorted(cited, key=str)
    openings = source.entity.paragraph_openings
    return [Paragraph(at, paragraph_anchor(at),
                      openings[at - 1] if isinstance(at, int) and 0 < at <= len(openings) else "",
                      sorted(cited.get(at, []), key=lambda c: c.entity.sort_key)) for at in locators]


def _is_concept(term: Term) -> bool:
    """A concept the sources lean on (safe haven), explained rather than expanded: a term of
    lower-case words with a description. An abbreviation has capitals (IED) or no words at all."""
    return bool(term.description) and re.fullmatch(r"[a-z]+(?: [a-z]+)*", term.term) is not None


def _glossary(terms: list[Term], views: dict[str, EntityView]) -> list[GlossaryEntry]:
    entries = [GlossaryEntry(t.term, t.expansion, t.description, views.get(t.entity),
                             "" if _is_concept(t) else abbreviation_key(t.term), _is_concept(t))
               for t in terms]
    entries += [GlossaryEntry(v.entity.abbreviation, v.name, "", v, abbreviation_key(v.entity.abbreviation))
                for v in views.values() if v.entity.abbreviation]
    return sorted(entries, key=lambda e: (e.term.casefold(), e.expansion))
