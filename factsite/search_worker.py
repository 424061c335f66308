"""Where Material's search worker script is in a built site, for the page head that starts it early
(templates/theme/main.html and its script factsite-search-early.js).

Material names the script by a hash of its content, written into its own page template; the file
that Material copies into every site is the one place to read that name from."""

from __future__ import annotations

from pathlib import Path

WORKERS = Path("assets") / "javascripts" / "workers"


def material_search_worker() -> str:
    """The worker script's address in the site ("assets/javascripts/workers/search.<hash>.min.js"), or
    "" when the installed Material has none (then pages start no search early)."""
    import material

    found = sorted((Path(material.__file__).parent / "templates" / WORKERS).glob("search.*.min.js"))
    return (WORKERS / found[-1].name).as_posix() if found else ""
