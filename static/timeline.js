// A researcher's timeline on the profile: works per year, new co-authors per year and
// topics over time, drawn from /api/authors/<id>/timeline with charts.js.
(function () {
  "use strict";
  const box = document.getElementById("timeline");
  if (!box || !window.ExplorerCharts) return;
  const charts = window.ExplorerCharts;

  function panel(id) {
    const div = document.createElement("div");
    div.className = "chart";
    div.id = id;
    return div;
  }

  fetch(box.dataset.api).then((response) => response.json()).then((timeline) => {
    if (!timeline.years || !timeline.years.length) {
      box.textContent = "No dated works.";
      return;
    }
    const works = panel("chart-works");
    const coauthors = panel("chart-coauthors");
    const topics = panel("chart-topics");
    box.replaceChildren(works, coauthors, topics);
    charts.bars(works, {title: "Works per year", labels: timeline.years,
                        series: [{name: "works", values: timeline.works, colour: "#1f5fa8"}]});
    charts.bars(coauthors, {title: "New co-authors per year", labels: timeline.years,
      series: [{name: "new co-authors", values: timeline.new_coauthors, colour: "#d9480f"}]});
    const series = timeline.topics.map((t) => ({name: t.name, values: t.counts}));
    if (timeline.other_topics && timeline.other_topics.some((v) => v)) {
      series.push({name: "other topics", values: timeline.other_topics,
                   colour: charts.PALETTE[charts.PALETTE.length - 1]});
    }
    if (series.length) {
      charts.bars(topics, {title: "Topics of the works, per year", labels: timeline.years,
                           series});
    } else {
      topics.remove();
    }
  }).catch(() => { box.textContent = "The timeline could not be loaded."; });
})();
