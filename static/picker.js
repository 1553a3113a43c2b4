// Researcher pickers (the path page): type a name, pick one of the matching researchers
// (mouse, or ArrowDown into the list, arrows to move, Enter to pick, Escape to go back);
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
      const fromList = list.contains(document.activeElement);
      input.value = row.name;
      hidden.value = row.id;
      list.hidden = true;
      if (fromList) input.focus();  // the focused option is hidden now: back to the field
    }

    async function suggest() {
      // Lists the researchers matching what is typed; returns them (null if overtaken).
      const query = input.value.trim();
      const ticket = ++latest;
      if (!query) { list.hidden = true; return []; }
      let rows = [];
      try {
        const response = await fetch("/api/search?" +
          new URLSearchParams({q: query, kind: "authors", limit: 8}));
        rows = response.ok ? await response.json() : [];
      } catch (error) {
        rows = [];  // offline or the server is gone: no suggestions
      }
      if (ticket !== latest) return null;
      const names = rows.map((row) => row.name);
      list.replaceChildren(...rows.map((row) => {
        const li = document.createElement("li");
        const b = document.createElement("button");
        b.type = "button";
        b.className = "picker-option";
        const twin = names.indexOf(row.name) !== names.lastIndexOf(row.name);
        const name = document.createElement("bdi");  // its own direction: see explorer.css
        name.textContent = row.name;
        b.append(name, " · " + row.works + (row.works === 1 ? " work" : " works") +
          (twin ? " · " + row.id : ""));  // two people of one name: their ids tell them apart
        b.addEventListener("click", () => choose(row));
        b.addEventListener("keydown", (event) => moveIn(event, li));
        li.appendChild(b);
        return li;
      }));
      list.hidden = rows.length === 0;
      return rows;
    }

    input.addEventListener("input", () => {
      hidden.value = "";  // a new name: the old choice no longer holds
      input.setCustomValidity("");
      clearTimeout(timer);
      timer = setTimeout(suggest, 120);
    });
    function moveIn(event, li) {
      let next = null;
      if (event.key === "ArrowDown") next = li.nextElementSibling;
      else if (event.key === "ArrowUp") next = li.previousElementSibling;
      else if (event.key === "Escape") { list.hidden = true; input.focus(); }
      else return;
      event.preventDefault();
      if (next) next.querySelector("button").focus();
      else if (event.key === "ArrowUp") input.focus();
    }

    input.addEventListener("keydown", (event) => {
      if (event.key === "Escape") list.hidden = true;
      if (event.key === "ArrowDown" && !list.hidden && list.firstElementChild) {
        event.preventDefault();
        list.firstElementChild.querySelector("button").focus();
      }
    });
    document.addEventListener("click", (event) => {  // a click elsewhere closes the list
      if (!box.contains(event.target)) list.hidden = true;
    });
    input.form.addEventListener("submit", async (event) => {
      if (hidden.value) return;
      event.preventDefault();  // a typed name: take its best match, once it is known
      if (!input.value.trim()) {
        input.setCustomValidity("Type a researcher's name");
        input.reportValidity();
        return;
      }
      clearTimeout(timer);
      const rows = await suggest();
      if (rows && rows.length) {
        choose(rows[0]);
        input.form.requestSubmit();
      } else if (rows) {
        input.setCustomValidity("No researcher matches this name");
        input.reportValidity();
      }
    });
  }
})();
