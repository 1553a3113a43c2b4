// The research graph: a slice from the JSON API drawn with vis-network (served from the
// pyvis package). Every name is drawn as text (canvas labels, string tooltips, textContent);
// the view's state (filters, colouring, expanded people) lives in the URL.
(function () {
  "use strict";
  const box = document.getElementById("graph");
  if (!box) return;
  if (typeof vis === "undefined") {
    document.getElementById("graph-status").textContent =
      "The graph library did not load (/assets/vis-network.min.js); reinstall the app.";
    return;
  }
  const form = document.getElementById("graph-filters");
  const status = document.getElementById("graph-status");
  const details = document.getElementById("graph-details");
  const legend = document.getElementById("graph-legend");
  const topicSelect = form.elements.topic;
  const colourSelect = form.elements.colour;
  const sizeSelect = form.elements.size;
  const kind = box.dataset.kind;
  const analysisApi = box.dataset.analysisApi;  // communities and centralities, if any
  const centre = box.dataset.centre;
  const FILTERS = ["depth", "limit", "min_weight", "year_from", "year_to", "topic"];
  const STEP = 25;  // people added by one expansion or "show more"
  const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                   "#e377c2", "#17becf", "#bcbd22", "#393b79"];
  const OTHER = "#b8c2cc";
  const RING_NAMES = {
    author: ["This researcher", "Co-authors", "Their co-authors"],
    paper: ["Its authors", "Their co-authors", "Further co-authors"],
    topic: ["Its researchers", "Their co-authors", "Further co-authors"],
    institution: ["Its people", "Their co-authors", "Further co-authors"],
    path: ["The two researchers", "The chain between them", "Co-authors added"],
  }[kind] || ["People", "Co-authors", "Further co-authors"];
  const ROLES = {  // one person of each ring, in the list of people drawn
    author: ["this researcher", "co-author", "co-author of a co-author"],
    paper: ["author", "co-author of an author", "further co-author"],
    topic: ["researcher of the topic", "co-author", "further co-author"],
    institution: ["of the institution", "co-author", "further co-author"],
    path: ["one end of the chain", "on the chain", "co-author added"],
  }[kind] || ["", "co-author", "further co-author"];
  const RINGS = {0: ["#d9480f", RING_NAMES[0]], 1: ["#1f5fa8", RING_NAMES[1]],
                 2: ["#7fa7d4", RING_NAMES[2]]};
  const YEAR_RAMP = ["#fde725", "#7ad151", "#22a884", "#2a788e", "#414487"].reverse();
  const ANALYSIS_COLOURS = ["community", "avg_year"];

  // An embedded graph (/embed/…) gives its height, its theme and where links open.
  const DARK = box.dataset.theme === "dark";
  if (box.dataset.height) box.style.height = box.dataset.height + "px";

  const nodes = new vis.DataSet();
  const edges = new vis.DataSet();
  const network = new vis.Network(box, {nodes, edges}, {
    nodes: {shape: "dot", font: {size: 14, color: DARK ? "#e6edf3" : "#343434"},
            scaling: {min: 8, max: 40}},
    edges: {color: {inherit: false, color: DARK ? "#5b6b7d" : "#9aa7b8"}, smooth: false},
    physics: {solver: "forceAtlas2Based", stabilization: {iterations: 200}},
    interaction: {hover: true, tooltipDelay: 150,
                  keyboard: {enabled: true, bindToWindow: false}},  // when the graph has focus
    layout: {improvedLayout: false},  // its Kamada-Kawai start takes seconds on large slices
  });
  box.tabIndex = 0;
  box.setAttribute("role", "group");
  box.setAttribute("aria-label", "Research graph: arrow keys move it, + and − zoom; the " +
                   "people drawn are listed under it");
  network.on("stabilizationIterationsDone", () => {
    network.setOptions({physics: false});  // stop moving once laid out
    window.explorerGraph.stable = true;
    window.explorerGraph.stableAt = performance.now();  // for bench/browser_draw.py
    mark("stable");
  });
  network.on("afterDrawing", () => {  // the first frame drawn after the layout ended
    const marks = window.explorerGraph && window.explorerGraph.marks;
    if (marks && marks.stable && !marks.painted) mark("painted");
  });
  // What each expansion added, so it can be collapsed; how many each person still hides.
  const addedBy = new Map();
  const stillHidden = new Map();
  let expansions = [];
  let knownTopics = [];
  let haveFacets = false;  // each drawn person's topic and institution are known
  let haveAnalysis = false;  // the slice came with communities and centralities
  let yearBins = [];  // [from, to] of each average-year colour
  let centreHidden = 0;  // co-authors of the researcher the first slice leaves out
  let loading = null;  // the load in progress: expansions wait for it
  const expanding = new Set();  // people whose expansion is in flight
  window.explorerGraph = {network, nodes, edges, ready: false, stable: false,
                          colours: new Map(), marks: {script: performance.now()}};
  function mark(phase) {  // when each phase of the last draw ended, for bench/browser_draw.py
    window.explorerGraph.marks[phase] = performance.now();
  }

  // -- the URL holds the view -----------------------------------------------------------

  function stateFromUrl() {
    const params = new URLSearchParams(window.location.search);
    for (const name of FILTERS.concat(["colour", "size"])) {
      const field = form.elements[name];
      if (!field || !params.has(name)) continue;
      if (field.tagName === "SELECT" && ![...field.options].some((o) => o.value === params.get(name))) {
        field.add(new Option(params.get(name), params.get(name)));  // a topic not listed yet
      }
      field.value = params.get(name);
    }
    expansions = params.getAll("expand");
  }

  function saveStateToUrl() {
    const url = new URL(window.location);
    const values = currentFilters();
    for (const name of FILTERS) {
      if (values[name]) url.searchParams.set(name, values[name]);
      else url.searchParams.delete(name);
    }
    if (colourSelect.value !== "ring") url.searchParams.set("colour", colourSelect.value);
    else url.searchParams.delete("colour");
    if (sizeSelect && sizeSelect.value !== "works") url.searchParams.set("size", sizeSelect.value);
    else url.searchParams.delete("size");
    url.searchParams.delete("expand");
    for (const id of expansions) url.searchParams.append("expand", id);
    history.replaceState(null, "", url);
  }

  function currentFilters() {
    const values = {};
    for (const name of FILTERS) {
      const field = form.elements[name];
      const value = field && !field.disabled && field.value.trim();
      if (value) values[name] = value;
    }
    return values;
  }

  // -- drawing ----------------------------------------------------------------------------

  // One formatter: Number.toLocaleString builds one per call (~40 µs, 0.5 s for 13k links).
  const NUMBER = new Intl.NumberFormat();
  const number = (count) => NUMBER.format(count);

  function plural(count, noun) {
    return number(count) + " " + noun + (count === 1 ? "" : "s");
  }

  function people(count) {
    return number(count) + (count === 1 ? " person" : " people");
  }

  function yearSpan(first, last) {  // "2018–2020", one year once: "2020"
    if (first && first === last) return String(first);
    return (first || "?") + "–" + (last || "?");
  }

  // A canvas label is cut at LABEL_CHARS characters (the tooltip and the details panel
  // give the whole name): one very long name would otherwise cover the drawing.
  const LABEL_CHARS = 40;

  function shortLabel(name) {
    const chars = Array.from(name || "");
    return chars.length > LABEL_CHARS ?
      chars.slice(0, LABEL_CHARS - 1).join("").trimEnd() + "…" : chars.join("");
  }

  function tooltip(node) {  // a string: vis-network shows it as text, never as HTML
    const lines = [node.name, plural(node.works, "work")];
    if (node.topic) lines.push("Topic: " + node.topic.name);
    if (node.institution) lines.push("Institution: " + node.institution.name);
    if (node.measures) {
      if (node.measures.community !== null && node.measures.community !== undefined) {
        lines.push("Community " + (node.measures.community + 1));
      }
      lines.push("Weighted degree " + node.measures.weighted_degree +
                 " · betweenness " + node.measures.betweenness.toFixed(3) +
                 " · PageRank " + node.measures.pagerank.toFixed(3));
      if (node.measures.avg_year) lines.push("Average year of works " + node.measures.avg_year);
    }
    return lines.join("\n");
  }

  function nodeSize(node) {
    const by = sizeSelect ? sizeSelect.value : "works";
    if (by === "works" || !node.measures) return Math.max(node.works || 1, 1);
    return node.measures[by] || 0;
  }

  function asVisNode(n, measures) {
    const node = {id: n.id, label: shortLabel(n.name), name: n.name, works: n.works, ring: n.ring,
                  topic: n.topic || null, institution: n.institution || null,
                  measures: measures || null};
    node.title = tooltip(node);
    node.value = nodeSize(node);
    return node;
  }

  function linkWidth(weight) {
    // A fixed scale (1 px for one joint paper, +1 px each doubling, at most 10): a link keeps
    // its width when others are added, and vis-network's value scaling, which redoes every
    // link's label settings after each change of the data, is not needed.
    return Math.min(1 + Math.log2(Math.max(weight || 1, 1)), 10);
  }

  function asVisEdge(e) {
    const years = yearSpan(e.first_year, e.last_year);
    return {id: [e.source, e.target].sort().join(" | "), from: e.source, to: e.target,
            width: linkWidth(e.weight), weight: e.weight, first_year: e.first_year,
            last_year: e.last_year, title: plural(e.weight, "joint paper") + ", " + years};
  }

  const GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));

  const SPACING = 45;  // between neighbours on a sunflower, in canvas pixels

  function sunflower(people, centre, skip) {
    // People on a sunflower spiral around ``centre``, in order, the first ``skip`` places free.
    people.forEach((node, i) => {
      const radius = SPACING * Math.sqrt(i + skip);
      node.x = centre.x + radius * Math.cos((i + skip) * GOLDEN_ANGLE);
      node.y = centre.y + radius * Math.sin((i + skip) * GOLDEN_ANGLE);
    });
  }

  function groups(fresh, links) {
    // Close-knit groups among ``fresh`` people, by label propagation: each person, in the
    // slice's order, joins the group their links weigh most in, a few rounds over; a tie
    // keeps their group or falls to a fixed pseudo-random pick. The links of the slice's own
    // people (ring 0) do not count: they reach every co-author and would make one group.
    const order = new Map(fresh.map((n, i) => [n.id, i]));
    const near = fresh.map(() => []);
    for (const link of links) {
      const a = order.get(link.from), b = order.get(link.to);
      if (a === undefined || b === undefined || a === b) continue;
      if (fresh[a].ring === 0 || fresh[b].ring === 0) continue;
      near[a].push(b, link.weight);
      near[b].push(a, link.weight);
    }
    const group = fresh.map((_, i) => i);
    const shuffle = (g, i) => Math.imul(g + 1, 2654435761) ^ Math.imul(i + 1, 40503);
    for (let round = 0; round < 10; round++) {
      let moved = 0;
      for (let i = 0; i < fresh.length; i++) {
        const weight = new Map();
        for (let k = 0; k < near[i].length; k += 2) {
          const g = group[near[i][k]];
          weight.set(g, (weight.get(g) || 0) + near[i][k + 1]);
        }
        let best = group[i], most = weight.get(best) || 0;
        for (const [g, w] of weight) {
          if (w > most || (w === most && best !== group[i] && shuffle(g, i) > shuffle(best, i))) {
            best = g;
            most = w;
          }
        }
        if (best !== group[i]) { group[i] = best; moved++; }
      }
      if (!moved) break;
    }
    const members = new Map();
    fresh.forEach((node, i) => {
      if (!members.has(group[i])) members.set(group[i], []);
      members.get(group[i]).push(node);
    });
    return [...members.values()];
  }

  function place(fresh, around, links) {
    // The start of the layout. People an expansion adds go on a spiral around the person
    // expanded. A new slice starts in its close-knit groups: each group a small spiral (in
    // the slice's order: centre, then the strongest links first), the groups packed on a
    // spiral, the centre's group in the middle, then the biggest. The layout steps then only
    // tidy it, so a few suffice even for a thousand people.
    if (around) { sunflower(fresh, around, 1); return; }
    const all = groups(fresh, links).sort((a, b) =>
      (b[0].ring === 0) - (a[0].ring === 0) || b.length - a.length);
    let filled = 0;  // people already placed: the area the spiral of groups covers so far
    all.forEach((group, j) => {
      const radius = j ? 1.15 * SPACING * Math.sqrt(filled + group.length / 2) : 0;
      sunflower(group, {x: radius * Math.cos(j * GOLDEN_ANGLE),
                        y: radius * Math.sin(j * GOLDEN_ANGLE)}, 0);
      filled += group.length;
    });
  }

  const BIG_SLICE = 500;  // people from which the layout saves time over precision

  function layoutOptions(people) {
    // The physics for laying out ``people``. The start is already readable, so a big slice
    // takes few steps (each costs more the more people there are), each step computes the
    // forces once (an adaptive time step computes them three times every third step), and
    // the repulsion treats a far group as one body sooner (Barnes-Hut theta 1 instead of
    // 0.5): a third of the time for the same picture.
    const big = people >= BIG_SLICE;
    return {enabled: true, adaptiveTimestep: !big, forceAtlas2Based: {theta: big ? 1 : 0.5},
            stabilization: {iterations: Math.max(20, Math.min(200, Math.round(20000 / people)))}};
  }

  function addSlice(slice, {replace, owner}) {
    window.explorerGraph.stable = false;
    if (replace) {
      // vis-network rebuilds its whole state after each change of a data set it draws (and
      // redraws at once while physics is off): let go of them, fill them, then hand them
      // back in one setData, which builds everything once and starts the layout.
      network.setData({nodes: [], edges: []});
      nodes.clear(); edges.clear(); addedBy.clear(); stillHidden.clear();
    }
    for (const t of slice.topics || []) rememberTopic(t);
    for (const n of slice.nodes) if (n.topic) rememberTopic(n.topic);
    const measures = slice.attributes || {};
    const fresh = slice.nodes.filter((n) => !nodes.get(n.id))
      .map((n) => asVisNode(n, measures[n.id]));
    if (owner) {  // an expansion: rings count from the person expanded
      const ring = Math.min((nodes.get(owner).ring || 0) + 1, 2);
      for (const n of fresh) { addedBy.set(n.id, owner); n.ring = ring; }
    }
    const known = new Set(nodes.getIds().concat(fresh.map((n) => n.id)));
    const links = slice.edges.filter((e) => known.has(e.source) && known.has(e.target))
      .map(asVisEdge);
    mark("items");
    place(fresh, owner ? network.getPosition(owner) : null, links);
    mark("placed");
    const paint = colouring(nodes.get().concat(fresh));
    for (const node of fresh) Object.assign(node, paint(node));
    mark("prepared");
    const layout = layoutOptions(known.size);
    if (replace) {
      nodes.add(fresh);
      edges.add(links);
      announce("explorer:drawn");  // the time slider hides later years before any drawing
      mark("filled");
      network.setOptions({physics: layout});
      network.setData({nodes, edges});  // builds every node and link once, then lays out
      mark("attached");
      return fresh.length;
    }
    network.setOptions({physics: {enabled: false}});  // no simulation steps while adding
    nodes.update(fresh);  // one update each: vis-network redoes its work per call
    edges.update(links);
    const added = new Set(fresh.map((n) => n.id));
    const changed = nodes.get({filter: (n) => !added.has(n.id)})  // a colour's rank moved
      .map((n) => ({id: n.id, old: n.color.background, ...paint(n)}))
      .filter((n) => n.color.background !== n.old).map(({old, ...n}) => n);
    if (changed.length) nodes.update(changed);
    network.setOptions({physics: layout});
    network.stabilize(layout.stabilization.iterations);
    announce("explorer:drawn");
    return fresh.length;
  }

  function announce(name, detail) {  // tells the time slider and the analysis panel
    box.dispatchEvent(new CustomEvent(name, {detail: detail || null, bubbles: true}));
  }

  function rememberTopic(topic) {
    if (knownTopics.some((t) => t.id === topic.id)) return;
    knownTopics.push(topic);
    if (![...topicSelect.options].some((o) => o.value === topic.id)) {
      topicSelect.add(new Option(topic.name, topic.id));
    } else {
      for (const o of topicSelect.options) if (o.value === topic.id) o.text = topic.name;
    }
  }

  function groupOf(node, by) {
    if (by === "ring") return {key: "ring" + node.ring, label: RINGS[node.ring][1]};
    if (by === "community") {
      const community = node.measures ? node.measures.community : undefined;
      if (community === undefined) return {key: "", label: "Not analysed"};
      if (community === null) return {key: "", label: "In no community"};
      return {key: "c" + community, label: "Community " + (community + 1)};
    }
    if (by === "avg_year") {
      const year = node.measures && node.measures.avg_year;
      const bin = year ? yearBins.findIndex(([from, to]) => year >= from && year <= to) : -1;
      if (bin < 0) return {key: "", label: "No year"};
      const [from, to] = yearBins[bin];
      return {key: "y" + bin, label: Math.floor(from) + "–" + Math.floor(to)};
    }
    const value = node[by];
    return value ? {key: value.id, label: value.name} : {key: "", label: "Unknown"};
  }

  function colouring(all) {
    // How to paint each person for the chosen colouring; draws the legend for ``all``.
    const by = colourSelect.value;
    if (by === "avg_year") yearBins = binYears(all);
    const counts = new Map();
    for (const node of all) {
      const group = groupOf(node, by);
      const entry = counts.get(group.key) || {label: group.label, count: 0};
      entry.count += 1;
      counts.set(group.key, entry);
    }
    const colours = new Map();
    if (by === "ring") {
      for (const ring of Object.keys(RINGS)) colours.set("ring" + ring, RINGS[ring][0]);
    } else if (by === "avg_year") {
      yearBins.forEach((bin, i) => colours.set("y" + i, YEAR_RAMP[i]));
    } else {
      [...counts.entries()].filter(([key]) => key)
        .sort((a, b) => b[1].count - a[1].count || a[1].label.localeCompare(b[1].label))
        .slice(0, PALETTE.length).forEach(([key], i) => colours.set(key, PALETTE[i]));
    }
    drawLegend(counts, colours, by);
    window.explorerGraph.colours = colours;
    return (node) => {
      const fill = colours.get(groupOf(node, by).key) || OTHER;
      return {borderWidth: node.ring === 0 ? 4 : 1,
              color: {background: fill, border: node.ring === 0 ? "#1d2733" : fill,
                      highlight: {background: fill, border: "#1d2733"},
                      hover: {background: fill, border: "#1d2733"}}};
    };
  }

  function binYears(all) {
    // Five equal spans of the people's average publication years (oldest first).
    const years = all.map((n) => n.measures && n.measures.avg_year).filter((y) => y);
    if (!years.length) return [];
    const low = Math.min(...years);
    const high = Math.max(...years);
    const width = Math.max((high - low) / YEAR_RAMP.length, 1);
    return YEAR_RAMP.map((_, i) => [low + i * width,
      i === YEAR_RAMP.length - 1 ? high : low + (i + 1) * width - 1e-9]);
  }

  function recolour() {
    const paint = colouring(nodes.get());
    nodes.update(nodes.get().map((node) => ({id: node.id, ...paint(node)})));
  }

  function drawLegend(counts, colours, by) {
    const items = [...counts.entries()].filter(([key]) => colours.has(key))
      .sort((a, b) => by === "avg_year" ? a[0].localeCompare(b[0]) :
        b[1].count - a[1].count);
    const rest = [...counts.values()].reduce((sum, e) => sum + e.count, 0) -
      items.reduce((sum, [, e]) => sum + e.count, 0);
    const rows = items.map(([key, entry]) => legendRow(colours.get(key),
      entry.label + " (" + entry.count + ")"));
    if (rest) rows.push(legendRow(OTHER, (by === "ring" ? "Other" : "Other or unknown") +
      " (" + rest + ")"));
    legend.replaceChildren(...rows);
  }

  function legendRow(colour, text) {
    const li = document.createElement("li");
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = colour;
    li.append(swatch, document.createTextNode(text));
    return li;
  }

  // -- talking to the API ---------------------------------------------------------------

  function wantsFacets() { return ["topic", "institution"].includes(colourSelect.value); }

  function wantsAnalysis() {
    return Boolean(analysisApi) && (ANALYSIS_COLOURS.includes(colourSelect.value) ||
      (sizeSelect && sizeSelect.value !== "works"));
  }

  async function fetchJson(url, init) {
    const response = await fetch(url, init);
    mark("response");
    const body = await response.json();
    if (!response.ok) throw new Error(body.error ? body.error.message : response.statusText);
    return body;
  }

  function sliceQuery(extra) {
    const params = Object.assign(currentFilters(), extra || {});
    if (wantsFacets()) params.facets = "1";
    return new URLSearchParams(params);
  }

  function describe(slice) {
    if (!slice.hidden) return people(nodes.length) + ", " + plural(edges.length, "link");
    const members = slice.hidden_what === "members";
    const what = members ? "of its people"
      : (slice.hidden === 1 ? "co-author" : "co-authors");
    // What shows more: the form's "Up to" (not in an embedded graph), and for a person's
    // co-authors a double-click on that person.
    const limit = form.elements.limit;  // a hidden field in an embedded graph
    const ways = [limit && limit.type !== "hidden" ? "raise 'Up to'" : "",
                  members ? "" : "double-click a person to show their co-authors"]
      .filter(Boolean).join(", or ");
    return people(nodes.length) + ", " + plural(edges.length, "link") + "; " +
      number(slice.hidden) + " more " + what + " not shown" + (ways ? " (" + ways + ")" : "");
  }

  function load() {
    loading = reload().finally(() => { loading = null; });
    return loading;
  }

  async function reload() {
    saveStateToUrl();
    status.textContent = "Loading the graph…";
    window.explorerGraph.ready = false;
    try {
      const api = wantsAnalysis() ? analysisApi : box.dataset.sliceApi;
      const glue = api.includes("?") ? "&" : "?";
      window.explorerGraph.marks = {script: window.explorerGraph.marks.script};
      mark("request");
      const slice = await fetchJson(api + glue + sliceQuery());
      window.explorerGraph.sliceAt = performance.now();  // for bench/browser_draw.py
      mark("slice");
      addSlice(slice, {replace: true});
      haveFacets = wantsFacets();
      haveAnalysis = wantsAnalysis();
      announce("explorer:analysis", haveAnalysis ? slice : null);
      if (slice.kind === "author") { centreHidden = slice.hidden; stillHidden.set(centre, slice.hidden); }
      const replayed = [];
      for (const id of expansions) {  // the expansions a copied link carries, in order
        if (nodes.get(id) && await expand(id, {record: false})) replayed.push(id);
      }
      expansions = replayed;
      saveStateToUrl();
      // counted after the expansions are drawn: the status tells what is on the screen
      const message = slice.kind === "path" && !slice.found ?
        "No chain of co-authorships." : describe(slice);
      status.textContent = message + (expansions.length ? "; " +
        plural(expansions.length, "expansion") + " shown" : "");
    } catch (error) {
      status.textContent = "Could not draw the graph: " + error.message;
    }
    window.explorerGraph.ready = true;
  }

  async function expand(id, {record = true} = {}) {
    if (record && loading) await loading;
    if (expanding.has(id) || !nodes.get(id)) return false;  // already on its way
    expanding.add(id);
    status.textContent = "Expanding…";
    const params = sliceQuery({limit: STEP});
    params.delete("depth");
    try {
      const slice = await fetchJson("/api/authors/" + encodeURIComponent(id) + "/expand?" +
        params, {method: "POST", headers: {"Content-Type": "application/json"},
                 body: JSON.stringify({shown: nodes.getIds()})});
      if (!nodes.get(id)) return false;  // the graph was replaced meanwhile
      const added = addSlice(slice, {replace: false, owner: id});
      stillHidden.set(id, slice.hidden);
      if (!wantsFacets()) haveFacets = false;
      if (record && added) { expansions.push(id); saveStateToUrl(); }
      status.textContent = people(added) + " added; " + number(nodes.length) + " shown" +
        (slice.hidden ? "; " + number(slice.hidden) + " more " +
          (slice.hidden === 1 ? "co-author" : "co-authors") + " of this person not shown" : "");
      showDetails(id);
      return added > 0;
    } catch (error) {
      status.textContent = "Could not expand: " + error.message;
      return false;
    } finally {
      expanding.delete(id);
    }
  }

  function collapse(id) {
    const gone = new Set();
    const visit = (owner) => {
      for (const [child, by] of addedBy) {
        if (by === owner && !gone.has(child)) { gone.add(child); visit(child); }
      }
    };
    visit(id);
    for (const child of gone) { addedBy.delete(child); stillHidden.delete(child); }
    edges.remove(edges.get({filter: (e) => gone.has(e.from) || gone.has(e.to)}).map((e) => e.id));
    nodes.remove([...gone]);
    if (id === centre && kind === "author") stillHidden.set(id, centreHidden);
    else stillHidden.delete(id);
    expansions = expansions.filter((e) => e !== id && !gone.has(e));
    saveStateToUrl();
    recolour();
    announce("explorer:drawn");
    status.textContent = gone.size + " people removed; " + nodes.length + " shown";
    showDetails(id);
  }

  // -- details panel --------------------------------------------------------------------

  function button(text, action) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.addEventListener("click", action);
    return b;
  }

  function showDetails(id) {
    const node = id && nodes.get(id);
    if (!node) { details.hidden = true; return; }
    const title = document.createElement("h3");
    title.textContent = node.name;
    const facts = document.createElement("p");
    const bits = [plural(node.works, "work")];
    if (node.topic) bits.push("topic: " + node.topic.name);
    if (node.institution) bits.push("institution: " + node.institution.name);
    facts.textContent = bits.join(" · ");
    const link = document.createElement("a");
    link.href = "/authors/" + encodeURIComponent(id);
    link.textContent = "Open profile";
    if (box.dataset.linkTarget) { link.target = box.dataset.linkTarget; link.rel = "noopener"; }
    const actions = document.createElement("p");
    actions.className = "actions";
    const expanded = [...addedBy.values()].includes(id);
    if (!stillHidden.has(id)) actions.append(button("Expand", () => expand(id)));
    if (stillHidden.get(id)) {
      actions.append(button("Show " + Math.min(STEP, stillHidden.get(id)) + " more (" +
        number(stillHidden.get(id)) + " hidden)", () => expand(id)));
    }
    if (expanded) actions.append(button("Collapse", () => collapse(id)));
    const pinned = node.fixed && node.fixed.x;
    actions.append(button(pinned ? "Unpin" : "Pin", () => {
      nodes.update({id, fixed: {x: !pinned, y: !pinned}});
      showDetails(id);
    }));
    details.replaceChildren(title, facts, link, actions);
    details.hidden = false;
  }

  function choose(id) {  // a person chosen from the keyboard: selected, shown, detailed
    network.selectNodes([id]);
    network.focus(id, {animation: {duration: 300}});
    showDetails(id);
    details.focus();
  }

  // -- the people drawn, as a list: the keyboard's (and a screen reader's) way in -------

  const peopleList = document.getElementById("graph-people");
  let listing = false;
  function listPeople() {
    if (!peopleList || listing) return;
    listing = true;
    setTimeout(() => {  // once for a batch of changes
      listing = false;
      const shown = nodes.get({filter: (n) => !n.hidden}).sort((a, b) =>
        (a.ring - b.ring) || ((b.works || 0) - (a.works || 0)) || a.name.localeCompare(b.name));
      peopleList.querySelector("summary").textContent =
        "People in the graph (" + number(shown.length) + ")";
      peopleList.querySelector("ol").replaceChildren(...shown.map((n) => {
        const item = document.createElement("li");
        item.append(button(n.name, () => choose(n.id)), " — " +
                    [ROLES[n.ring], plural(n.works, "work")].filter(Boolean).join(" · "));
        return item;
      }));
    }, 0);
  }
  nodes.on("*", listPeople);

  // -- wiring ---------------------------------------------------------------------------

  network.on("click", (event) => showDetails(event.nodes[0]));
  network.on("doubleClick", (event) => { if (event.nodes[0]) expand(event.nodes[0]); });
  network.on("dragEnd", (event) => {
    for (const id of event.nodes) nodes.update({id, fixed: {x: true, y: true}});  // pin
    if (event.nodes[0]) showDetails(event.nodes[0]);
  });
  function syncTopicFilter() {
    // The topic filter picks co-authors; a group's own people are always shown.
    if (kind === "author" || kind === "path" || !form.elements.depth) return;
    const membersOnly = form.elements.depth.value === "1";
    topicSelect.disabled = membersOnly;
    topicSelect.title = membersOnly ? "Choose 'with their co-authors' to filter them by topic" : "";
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); load(); });
  if (form.elements.depth) form.elements.depth.addEventListener("change", syncTopicFilter);
  topicSelect.addEventListener("change", () => load());
  function restyle() {
    if ((wantsFacets() && !haveFacets) || (wantsAnalysis() && !haveAnalysis)) {
      load();  // the first colouring by topic, institution or community asks the server
    } else {
      nodes.update(nodes.get().map((n) => ({id: n.id, value: nodeSize(n)})));
      recolour();
      saveStateToUrl();
    }
  }
  colourSelect.addEventListener("change", restyle);
  if (sizeSelect) sizeSelect.addEventListener("change", restyle);
  const findField = document.getElementById("graph-find");  // not in an embedded graph
  let lastFind = {needle: "", at: -1};
  function find({next = false} = {}) {
    const needle = findField.value.trim().toLowerCase();
    if (!needle) { network.unselectAll(); lastFind = {needle: "", at: -1}; return; }
    const found = nodes.get({filter: (n) => !n.hidden && n.name.toLowerCase().includes(needle)});
    const at = next && lastFind.needle === needle && found.length ?
      (lastFind.at + 1) % found.length : 0;
    lastFind = {needle, at};
    const what = " “" + findField.value.trim() + "”";
    if (!found.length) { status.textContent = "No one in the graph matches" + what; return; }
    status.textContent = (found.length === 1 ? "1 person matches" + what :
      people(found.length) + " match" + what + ": " + (at + 1) + " of " + found.length +
      " (Enter for the next)") + ": " + found[at].name;
    network.selectNodes(found.map((n) => n.id));
    network.focus(found[at].id, {animation: {duration: 300}});
    showDetails(found[at].id);
  }
  if (findField) {
    // Leaving the field finds what was typed, unless Enter already did: finding again
    // would redraw the details under a click on their Expand or Pin.
    findField.addEventListener("change", () => {
      if (findField.value.trim().toLowerCase() !== lastFind.needle) find();
    });
    findField.addEventListener("keydown", (event) => {
      if (event.key !== "Enter") return;
      event.preventDefault();  // not the filters' submit
      find({next: true});
    });
  }
  const exportPng = document.getElementById("export-png");
  const exportJson = document.getElementById("export-json");
  if (exportPng) exportPng.addEventListener("click", () => {
    download(box.querySelector("canvas").toDataURL("image/png"), "graph.png");
  });
  if (exportJson) exportJson.addEventListener("click", () => {
    const positions = network.getPositions();
    const data = {kind, centre, filters: currentFilters(), colour: colourSelect.value,
      nodes: nodes.get().map((n) => ({id: n.id, name: n.name, works: n.works, ring: n.ring,
        topic: n.topic, institution: n.institution, measures: n.measures,
        x: positions[n.id] && positions[n.id].x,
        y: positions[n.id] && positions[n.id].y})),
      edges: edges.get().map((e) => ({source: e.from, target: e.to, weight: e.weight,
        first_year: e.first_year, last_year: e.last_year}))};
    const blob = new Blob([JSON.stringify(data, null, 2)], {type: "application/json"});
    download(URL.createObjectURL(blob), "graph.json");
  });

  function download(href, name) {
    const a = document.createElement("a");
    a.href = href;
    a.download = name;
    a.click();
  }

  // What the Embed dialog (static/embed-dialog.js) builds its snippets from.
  window.explorerGraph.view = () => ({kind, centre, filters: currentFilters(),
                                      colour: colourSelect.value});

  stateFromUrl();
  syncTopicFilter();
  load();
})();
