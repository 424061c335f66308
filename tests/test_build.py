"""The whole pipeline: `factsite build` on the mini fixture, checked as HTML."""

from __future__ import annotations

import shutil

from conftest import run_cli, tree_snapshot
from html5 import parse


def html(site, page) -> str:
    return (site / "site" / page).read_text(encoding="utf-8")


def test_every_entity_has_a_page(mini_site):
    for page in ["groups/alpha-front.html", "groups/beta-network.html", "states/testland.html",
                 "organizations/test-corps.html", "places/border-region.html", "events/test-meeting.html",
                 "sources/article.html", "sources/report.html", "timeline.html", "glossary.html"]:
        assert (mini_site / "site" / page).is_file(), page


def test_every_page_parses_as_html5_without_errors(mini_site):
    """A browser recovers from broken markup silently; html5lib names each error (an unescaped quote in
    an attribute, a control character, a noncharacter)."""
    checked = 0
    for path in sorted((mini_site / "site").rglob("*.html")):
        assert parse(path.read_text(encoding="utf-8")).errors == [], path.relative_to(mini_site / "site")
        checked += 1
    assert checked >= 15


def test_the_meta_description_is_the_site_description(mini_site):
    page = parse(html(mini_site, "timeline.html"))
    assert page.meta("description").startswith("A searchable reference to the groups, states, forces")
    assert page.meta("description").endswith("“Enhancing Security and Stability in Afghanistan”, as reported in the news.")


def test_backlinks_are_derived_on_the_other_page(mini_site):
    page = parse(html(mini_site, "groups/beta-network.html"))
    assert "alpha-front.html" in page.links()
    assert "Has affiliate" in page.text()


def test_the_edit_link_opens_the_yaml_file(mini_site):
    page = parse(html(mini_site, "groups/alpha-front.html"))
    edit = [a.attributes["href"] for a in page.find("a") if "md-content__button" in a.attributes.get("class", "")]
    assert edit == ["https://github.com/factsite/factsite/edit/main/data/groups/alpha-front.yaml"]


def test_hostile_text_stays_inert(mini_site):
    page = parse(html(mini_site, "groups/beta-network.html"))
    text = page.text()
    assert "Beta Network <script>alert(1)</script>" in text
    assert "<img src=x onerror=alert(2)>" in text
    assert "[click](javascript:alert(3))" in text
    assert "{{ not_a_variable }}" in text
    assert not any("onerror" in e.attributes for e in page.elements())
    assert not any(e.attributes.get("href", "").startswith("javascript:") for e in page.elements())
    scripts = page.scripts()
    assert not any("alert(" in body for attrs, body in scripts if attrs.get("type") != "application/ld+json")
    assert not any("<script" in body.lower() or "</" in body for attrs, body in scripts
                   if attrs.get("type") == "application/ld+json")


def test_navigation_lists_index_pages_not_entities(mini_site):
    navs = parse(html(mini_site, "index.html")).find("nav")
    tabs = [nav for nav in navs if nav.attributes.get("class") == "md-tabs"]

    def links(nav) -> list[str]:
        return [a.get("href", "") for a in nav.node.iter("a")]

    assert len(tabs) == 1 and "groups/index.html" in links(tabs[0])
    assert not any(link.endswith("alpha-front.html") for nav in navs for link in links(nav))


def test_abbreviations_carry_their_expansion(mini_site):
    page = parse(html(mini_site, "groups/alpha-front.html"))
    assert [page.text(abbr.node) for abbr in page.find("abbr", title="Alpha Front")][:1] == ["AF"]


def test_bad_data_leaves_the_previous_site_and_pages_intact(mini_site, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(mini_site, project, symlinks=True)
    before = tree_snapshot(project / "site"), tree_snapshot(project / "docs")
    (project / "data" / "states" / "testland.yaml").write_text("name: Testland\nsumary: typo\n", encoding="utf-8")
    result = run_cli("build", cwd=project)
    assert result.returncode == 1
    assert "data/states/testland.yaml:2:1: sumary: unknown field 'sumary' (did you mean 'summary'?)" in result.stderr
    assert (tree_snapshot(project / "site"), tree_snapshot(project / "docs")) == before
