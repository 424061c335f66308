// factsite's own script: nothing loaded from anywhere, works from file://.

// The home page's network opens on its centre (Afghanistan and Pakistan sit there), not on its
// empty left edge, when it is wider than the screen.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".fs-network").forEach(function (area) {
    area.scrollLeft = (area.scrollWidth - area.clientWidth) / 2;
    area.scrollTop = (area.scrollHeight - area.clientHeight) / 2;
  });
});

// Search: a query equal to an entity's name, abbreviation or alias, or to a glossary concept,
// puts that page first. Material's search makes each word a prefix and splits "usfor-a" into
// "usfor" and "a", so its scores cannot tell the page a name means from pages that merely
// contain its words. Each entity page lists its names as search tags (factsite/search_terms.py),
// which the result carries; the result whose title, abbreviation, tag or section title equals
// the query (case, accents, spaces, hyphens and apostrophes aside) moves to the top.
(function () {
  function key(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^\p{L}\p{N}]/gu, "");
  }

  // A page's title, its abbreviation in brackets, its tags, and its sections' titles (a glossary
  // concept is a section of the glossary page).
  function names(item) {
    var found = [];
    item.querySelectorAll("article h1, article h2").forEach(function (heading) {
      var title = heading.textContent;
      var abbreviation = title.match(/\(([^)]*)\)\s*$/);
      found.push(title, title.replace(/\s*\([^)]*\)\s*$/, ""));
      if (abbreviation) found.push(abbreviation[1]);
    });
    item.querySelectorAll(".md-tag").forEach(function (tag) { found.push(tag.textContent); });
    return found.map(key);
  }

  function promote(list, query) {
    if (!query) return;
    var items = list.querySelectorAll(":scope > .md-search-result__item");
    for (var i = 0; i < items.length; i++) {
      if (names(items[i]).indexOf(query) >= 0) {
        if (i > 0) list.insertBefore(items[i], items[0]);
        return;
      }
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var list = document.querySelector(".md-search-result__list");
    var input = document.querySelector("input.md-search__input");
    if (!list || !input) return;
    new MutationObserver(function () { promote(list, key(input.value)); }).observe(list, { childList: true });
  });
})();
