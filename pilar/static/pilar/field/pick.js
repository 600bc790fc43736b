/* The person of an offline PPKS proposal (/lapangan/usul/), chosen from the device's list of the user's area:
   the "persons" list the field home keeps (home.js, from /api/v1/persons/ as the API masks it for the role: a
   name, a kelurahan, no NIK). Choosing fills the hidden person input (kept in the draft like any field) and
   points the form at the proposal step for that person, which checks both again when the outbox sends it. */
(function () {
  "use strict";
  var box = document.querySelector("[data-person-pick]");
  var form = document.querySelector("form[data-field-form]");
  if (!box || !form || !window.PilarStore) return;
  var Store = window.PilarStore;
  var input = form.querySelector("input[data-person]");
  var search = box.querySelector("[data-pick-q]");
  var list = box.querySelector("[data-pick-list]");
  var state = box.querySelector("[data-pick-state]");
  var chosen = box.querySelector("[data-pick-chosen]");
  var SHOWN = 20;
  var people = [];

  function norm(text) {
    return (text || "").toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/\s+/g, " ").trim();
  }

  function show(person) {
    chosen.setAttribute("data-state", person ? "chosen" : "empty");
    chosen.textContent = person ? "Dipilih: " + person.title + " (" + person.sub + ")" : "Belum ada orang yang dipilih.";
  }

  /* The form goes to the proposal step of the chosen person; without one, to this page, which refuses it. */
  function point() {
    var id = input.value;
    form.action = id ? form.getAttribute("data-propose-url") + "?person=" + encodeURIComponent(id) : form.getAttribute("data-self");
    show(people.filter(function (p) { return String(p.id) === id; })[0] || (id ? {title: "#" + id, sub: "dari draf"} : null));
  }

  function choose(person) {
    input.value = String(person.id);
    point();
    input.dispatchEvent(new Event("change", {bubbles: true}));  // forms.js keeps it in the draft
    list.textContent = "";
    search.value = "";
  }

  function find() {
    var q = norm(search.value);
    list.textContent = "";
    if (q.length < 2) return;
    var found = people.filter(function (p) { return norm(p.title).indexOf(q) !== -1; });
    found.slice(0, SHOWN).forEach(function (person) {
      var li = document.createElement("li");
      var pick = document.createElement("button");
      pick.type = "button";
      pick.className = "link-button";
      pick.setAttribute("data-pick", String(person.id));
      pick.textContent = person.title;
      pick.addEventListener("click", function () { choose(person); });
      li.appendChild(pick);
      var sub = document.createElement("span");
      sub.className = "sub";
      sub.textContent = " " + person.sub;
      li.appendChild(sub);
      list.appendChild(li);
    });
    state.textContent = found.length ? (found.length > SHOWN ? "Ditampilkan " + SHOWN + " dari " + found.length + "; ketik lebih lengkap." : "") : "Tidak ada nama yang cocok di daftar perangkat.";
  }

  box.querySelector("[data-pick-field]").hidden = false;
  search.addEventListener("input", find);
  form.addEventListener("pilar:restored", point);  // a draft brings its person back
  form.addEventListener("reset", function () { setTimeout(point, 0); });
  Store.get("lists", "persons").then(function (saved) {
    people = (saved && saved.items) || [];
    var at = saved ? new Date(saved.saved).toLocaleString("id-ID", {dateStyle: "medium", timeStyle: "short"}) : "";
    state.textContent = people.length ? people.length + " orang di daftar perangkat (diperbarui " + at + ")."
      : "Daftar orang belum tersimpan di perangkat: buka halaman Lapangan sekali dengan jaringan.";
    point();
  });
})();
