"""The home page's network: enrich chooses its entities, render only draws them."""

from __future__ import annotations

from conftest import MINI, checked

from factsite import enrich as enrich_stage
from factsite.pages import html_path
from factsite.render import render


def degree(view) -> int:
    return sum(len(group.links) for group in view.outgoing + view.incoming)


def test_the_network_shows_every_entity_while_they_are_few():
    graph = enrich_stage.enrich(checked(MINI / "data").model)
    assert graph.network == list(graph.entities.values())
    assert "Every entity and the relations the sources state between them." in render(graph)["index.md"]


def test_past_its_limit_the_network_shows_the_most_connected_and_says_so(monkeypatch):
    monkeypatch.setattr(enrich_stage, "NETWORK_MAX_NODES", 3)
    graph = enrich_stage.enrich(checked(MINI / "data").model)
    kept = {view.id for view in graph.network}
    left_out = [view for view in graph.entities.values() if view.id not in kept]
    assert len(kept) == 3 and left_out
    assert min(degree(view) for view in graph.network) >= max(degree(view) for view in left_out)
    home = render(graph)["index.md"]
    assert f"The 3 most connected of the {len(graph.entities)} entities" in home
    drawn = home.split("## The network", 1)[1]
    assert all(html_path(view.page) in drawn for view in graph.network)
    assert not [view.id for view in left_out if html_path(view.page) in drawn]
