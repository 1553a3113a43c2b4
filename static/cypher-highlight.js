// Cypher syntax highlighting, written for this app (no third-party code): keywords,
// strings, numbers, $parameters, comments, labels and names in backticks. The lexical rules
// are those of the server's guard (explorer/store/guard.py). Everything is drawn with
// textContent: a query is never HTML.
(function () {
  "use strict";
  const KEYWORDS = new Set((
    "MATCH OPTIONAL WHERE RETURN WITH UNWIND AS ORDER BY SKIP LIMIT ASC ASCENDING DESC " +
    "DESCENDING DISTINCT AND OR XOR NOT IN IS NULL TRUE FALSE CASE WHEN THEN ELSE END CALL " +
    "YIELD UNION ALL EXISTS COUNT COLLECT CONTAINS STARTS ENDS SHORTEST ANY NONE SINGLE " +
    "CREATE MERGE SET DELETE DETACH REMOVE FOREACH ON LOAD CSV FROM HEADERS USE SHOW " +
    "INDEX INDEXES CONSTRAINT CONSTRAINTS").split(" "));
  const LINE_BREAKS = "\n\r\u2028\u2029\u0085\u000b\u000c";
  const WORD = /[\p{L}_][\p{L}\p{N}_]*/uy;
  const NUMBER = /\d[\w.]*/y;
  const PARAM = /\$(?:[\p{L}_][\p{L}\p{N}_]*|\d+|`(?:[^`]|``)*`)/uy;

  function closing(text, start, quote) {
    // Where a string (backslash escapes) or a backticked name (doubled backticks) ends.
    let i = start + 1;
    while (i < text.length) {
      if (quote !== "`" && text[i] === "\\") i += 2;
      else if (quote === "`" && text.startsWith("``", i)) i += 2;
      else if (text[i] === quote) return i + 1;
      else i += 1;
    }
    return text.length;  // unterminated: the rest belongs to it
  }

  function match(re, text, i) {
    re.lastIndex = i;
    const found = re.exec(text);
    return found ? found[0] : null;
  }

  // [{kind, text}] covering the whole text: kinds are keyword, word, label, string, number,
  // param, comment, name, symbol and space.
  function tokens(text) {
    const out = [];
    let i = 0;
    let previous = "";
    while (i < text.length) {
      const c = text[i];
      let kind = "symbol";
      let end = i + 1;
      let found;
      if (/\s/.test(c)) {
        kind = "space";
        while (end < text.length && /\s/.test(text[end])) end += 1;
      } else if (text.startsWith("//", i)) {
        kind = "comment";
        while (end < text.length && !LINE_BREAKS.includes(text[end])) end += 1;
      } else if (text.startsWith("/*", i)) {
        kind = "comment";
        const close = text.indexOf("*/", i + 2);
        end = close < 0 ? text.length : close + 2;
      } else if (c === "'" || c === '"') {
        kind = "string";
        end = closing(text, i, c);
      } else if (c === "`") {
        kind = previous === ":" ? "label" : "name";
        end = closing(text, i, "`");
      } else if (c === "$" && (found = match(PARAM, text, i))) {
        kind = "param";
        end = i + found.length;
      } else if ((found = match(WORD, text, i))) {
        end = i + found.length;
        if (previous === ":") kind = "label";
        else if (previous !== "." && KEYWORDS.has(found.toUpperCase())) kind = "keyword";
        else kind = "word";
      } else if ((found = match(NUMBER, text, i))) {
        kind = "number";
        end = i + found.length;
      }
      out.push({kind, text: text.slice(i, end)});
      if (kind !== "space" && kind !== "comment") previous = kind === "symbol" ? c : kind;
      i = end;
    }
    return out;
  }

  // The $parameters a query uses, in order of first use.
  function params(text) {
    const names = [];
    for (const token of tokens(text)) {
      if (token.kind !== "param") continue;
      let name = token.text.slice(1);
      if (name.startsWith("`")) name = name.slice(1, -1).replace(/``/g, "`");
      if (!names.includes(name)) names.push(name);
    }
    return names;
  }

  // Fill an element with the highlighted text (spans with a class per kind).
  function render(text, element) {
    const pieces = tokens(text).map((token) => {
      if (token.kind === "space" || token.kind === "symbol" || token.kind === "word") {
        return document.createTextNode(token.text);
      }
      const span = document.createElement("span");
      span.className = "cy-" + token.kind;
      span.textContent = token.text;
      return span;
    });
    pieces.push(document.createTextNode("\n"));  // the editor's last line keeps its height
    element.replaceChildren(...pieces);
  }

  window.CypherHighlight = {tokens, params, render};
  for (const element of document.querySelectorAll("[data-highlight]")) {
    render(element.textContent, element);
  }
})();
