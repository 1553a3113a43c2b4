// A stored query's page: its parameters in a form, run through /api/queries/<name> (the
// same address the JSON and CSV links give), the answer shown by static/results.js, the
// values kept in the page's URL.
(function () {
  "use strict";
  const form = document.getElementById("stored-form");
  if (!form) return;
  const api = form.dataset.api;
  const json = document.getElementById("query-json");
  const csv = document.getElementById("query-csv");

  function query() {
    const params = new URLSearchParams();
    for (const field of form.querySelectorAll("[name]")) {
      const value = field.value.trim();
      if (!value) continue;
      if (field.dataset.type === "list" && !value.startsWith("[")) {
        for (const line of value.split("\n")) if (line.trim()) params.append(field.name, line.trim());
      } else {
        params.append(field.name, value);
      }
    }
    return params;
  }

  async function run() {
    const params = query();
    history.replaceState(null, "", window.location.pathname + "?" + params);
    json.href = api + "?" + params;
    const asCsv = new URLSearchParams(params);
    asCsv.set("format", "csv");
    csv.href = api + "?" + asCsv;
    await ConsoleResults.fetchAndShow(api + "?" + params);
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); run(); });
  const given = new URLSearchParams(window.location.search);
  let filled = false;
  for (const field of form.querySelectorAll("[name]")) {
    const values = given.getAll(field.name);
    if (values.length) {
      field.value = values.join("\n");
      filled = true;
    }
  }
  if (filled && form.checkValidity()) run();
})();
