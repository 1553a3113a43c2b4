// The communities and brokers of the drawn slice, listed under the graph when the graph is
// coloured by community or average year or sized by a centrality (graph.js then asks the
// analysis API). Names are text only.
(function () {
  "use strict";
  const box = document.getElementById("graph");
  const panel = document.getElementById("graph-analysis");
  if (!box || !panel) return;

  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function personLink(person) {
    const a = element("a", person.name);
    a.href = "/authors/" + encodeURIComponent(person.id);
    return a;
  }

  function community(item) {
    const li = element("li");
    li.dataset.community = item.id;
    const colours = window.explorerGraph.colours || new Map();
    const swatch = element("span", undefined, "swatch");
    swatch.style.background = colours.get("c" + item.id) || "#b8c2cc";
    const title = element("strong", "Community " + (item.id + 1));
    const facts = element("span", " · " + item.size + " people" +
      (item.avg_year ? " · works around " + Math.round(item.avg_year) : ""), "muted");
    const members = element("div", "Most central: ");
    item.top_members.forEach((person, i) => {
      if (i) members.append(", ");
      members.append(personLink(person));
    });
    li.append(swatch, title, facts, members);
    if (item.topics.length) {
      li.append(element("div", "Topics: " + item.topics.map((t) => t.name).join(", "),
                        "muted"));
    }
    return li;
  }

  function broker(item) {
    const li = element("li");
    li.append(personLink(item), element("span", " links communities " +
      item.links.map((l) => (l.community + 1) + " (" + l.weight + ")").join(", "), "muted"));
    return li;
  }

  box.addEventListener("explorer:analysis", (event) => {
    const analysis = event.detail;
    if (!analysis) { panel.hidden = true; panel.replaceChildren(); return; }
    const summary = analysis.summary;
    const parts = [element("h3", "Communities"),
      element("p", summary.communities + " communities (modularity " +
        summary.modularity.toFixed(2) + ")" + (summary.unclustered ? ", " +
        summary.unclustered + " people in none" : "") + "; betweenness " +
        summary.betweenness + ".", "muted")];
    const list = element("ol", undefined, "communities");
    list.append(...analysis.communities.map(community));
    parts.push(list);
    if (analysis.brokers.length) {
      parts.push(element("h3", "Brokers"),
        element("p", "People whose links bridge communities, strongest bridges first.",
                "muted"));
      const brokers = element("ol", undefined, "brokers");
      brokers.append(...analysis.brokers.map(broker));
      parts.push(brokers);
    }
    panel.replaceChildren(...parts);
    panel.hidden = false;
  });
})();
