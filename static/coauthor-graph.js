// <coauthor-graph>: a live co-authorship graph for any site's page.
//
//   <script src="https://explorer.example.org/static/coauthor-graph.js" defer></script>
//   <coauthor-graph author="orcid:0000-0002-1825-0097" depth="1" limit="60"></coauthor-graph>
//
// One of author=, paper=, topic=, institution= (an id), or from= and to= (two author ids,
// their collaboration path); options depth, limit, min-weight, year-from, year-to, on-topic
// (only co-authors with works on that topic id), colour (ring, topic, institution,
// community, avg_year; a path: the first three), theme (light, dark), height (pixels) and
// server (the explorer's address;
// by default the one this script came from). See docs/embedding.md.
//
// The element loads vis-network from the same explorer (its own copy, whatever `vis` the
// page already has: another version could show names as HTML) and fetches the slice from its
// public JSON API (the explorer must allow this site: COAUTHOR_EXPLORER_EMBED_ORIGINS). It
// draws inside its own shadow root; every name is a canvas label, a text tooltip or
// textContent, never HTML.
(function () {
  "use strict";
  if (!window.customElements || window.customElements.get("coauthor-graph")) return;
  const SCRIPT = document.currentScript;
  const HOME = SCRIPT && SCRIPT.src ? new URL("../", SCRIPT.src).href : "";
  const KINDS = {author: "authors", paper: "papers", topic: "topics",
                 institution: "institutions"};
  const GROUP_TITLES = {paper: "Authors of a paper", topic: "Researchers of a topic",
                        institution: "People of an institution"};
  const OPTIONS = {"depth": "depth", "limit": "limit", "min-weight": "min_weight",
                   "year-from": "year_from", "year-to": "year_to", "on-topic": "topic"};
  const COLOURS = ["ring", "topic", "institution", "community", "avg_year"];
  const ANALYSED = ["community", "avg_year"];  // need the slice's analysis (not a path's)
  const YEAR_RAMP = ["#fde725", "#7ad151", "#22a884", "#2a788e", "#414487"].reverse();
  const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                   "#e377c2", "#17becf", "#bcbd22", "#393b79"];
  const OTHER = "#b8c2cc";
  const RINGS = ["#d9480f", "#1f5fa8", "#7fa7d4"];
  const RING_NAMES = {
    author: ["This researcher", "Co-authors", "Their co-authors"],
    path: ["The two researchers", "The chain between them", "Co-authors added"],
  };
  const THEMES = {
    light: {background: "#ffffff", text: "#1d2733", label: "#343434", edge: "#9aa7b8",
            panel: "rgba(255, 255, 255, .85)", link: "#1f5fa8"},
    dark: {background: "#10161d", text: "#e6edf3", label: "#e6edf3", edge: "#5b6b7d",
           panel: "rgba(16, 22, 29, .85)", link: "#8cb8ff"},
  };
  const STYLE = `
    :host { display: block; position: relative; font: 14px system-ui, sans-serif;
            border: 1px solid #d5dbe2; border-radius: 6px; overflow: hidden; }
    .graph { width: 100%; }
    .bar { position: absolute; z-index: 2; top: 0; left: 0; right: 0; display: flex;
           gap: .8rem; align-items: baseline; padding: .3rem .6rem; font-size: .85rem; }
    .title { font-weight: 700; overflow: hidden; text-overflow: ellipsis;
             white-space: nowrap; max-width: 45%; }
    .status { flex: 1; opacity: .8; overflow: hidden; white-space: nowrap;
              text-overflow: ellipsis; }
    .open { white-space: nowrap; }
    .legend { position: absolute; z-index: 2; left: .5rem; bottom: .3rem; margin: 0;
              padding: .3rem .5rem; list-style: none; font-size: .8rem; border-radius: 4px;
              max-width: 45%; }
    .legend li { display: flex; gap: .4rem; align-items: center; }
    .legend:empty { display: none; }
    .swatch { display: inline-block; width: .8rem; height: .8rem; border-radius: 50%;
              flex: none; }
    .vis-tooltip { position: absolute; visibility: hidden; padding: .3rem .5rem;
                   white-space: pre-line; font-size: .8rem; pointer-events: none;
                   border: 1px solid #9aa7b8; border-radius: 4px;
                   background: var(--coauthor-graph-background, #fff);
                   color: var(--coauthor-graph-text, #1d2733); }`;
  let visLoading = null;
  let sheet = null;

  function adoptStyle(root) {
    // A constructed stylesheet where the browser has them (a host page's CSP that refuses
    // inline <style> does not apply to it), else a <style> element.
    if ("adoptedStyleSheets" in root && window.CSSStyleSheet &&
        "replaceSync" in CSSStyleSheet.prototype) {
      if (!sheet) { sheet = new CSSStyleSheet(); sheet.replaceSync(STYLE); }
      root.adoptedStyleSheets = [sheet];
    } else {
      root.append(element("style", "", STYLE));
    }
  }

  function loadVis(home) {
    // vis-network from the explorer itself (served from its pyvis package), once a page,
    // never the page's own `vis` (another version, or another library of that name). Its
    // bundle adds itself to any global `vis`, so the page's is set aside while it runs and
    // put back after.
    if (!visLoading) {
      visLoading = new Promise((resolve, reject) => {
        const pageHad = Object.prototype.hasOwnProperty.call(window, "vis");
        const pages = window.vis;
        const putBack = () => {
          const ours = window.vis;
          if (pageHad) window.vis = pages; else delete window.vis;
          return ours;
        };
        const script = document.createElement("script");
        script.src = new URL("assets/vis-network.min.js", home).href;
        script.onload = () => {
          const ours = putBack();
          if (ours && ours.Network) resolve(ours);
          else reject(new Error("the graph library from " + script.src + " did not start"));
        };
        script.onerror = () => {
          putBack();
          visLoading = null;
          reject(new Error("the graph library did not load from " + script.src));
        };
        window.vis = undefined;
        document.head.append(script);
      });
    }
    return visLoading;
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function plural(count, noun) {
    return count.toLocaleString() + " " + noun + (count === 1 ? "" : "s");
  }

  function people(count) {
    return count.toLocaleString() + (count === 1 ? " person" : " people");
  }

  function yearSpan(first, last) {  // "2018–2020", one year once: "2020"
    if (first && first === last) return String(first);
    return (first || "?") + "–" + (last || "?");
  }

  // A canvas label is cut at LABEL_CHARS characters (the tooltip gives the whole name).
  const LABEL_CHARS = 40;

  function shortLabel(name) {
    const chars = Array.from(name || "");
    return chars.length > LABEL_CHARS ?
      chars.slice(0, LABEL_CHARS - 1).join("").trimEnd() + "…" : chars.join("");
  }

  function tooltip(node, measures) {  // a string: vis-network shows it as text
    const lines = [node.name, plural(node.works || 0, "work")];
    if (node.topic) lines.push("Topic: " + node.topic.name);
    if (node.institution) lines.push("Institution: " + node.institution.name);
    if (measures && measures.community !== null && measures.community !== undefined) {
      lines.push("Community " + (measures.community + 1));
    }
    return lines.join("\n");
  }

  function binYears(years) {
    // Five equal spans of the people's average publication years (oldest first).
    const known = years.filter((y) => y);
    if (!known.length) return [];
    const low = Math.min(...known);
    const high = Math.max(...known);
    const width = Math.max((high - low) / YEAR_RAMP.length, 1);
    return YEAR_RAMP.map((_, i) => [low + i * width,
      i === YEAR_RAMP.length - 1 ? high : low + (i + 1) * width - 1e-9]);
  }

  function groupOf(node, measures, colour, kind, bins) {
    if (colour === "avg_year") {
      const year = measures && measures.avg_year;
      const bin = year ? bins.findIndex(([from, to]) => year >= from && year <= to) : -1;
      if (bin < 0) return {key: "", label: "No year"};
      const [from, to] = bins[bin];
      return {key: "y" + bin, label: Math.floor(from) + "–" + Math.floor(to),
              fill: YEAR_RAMP[bin]};
    }
    if (colour === "ring") {
      const ring = Math.min(node.ring || 0, 2);
      const names = RING_NAMES[kind] || ["Its people", "Their co-authors", "Further co-authors"];
      return {key: "ring" + ring, label: names[ring], fill: RINGS[ring]};
    }
    if (colour === "community") {
      const community = measures ? measures.community : null;
      return community === null || community === undefined ?
        {key: "", label: "In no community"} :
        {key: "c" + community, label: "Community " + (community + 1)};
    }
    const facet = node[colour];
    return facet ? {key: facet.id, label: facet.name} : {key: "", label: "Unknown"};
  }

  class CoauthorGraph extends HTMLElement {
    static get observedAttributes() {
      return Object.keys(KINDS).concat(["from", "to", "colour", "theme", "height", "server"],
                                       Object.keys(OPTIONS));
    }

    constructor() {
      super();
      const root = this.attachShadow({mode: "open"});
      this.bar = element("div", "bar");
      this.titleLink = element("a", "title");
      this.status = element("span", "status");
      this.openLink = element("a", "open", "Open in coauthor-explorer ↗");
      for (const link of [this.titleLink, this.openLink]) {
        link.target = "_blank";
        link.rel = "noopener";
      }
      this.bar.append(this.titleLink, this.status, this.openLink);
      this.box = element("div", "graph");
      this.box.setAttribute("role", "img");
      this.legend = element("ul", "legend");
      adoptStyle(root);
      root.append(this.bar, this.box, this.legend);
      this.graph = null;  // {network, nodes, edges} once drawn
      this.pending = null;
    }

    connectedCallback() { this.schedule(); }

    attributeChangedCallback() { if (this.isConnected) this.schedule(); }

    schedule() {  // one draw for a burst of attribute changes
      if (this.pending) return;
      this.pending = Promise.resolve().then(() => { this.pending = null; return this.draw(); });
    }

    home() {
      const server = this.getAttribute("server");
      if (!server) return HOME;
      return new URL(server.endsWith("/") ? server : server + "/", window.location.href).href;
    }

    target(home) {
      // The slice (and analysis) endpoints, the explorer's page and the widget's title.
      const params = new URLSearchParams();
      for (const [attribute, name] of Object.entries(OPTIONS)) {
        const value = this.getAttribute(attribute);
        if (value) params.set(name, value);
      }
      const from = this.getAttribute("from");
      const to = this.getAttribute("to");
      if (from && to) {
        const ends = new URLSearchParams({from, to});
        return {kind: "path", slice: home + "api/path/slice?" + ends, analysis: null,
                page: home + "path?" + ends, params};
      }
      for (const [kind, plural] of Object.entries(KINDS)) {
        const id = this.getAttribute(kind);
        if (!id) continue;
        const api = home + "api/" + plural + "/" + encodeURIComponent(id);
        const page = new URL(plural + "/" + encodeURIComponent(id), home);
        for (const [name, value] of params) page.searchParams.set(name, value);
        return {kind, slice: api + "/slice?" + params, analysis: api + "/analysis?" + params,
                page: page.href, params};
      }
      throw new Error("give author=, paper=, topic= or institution= (an id), " +
                      "or from= and to= (two author ids)");
    }

    setState(state, message) {
      this.dataset.state = state;
      this.status.textContent = message;
      this.status.title = message;  // the whole of it, where the bar cuts it short
      this.status.style.whiteSpace = state === "error" ? "normal" : "";  // an error wraps
    }

    async draw() {
      const drawing = this.drawing = {};  // a later draw makes this one's answer stale
      let colour = COLOURS.includes(this.getAttribute("colour")) ?
        this.getAttribute("colour") : "ring";
      const theme = THEMES[this.getAttribute("theme")] || THEMES.light;
      const height = Math.min(Math.max(parseInt(this.getAttribute("height"), 10) || 480,
                                       150), 2000);
      this.paint(theme, height);
      this.setState("loading", "Loading the graph…");
      let slice;
      let target;
      try {
        const home = this.home();
        if (!home) throw new Error("set server= to the explorer's address");
        target = this.target(home);
        if (ANALYSED.includes(colour) && !target.analysis) colour = "ring";  // a path
        const wantsFacets = colour === "topic" || colour === "institution";
        const analysed = ANALYSED.includes(colour);
        const url = new URL(analysed ? target.analysis : target.slice);
        if (wantsFacets) url.searchParams.set("facets", "1");
        const [vis, answer] = await Promise.all([loadVis(home), this.fetchSlice(url, home)]);
        if (drawing !== this.drawing) return;  // the attributes changed meanwhile
        slice = answer;
        this.render(vis, slice, colour, theme);
      } catch (error) {
        if (drawing !== this.drawing) return;
        this.setState("error", "Could not draw the graph: " + error.message);
        return;
      }
      this.titleLink.href = this.openLink.href = target.page;
      const hidden = slice.hidden ? "; " + slice.hidden.toLocaleString() + " more not shown" : "";
      this.setState("drawn", slice.kind === "path" && !slice.found ?
        "No chain of co-authorships." :
        people(slice.nodes.length) + ", " + plural(slice.edges.length, "link") + hidden);
      this.dispatchEvent(new CustomEvent("coauthor-graph:drawn", {bubbles: true,
        detail: {nodes: slice.nodes.length, edges: slice.edges.length}}));
    }

    async fetchSlice(url, home) {
      let response;
      try {
        response = await fetch(url, {credentials: "omit"});
      } catch (error) {
        throw new Error("the explorer at " + home + " did not answer, or does not let " +
                        window.location.origin + " show its graphs");
      }
      const body = await response.json().catch(() => ({}));
      if (!response.ok) {
        throw new Error(body.error ? body.error.message : response.statusText);
      }
      return body;
    }

    paint(theme, height) {
      this.style.background = theme.background;
      this.style.color = theme.text;
      this.style.setProperty("--coauthor-graph-background", theme.background);
      this.style.setProperty("--coauthor-graph-text", theme.text);
      this.box.style.height = height + "px";
      for (const panel of [this.bar, this.legend]) panel.style.background = theme.panel;
      for (const link of [this.titleLink, this.openLink]) link.style.color = theme.link;
    }

    render(vis, slice, colour, theme) {
      const measures = slice.attributes || {};
      const bins = colour === "avg_year" ?
        binYears(slice.nodes.map((n) => measures[n.id] && measures[n.id].avg_year)) : [];
      const counts = new Map();
      const groups = new Map();
      for (const node of slice.nodes) {
        const group = groupOf(node, measures[node.id], colour, slice.kind, bins);
        groups.set(node.id, group);
        const entry = counts.get(group.key) || {label: group.label, count: 0, fill: group.fill};
        entry.count += 1;
        counts.set(group.key, entry);
      }
      const fills = new Map();
      [...counts.entries()].filter(([key]) => key)
        .sort((a, b) => b[1].count - a[1].count || a[1].label.localeCompare(b[1].label))
        .slice(0, PALETTE.length)
        .forEach(([key, entry], i) => fills.set(key, entry.fill || PALETTE[i]));
      const nodes = slice.nodes.map((n) => {
        const fill = fills.get(groups.get(n.id).key) || OTHER;
        const centre = (n.ring || 0) === 0;
        return {id: n.id, label: shortLabel(n.name), title: tooltip(n, measures[n.id]),
                value: Math.max(n.works || 1, 1), borderWidth: centre ? 4 : 1,
                color: {background: fill, border: centre ? "#1d2733" : fill,
                        highlight: {background: fill, border: "#1d2733"},
                        hover: {background: fill, border: "#1d2733"}}};
      });
      const edges = slice.edges.map((e) => ({
        id: e.source + " | " + e.target, from: e.source, to: e.target, value: e.weight,
        title: plural(e.weight, "joint paper") + ", " + yearSpan(e.first_year, e.last_year)}));
      this.drawLegend(counts, fills);
      const title = slice.kind === "author" ? slice.nodes[0].name :
        slice.kind === "path" ? slice.nodes.filter((n) => n.ring === 0)
          .map((n) => n.name).join(" – ") : GROUP_TITLES[slice.kind];
      this.titleLink.textContent = title || "";
      this.box.setAttribute("aria-label", "Co-authorship graph: " + (title || ""));
      const options = {
        nodes: {shape: "dot", font: {size: 14, color: theme.label},
                scaling: {min: 8, max: 40}},
        edges: {color: {inherit: false, color: theme.edge}, smooth: false,
                scaling: {min: 1, max: 10}},
        physics: {enabled: true, solver: "forceAtlas2Based",
                  stabilization: {iterations: Math.max(20, Math.min(200,
                    Math.round(20000 / Math.max(nodes.length, 1))))}},
        interaction: {hover: true, tooltipDelay: 150},
        layout: {improvedLayout: false},
      };
      if (this.graph) {
        this.graph.nodes.clear();
        this.graph.edges.clear();
        this.graph.nodes.add(nodes);
        this.graph.edges.add(edges);
        this.graph.network.setOptions(options);
        this.graph.network.stabilize();
        return;
      }
      const data = {nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges)};
      const network = new vis.Network(this.box, data, options);
      network.on("stabilizationIterationsDone", () => network.setOptions({physics: false}));
      network.on("doubleClick", (event) => {  // a person's profile, in a new tab
        const id = event.nodes[0];
        if (id) window.open(new URL("authors/" + encodeURIComponent(id), this.home()).href,
                            "_blank", "noopener");
      });
      this.graph = {network, nodes: data.nodes, edges: data.edges};
    }

    drawLegend(counts, fills) {
      const rows = [];
      let rest = 0;
      const ranked = [...counts.entries()].sort((a, b) => b[1].count - a[1].count);
      for (const [key, entry] of ranked) {
        if (!fills.has(key)) { rest += entry.count; continue; }
        const li = element("li");
        const swatch = element("span", "swatch");
        swatch.style.background = fills.get(key);
        li.append(swatch, document.createTextNode(entry.label + " (" + entry.count + ")"));
        rows.push(li);
      }
      if (rest) {
        const li = element("li");
        const swatch = element("span", "swatch");
        swatch.style.background = OTHER;
        li.append(swatch, document.createTextNode("Other or unknown (" + rest + ")"));
        rows.push(li);
      }
      this.legend.replaceChildren(...rows);
    }
  }

  window.customElements.define("coauthor-graph", CoauthorGraph);
})();
