// As-you-type search: asks /api/search and lists links (text only: names are never HTML).
(function () {
  "use strict";
  const input = document.getElementById("search-input");
  const kind = document.getElementById("search-kind");
  const list = document.getElementById("search-results");
  const pages = {authors: "/authors/", papers: "/papers/", topics: "/topics/",
                 institutions: "/institutions/"};
  let latest = 0;

  function item(row, what) {
    const li = document.createElement("li");
    li.className = "search-result";
    const a = document.createElement("a");
    a.href = pages[what] + encodeURIComponent(row.id);
    a.textContent = row.name || row.title || row.id;
    li.appendChild(a);
    const extra = [];
    if (row.works !== undefined && row.works !== null) extra.push(row.works + " works");
    if (row.year) extra.push(String(row.year));
    if (extra.length) {
      const span = document.createElement("span");
      span.className = "muted";
      span.textContent = " " + extra.join(" · ");
      li.appendChild(span);
    }
    return li;
  }

  async function run() {
    const query = input.value.trim();
    const what = kind.value;
    const ticket = ++latest;
    const url = new URL(window.location);
    url.searchParams.set("q", query);
    history.replaceState(null, "", url);
    if (!query) { list.replaceChildren(); return; }
    const response = await fetch("/api/search?" + new URLSearchParams({q: query, kind: what}));
    if (ticket !== latest) return;  // a newer keystroke already asked
    const rows = response.ok ? await response.json() : [];
    list.replaceChildren(...rows.map((row) => item(row, what)));
    if (!rows.length) {
      const li = document.createElement("li");
      li.className = "muted";
      li.textContent = "Nothing matches.";
      list.appendChild(li);
    }
  }

  let timer = null;
  input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(run, 120); });
  kind.addEventListener("change", run);
  if (input.value) run();
})();
