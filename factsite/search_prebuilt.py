"""The lunr index Material's search worker builds in the browser, built once, when the site is built.

Each time a page opens, Material's search worker builds a lunr index from every entry of
search/search_index.json: at 4,000 entities that took longer than the second a reader waits. The
plugin writes the same index, serialized as lunr.js writes it (`Index.toJSON`), to
search/factsite_lunr_index.json; the worker loads it with lunr's `Index.load`
(templates/theme/assets/javascripts/factsite-search-prebuilt.js), and builds nothing.

The index is the one Material's worker would build, term for term and score for score
(tests/test_search_index.py compares the two in Chromium), so search ranks as before:

- words split as Material's tokenizer splits them (the markup of `text` is skipped; the site's
  `separator`), lower-cased; each occurrence stored under its position in Material's own encoding
  (the block of markup it is in, and its place in that block), which Material's highlighting reads;
- the configured pipeline: Material removes lunr's trimmer and stemmer unless the site's `pipeline`
  names them, and ours names the stop-word filter only (lunr.py has lunr.js's stop words); a
  configuration this module does not reproduce (other functions, other languages) gets no prebuilt
  index, and the browser builds it as before;
- scores as lunr.js computes them (BM25 with Material's b = 0, field and document boosts), rounded
  as lunr.js rounds.

`fingerprint` lets the worker check that the index was made from the very entries it was sent.
"""

from __future__ import annotations

import json
import math
import re
from collections import defaultdict
from pathlib import Path

from lunr import __TARGET_JS_VERSION__ as LUNR_VERSION  # the lunr.js whose format lunr.py writes
from lunr.stop_word_filter import WORDS as STOP_WORDS

from factsite import search_index

FILE = "factsite_lunr_index.json"  # beside search_index.json
K1 = 1.2  # lunr's default
B = 0.0  # Material's worker sets b(0): a field's length does not lower its scores
SUPPORTED_PIPELINES = ({"stopWordFilter"},)

# JavaScript's \s (ECMAScript's white space and line terminators), which differs from Python's
_JS_SPACE = "\\t\\n\\x0b\\x0c\\r \\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
_MARKUP = re.compile(r"[<>]")
OPEN, TEXT, CLOSE = 0, 1, 2  # how Material's tokenizer calls the sections of a field's value


def serialized(config: dict, docs: list[dict]) -> dict | None:
    """The index as lunr.js's `Index.toJSON` gives it, or None for a configuration not reproduced here."""
    separator = _separator(config)
    if len({doc.get("location") for doc in docs}) != len(docs):
        return None  # two entries of one address: lunr keeps one, and numbering entries would mislead
    if separator is None or config.get("lang") != ["en"] or set(config.get("pipeline") or []) not in SUPPORTED_PIPELINES:
        return None
    fields = {name: (spec or {}).get("boost") or 1 for name, spec in config["fields"].items()}
    inverted, frequencies, lengths, doc_boosts = {}, {}, {}, {}
    for doc in docs:
        ref = doc["location"]
        doc_boosts[ref] = doc.get("boost") or 1
        for field in fields:
            terms = [t for t in tokens(doc.get(field), separator) if t[0] not in STOP_WORDS]
            counts = frequencies[f"{field}/{ref}"] = defaultdict(int)
            lengths[f"{field}/{ref}"] = (field, len(terms))
            for term, position in terms:
                counts[term] += 1
                posting = inverted.get(term)
                if posting is None:
                    posting = inverted[term] = {"_index": len(inverted), **{name: {} for name in fields}}
                posting[field].setdefault(ref, {"position": []})["position"].append(position)
    vectors = _field_vectors(fields, inverted, frequencies, lengths, doc_boosts, len(docs))
    return {"version": LUNR_VERSION, "fields": list(fields),
            "fieldVectors": [[ref, vector] for ref, vector in vectors.items()],
            "invertedIndex": [[term, inverted[term]] for term in sorted(inverted, key=_js_order)],
            "pipeline": [], "factsite": {"fingerprint": fingerprint(docs, list(fields))}}


def packed(index: dict, docs: list[dict]) -> dict:
    """The prebuilt index as the file holds it, a quarter of lunr's serialization, which
    factsite-search-prebuilt.js unpacks: documents by their number among the entries, each term's
    documents in each field as differences of those numbers, each field's vectors as one string (in
    the entries' order, ";" between vectors and "," between numbers: the worker parses a field's 4,000
    vectors as one string, and a vector's numbers when a search reads it), and no positions (the
    worker finds a found word's positions when it fills the document's tables for highlighting)."""
    number = {doc["location"]: n for n, doc in enumerate(docs)}
    fields = index["fields"]
    vectors = dict(index["fieldVectors"])
    postings = []
    for _, posting in index["invertedIndex"]:
        row = [posting["_index"]]
        for field in fields:
            numbers = [number[ref] for ref in posting[field]]  # in the order lunr added them
            row.append([n - previous for n, previous in zip(numbers, [0] + numbers)])
        postings.append(row)
    return {"version": index["version"], "fields": fields, "pipeline": index["pipeline"],
            "terms": [term for term, _ in index["invertedIndex"]], "postings": postings,
            "vectors": [";".join(",".join(map(_js_number, vectors[f"{field}/{doc['location']}"])) for doc in docs)
                        for field in fields],
            "factsite": index["factsite"]}


def _field_vectors(fields, inverted, frequencies, lengths, doc_boosts, document_count) -> dict[str, list]:
    total, count = defaultdict(int), defaultdict(int)
    for field, length in lengths.values():
        total[field] += length
        count[field] += 1
    average = {field: total[field] / count[field] for field in count}
    idf_of = {}
    vectors = {}
    for field_ref, counts in frequencies.items():
        field, ref = field_ref.split("/", 1)
        length = lengths[field_ref][1]
        elements = []
        for term, tf in counts.items():
            if term not in idf_of:
                idf_of[term] = _idf(inverted[term], document_count)
            score = idf_of[term] * ((K1 + 1) * tf) / (K1 * (1 - B + B * (length / average[field])) + tf)
            score *= fields[field]
            score *= doc_boosts[ref]
            elements.append((inverted[term]["_index"], math.floor(score * 1000 + 0.5) / 1000))  # Math.round
        vectors[field_ref] = [value for pair in sorted(elements) for value in pair]
    return vectors


def _idf(posting: dict, document_count: int) -> float:
    with_term = sum(len(docs) for name, docs in posting.items() if name != "_index")
    x = (document_count - with_term + 0.5) / (with_term + 0.5)
    return math.log(1 + abs(x))


def tokens(value, separator: re.Pattern) -> list[tuple[str, int]]:
    """(word, position) as Material's tokenizer makes them from a field's value (a string, or a list of
    strings whose blocks follow each other): a position is the word's block << 20 | its place among the
    block's entries in Material's table (each tag and each word)."""
    if value is None:
        return []
    found, entries = [], []  # entries[block]: how many Material's table holds for that block so far
    for text in value if isinstance(value, list) else [value]:
        total = len(entries)
        for block, kind, start, end in _sections(text):
            block += total
            if block >= len(entries):
                entries.extend([0] * (block + 1 - len(entries)))
            if kind != TEXT:
                entries[block] += 1
                continue
            place = entries[block]
            for word in separator.split(text[start:end]):
                if word:
                    found.append((word.lower(), _int32(block << 20 | place)))
                    place += 1
            entries[block] = place
    return found


def _sections(text: str):
    """Material's split of a value into markup and text: (block, kind, start, end); a block closes with the
    closing tag of the outermost element."""
    block = start = stack = 0
    for match in _MARKUP.finditer(text):
        end = match.start()
        if match.group() == "<":
            if end > start:
                yield block, TEXT, start, end
                start = end
            continue
        if text[start + 1:start + 2] == "/":
            stack -= 1
            if stack == 0:
                yield block, CLOSE, start, end + 1
                block += 1
        elif end == 0 or text[end - 1] != "/":
            if stack == 0:
                yield block, OPEN, start, end + 1
            stack += 1
        start = end + 1
    if len(text) > start:
        yield block, TEXT, start, len(text)


def _separator(config: dict) -> re.Pattern | None:
    """The site's separator (a JavaScript pattern) for Python's re, \\s as JavaScript means it."""
    pattern, out, in_class, escaped = config.get("separator") or "", [], False, False
    for char in pattern:
        if escaped:
            escaped = False
            out.append(_JS_SPACE if char == "s" and in_class else f"[{_JS_SPACE}]" if char == "s" else "\\" + char)
            continue
        if char == "\\":
            escaped = True
            continue
        in_class = char == "[" if not in_class else char != "]"
        out.append(char)
    try:
        return re.compile("".join(out)) if pattern else None
    except re.error:
        return None


def fingerprint(docs: list[dict], fields: list[str]) -> int:
    """A number both sides compute from the entries (lengths in UTF-16 units, as JavaScript counts them):
    the worker uses the prebuilt index only for the entries it was made from."""
    value = len(docs)
    for doc in docs:
        for part in [doc.get("location")] + [doc.get(field) for field in fields]:
            for text in part if isinstance(part, list) else [part] if part is not None else []:
                value = (value * 31 + _utf16_length(str(text)) + 1) % 1_000_000_007
    return value


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _js_number(value: int | float) -> str:
    return repr(value) if isinstance(value, float) else str(value)  # as json.dumps writes it: JavaScript reads the same number


def _int32(value: int) -> int:
    return value if value < 2**31 else (value + 2**31) % 2**32 - 2**31  # JavaScript's << works on 32 bits


def _js_order(term: str) -> bytes:
    return term.encode("utf-16-be")  # JavaScript sorts strings by UTF-16 code units


def write(config, enabled: bool = True) -> None:
    """search/factsite_lunr_index.json, from the entries and settings Material's search plugin is about to
    write (the factsite plugin calls this just before the search plugin's on_post_build); without `enabled` (the preview,
    where a rebuild should not wait for it), or for a configuration not reproduced, there is none, and
    the browser builds the index itself."""
    plugin_index = search_index.materials_index(config)
    path = Path(config.site_dir) / "search" / FILE
    data = None
    if enabled and plugin_index is not None:
        data = serialized(search_index.settings(plugin_index), plugin_index.entries)
        data = data and packed(data, plugin_index.entries)
    if data is None:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False), encoding="utf-8")
