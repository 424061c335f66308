/*
 * factsite: Material's search worker loads the index made when the site was built, instead of
 * building it (factsite/search_prebuilt.py writes search/factsite_lunr_index.json).
 *
 * Runs inside the search worker, after Material's worker script (which exposes lunr as self.lunr):
 * the served site's early worker (factsite-search-early.js) imports it, the offline bundle's worker
 * (factsite-iframe-worker.js) has it inlined. `self.factsiteLoadPrebuilt(index)` is called before
 * Material's request to build the index is handled; when Material's worker then builds:
 *
 * - each document given to lunr's builder is only kept: Material's field extractors still run (they
 *   give each field the table that Material's highlighting reads), but no word is indexed;
 * - the builder's build returns the prebuilt index, if it was made from these very documents (the
 *   fingerprint, computed as factsite/search_prebuilt.py does), as lunr's Index.load would load it,
 *   but each term's posting and each field's vector unpacked only when a search first reads it; if
 *   not, the kept documents are indexed as lunr would have, and nothing changes;
 * - a field's table is filled (Material's tokenizer, as lunr would have run it) when a search first
 *   finds a word in it, or a little at a time while the worker is idle, which is all that
 *   highlighting needs.
 */
self.factsiteLoadPrebuilt = function (prebuilt) {
  "use strict";

  var lunr = self.lunr;
  if (!prebuilt || !prebuilt.factsite || !prebuilt.terms || !lunr || !lunr.Builder ||
      prebuilt.version !== lunr.version) return false;

  var builder = lunr.Builder.prototype;
  var add = builder.add, build = builder.build;
  var kept = [];                 // [document, attributes], as given to the builder
  var untokenized = new Map();   // a document's ref -> its fields still to tokenize (name -> table, value)
  var words = new Map();         // a document's ref -> field -> word -> its positions, once tokenized

  builder.add = function (doc, attributes) {
    kept.push([doc, attributes]);
    var fields = new Map();
    for (var name of Object.keys(this._fields)) {
      var extractor = this._fields[name].extractor;
      var value = extractor ? extractor(doc) : doc[name]; // Material's extractor sets lunr.tokenizer.table
      if (value !== undefined) fields.set(name, { table: lunr.tokenizer.table, value: value });
    }
    if (fields.size) untokenized.set(String(doc[this._ref]), { builder: this, fields: fields });
  };

  builder.build = function () {
    builder.add = add;
    builder.build = build;
    var names = Object.keys(this._fields);
    if (JSON.stringify(names) !== JSON.stringify(prebuilt.fields) ||
        fingerprint(kept.map(function (pair) { return pair[0]; }), names) !== prebuilt.factsite.fingerprint) {
      untokenized.clear();
      kept.forEach(function (pair) { add.call(this, pair[0], pair[1]); }, this);
      return build.call(this);
    }
    var index = self.factsiteLoadPacked(prebuilt, kept.map(function (pair) { return pair[0]; }));
    var search = index.search;
    index.search = function (query) {
      var results = search.call(this, query);
      results.forEach(function (result) { placeWords(result); });
      tokenizeWhileIdle();
      return results;
    };
    tokenizeWhileIdle();
    return index;
  };

  // Until a reader searches, the worker is idle: it fills the documents' tables a few milliseconds at
  // a time, so that a search does not wait for it (one that comes meanwhile fills its own first). It
  // works a quarter of the time only: on two cores, filling them all at once as the index became ready
  // kept a core busy while the page was still starting, and the search box took a click later.
  var FILL_MS = 5, REST_MS = 15;
  var idle = null;
  function tokenizeWhileIdle() {
    clearTimeout(idle);
    idle = setTimeout(function fill() {
      var until = Date.now() + FILL_MS;
      for (var [ref, waiting] of untokenized) {
        for (var name of Array.from(waiting.fields.keys())) wordsOf(ref, name);
        if (Date.now() > until) break;
      }
      idle = untokenized.size ? setTimeout(fill, REST_MS) : null;
    }, 0);
  }

  // A found document's words where lunr would have kept them: the positions of each word found in
  // each field (the prebuilt index holds none), from the tables of the fields it was found in, filled
  // now if they were not (the others wait: Material highlights only fields with a word found).
  function placeWords(result) {
    Object.keys(result.matchData.metadata).forEach(function (word) {
      var found = result.matchData.metadata[word];
      Object.keys(found).forEach(function (name) {
        found[name].position = (wordsOf(result.ref, name).get(word) || []).slice();
      });
    });
  }

  // A document's field, tokenized as lunr's builder would have (Material's tokenizer fills the field's
  // table on the way): each word and its positions.
  function wordsOf(ref, name) {
    if (!words.has(ref)) words.set(ref, new Map());
    var fields = words.get(ref);
    if (fields.has(name)) return fields.get(name);
    var positions = new Map();
    var waiting = untokenized.get(ref);
    var field = waiting && waiting.fields.get(name);
    if (field) {
      waiting.fields.delete(name);
      if (!waiting.fields.size) untokenized.delete(ref);
      lunr.tokenizer.table = field.table; // where Material's tokenizer writes
      waiting.builder.tokenizer(field.value, { fields: [name] }).forEach(function (token) {
        var word = token.toString();
        if (!positions.has(word)) positions.set(word, []);
        positions.get(word).push(token.metadata.position);
      });
    }
    fields.set(name, positions);
    return positions;
  }

  return true;

  // A number computed from the documents as factsite/search_prebuilt.py's fingerprint computes it.
  function fingerprint(docs, fields) {
    var value = docs.length;
    docs.forEach(function (doc) {
      [doc.location].concat(fields.map(function (name) { return doc[name]; })).forEach(function (part) {
        if (part === undefined || part === null) return;
        (Array.isArray(part) ? part : [part]).forEach(function (text) {
          value = (value * 31 + String(text).length + 1) % 1000000007;
        });
      });
    });
    return value;
  }
};

// The prebuilt index as lunr.js's Index.load would load it from its serialization (without positions),
// from the form factsite/search_prebuilt.py's `packed` writes and the documents it was made from. A
// term's posting and a field's vector are unpacked when a search first reads them: a query reads a
// few terms' postings and its matches' vectors, and unpacking them all delayed the index's readiness
// and kept the page's other core busy while the page was still starting.
self.factsiteLoadPacked = function (packed, docs) {
  "use strict";

  var lunr = self.lunr;
  var refs = docs.map(function (doc) { return String(doc.location); });
  var fields = packed.fields;
  var tokenSet = new lunr.TokenSet.Builder();
  packed.terms.forEach(function (term) { tokenSet.insert(term); }); // in the order lunr's builder needs
  tokenSet.finish();
  var invertedIndex = lazyTable(packed.terms, function (t) { return posting(packed.postings[t]); });
  var fieldRefs = [], vectors = [];
  fields.forEach(function (name, f) {
    refs.forEach(function (ref) { fieldRefs.push(name + "/" + ref); });
    vectors = vectors.concat(packed.vectors[f]);
  });
  var fieldVectors = lazyTable(fieldRefs, function (v) { return new lunr.Vector(vectors[v]); });
  return new lunr.Index({ invertedIndex: invertedIndex, fieldVectors: fieldVectors, tokenSet: tokenSet.root,
                          fields: fields, pipeline: lunr.Pipeline.load(packed.pipeline) });

  // A term's documents in each field, as lunr keeps them: the packed row holds their numbers as differences.
  function posting(row) {
    var unpacked = { _index: row[0] };
    fields.forEach(function (name, f) {
      var found = {};
      var number = 0;
      row[f + 1].forEach(function (difference) {
        number += difference;
        found[refs[number]] = {};
      });
      unpacked[name] = found;
    });
    return unpacked;
  }

  // An object with these keys, whose value for the key at `keys[i]` is `make(i)`, made when first read.
  function lazyTable(keys, make) {
    var place = new Map(keys.map(function (key, i) { return [key, i]; }));
    var made = new Map();
    function value(key) {
      if (!made.has(key)) made.set(key, place.has(key) ? make(place.get(key)) : undefined);
      return made.get(key);
    }
    return new Proxy(Object.create(null), {
      get: function (target, key) { return typeof key === "string" ? value(key) : undefined; },
      has: function (target, key) { return place.has(key); },
      ownKeys: function () { return keys.slice(); },
      getOwnPropertyDescriptor: function (target, key) {
        return place.has(key) ? { value: value(key), enumerable: true, configurable: true, writable: true } : undefined;
      }
    });
  }
};
