// Researcher pickers (the path page): type a name, pick one of the matching researchers;
// the form sends their id. Names are shown as text only.
(function () {
  "use strict";
  for (const input of document.querySelectorAll(".picker-input")) {
    const box = input.closest(".picker");
    const hidden = box.querySelector("input[type=hidden]");
    const list = box.querySelector(".picker-list");
    let latest = 0;
    let timer = null;

    function choose(row) {
      input.value = row.name;
      hidden.value = row.id;
      list.hidden = true;
    }

    async function suggest() {
      const query = input.value.trim();
      const ticket = ++latest;
      if (!query) { list.hidden = true; return; }
      const response = await fetch("/api/search?" +
        new URLSearchParams({q: query, kind: "authors", limit: 8}));
      if (ticket !== latest) return;
      const rows = response.ok ? await response.json() : [];
      list.replaceChildren(...rows.map((row) => {
        const li = document.createElement("li");
        const b = document.createElement("button");
        b.type = "button";
        b.className = "picker-option";
        b.textContent = row.name + " · " + row.works + " works";
        b.addEventListener("click", () => choose(row));
        li.appendChild(b);
        return li;
      }));
      list.hidden = rows.length === 0;
      box.dataset.first = rows.length ? JSON.stringify(rows[0]) : "";
    }

    input.addEventListener("input", () => {
      hidden.value = "";  // a new name: the old choice no longer holds
      clearTimeout(timer);
      timer = setTimeout(suggest, 120);
    });
    input.addEventListener("keydown", (event) => {
      if (event.key === "Escape") list.hidden = true;
    });
    input.form.addEventListener("submit", (event) => {
      if (hidden.value) return;
      if (box.dataset.first) { choose(JSON.parse(box.dataset.first)); return; }
      event.preventDefault();
      input.setCustomValidity("Pick a researcher from the list");
      input.reportValidity();
      input.addEventListener("input", () => input.setCustomValidity(""), {once: true});
    });
  }
})();
