/*
 * factsite: Material's search worker loads the index made when the site was built, instead of
 * building it (factsite/search_prebuilt.py writes search/factsite_lunr_index.json).
 *
 * Runs inside the search worker, after Material's worker script (which exposes lunr as self.lunr):
 * the served site's early worker (factsite-search-early.js) imports it, the offline bundle's worker
 * (factsite-iframe-worker.js) has it inlined. `self.factsiteLoadPrebuilt(index)` is called before
 * Material's request to build the index is handled; when Material's worker then builds:
 *
 * - each document given to lunr's builder is only kept: no field is read and no word is indexed;
 * - the builder's build returns the prebuilt index, if it was made from these very documents (the
 *   fingerprint, computed as factsite/search_prebuilt.py does), as lunr's Index.load would load it,
 *   but each term's posting and each field's vector unpacked only when a search first reads it; if
 *   not, the kept documents are indexed as lunr would have, and nothing changes;
 * - the prebuilt index holds no positions: a search finds the positions of the words it found in the
 *   fields it found them in, by tokenizing those fields then (once each), as Material's tokenizer
 *   would have when building, which also fills the table Material's highlighting reads.
 */
self.factsiteLoadPrebuilt = function (prebuilt) {
  "use strict";

  var lunr = self.lunr;
  if (!prebuilt || !prebuilt.factsite || !prebuilt.terms || !lunr || !lunr.Builder ||
      prebuilt.version !== lunr.version) return false;

  var builder = lunr.Builder.prototype;
  var add = builder.add, build = builder.build;
  var kept = [];                 // [document, attributes], as given to the builder
  var indexing = null;           // the builder, once its index is the prebuilt one: its fields, its tokenizer
  var documents = new Map();     // a document's ref -> the document
  var words = new Map();         // a document's ref -> field -> word -> its positions, once tokenized

  builder.add = function (doc, attributes) {
    kept.push([doc, attributes]);
  };

  builder.build = function () {
    builder.add = add;
    builder.build = build;
    var names = Object.keys(this._fields);
    var docs = kept.map(function (pair) { return pair[0]; });
    if (JSON.stringify(names) !== JSON.stringify(prebuilt.fields) ||
        fingerprint(docs, names) !== prebuilt.factsite.fingerprint) {
      kept.forEach(function (pair) { add.call(this, pair[0], pair[1]); }, this);
      return build.call(this);
    }
    indexing = this;
    for (var i = 0; i < docs.length; i++) documents.set(String(docs[i][this._ref]), docs[i]);
    var index = self.factsiteLoadPacked(prebuilt, docs);
    var search = index.search;
    index.search = function (query) {
      var results = search.call(this, query);
      results.forEach(placeWords);
      return results;
    };
    return index;
  };

  // A found document's words where lunr would have kept them: the positions of each word found in
  // each field (the prebuilt index holds none), from the fields it was found in (Material highlights
  // no other).
  function placeWords(result) {
    Object.keys(result.matchData.metadata).forEach(function (word) {
      var found = result.matchData.metadata[word];
      Object.keys(found).forEach(function (name) {
        found[name].position = (wordsOf(result.ref, name).get(word) || []).slice();
      });
    });
  }

  // A document's field tokenized as lunr's builder would have: each word and its positions; Material's
  // extractor gives the field its table first (lunr.tokenizer.table), which tokenizing fills.
  function wordsOf(ref, name) {
    var fields = words.get(ref);
    if (!fields) words.set(ref, fields = new Map());
    var positions = fields.get(name);
    if (positions) return positions;
    positions = new Map();
    var doc = documents.get(ref), field = indexing._fields[name];
    var value = !doc ? undefined : field.extractor ? field.extractor(doc) : doc[name];
    if (value !== undefined) {
      indexing.tokenizer(value, { fields: [name] }).forEach(function (token) {
        var word = token.toString();
        if (!positions.has(word)) positions.set(word, []);
        positions.get(word).push(token.metadata.position);
      });
    }
    fields.set(name, positions);
    return positions;
  }

  // A number computed from the documents as factsite/search_prebuilt.py's fingerprint computes it.
  function fingerprint(docs, fields) {
    var value = docs.length;
    for (var d = 0; d < docs.length; d++) {
      value = mix(value, docs[d].location);
      for (var f = 0; f < fields.length; f++) value = mix(value, docs[d][fields[f]]);
    }
    return value;
  }

  function mix(value, part) {
    if (part === undefined || part === null) return value;
    var texts = Array.isArray(part) ? part : [part];
    for (var i = 0; i < texts.length; i++) value = (value * 31 + String(texts[i]).length + 1) % 1000000007;
    return value;
  }

  return true;
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
  var numbers = new Map(refs.map(function (ref, n) { return [ref, n]; }));
  var fields = packed.fields;
  var tokenSet = new lunr.TokenSet.Builder();
  packed.terms.forEach(function (term) { tokenSet.insert(term); }); // in the order lunr's builder needs
  tokenSet.finish();
  var terms = new Map(packed.terms.map(function (term, t) { return [term, t]; }));
  var invertedIndex = lazyTable(function () { return packed.terms; }, function (term) {
    var t = terms.get(term);
    return t === undefined ? undefined : posting(packed.postings[t]);
  });
  // a field vector's name is the field's, "/", then the document's ref (which may hold "/" itself); the
  // file holds a field's vectors as one string, the entries' in order ("index,score,…;index,score,…")
  var vectorRows = [];
  var fieldVectors = lazyTable(function () {
    var names = [];
    fields.forEach(function (name) { refs.forEach(function (ref) { names.push(name + "/" + ref); }); });
    return names;
  }, function (fieldRef) {
    var slash = fieldRef.indexOf("/"), f = fields.indexOf(fieldRef.slice(0, slash));
    var n = slash < 0 || f < 0 ? undefined : numbers.get(fieldRef.slice(slash + 1));
    if (n === undefined) return undefined;
    var row = (vectorRows[f] = vectorRows[f] || packed.vectors[f].split(";"))[n];
    return new lunr.Vector(row ? row.split(",").map(Number) : []);
  });
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

  // An object whose value for a key is `make(key)` (undefined for a key it does not have), made when
  // first read; its keys, listed only if asked for, are `keys()`.
  function lazyTable(keys, make) {
    var made = new Map();
    var listed = null;
    function value(key) {
      if (!made.has(key)) made.set(key, make(key));
      return made.get(key);
    }
    return new Proxy(Object.create(null), {
      get: function (target, key) { return typeof key === "string" ? value(key) : undefined; },
      has: function (target, key) { return typeof key === "string" && value(key) !== undefined; },
      ownKeys: function () { return (listed = listed || keys()).slice(); },
      getOwnPropertyDescriptor: function (target, key) {
        var found = typeof key === "string" ? value(key) : undefined;
        return found === undefined ? undefined : { value: found, enumerable: true, configurable: true, writable: true };
      }
    });
  }
};
