// The time slider under every graph: links appear in the year their collaboration began,
// and people with them (the slice's own people always show); Play steps through the years.
// The chosen year is kept in the URL (?year=).
(function () {
  "use strict";
  const box = document.getElementById("graph");
  const slider = document.getElementById("graph-year");
  const label = document.getElementById("graph-year-label");
  const play = document.getElementById("graph-play");
  if (!box || !slider || !window.explorerGraph) return;
  const {nodes, edges} = window.explorerGraph;
  const STEP_MS = 700;
  let timer = null;
  let wanted = new URLSearchParams(window.location.search).get("year");

  function yearsDrawn() {
    const years = edges.get().map((e) => e.first_year).filter((y) => y);
    return years.length ? [Math.min(...years), Math.max(...years)] : null;
  }

  function showUpTo(year) {
    // ``year`` null shows everything.
    const firstSeen = new Map();  // person -> year of their first drawn link
    const edgeChanges = [];
    for (const e of edges.get()) {
      const hidden = year !== null && Boolean(e.first_year) && e.first_year > year;
      if (!hidden) {
        for (const end of [e.from, e.to]) {
          const seen = e.first_year || -Infinity;
          firstSeen.set(end, Math.min(firstSeen.get(end) ?? Infinity, seen));
        }
      }
      if (Boolean(e.hidden) !== hidden) edgeChanges.push({id: e.id, hidden});
    }
    const nodeChanges = nodes.get()
      .map((n) => ({id: n.id, old: Boolean(n.hidden),
                    hidden: year !== null && n.ring !== 0 && !firstSeen.has(n.id)}))
      .filter((n) => n.old !== n.hidden).map(({id, hidden}) => ({id, hidden}));
    // Only what changes: vis-network redoes its work for every item updated.
    if (edgeChanges.length) edges.update(edgeChanges);
    if (nodeChanges.length) nodes.update(nodeChanges);
    label.textContent = year === null ? "all years" : String(year);
    const url = new URL(window.location);
    if (year === null) url.searchParams.delete("year");
    else url.searchParams.set("year", year);
    history.replaceState(null, "", url);
  }

  function current() {
    return Number(slider.value) >= Number(slider.max) ? null : Number(slider.value);
  }

  function stop() {
    clearInterval(timer);
    timer = null;
    play.textContent = "▶ Play";
  }

  function reset() {
    // A new or changed slice: fit the slider to its years and reapply the chosen year.
    const span = yearsDrawn();
    slider.disabled = play.disabled = !span;
    if (!span) { label.textContent = "no dated links"; return; }
    const keep = wanted !== null ? Number(wanted) : current();
    wanted = null;
    slider.min = span[0];
    slider.max = span[1];
    slider.value = keep === null ? span[1] : Math.min(Math.max(keep, span[0]), span[1]);
    showUpTo(current());
  }

  slider.addEventListener("input", () => { stop(); showUpTo(current()); });
  play.addEventListener("click", () => {
    if (timer) { stop(); return; }
    if (current() === null) slider.value = slider.min;
    showUpTo(current());
    play.textContent = "❚❚ Pause";
    timer = setInterval(() => {
      slider.value = Number(slider.value) + 1;
      showUpTo(current());
      if (current() === null) stop();
    }, STEP_MS);
  });
  box.addEventListener("explorer:drawn", reset);
  window.explorerGraph.visibleCount = () => nodes.get({filter: (n) => !n.hidden}).length;
})();
