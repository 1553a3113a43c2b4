// The answer of a console or stored query (/api/cypher, /api/queries/<name>) shown as a
// table, as a graph of the nodes and relationships in it (vis-network, served from the pyvis
// package) and as JSON; what cut it short; an engine error with its line and column. Every
// value is drawn as text (textContent, canvas labels, string tooltips), never as HTML.
(function () {
  "use strict";
  const panel = document.getElementById("results");
  if (!panel) return;
  const statusLine = document.getElementById("result-status");
  const notices = document.getElementById("result-notices");
  const errorBox = document.getElementById("result-error");
  const table = document.getElementById("result-table");
  const json = document.getElementById("result-json");
  const graphBox = document.getElementById("result-graph");
  const graphStatus = document.getElementById("result-graph-status");
  const legend = document.getElementById("result-graph-legend");
  const details = document.getElementById("result-graph-details");
  const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                   "#e377c2", "#17becf", "#bcbd22", "#393b79"];
  let network = null;
  let shownGraph = null;
  let graphDrawn = false;
  window.consoleResult = {payload: null, error: null, graph: null};

  // -- tabs ------------------------------------------------------------------------------

  function showTab(name) {
    for (const button of panel.querySelectorAll("[role=tab]")) {
      const chosen = button.dataset.tab === name;
      button.setAttribute("aria-selected", String(chosen));
      document.getElementById("tab-" + button.dataset.tab).hidden = !chosen;
    }
    if (name === "graph") drawGraph();
  }
  for (const button of panel.querySelectorAll("[role=tab]")) {
    button.addEventListener("click", () => showTab(button.dataset.tab));
  }

  // -- values ----------------------------------------------------------------------------

  function text(value) {
    if (value === null || value === undefined) return "";
    if (typeof value === "string") return value;
    if (typeof value === "object" && value._type === "node") {
      return "(:" + value._label + " " + caption(value) + ")";
    }
    if (typeof value === "object" && value._type === "relationship") {
      return "[:" + value._label + "]";
    }
    return JSON.stringify(value);
  }

  function caption(item) {
    for (const key of ["name", "title", "id"]) {
      if (typeof item[key] === "string" && item[key]) return item[key];
    }
    return String(item._id);
  }

  function drawTable(payload) {
    const head = document.createElement("thead");
    const headRow = head.insertRow();
    for (const column of payload.columns) {
      const th = document.createElement("th");
      th.textContent = column;
      headRow.appendChild(th);
    }
    const body = document.createElement("tbody");
    for (const row of payload.rows) {
      const tr = body.insertRow();
      for (const column of payload.columns) {
        const td = tr.insertCell();
        td.textContent = text(row[column]);
        if (typeof row[column] === "number") td.className = "number";
      }
    }
    table.replaceChildren(head, body);
  }

  // -- the graph -------------------------------------------------------------------------

  function propertyLines(item) {
    return Object.entries(item.properties || {}).map(([k, v]) => k + ": " + text(v));
  }

  function drawGraph() {
    if (graphDrawn || !shownGraph) return;
    graphDrawn = true;
    const graph = shownGraph;
    if (!graph.nodes.length) {
      graphStatus.textContent = "The result has no nodes or relationships to draw: return " +
        "nodes, relationships or paths (such as RETURN a, e, b).";
      graphBox.hidden = true;
      legend.replaceChildren();
      return;
    }
    graphBox.hidden = false;
    if (typeof vis === "undefined") {
      graphStatus.textContent = "The graph library did not load (/assets/vis-network.min.js).";
      return;
    }
    const colours = new Map();
    for (const node of graph.nodes) {
      if (!colours.has(node.label)) {
        colours.set(node.label, PALETTE[colours.size % PALETTE.length]);
      }
    }
    const nodes = new vis.DataSet(graph.nodes.map((n) => ({
      id: n.id, label: n.caption, title: [(n.label ? ":" + n.label : "(not in the result)"),
        ...propertyLines(n)].join("\n"),
      color: n.placeholder ? "#d5dbe2" : colours.get(n.label), shape: "dot", size: 14,
      data: n})));
    const edges = new vis.DataSet(graph.edges.map((e) => ({
      id: e.id, from: e.source, to: e.target, label: e.type, arrows: "to",
      title: [":" + e.type, ...propertyLines(e)].join("\n"), data: e})));
    if (network) network.destroy();
    network = new vis.Network(graphBox, {nodes, edges}, {
      edges: {color: {color: "#9aa7b8"}, font: {size: 10, align: "middle"}, smooth: false},
      physics: {solver: "forceAtlas2Based", stabilization: {iterations: 150}},
      interaction: {hover: true, tooltipDelay: 150},
    });
    network.on("click", (event) => showDetails(nodes, edges, event));
    legend.replaceChildren(...[...colours.entries()].map(([label, colour]) => {
      const li = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = colour;
      li.append(swatch, document.createTextNode(label || "(not in the result)"));
      return li;
    }));
    graphStatus.textContent = graph.nodes.length + " nodes, " + graph.edges.length +
      " relationships" + (graph.complete ? "" : " (the first " + graph.nodes.length +
      " nodes only)") + ". Click one for its properties.";
    window.consoleResult.graph = {network, nodes, edges};
  }

  function showDetails(nodes, edges, event) {
    const id = event.nodes[0] || event.edges[0];
    const item = event.nodes[0] ? nodes.get(id) : (id ? edges.get(id) : null);
    if (!item) { details.hidden = true; return; }
    const title = document.createElement("h3");
    title.textContent = event.nodes[0] ? item.data.caption : ":" + item.data.type;
    const list = document.createElement("ul");
    for (const line of [event.nodes[0] ? ":" + item.data.label : "", ...propertyLines(item.data)]) {
      if (!line) continue;
      const li = document.createElement("li");
      li.textContent = line;
      list.appendChild(li);
    }
    details.replaceChildren(title, list);
    details.hidden = false;
  }

  // -- showing an answer -----------------------------------------------------------------

  function showNotices(list) {
    notices.replaceChildren(...list.map((message) => {
      const li = document.createElement("li");
      li.textContent = message;
      return li;
    }));
  }

  function show(payload) {
    window.consoleResult = {payload, error: null, graph: null};
    panel.hidden = false;
    errorBox.hidden = true;
    statusLine.textContent = payload.row_count.toLocaleString() + " row" +
      (payload.row_count === 1 ? "" : "s") + " in " + payload.elapsed_ms + " ms";
    showNotices(payload.notices || []);
    drawTable(payload);
    json.textContent = JSON.stringify(payload, null, 2);
    shownGraph = payload.graph || {nodes: [], edges: [], complete: true};
    graphDrawn = false;
    details.hidden = true;
    const open = panel.querySelector("[role=tab][aria-selected=true]");
    if (open && open.dataset.tab === "graph") drawGraph();
  }

  function showError(error) {
    window.consoleResult = {payload: null, error, graph: null};
    panel.hidden = false;
    statusLine.textContent = "";
    showNotices([]);
    table.replaceChildren();
    json.textContent = JSON.stringify({error}, null, 2);
    shownGraph = null;
    const where = error.position ?
      " (line " + error.position.line + ", column " + error.position.column + ")" : "";
    const message = document.createElement("p");
    message.className = "error-message";
    message.textContent = error.message + (where && !error.message.includes("line") ? where : "");
    const parts = [message];
    if (error.excerpt) {
      const excerpt = document.createElement("pre");
      excerpt.textContent = error.excerpt;
      parts.push(excerpt);
    }
    errorBox.replaceChildren(...parts);
    errorBox.hidden = false;
  }

  // While a request runs, the last answer's error and notices are gone: they would read as
  // the new request's.
  function busy(message) {
    panel.hidden = false;
    statusLine.textContent = message;
    errorBox.hidden = true;
    showNotices([]);
  }

  // What a download saved, and what cut its file short (the server says it in headers).
  function saved(message, cuts) {
    panel.hidden = false;
    statusLine.textContent = message;
    showNotices(cuts);
  }

  // Run a request and show what comes back; the error body of any API answer is shown too.
  async function fetchAndShow(url, init) {
    busy("Running…");
    try {
      const response = await fetch(url, init);
      let body = null;
      try { body = await response.json(); } catch (e) { body = null; }
      if (!response.ok || !body || body.error) {
        showError((body && body.error) || {message: response.status + " " + response.statusText});
        return null;
      }
      show(body);
      return body;
    } catch (error) {
      showError({message: "The server could not be reached: " + error.message});
      return null;
    }
  }

  window.ConsoleResults = {show, showError, fetchAndShow, showTab, busy, saved};
})();
