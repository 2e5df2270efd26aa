// Unit tests of site.js's search: the terms of a query (held to the same fixture as the
// Swift side that builds the index), postings, chunk choice, ranking and highlighting.
// Run with `node --test Tests/js/`.
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const Search = require(path.join(__dirname, "../../templates/assets/site.js"));

const stopwords = {
  en: ["the", "and", "a"],
  es: ["la", "las", "el", "y", "que", "es", "mas"],
};
// The stopwords SearchTerms.swift gives the index for these languages, as far as the
// fixture's texts need them.
const fixture = JSON.parse(fs.readFileSync(path.join(__dirname, "search-terms.json"), "utf8"));

test("a query's terms are the index's terms (Tests/js/search-terms.json)", () => {
  for (const { language, text, terms } of fixture.cases) {
    assert.deepEqual(Search.terms(text, language, stopwords[language] || []), terms, `${language}: ${text}`);
  }
});

test("postings decode as SearchIndex.encode writes them", () => {
  // Documents 5 (title), 6 (title), 7 (title), 8 (prompt); then a gap of 40 in choices.
  assert.deepEqual(Search.decodePostings("PAAB"), [[5, 0], [6, 0], [7, 0], [8, 1]]);
  // (41 − 1) × 3 + 2 = 122 = 3 × 32 + 26: "D" (3, continued: 35 = "j") then "a" (26).
  assert.deepEqual(Search.decodePostings("PAABja"), [[5, 0], [6, 0], [7, 0], [8, 1], [49, 2]]);
});

test("a term matches the words it begins, from three letters on", () => {
  assert.ok(Search.matches("cach", "cache"));
  assert.ok(Search.matches("ca", "ca"));
  assert.ok(!Search.matches("ca", "cache"));
  assert.ok(!Search.matches("ache", "cache"), "inside a word is not a match");
});

test("a term's chunks: the one its range starts in through the one it ends in", () => {
  const first = ["", "b", "bo", "c", "d"];
  assert.deepEqual(Search.chunksFor("apple", first), [0]);
  assert.deepEqual(Search.chunksFor("bar", first), [1]);
  assert.deepEqual(Search.chunksFor("bor", first), [2]);
  assert.deepEqual(Search.chunksFor("b", first), [1], "a one-letter term is matched whole");
});

test("ranking: more matched terms first, then title over prompt over choices, then course order", () => {
  const kernel = Search.decodePostings("AGE");
  assert.deepEqual(kernel, [[0, 0], [3, 0], [5, 1]]);
  const cache = Search.decodePostings("DB");
  assert.deepEqual(cache, [[1, 0], [2, 1]]);
  const ranked = Search.rank(["kernel", "cache"], [{ kernel: "AGE", cache: "DB" }]).map((r) => r.document);
  assert.deepEqual(ranked, [0, 1, 3, 2, 5]);
  // kernel in documents 0 and 2, cache in 2: document 2 matches both.
  const both = Search.rank(["kernel", "cache"], [{ kernel: "AD", cache: "G" }]);
  assert.equal(both[0].document, 2, "a document matching both terms comes first");
  assert.equal(both[0].matched, 2);
});

test("results are placed in their phase by the root's question counts", () => {
  const phases = [[26, 5], [27, 4], [30, 1]];
  assert.deepEqual(Search.locate(0, phases), [26, 0]);
  assert.deepEqual(Search.locate(5, phases), [27, 0]);
  assert.deepEqual(Search.locate(9, phases), [30, 0]);
  assert.equal(Search.locate(10, phases), null);
});

test("the words a query matches are highlighted, accents and plurals included", () => {
  const pieces = Search.highlight("La cuantización de las cachés", ["cuantizacion", "cache"], "es");
  assert.deepEqual(pieces, [["La ", false], ["cuantización", true], [" de las ", false], ["cachés", true]]);
  assert.deepEqual(Search.highlight("año ano", ["año"], "es"), [["año", true], [" ano", false]]);
});
