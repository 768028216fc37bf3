// Typesets a chapter's math with KaTeX and highlights its Swift cells with highlight.js, at
// build time, so that pages need no script to show either. Both libraries are Debian's
// (libjs-katex, libjs-highlight.js); `lessons render` passes their paths.
//
// Usage: node typeset.js REQUEST.json
//   REQUEST: {"katex": path or null, "highlight": path or null,
//             "math": [{"tex": "...", "display": true}], "code": ["..."]}
// Prints:  {"math": [{"html": "..."} or {"error": "..."}], "code": ["..." or null]}
"use strict";
const fs = require("fs");

// Standard output carries the response alone: anything the libraries print (highlight.js 9
// announces its end of life) goes to standard error.
console.log = console.info = console.warn = (...parts) => process.stderr.write(parts.join(" ") + "\n");

const request = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const katex = request.katex ? require(request.katex) : null;
const hljs = request.highlight ? require(request.highlight) : null;

const math = request.math.map(({ tex, display }) => {
  if (!katex) return { error: "KaTeX is not installed" };
  try {
    // throwOnError: a formula KaTeX cannot parse comes back as an error, never as red markup.
    // strict "ignore": KaTeX's notes on LaTeX compatibility are not errors.
    return { html: katex.renderToString(tex, { displayMode: display, throwOnError: true, strict: "ignore" }) };
  } catch (error) {
    return { error: String(error && error.message ? error.message : error) };
  }
});

const code = request.code.map((source) => {
  if (!hljs) return null;
  try {
    return hljs.highlight("swift", source, true).value;
  } catch (error) {
    return null;
  }
});

process.stdout.write(JSON.stringify({ math, code }));
