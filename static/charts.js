// Small SVG charts drawn by the app (no external service): bars (stacked when given several
// series) and a log-log scatter. Every label is set with textContent.
(function () {
  "use strict";
  const SVG = "http://www.w3.org/2000/svg";
  const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
                   "#e377c2", "#17becf", "#bcbd22", "#393b79", "#b8c2cc"];

  function svgElement(tag, attributes, text) {
    const node = document.createElementNS(SVG, tag);
    for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function frame(width, height, label) {
    return svgElement("svg", {viewBox: `0 0 ${width} ${height}`, width, height,
                              role: "img", "aria-label": label});
  }

  // A chart is drawn at its box's width (CSS pixels), so that its 11 px labels stay 11 px
  // instead of shrinking with a wide drawing scaled into a narrow column.
  function widthOf(container, fallback, least, most) {
    const width = container.clientWidth || fallback;
    return Math.round(Math.min(Math.max(width, least), most));
  }

  function legend(series) {
    const list = document.createElement("ul");
    list.className = "legend chart-legend";
    series.forEach((s, i) => {
      const li = document.createElement("li");
      const swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = s.colour || PALETTE[i % PALETTE.length];
      li.append(swatch, document.createTextNode(s.name));
      list.append(li);
    });
    return list;
  }

  function bars(container, {labels, series, title}) {
    // One bar per label; several series stack. ``labels`` are years or names.
    const width = widthOf(container, 640, 240, 960), height = 190, left = 34, bottom = 22,
      top = 10;
    const plotWidth = width - left - 8, plotHeight = height - bottom - top;
    const totals = labels.map((_, i) => series.reduce((sum, s) => sum + (s.values[i] || 0), 0));
    const most = Math.max(1, ...totals);
    const slot = plotWidth / Math.max(labels.length, 1);
    const svg = frame(width, height, title);
    svg.append(svgElement("line", {x1: left, y1: top + plotHeight, x2: width - 8,
                                   y2: top + plotHeight, stroke: "#9aa7b8"}));
    svg.append(svgElement("text", {x: left - 4, y: top + 8, "text-anchor": "end"}, String(most)));
    svg.append(svgElement("text", {x: left - 4, y: top + plotHeight, "text-anchor": "end"}, "0"));
    const every = Math.ceil(labels.length / Math.max(Math.floor(plotWidth / 40), 1));
    labels.forEach((label, i) => {
      let base = top + plotHeight;
      series.forEach((s, k) => {
        const value = s.values[i] || 0;
        if (!value) return;
        const h = value / most * plotHeight;
        base -= h;
        const rect = svgElement("rect", {x: left + i * slot + 1, y: base,
          width: Math.max(slot - 2, 1), height: h, fill: s.colour || PALETTE[k % PALETTE.length],
          "data-value": value});
        rect.append(svgElement("title", {}, label + ": " + s.name + " " + value));
        svg.append(rect);
      });
      if (i % every === 0) {
        svg.append(svgElement("text", {x: left + i * slot + slot / 2, y: height - 6,
                                       "text-anchor": "middle"}, String(label)));
      }
    });
    const heading = document.createElement("h3");
    heading.textContent = title;
    container.replaceChildren(heading, svg);
    if (series.length > 1) container.append(legend(series));
  }

  function logLog(container, {x, y, title, xLabel, yLabel}) {
    // Points (x, y) on logarithmic axes; non-positive values are left out.
    const width = widthOf(container, 420, 260, 420), height = 300, left = 46, bottom = 40,
      top = 10, right = 10;
    const points = x.map((v, i) => [v, y[i]]).filter(([a, b]) => a > 0 && b > 0);
    const lx = points.map(([a]) => Math.log10(a)), ly = points.map(([, b]) => Math.log10(b));
    const [x0, x1] = [0, Math.max(1, Math.ceil(Math.max(...lx, 0)))];
    const [y0, y1] = [0, Math.max(1, Math.ceil(Math.max(...ly, 0)))];
    const px = (v) => left + (v - x0) / (x1 - x0) * (width - left - right);
    const py = (v) => top + (1 - (v - y0) / (y1 - y0)) * (height - top - bottom);
    const svg = frame(width, height, title);
    for (let d = x0; d <= x1; d++) {
      svg.append(svgElement("line", {x1: px(d), y1: top, x2: px(d), y2: height - bottom,
                                     stroke: "#e5e9ee"}));
      svg.append(svgElement("text", {x: px(d), y: height - bottom + 14, "text-anchor": "middle"},
                            String(10 ** d)));
    }
    for (let d = y0; d <= y1; d++) {
      svg.append(svgElement("line", {x1: left, y1: py(d), x2: width - right, y2: py(d),
                                     stroke: "#e5e9ee"}));
      svg.append(svgElement("text", {x: left - 4, y: py(d) + 4, "text-anchor": "end"},
                            String(10 ** d)));
    }
    points.forEach(([a, b], i) => {
      const dot = svgElement("circle", {cx: px(lx[i]), cy: py(ly[i]), r: 3.5, fill: "#1f5fa8"});
      dot.append(svgElement("title", {}, xLabel + " " + a + ": " + b));
      svg.append(dot);
    });
    svg.append(svgElement("text", {x: (left + width - right) / 2, y: height - 6,
                                   "text-anchor": "middle"}, xLabel));
    svg.append(svgElement("text", {x: 12, y: (top + height - bottom) / 2,
      "text-anchor": "middle", transform: `rotate(-90 12 ${(top + height - bottom) / 2})`},
      yLabel));
    const heading = document.createElement("h3");
    heading.textContent = title;
    container.replaceChildren(heading, svg);
  }

  window.ExplorerCharts = {bars, logLog, PALETTE};
})();
