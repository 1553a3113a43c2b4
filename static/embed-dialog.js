// The Embed dialog under every graph: copy-ready <iframe> and <coauthor-graph> snippets of
// the graph as drawn now (filters, colouring), with a theme and a height, and links to its
// standalone exports. The snippets are text in <textarea>s; every value in them is escaped
// for the HTML attribute it sits in, so a hostile name or id stays text on the site that
// pastes them.
(function () {
  "use strict";
  const dialog = document.getElementById("embed-dialog");
  const opener = document.getElementById("embed-button");
  if (!dialog || !opener || !window.explorerGraph) return;
  const theme = dialog.querySelector("[name=embed-theme]");
  const height = dialog.querySelector("[name=embed-height]");
  const iframeText = document.getElementById("embed-iframe");
  const scriptText = document.getElementById("embed-script");
  const copied = document.getElementById("embed-copied");
  const widget = JSON.parse(dialog.dataset.widget);  // {author: id} or {from, to}
  const ends = JSON.parse(dialog.dataset.ends);  // a path's ?from=&to=, else {}
  // The widget's attribute for each slice option of the page.
  const ATTRIBUTES = {depth: "depth", limit: "limit", min_weight: "min-weight",
                      year_from: "year-from", year_to: "year-to", topic: "on-topic"};
  const EXPORT_COLOURS = ["ring", "topic", "institution", "community"];

  function attr(value) {  // text for a double-quoted HTML attribute
    return String(value).replace(/&/g, "&amp;").replace(/"/g, "&quot;")
      .replace(/'/g, "&#39;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function absolute(path, params) {
    const url = new URL(path, window.location.href);
    for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
    return url.href;
  }

  function name() {  // the page's subject, as its <title> gives it
    return document.title.replace(/ · coauthor-explorer$/, "");
  }

  function options() {
    const view = window.explorerGraph.view();
    const pixels = Math.min(Math.max(parseInt(height.value, 10) || 480, 150), 2000);
    return {view, theme: theme.value, height: String(pixels)};
  }

  function iframeSnippet({view, theme: chosen, height: pixels}) {
    const params = Object.assign({}, ends, view.filters);
    if (view.colour !== "ring") params.colour = view.colour;
    if (chosen !== "light") params.theme = chosen;
    params.height = pixels;
    const src = absolute(dialog.dataset.embed, params);
    return '<iframe src="' + attr(src) + '" title="' + attr("Co-authorship graph: " + name()) +
      '" width="100%" height="' + attr(pixels) + '" style="border:0" loading="lazy"></iframe>';
  }

  function scriptSnippet({view, theme: chosen, height: pixels}) {
    const attributes = Object.assign({}, widget);
    for (const [option, value] of Object.entries(view.filters)) {
      if (ATTRIBUTES[option]) attributes[ATTRIBUTES[option]] = value;
    }
    if (view.colour !== "ring") attributes.colour = view.colour;
    if (chosen !== "light") attributes.theme = chosen;
    attributes.height = pixels;
    const tag = Object.entries(attributes)
      .map(([key, value]) => " " + key + '="' + attr(value) + '"').join("");
    return '<script src="' + attr(absolute(dialog.dataset.script, {})) + '" defer></' +
      'script>\n<coauthor-graph' + tag + "></coauthor-graph>";
  }

  function exportLinks({view, theme: chosen}) {
    for (const link of dialog.querySelectorAll("a[data-format]")) {
      const params = Object.assign({}, ends, view.filters, {format: link.dataset.format});
      if (EXPORT_COLOURS.includes(view.colour) && view.colour !== "ring") {
        params.colour = view.colour;
      }
      if (chosen !== "light") params.theme = chosen;
      link.href = absolute(dialog.dataset.export, params);
    }
  }

  function refresh() {
    const chosen = options();
    iframeText.value = iframeSnippet(chosen);
    scriptText.value = scriptSnippet(chosen);
    exportLinks(chosen);
  }

  async function copy(field) {
    try {
      await navigator.clipboard.writeText(field.value);
      copied.textContent = "Copied to the clipboard.";
    } catch (error) {  // no clipboard permission: leave it selected for Ctrl+C
      field.focus();
      field.select();
      copied.textContent = "Selected: press Ctrl+C (⌘C) to copy.";
    }
  }

  opener.addEventListener("click", () => {
    refresh();
    copied.textContent = "";
    dialog.showModal();
  });
  theme.addEventListener("change", refresh);
  height.addEventListener("input", refresh);
  for (const button of dialog.querySelectorAll("button[data-copy]")) {
    button.addEventListener("click", () => copy(document.getElementById(button.dataset.copy)));
  }
})();
