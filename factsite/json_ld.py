"""Each entity page's JSON-LD: its schema.org description, printed by render into the page."""

from __future__ import annotations

import json

from factsite.model import Entity
from factsite.pages import html_path
from factsite.views import EntityView


def json_ld(view: EntityView) -> str:
    """A <script> element with the entity's schema.org description, safe to put in any HTML page."""
    entity: Entity = view.entity
    data = {"@context": "https://schema.org", "@type": view.kind.schema_org, "name": entity.name}
    alternate = [entity.abbreviation] * bool(entity.abbreviation) + entity.aliases
    if alternate:
        data["alternateName"] = alternate
    data["description"] = view.summary_text
    data["url"] = html_path(view.page).rsplit("/", 1)[-1]  # relative to the page itself: right on a host and offline
    if entity.date:
        data["startDate"] = entity.date
    if entity.published:
        data["datePublished"] = entity.published
    for name in ("author", "publisher"):
        if getattr(entity, name):
            data[name] = getattr(entity, name)
    if entity.url:
        data["sameAs"] = entity.url
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return f'<script type="application/ld+json">{text}</script>'
