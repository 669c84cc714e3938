import assert from "node:assert/strict";
import { ValidationError } from "../lib/errors.ts";
import { Automaton, AUTOMATON_MAX_STATES } from "../lib/store/search/_automaton.ts";
import {
  autoFuzziness,
  codePoints,
  editDistanceMatcher,
  fuzzyPieces,
  withinEditDistance,
} from "../lib/store/search/_fuzzy.ts";
import { parseRegexp } from "../lib/store/search/_regexp_parser.ts";
import { cachedTermPattern, compileTermPattern } from "../lib/store/search/_term_pattern.ts";
import { parseWildcard } from "../lib/store/search/_wildcard_parser.ts";
import { matchFunction } from "../lib/store/search/_match_function.ts";
import { Dice, levenshtein, wildcardReference } from "./_search_helpers.ts";

const matches = (strategy: "EXACT" | "WILDCARD" | "REGEXP" | "FUZZY", p: string, t: string) =>
  compileTermPattern(strategy, p).matches(t);

Deno.test("REGEXP is anchored to the whole term: tozny.* matches toznywebsite, not toznians", () => {
  assert.equal(matches("REGEXP", "tozny.*", "toznywebsite"), true);
  assert.equal(matches("REGEXP", "tozny.*", "tozny"), true);
  assert.equal(matches("REGEXP", "tozny.*", "toznians"), false);
  assert.equal(matches("REGEXP", "sum", "summer"), false);
  assert.equal(matches("REGEXP", "sum.*", "summer"), true);
});

Deno.test("REGEXP: the Lucene operators the E3DB README lists", () => {
  const cases: Array<[string, string, boolean]> = [
    ["s.mmer", "summer", true],
    ["s.mmer", "smmer", false],
    ["colou?r", "color", true],
    ["colou?r", "colour", true],
    ["ab+c", "abbbc", true],
    ["ab+c", "ac", false],
    ["ab*c", "ac", true],
    ["a{2}", "aa", true],
    ["a{2}", "aaa", false],
    ["a{2,}", "aaaaa", true],
    ["a{2,}", "a", false],
    ["a{2,3}", "aaa", true],
    ["a{2,3}", "aaaa", false],
    ["a{0}b", "b", true],
    ["cat|dog", "dog", true],
    ["cat|dog", "cow", false],
    ["(ab)+", "ababab", true],
    ["(ab)+", "aba", false],
    ["[abc]x", "bx", true],
    ["[abc]x", "dx", false],
    ["[a-c]+", "abcabc", true],
    ["[a-c]+", "abd", false],
    ["[^abc]+", "xyz", true],
    ["[^abc]+", "xaz", false],
    ["[a\\]]+", "a]a", true],
    ["[-a]+", "-a-", true],
    ["[a-]+", "-a-", true],
    ["a\\.b", "a.b", true],
    ["a\\.b", "axb", false],
    ["a\\*", "a*", true],
    ['"a.b*"', "a.b*", true],
    ['"a.b*"', "axbb", false],
    ['x"()"y', "x()y", true],
    ["()", "", true],
    ["a|", "", true],
    ["^sum.*$", "summer", true],
    ["^sum", "summer", false],
    ["a^b", "ab", false],
    ["a$b", "ab", false],
    ["\\^a\\$", "^a$", true],
    ["a#b@c&d~e<f>g", "a#b@c&d~e<f>g", true],
    ["日.", "日本", true],
    [".", "😀", true],
    ["..", "😀", false],
    ["[😀-😂]", "😁", true],
    ["", "", true],
    ["", "a", false],
  ];
  for (const [pattern, text, expected] of cases) {
    assert.equal(matches("REGEXP", pattern, text), expected, `${pattern} on ${text}`);
  }
});

Deno.test("REGEXP: bad patterns are ValidationErrors naming the problem", () => {
  const bad: Array<[string, RegExp]> = [
    ["(a", /'\(' is not closed/],
    ["a)", /unmatched '\)'/],
    ["[ab", /'\[' is not closed/],
    ["[]", /class is empty/],
    ["[z-a]", /range is reversed/],
    ["*a", /nothing to repeat/],
    ["a|+", /nothing to repeat/],
    ["a{", /needs a number/],
    ["a{2", /not closed/],
    ["a{3,2}", /max below min/],
    ["a{1001}", /above 1000/],
    ['"abc', /'"' is not closed/],
    ["a\\", /unexpected end/],
    ["(".repeat(101) + ")".repeat(101), /nest deeper/],
  ];
  for (const [pattern, message] of bad) {
    assert.throws(() => compileTermPattern("REGEXP", pattern), (error: unknown) => {
      assert.ok(error instanceof ValidationError, pattern);
      assert.match((error as Error).message, message, pattern);
      return true;
    });
  }
});

Deno.test("REGEXP: patterns that would need too many automaton states are refused", () => {
  assert.throws(
    () => compileTermPattern("REGEXP", "(a{1000}){1000}"),
    (error: unknown) =>
      error instanceof ValidationError && /too complex/.test(error.message) &&
      error.message.includes(String(AUTOMATON_MAX_STATES)),
  );
});

Deno.test("REGEXP agrees with JavaScript's engine on random patterns of the shared syntax", () => {
  const dice = new Dice(7);
  const alphabet = ["a", "b", "c", "😀"];
  const atom = (depth: number): string => {
    const choice = dice.int(depth > 2 ? 4 : 7);
    if (choice === 0) return dice.pick(alphabet);
    if (choice === 1) return ".";
    if (choice === 2) return dice.pick(["[ab]", "[^a]", "[a-c]", "[^b-c😀]"]);
    if (choice === 3) return dice.pick(alphabet);
    if (choice === 4) return `(${seq(depth + 1)})`;
    if (choice === 5) return `(${seq(depth + 1)}|${seq(depth + 1)})`;
    return `(${seq(depth + 1)})`;
  };
  const quantified = (depth: number) =>
    atom(depth) + dice.pick(["", "", "", "?", "*", "+", "{2}", "{0,2}", "{1,}"]);
  const seq = (depth: number): string =>
    Array.from({ length: 1 + dice.int(3) }, () => quantified(depth)).join("");
  for (let i = 0; i < 400; i++) {
    const pattern = seq(0);
    const ours = compileTermPattern("REGEXP", pattern);
    const theirs = new RegExp(`^(?:${pattern})$`, "su");
    for (let j = 0; j < 25; j++) {
      const text = dice.text(alphabet, 0, 7);
      assert.equal(ours.matches(text), theirs.test(text), `/${pattern}/ on "${text}"`);
    }
  }
});

Deno.test("WILDCARD: * and ? over the whole term, escapes, plain-key style patterns", () => {
  assert.equal(matches("WILDCARD", "*server_1*", "my_server_12"), true);
  assert.equal(matches("WILDCARD", "*server_1*", "server_2"), false);
  assert.equal(matches("WILDCARD", "su??er", "summer"), true);
  assert.equal(matches("WILDCARD", "su??er", "suer"), false);
  assert.equal(matches("WILDCARD", "sum*", "summer"), true);
  assert.equal(matches("WILDCARD", "sum", "summer"), false);
  assert.equal(matches("WILDCARD", "*", ""), true);
  assert.equal(matches("WILDCARD", "?", "😀"), true);
  assert.equal(matches("WILDCARD", "a\\*", "a*"), true);
  assert.equal(matches("WILDCARD", "a\\*", "ab"), false);
  assert.equal(matches("WILDCARD", "a\\?", "a?"), true);
  assert.equal(matches("WILDCARD", "a\\", "a\\"), true); // a trailing backslash is literal
  assert.equal(matches("WILDCARD", "a.b", "a.b"), true); // regexp operators are literal
  assert.equal(matches("WILDCARD", "a.b", "axb"), false);
});

Deno.test("WILDCARD agrees with a dynamic-programming reference on random input", () => {
  const dice = new Dice(11);
  for (let i = 0; i < 2000; i++) {
    const pattern = dice.text(["a", "b", "*", "?", "é"], 0, 6);
    const text = dice.text(["a", "b", "é"], 0, 8);
    assert.equal(
      matches("WILDCARD", pattern, text),
      wildcardReference(pattern, text),
      `${pattern} on ${text}`,
    );
  }
});

Deno.test("FUZZY: AUTO distance (0 up to 2 characters, 1 up to 5, 2 beyond)", () => {
  assert.deepEqual([0, 1, 2, 3, 5, 6, 13].map(autoFuzziness), [0, 0, 0, 1, 1, 2, 2]);
  assert.throws(() => autoFuzziness(-1), RangeError);
  assert.equal(matches("FUZZY", "veryveryfunny", "veryveryfuzzy"), true);
  assert.equal(matches("FUZZY", "bummer", "summer"), true);
  assert.equal(matches("FUZZY", "ab", "ac"), false); // 2 characters: exact only
  assert.equal(matches("FUZZY", "ab", "ab"), true);
  assert.equal(matches("FUZZY", "cat", "cut"), true); // 3: one edit
  assert.equal(matches("FUZZY", "cat", "cup"), false);
  assert.equal(matches("FUZZY", "summer", "sumer"), true);
  assert.equal(matches("FUZZY", "summer", "sxmxer"), true);
  assert.equal(matches("FUZZY", "summer", "sxmxxr"), false);
  assert.equal(matches("FUZZY", "abcdef", "bacdef"), true); // a transposition is two edits
  assert.equal(matches("FUZZY", "abcdef", "badcfe"), false);
  assert.equal(matches("FUZZY", "naïve", "naive"), true); // code points, not bytes
});

Deno.test("FUZZY: the banded check agrees with full Levenshtein on random strings", () => {
  const dice = new Dice(3);
  for (let i = 0; i < 3000; i++) {
    const a = dice.text(["a", "b", "c", "😀"], 0, 9);
    const b = dice.text(["a", "b", "c", "😀"], 0, 9);
    const distance = levenshtein(a, b);
    for (const k of [0, 1, 2, 3]) {
      assert.equal(
        withinEditDistance(codePoints(a), codePoints(b), k),
        distance <= k,
        `${a} ${b} ${k}`,
      );
      assert.equal(editDistanceMatcher(a, k)(b), distance <= k, `${a} ${b} ${k}`);
    }
    const pattern = compileTermPattern("FUZZY", a);
    assert.equal(pattern.matches(b), distance <= autoFuzziness(Array.from(a).length));
  }
  assert.throws(() => withinEditDistance(codePoints("a"), codePoints("b"), -1), RangeError);
});

Deno.test("FUZZY: pigeonhole pieces cover the pattern, and a close term contains one", () => {
  assert.deepEqual(fuzzyPieces("veryveryfunny", 2), ["veryv", "eryf", "unny"]);
  assert.equal(fuzzyPieces("bummer", 1).join(""), "bummer");
  const dice = new Dice(5);
  for (let i = 0; i < 500; i++) {
    const pattern = dice.text(["a", "b", "c"], 3, 10);
    const k = autoFuzziness(pattern.length);
    const pieces = fuzzyPieces(pattern, k);
    const near = dice.text(["a", "b", "c"], 1, 12);
    if (levenshtein(pattern, near) <= k) {
      assert.ok(pieces.some((piece) => near.includes(piece)), `${pattern} ${near}`);
    }
  }
});

Deno.test("EXACT is case-sensitive equality; strategies compile facts for narrowing", () => {
  assert.equal(matches("EXACT", "Summer", "summer"), false);
  assert.equal(matches("EXACT", "summer", "summer"), true);
  const prefix = compileTermPattern("WILDCARD", "serv*");
  assert.equal(prefix.prefixOnly, true);
  assert.equal(prefix.prefix, "serv");
  const infix = compileTermPattern("WILDCARD", "*server_1*");
  assert.equal(infix.prefixOnly, false);
  assert.deepEqual(infix.anyOfGroups, [["server_1"]]);
  assert.equal(compileTermPattern("REGEXP", "tozny.*").prefixOnly, true);
  assert.equal(compileTermPattern("REGEXP", "summer").exact, "summer");
  assert.equal(compileTermPattern("WILDCARD", "a\\*b").exact, "a*b");
  assert.equal(compileTermPattern("REGEXP", ".*").matchesEverything, true);
  assert.equal(compileTermPattern("WILDCARD", "**").matchesEverything, true);
  const regexp = compileTermPattern("REGEXP", "ab(cd)+e{2,3}");
  assert.equal(regexp.minLength, 6);
  assert.equal(regexp.maxLength, Infinity);
  assert.deepEqual(regexp.anyOfGroups, [["ab", "cd", "e"]]);
  assert.deepEqual(compileTermPattern("REGEXP", "(kavizo|lo.s)").anyOfGroups, [["kavizo"], [
    "lo",
    "s",
  ]]);
  assert.deepEqual(compileTermPattern("REGEXP", "^(ab|.*)$").anyOfGroups, []);
});

Deno.test("catastrophic patterns finish and give the right answer", () => {
  const long = "a".repeat(50_000);
  assert.equal(matches("REGEXP", "(a+)+b", long), false);
  assert.equal(matches("REGEXP", "(a+)+", long), true);
  assert.equal(matches("REGEXP", "(a|aa)*c", long), false);
  assert.equal(matches("REGEXP", "(a*)*b", long), false);
  assert.equal(matches("REGEXP", "(.*a){20}", long), true);
  assert.equal(matches("REGEXP", "(a|b)*a(a|b){18}", "ab".repeat(20_000)), false);
  assert.equal(matches("REGEXP", "(a|b)*a(a|b){18}", "ab".repeat(20_000) + "a".repeat(19)), true);
  const star = "*a".repeat(300) + "*b";
  assert.equal(matches("WILDCARD", star, long), false);
  assert.equal(matches("WILDCARD", star, long + "b"), true);
  assert.equal(matches("WILDCARD", "*a".repeat(300) + "*", long), true);
});

Deno.test("the automaton keeps working when its state cache overflows", () => {
  // 2^12 subsets: more DFA states than the cache holds, so it is flushed while matching.
  const automaton = new Automaton(parseRegexp("(a|b)*a(a|b){11}"), "");
  const dice = new Dice(9);
  const reference = /^(?:(a|b)*a(a|b){11})$/;
  for (let i = 0; i < 300; i++) {
    const text = dice.text(["a", "b"], 0, 60);
    assert.equal(automaton.matches(text), reference.test(text), text);
  }
  assert.ok(automaton.size > 10);
});

Deno.test("parsers reject non-strings; the SQL match function and the cache", () => {
  assert.throws(() => parseRegexp(1 as unknown as string), TypeError);
  assert.throws(() => parseWildcard(null as unknown as string), TypeError);
  assert.throws(() => compileTermPattern("EXACT", 5 as unknown as string), ValidationError);
  assert.throws(
    () => compileTermPattern("SOUNDEX" as unknown as "EXACT", "a"),
    /Unknown search strategy/,
  );
  assert.equal(matchFunction("WILDCARD", "a*", "abc"), 1);
  assert.equal(matchFunction("WILDCARD", "a*", "bc"), 0);
  assert.equal(matchFunction("WILDCARD", "a*", null), 0);
  assert.equal(cachedTermPattern("REGEXP", "x+"), cachedTermPattern("REGEXP", "x+"));
  for (let i = 0; i < 40; i++) cachedTermPattern("EXACT", `p${i}`); // past the cache size
  assert.equal(cachedTermPattern("EXACT", "p39").matches("p39"), true);
});
