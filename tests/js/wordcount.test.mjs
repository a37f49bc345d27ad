// The browser's word count against the shared fixtures, for a quick `node --test tests/js/` while
// working on the editor. tests/upr_portal/test_wordcount.py runs the same check (and the Python
// parity checks) under pytest, so this file adds speed, not coverage.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { countHtml, countWords } from "../../static/js/wordcount.js";

const fixtures = JSON.parse(readFileSync(new URL("../fixtures/wordcount.json", import.meta.url), "utf8"));

for (const fixture of fixtures) {
  test(fixture.why, () => {
    const expected = { body: fixture.body, notes: fixture.notes ?? 0 };
    const { body, notes } = "text" in fixture ? { body: countWords(fixture.text), notes: 0 } : countHtml(fixture.html);
    assert.deepEqual({ body, notes }, expected);
  });
}
