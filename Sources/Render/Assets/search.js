// Search over the chapters' headings and prose, in the browser, with the index `lessons
// render` built (searchindex.js, loaded on first use; it works from disk as well as from a
// server). Press "/" to search, Escape to close.
"use strict";
(function () {
  const input = document.getElementById("search");
  const list = document.getElementById("search-results");
  if (!input || !list) return;
  let entries = null;

  function load(then) {
    if (entries) return then();
    if (window.lessonsSearchIndex) { entries = window.lessonsSearchIndex.entries; return then(); }
    const script = document.createElement("script");
    script.src = "searchindex.js";
    script.onload = function () { entries = (window.lessonsSearchIndex || { entries: [] }).entries; then(); };
    document.head.appendChild(script);
  }

  function words(text) { return text.toLowerCase().split(/\s+/).filter(Boolean); }

  function score(entry, terms) {
    const heading = entry.heading.toLowerCase(), text = entry.text.toLowerCase();
    let total = 0;
    for (const term of terms) {
      const inHeading = heading.includes(term), inText = text.includes(term);
      if (!inHeading && !inText && !entry.chapterTitle.toLowerCase().includes(term)) return 0;
      total += (inHeading ? 5 : 0) + (inText ? 1 : 0);
    }
    return total;
  }

  function snippet(text, term) {
    const at = Math.max(0, text.toLowerCase().indexOf(term));
    const start = Math.max(0, at - 50);
    return (start > 0 ? "…" : "") + text.slice(start, at + 110) + (at + 110 < text.length ? "…" : "");
  }

  function highlight(element, text, terms) {
    // Text nodes only: an entry's text can never become markup.
    const lower = text.toLowerCase();
    let position = 0;
    while (position < text.length) {
      let next = -1, length = 0;
      for (const term of terms) {
        const found = lower.indexOf(term, position);
        if (found >= 0 && (next < 0 || found < next)) { next = found; length = term.length; }
      }
      if (next < 0) { element.appendChild(document.createTextNode(text.slice(position))); break; }
      element.appendChild(document.createTextNode(text.slice(position, next)));
      const mark = document.createElement("mark");
      mark.textContent = text.slice(next, next + length);
      element.appendChild(mark);
      position = next + length;
    }
  }

  function show() {
    const terms = words(input.value);
    list.textContent = "";
    if (terms.length === 0) { list.hidden = true; return; }
    const found = entries.map(function (entry) { return { entry: entry, score: score(entry, terms) }; })
      .filter(function (hit) { return hit.score > 0; })
      .sort(function (a, b) { return b.score - a.score; }).slice(0, 12);
    for (const hit of found) {
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = encodeURIComponent(hit.entry.chapter) + ".html" + (hit.entry.anchor ? "#" + encodeURIComponent(hit.entry.anchor) : "");
      const where = document.createElement("span");
      where.className = "where";
      where.textContent = hit.entry.chapterTitle;
      const heading = document.createElement("span");
      highlight(heading, " " + (hit.entry.heading || hit.entry.chapterTitle), terms);
      const text = document.createElement("span");
      text.className = "snippet";
      highlight(text, snippet(hit.entry.text, terms[0]), terms);
      link.append(where, heading, text);
      item.appendChild(link);
      list.appendChild(item);
    }
    if (found.length === 0) {
      const item = document.createElement("li");
      item.textContent = "  nothing found";
      list.appendChild(item);
    }
    list.hidden = false;
  }

  input.addEventListener("input", function () { load(show); });
  input.addEventListener("focus", function () { load(function () {}); });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { input.value = ""; list.hidden = true; input.blur(); }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "/" && document.activeElement !== input) { event.preventDefault(); input.focus(); }
  });
})();
