// The overview page's degree distribution, on log-log axes (data from the page itself).
(function () {
  "use strict";
  const box = document.getElementById("degree-chart");
  if (!box || !window.ExplorerCharts) return;
  window.ExplorerCharts.logLog(box, {
    title: "Degree distribution", xLabel: "co-authors", yLabel: "researchers",
    x: JSON.parse(box.dataset.degrees), y: JSON.parse(box.dataset.authors)});
})();
