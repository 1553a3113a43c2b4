// The research graph: a slice from the JSON API drawn with vis-network (served from the
// pyvis package). Labels and tooltips are plain text; the view's state lives in the URL.
(function () {
  "use strict";
  const box = document.getElementById("graph");
  if (!box || typeof vis === "undefined") return;
  const form = document.getElementById("graph-filters");
  const status = document.getElementById("graph-status");
  const details = document.getElementById("graph-details");
  const centre = box.dataset.centre;
  const FILTERS = ["depth", "limit", "min_weight", "year_from", "year_to"];
  const EXPAND_LIMIT = 25;

  const nodes = new vis.DataSet();
  const edges = new vis.DataSet();
  const network = new vis.Network(box, {nodes, edges}, {
    nodes: {shape: "dot", font: {size: 14}, scaling: {min: 8, max: 40}},
    edges: {color: {inherit: false, color: "#9aa7b8"}, smooth: false,
            scaling: {min: 1, max: 10}},
    physics: {solver: "forceAtlas2Based", stabilization: {iterations: 200}},
    interaction: {hover: true, tooltipDelay: 150},
  });
  network.on("stabilizationIterationsDone", () => network.setOptions({physics: false}));
  window.explorerGraph = {network, nodes, edges};

  function filtersFromUrl() {
    const params = new URLSearchParams(window.location.search);
    for (const name of FILTERS) {
      if (params.has(name) && form.elements[name]) form.elements[name].value = params.get(name);
    }
  }

  function currentFilters() {
    const values = {};
    for (const name of FILTERS) {
      const value = form.elements[name] && form.elements[name].value.trim();
      if (value) values[name] = value;
    }
    return values;
  }

  function tooltip(node) {
    return node.name + "\n" + node.works + " works";  // a string: shown as text, not HTML
  }

  function addSlice(slice, {replace}) {
    if (replace) { nodes.clear(); edges.clear(); }
    const known = new Set(nodes.getIds());
    nodes.update(slice.nodes.filter((n) => !known.has(n.id) || replace).map((n) => ({
      id: n.id, label: n.name, title: tooltip(n), value: Math.max(n.works || 1, 1),
      group: n.id === centre ? "centre" : "ring" + n.ring, works: n.works, name: n.name,
    })));
    edges.update(slice.edges.map((e) => ({
      id: [e.source, e.target].sort().join(" | "), from: e.source, to: e.target,
      value: e.weight, title: e.weight + " joint papers, " + (e.first_year || "?") + "–" +
        (e.last_year || "?"),
    })));
    network.setOptions({physics: {enabled: true}});
  }

  async function fetchSlice(url, params) {
    const response = await fetch(url + "?" + new URLSearchParams(params));
    const body = await response.json();
    if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
    return body;
  }

  async function load() {
    const params = currentFilters();
    const url = new URL(window.location);
    for (const name of FILTERS) {
      if (params[name]) url.searchParams.set(name, params[name]);
      else url.searchParams.delete(name);
    }
    history.replaceState(null, "", url);
    status.textContent = "Loading the graph…";
    try {
      const slice = await fetchSlice(box.dataset.sliceApi, params);
      addSlice(slice, {replace: true});
      status.textContent = slice.nodes.length + " people, " + slice.edges.length +
        " links" + (slice.hidden_neighbours ? "; " + slice.hidden_neighbours +
        " more co-authors not shown (raise 'Show' or the minimum)" : "");
    } catch (error) {
      status.textContent = "Could not draw the graph: " + error.message;
    }
  }

  async function expand(id) {
    status.textContent = "Expanding…";
    const params = Object.assign(currentFilters(), {depth: 1, limit: EXPAND_LIMIT});
    const slice = await fetchSlice("/api/authors/" + encodeURIComponent(id) + "/slice", params);
    addSlice(slice, {replace: false});
    status.textContent = nodes.length + " people shown" + (slice.hidden_neighbours ?
      "; " + slice.hidden_neighbours + " more co-authors of this person not shown" : "");
  }

  function showDetails(id) {
    const node = nodes.get(id);
    if (!node) { details.hidden = true; return; }
    const title = document.createElement("h3");
    title.textContent = node.name;
    const facts = document.createElement("p");
    facts.textContent = node.works + " works";
    const link = document.createElement("a");
    link.href = "/authors/" + encodeURIComponent(id);
    link.textContent = "Open profile";
    details.replaceChildren(title, facts, link);
    details.hidden = false;
  }

  network.on("click", (event) => showDetails(event.nodes[0]));
  network.on("doubleClick", (event) => { if (event.nodes[0]) expand(event.nodes[0]); });
  network.on("dragEnd", (event) => {
    for (const id of event.nodes) nodes.update({id, fixed: {x: true, y: true}});  // pin
  });

  form.addEventListener("submit", (event) => { event.preventDefault(); load(); });
  document.getElementById("graph-find").addEventListener("change", (event) => {
    const needle = event.target.value.trim().toLowerCase();
    const found = nodes.get({filter: (n) => n.name.toLowerCase().includes(needle)});
    if (found.length) { network.selectNodes(found.map((n) => n.id)); network.focus(found[0].id); }
  });
  document.getElementById("export-png").addEventListener("click", () => {
    const canvas = box.querySelector("canvas");
    download(canvas.toDataURL("image/png"), "graph.png");
  });
  document.getElementById("export-json").addEventListener("click", () => {
    const data = {centre, filters: currentFilters(), nodes: nodes.get(), edges: edges.get()};
    const blob = new Blob([JSON.stringify(data, null, 2)], {type: "application/json"});
    download(URL.createObjectURL(blob), "graph.json");
  });

  function download(href, name) {
    const a = document.createElement("a");
    a.href = href;
    a.download = name;
    a.click();
  }

  filtersFromUrl();
  load();
})();
