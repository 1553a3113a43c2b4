// Draws a standalone export (explorer/standalone.py): the graph's data is JSON in
// #graph-data, drawn with the vis-network inlined before this script. Names are canvas
// labels and string tooltips (text); nothing is fetched.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("graph-data").textContent);
  for (const swatch of document.querySelectorAll(".swatch[data-colour]")) {
    swatch.style.background = swatch.dataset.colour;
  }
  const nodes = new vis.DataSet(data.nodes);
  const edges = new vis.DataSet(data.edges);
  const network = new vis.Network(document.getElementById("graph"), {nodes, edges},
                                  data.options);
  const graph = {network, nodes, edges, stable: false};
  network.once("stabilizationIterationsDone", () => {
    network.setOptions({physics: false});  // laid out: stop moving
    network.fit();
    graph.stable = true;
  });
  window.standaloneGraph = graph;
})();
