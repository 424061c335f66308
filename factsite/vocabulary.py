"""The controlled vocabulary of relation types.

Each type reads from the file that states it (`label`) and, on the other entity's page,
backwards (`inverse`); `enrich` derives the inverse, so nobody writes it by hand.

The rule for every label (CONTRIBUTING.md, "Labels", keeps the reviewed table, and a test holds this
file to it): the inverse states the same claim from the other side and adds no agency, intent, order
or certainty that the forward claim lacks. "keeping freedom of movement here", never "gives freedom of
movement to".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RelationType:
    id: str
    label: str
    inverse: str
    description: str


RELATION_TYPES: dict[str, RelationType] = {
    t.id: t
    for t in [
        RelationType("affiliate-of", "affiliate of", "has affiliate",
                     "A group that the source calls a (regional) affiliate of another group."),
        RelationType("part-of", "part of", "includes",
                     "A unit, body or region that forms part of a larger one (a corps of an army, an army of a state's forces)."),
        RelationType("member-of", "member of", "has member",
                     "A state or body that belongs to a forum, mechanism or alliance."),
        RelationType("has-sanctuary-in", "has sanctuary in", "a sanctuary for",
                     "A group that the source says finds sanctuary or safe haven in a place."),
        RelationType("present-in", "present in", "present here",
                     "An entity that the source says is present or has built a presence in a place."),
        RelationType("moves-freely-in", "keeps freedom of movement in", "keeping freedom of movement here",
                     "A group that the source says retains freedom of movement in a state or place."),
        RelationType("acts-against", "acts against", "acted against by",
                     "Efforts, operations or other action that the source says one entity takes against another."),
        RelationType("supports", "supports", "supported by",
                     "Operational, material or other support that one entity gives another."),
        RelationType("enables", "enables", "enabled by",
                     "One force that trains, advises or equips another so that it can act on its own."),
        RelationType("cooperates-with", "cooperates with", "cooperates with",
                     "Two entities that the source says work together; it reads the same both ways."),
        RelationType("accuses", "accuses", "accused by",
                     "One entity that publicly accuses another of something; the fact says of what."),
        RelationType("seeks-help-from", "seeks from", "sought from it by",
                     "An entity that the source says seeks something from another (pressure, help, support); `says` tells what."),
        RelationType("operates", "operates", "operated by",
                     "A body that runs a centre, mechanism or programme."),
        RelationType("has-participant", "participants", "took part in",
                     "An event and an entity that took part in it; stated on the event's file."),
        RelationType("took-place-in", "took place in", "place of",
                     "An event and the place where the source says it happened; stated on the event's file."),
        RelationType("published-by", "published by", "published",
                     "A document and the body that issued it; stated on the source's file."),
        RelationType("reports-on", "reports on", "reported on by",
                     "A document that describes or summarises another document or an event."),
        RelationType("borders", "borders", "borders",
                     "Two places or states that share a border; it reads the same both ways."),
        RelationType("separates", "separates", "separated by",
                     "A border line that the source puts between two states or places."),
        RelationType("draws-members-from", "draws members from", "source of members for",
                     "A group that the source says recruits or is made up of people from a place or region."),
        RelationType("urges", "encourages", "encouraged by",
                     "An entity that the source says encourages another to act, or conveys to it the importance of acting; `says` tells to do what."),
        RelationType("facilitates-meetings-of", "facilitates meetings of", "has meetings facilitated by",
                     "A body that arranges or hosts meetings in which another entity takes part."),
    ]
}
