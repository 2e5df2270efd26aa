// Unit tests of practice.js's pure logic: scoring, keyword matching, the progress store.
// Run with `node --test Tests/js/` (Node's own runner; no npm packages).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const path = require("node:path");
const Practice = require(path.join(__dirname, "../../templates/assets/practice.js"));

test("a check is correct only for exactly the key, in any order", () => {
  assert.equal(Practice.evaluate([2], [2]), "correct");
  assert.equal(Practice.evaluate([4, 2], [2, 4]), "correct");
  assert.equal(Practice.evaluate([2], [2, 4]), "incorrect");
  assert.equal(Practice.evaluate([1, 2, 4], [2, 4]), "incorrect");
  assert.equal(Practice.evaluate([3], [2]), "incorrect");
  assert.equal(Practice.evaluate([], [2]), "none");
});

test("keywords match case- and accent-insensitively, as whole phrases", () => {
  const found = Practice.keywordsFound("The INTENSIDAD rises; limitado por MEMÓRIA", ["intensidad", "limitado por memoria", "bytes"]);
  assert.deepEqual(found, [true, true, false]);
  assert.deepEqual(Practice.keywordsFound("cómputo", ["computo"]), [true]);
  assert.deepEqual(Practice.keywordsFound("", ["x"]), [false]);
});

test("the score counts only results saved for the current version of a question", () => {
  const entries = {
    "q-26-01@aaaa": { r: "correct", p: "phase-26" },
    "q-26-02@bbbb": { r: "revealed", p: "phase-26" },
    "q-26-03@old0": { r: "correct", p: "phase-26" },
    "q-26-04@dddd": { r: "incorrect", p: "phase-26" },
  };
  const keys = ["q-26-01@aaaa", "q-26-02@bbbb", "q-26-03@new1", "q-26-04@dddd", "q-26-05@eeee"];
  assert.deepEqual(Practice.score(keys, entries), { correct: 1, incorrect: 1, revealed: 1, total: 5 });
  assert.equal(Practice.fill("{correct} of {total} correct · {revealed} revealed", Practice.score(keys, entries)),
               "1 of 5 correct · 1 revealed");
  assert.equal(Practice.fill("{missing} stays", {}), "{missing} stays");
});

function memoryStorage(initial) {
  const data = Object.assign({}, initial);
  return {
    data,
    getItem: (key) => (key in data ? data[key] : null),
    setItem: (key, value) => { data[key] = String(value); },
    removeItem: (key) => { delete data[key]; },
  };
}

test("the store saves, reloads and removes results", () => {
  const storage = memoryStorage();
  const store = Practice.openStore(storage);
  assert.equal(store.saved, true);
  store.set("q-26-01@aaaa", "correct", "phase-26");
  store.set("q-27-01@ffff", "revealed", "phase-27");
  const again = Practice.openStore(storage);
  assert.equal(again.get("q-26-01@aaaa"), "correct");
  again.removeWhere((key, entry) => entry.p === "phase-26");
  assert.equal(Practice.openStore(storage).get("q-26-01@aaaa"), null);
  assert.equal(Practice.openStore(storage).get("q-27-01@ffff"), "revealed");
});

test("garbage in storage is ignored, never thrown", () => {
  for (const garbage of ["{not json", "[1,2]", "42", "null", '{"q@f": {"r": "hacked", "p": "x"}, "q@g": 7}']) {
    const store = Practice.openStore(memoryStorage({ [Practice.STORAGE_KEY]: garbage }));
    assert.deepEqual(store.entries, {}, garbage);
  }
  const kept = Practice.openStore(memoryStorage({ [Practice.STORAGE_KEY]: '{"q@f": {"r": "correct", "p": "x"}, "bad": {"r": 1}}' }));
  assert.deepEqual(Object.keys(kept.entries), ["q@f"]);
});

test("a full or missing storage keeps results in memory and says so", () => {
  const full = memoryStorage();
  full.setItem = () => { throw new Error("QuotaExceededError"); };
  const store = Practice.openStore(full);
  store.set("q@f", "correct", "p");
  assert.equal(store.saved, false);
  assert.equal(store.get("q@f"), "correct");
  const none = Practice.openStore(null);
  none.set("q@f", "incorrect", "p");
  assert.equal(none.saved, false);
  assert.equal(none.get("q@f"), "incorrect");
});
