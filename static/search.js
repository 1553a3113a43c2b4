// As-you-type search: asks /api/search and lists links (text only: names are never HTML).
// "Everything" asks for each kind at once and shows them in sections. Enter opens the first
// result; ArrowDown goes into the list and the arrows move in it.
(function () {
  "use strict";
  const input = document.getElementById("search-input");
  const kind = document.getElementById("search-kind");
  const list = document.getElementById("search-results");
  const pages = {authors: "/authors/", papers: "/papers/", topics: "/topics/",
                 institutions: "/institutions/"};
  const headings = {authors: "Researchers", papers: "Papers", topics: "Topics",
                    institutions: "Institutions"};
  const EVERYTHING = {authors: 10, papers: 5, topics: 5, institutions: 5};
  let latest = 0;

  function item(row, what, twin) {
    const li = document.createElement("li");
    li.className = "search-result";
    li.dataset.kind = what;
    const a = document.createElement("a");
    a.href = pages[what] + encodeURIComponent(row.id);
    a.textContent = row.name || row.title || row.id;
    li.appendChild(a);
    const extra = [];
    if (row.works !== undefined && row.works !== null) {
      extra.push(row.works + (row.works === 1 ? " work" : " works"));
    }
    if (row.year) extra.push(String(row.year));
    if (twin) extra.push(row.id);  // two of one name: their ids tell them apart
    if (extra.length) {
      const span = document.createElement("span");
      span.className = "muted";
      span.textContent = " " + extra.join(" · ");
      li.appendChild(span);
    }
    return li;
  }

  function heading(text) {
    const li = document.createElement("li");
    li.className = "results-heading";
    li.textContent = text;
    return li;
  }

  async function ask(query, what, limit) {
    try {
      const response = await fetch("/api/search?" +
        new URLSearchParams({q: query, kind: what, limit: limit}));
      return response.ok ? await response.json() : [];
    } catch (error) {
      return [];  // offline or the server is gone: nothing found
    }
  }

  async function run() {
    const query = input.value.trim();
    const chosen = kind.value;
    const ticket = ++latest;
    const url = new URL(window.location);
    url.searchParams.set("q", query);
    if (chosen !== "all") url.searchParams.set("kind", chosen);
    else url.searchParams.delete("kind");
    history.replaceState(null, "", url);
    if (!query) { list.replaceChildren(); return; }
    const kinds = chosen === "all" ? Object.keys(EVERYTHING) : [chosen];
    const answers = await Promise.all(kinds.map((what) =>
      ask(query, what, chosen === "all" ? EVERYTHING[what] : 20)));
    if (ticket !== latest) return;  // a newer keystroke already asked
    const items = [];
    kinds.forEach((what, i) => {
      if (!answers[i].length) return;
      if (kinds.length > 1) items.push(heading(headings[what]));
      const names = answers[i].map((row) => row.name || row.title);
      items.push(...answers[i].map((row, k) => item(row, what,
        names.indexOf(names[k]) !== names.lastIndexOf(names[k]))));
    });
    if (!items.length) {
      const li = document.createElement("li");
      li.className = "muted";
      li.textContent = "Nothing matches.";
      items.push(li);
    }
    list.replaceChildren(...items);
  }

  let timer = null;
  let pending = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => { timer = null; pending = run(); }, 120);
  });

  function links() {
    return [...list.querySelectorAll(".search-result a")];
  }

  input.addEventListener("keydown", async (event) => {
    if (event.key !== "Enter" && event.key !== "ArrowDown") return;
    if (event.isComposing || event.ctrlKey || event.metaKey || event.shiftKey ||
        event.altKey) return;
    event.preventDefault();
    if (timer) {  // what was typed last has not been asked yet: ask now
      clearTimeout(timer);
      timer = null;
      pending = run();
    }
    await pending;
    const first = links()[0];
    if (!first) return;
    if (event.key === "Enter") window.location.assign(first.href);
    else first.focus();
  });
  list.addEventListener("keydown", (event) => {
    const all = links();
    const at = all.indexOf(document.activeElement);
    if (at < 0 || (event.key !== "ArrowDown" && event.key !== "ArrowUp")) return;
    event.preventDefault();
    const next = at + (event.key === "ArrowDown" ? 1 : -1);
    (next < 0 ? input : all[Math.min(next, all.length - 1)]).focus();
  });
  kind.addEventListener("change", () => { pending = run(); });
  const asked = new URLSearchParams(window.location.search).get("kind");
  if (asked && pages[asked]) kind.value = asked;
  if (input.value) pending = run();
})();
