"""An entity page's names as search `tags` (its front matter): what factsite.js compares a query
with to put the page a reader means first.

Material's search makes every query word a prefix (`pakistan` also finds "Pakistani military")
and splits `usfor-a` into `usfor` and a lone `a` that matches every word beginning with "a", so
scores alone cannot say which page a name means. The tags carry every name; mkdocs.yml gives
them a modest weight, and docs/assets/javascripts/factsite.js moves the result whose title,
abbreviation or tag equals the query (case, spaces, hyphens and apostrophes aside) to the top.
"""

from __future__ import annotations


def tags(names: list[str]) -> list[str]:
    """Each name once, in order."""
    return list(dict.fromkeys(name for name in names if name.strip()))
