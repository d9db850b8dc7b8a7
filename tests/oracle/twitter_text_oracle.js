// The official twitter-text library as an oracle for the Python tests.
//
//   node twitter_text_oracle.js          one JSON text per input line; answers one JSON line per
//                                        text: {"weightedLength": n, "urls": [[start, end, url]]}
//                                        with UTF-16 offsets, or {"error": "..."} if the library
//                                        throws (it can, on punycode overflow).
//   node twitter_text_oracle.js --data   the facts Postwijs keeps in resources/: the TLD lists and
//                                        the emoji pattern that twitter-text counts as one unit.
'use strict';

const path = require('path');
const readline = require('readline');
const twttr = require('twitter-text');

function loadRegexp(name) {
  const mod = require(path.join('twitter-text', 'dist', 'regexp', name));
  return mod.default || mod;
}

function tldList(name) {
  // The library builds each list as (?:(?:a|b|c)(?=[^0-9a-zA-Z@+-]|$)).
  const source = loadRegexp(name).source;
  const inner = source.match(/^\(\?:\(\?:(.*)\)\(\?=\[\^0-9a-zA-Z@\+-\]\|\$\)\)$/);
  if (!inner) throw new Error(`unexpected shape of ${name}`);
  return inner[1].split('|');
}

function data() {
  const emojiModule = require(path.join('twemoji-parser', 'dist', 'lib', 'regex'));
  const emoji = emojiModule.default || emojiModule;
  return {
    twitterText: require('twitter-text/package.json').version,
    twemojiParser: require('twemoji-parser/package.json').version,
    genericTlds: tldList('validGTLD'),
    countryTlds: tldList('validCCTLD'),
    emojiPattern: emoji.source,
  };
}

function answer(text) {
  try {
    const parsed = twttr.parseTweet(text);
    const urls = twttr.extractUrlsWithIndices(text).map((u) => [u.indices[0], u.indices[1], u.url]);
    return { weightedLength: parsed.weightedLength, urls };
  } catch (err) {
    return { error: String(err) };
  }
}

if (process.argv.includes('--data')) {
  process.stdout.write(JSON.stringify(data()) + '\n');
} else {
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (line.trim() === '') return;
    process.stdout.write(JSON.stringify(answer(JSON.parse(line))) + '\n');
  });
}
