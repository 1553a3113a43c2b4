// The Cypher console: an editor with highlighting (a transparent textarea over the
// highlighted text), a field for each $parameter as it is typed, Run (Ctrl+Enter), results
// (static/results.js), downloads answered by the server, and a permalink in the URL.
(function () {
  "use strict";
  const form = document.getElementById("console-form");
  if (!form) return;
  const editor = document.getElementById("query");
  const highlight = document.getElementById("editor-highlight");
  const paramBox = document.getElementById("params");
  const paramFields = document.getElementById("param-fields");
  const permalink = document.getElementById("permalink");
  const downloadAction = document.getElementById("download-form").action;
  const runButton = document.getElementById("run");
  const values = new Map();  // a parameter's text survives while its $name is edited

  function redraw() {
    CypherHighlight.render(editor.value, highlight);
    highlight.parentElement.scrollTop = editor.scrollTop;
    highlight.parentElement.scrollLeft = editor.scrollLeft;
    syncParams();
  }

  function syncParams() {
    for (const input of paramFields.querySelectorAll("input")) values.set(input.name, input.value);
    const names = CypherHighlight.params(editor.value);
    const fields = names.map((name) => {
      const label = document.createElement("label");
      label.className = "param";
      const code = document.createElement("code");
      code.textContent = "$" + name;
      const input = document.createElement("input");
      input.name = name;
      input.value = values.get(name) || "";
      input.dataset.param = name;
      input.setAttribute("aria-label", "Value of $" + name);
      label.append(code, " ", input);
      return label;
    });
    const current = [...paramFields.querySelectorAll("input")].map((i) => i.name).join("\u0000");
    if (current !== names.join("\u0000")) paramFields.replaceChildren(...fields);
    paramBox.hidden = names.length === 0;
  }

  // A parameter's value: JSON when it parses (numbers, true, lists, objects), else text.
  function typed(text) {
    try { return JSON.parse(text); } catch (error) { return text; }
  }

  function params() {
    const out = {};
    for (const input of paramFields.querySelectorAll("input")) out[input.name] = typed(input.value);
    return out;
  }

  function limits() {
    const out = {};
    for (const name of ["timeout_ms", "max_rows"]) {
      const value = form.elements[name].value.trim();
      if (value) out[name] = Number(value);
    }
    return out;
  }

  function updateUrl() {
    const url = new URL(window.location);
    url.search = "";
    url.searchParams.set("query", editor.value);
    const given = params();
    if (Object.keys(given).length) url.searchParams.set("params", JSON.stringify(given));
    for (const [name, value] of Object.entries(limits())) url.searchParams.set(name, value);
    history.replaceState(null, "", url);
    permalink.href = url.pathname + url.search;
  }

  let running = false;  // one request at a time: a second would race the first

  async function run() {
    if (running) return;
    running = true;
    updateUrl();
    const body = Object.assign({query: editor.value, params: params()}, limits());
    runButton.disabled = true;
    let answer;
    try {
      answer = await ConsoleResults.fetchAndShow(form.dataset.api, {
        method: "POST", headers: {"Content-Type": "application/json"},
        body: JSON.stringify(body)});
    } finally {
      runButton.disabled = false;
      running = false;
    }
    const error = window.consoleResult.error;
    if (!answer && error && error.position && error.position.offset >= 0) {
      editor.focus();  // put the caret where the engine stopped reading
      editor.setSelectionRange(error.position.offset, error.position.offset + 1);
    }
  }

  // A download asks the server again and saves its answer; an error is shown here like a
  // run's, and a file that the time or row limit cut short says so.
  async function download(format) {
    if (running) return;
    running = true;
    try {
      await save(format);
    } catch (error) {
      ConsoleResults.showError({message: "The download failed: " + error.message});
    } finally {
      running = false;
    }
  }

  async function save(format) {
    const given = limits();
    const body = new URLSearchParams({
      query: editor.value, params: JSON.stringify(params()), format, download: "1",
      timeout_ms: given.timeout_ms || "", max_rows: given.max_rows || ""});
    ConsoleResults.busy("Preparing the " + format.toUpperCase() + " file…");
    let response;
    try {
      response = await fetch(downloadAction, {method: "POST", body});
    } catch (error) {
      ConsoleResults.showError({message: "The server could not be reached: " + error.message});
      return;
    }
    if (!response.ok) {
      let answer = null;
      try { answer = await response.json(); } catch (e) { answer = null; }
      ConsoleResults.showError((answer && answer.error) ||
                               {message: response.status + " " + response.statusText});
      return;
    }
    const named = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
    const link = document.createElement("a");
    link.download = named ? named[1] : "query." + format;
    link.href = URL.createObjectURL(await response.blob());
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 60000);
    const rows = Number(response.headers.get("X-Row-Count") || 0);
    const cuts = [];
    if (response.headers.get("X-Result-Timed-Out") === "true") {
      cuts.push("The query reached its time limit: the file holds only the rows read " +
                "before it (raise the time limit, or narrow the query).");
    }
    if (response.headers.get("X-Result-Truncated") === "true") {
      cuts.push("The result was cut at " + rows.toLocaleString() + " rows (raise Max rows).");
    }
    ConsoleResults.saved(link.download + " saved: " + rows.toLocaleString() + " row" +
                         (rows === 1 ? "" : "s") + (cuts.length ? ", incomplete" : ""), cuts);
  }

  editor.addEventListener("input", redraw);
  editor.addEventListener("scroll", () => {
    highlight.parentElement.scrollTop = editor.scrollTop;
    highlight.parentElement.scrollLeft = editor.scrollLeft;
  });
  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      run();
    }
  });
  form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
  document.getElementById("download-csv").addEventListener("click", () => download("csv"));
  document.getElementById("download-json").addEventListener("click", () => download("json"));

  // A permalink (?query=…&params={…}) fills the console in and runs it.
  const given = new URLSearchParams(window.location.search);
  if (given.has("query")) editor.value = given.get("query");
  for (const name of ["timeout_ms", "max_rows"]) {
    if (given.has(name)) form.elements[name].value = given.get(name);
  }
  if (given.has("params")) {
    try {
      for (const [name, value] of Object.entries(JSON.parse(given.get("params")))) {
        values.set(name, typeof value === "string" ? value : JSON.stringify(value));
      }
    } catch (error) { /* a broken link: the fields stay empty */ }
  }
  redraw();
  if (given.has("query") && editor.value.trim()) run();
})();
