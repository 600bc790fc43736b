/* The field home: the user's lists from the device store at once, then fresh from the API (with the
   session) when there is a network. Each list's state is written to data-state (cached, fresh, empty,
   offline) so that people and tests can see where what they read comes from. */
(function () {
  "use strict";
  var root = document.getElementById("field-home");
  if (!root || !window.PilarStore) return;
  var Store = window.PilarStore;
  var user = Number(root.getAttribute("data-user"));
  var days = Number(root.getAttribute("data-cache-days"));

  // Only what the lists show is kept on the device: no NIK, no address, names as the API masks them. ``acts`` are
  // the field forms of an item this user may fill (pilar/field/form_views.py); their pages are kept for offline use.
  var may = function (name) { return root.hasAttribute("data-" + name); };
  var SLIM = {
    ppks: function (r) {
      var acts = r.status === "diusulkan" && may("verify") ? [{href: "/lapangan/verifikasi/" + r.id + "/", label: "Verifikasi lapangan"}] : [];
      return {id: r.id, title: r.name || r.category_name, sub: r.category_name + " · " + r.kelurahan, badge: r.status, href: "/registri/" + r.id + "/", acts: acts};
    },
    cases: function (r) {
      if (r.stage === "ditutup") return null;
      var acts = may("cases") ? [{href: "/lapangan/kasus/" + r.id + "/kunjungan/", label: "Kunjungan rumah"},
                                 {href: "/lapangan/kasus/" + r.id + "/catatan/", label: "Catatan"}] : [];
      return {id: r.id, title: r.reference + " — " + r.subject, sub: r.kelurahan, badge: r.stage, href: "/kasus/" + r.id + "/", acts: acts};
    },
    trainings: function (r) {
      var acts = may("checkin") ? [{href: "/lapangan/presensi/", label: "Presensi"}] : [];
      return {id: r.id, title: r.title, sub: r.start_date + " · " + r.venue, badge: "", href: "/pelatihan/" + r.id + "/", acts: acts};
    },
    persons: function (r) { return {id: r.id, title: r.name, sub: (r.age != null ? r.age + " th · " : "") + (r.village || "")}; },
    payslips: function (r) { return {id: r.id, title: r.description, sub: r.paid_month, badge: "Rp " + Number(r.amount).toLocaleString("id-ID"), href: "/insentif/slip/" + r.id + "/"}; }
  };
  var KEEP_FORMS = 30;  // form pages fetched ahead per list, so that they open offline (the service worker keeps them)
  var KEEP_FOR_MS = 86400000;  // and fetched again after a day, so that what they show is not older than that

  function render(section, items, state) {
    var list = section.querySelector("ul");
    list.textContent = "";
    (items || []).forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      if (item.href) a.href = item.href;
      a.textContent = item.title;
      li.appendChild(a);
      var sub = document.createElement("span");
      sub.className = "sub";
      sub.textContent = item.sub + (item.badge ? " · " + item.badge : "");
      li.appendChild(sub);
      (item.acts || []).forEach(function (act) {
        var go = document.createElement("a");
        go.href = act.href;
        go.className = "button small secondary";
        go.setAttribute("data-act", "");
        go.textContent = act.label;
        li.appendChild(document.createTextNode(" "));
        li.appendChild(go);
      });
      list.appendChild(li);
    });
    section.setAttribute("data-state", items && items.length ? state : (state === "offline" ? "offline" : "empty"));
    section.querySelector("[data-count]").textContent = items ? String(items.length) : "0";
  }

  /* Open each item's form pages in the background, so that the service worker has them for offline use. A page
     kept less than a day ago is not fetched again: each fetch sends (and logs) the record's data once more. */
  function keptRecently(url) {
    if (!window.caches) return Promise.resolve(false);
    return caches.match(url).then(function (hit) {
      var at = hit && Date.parse(hit.headers.get("Date") || "");
      return Boolean(at) && Date.now() - at < KEEP_FOR_MS;
    }, function () { return false; });
  }

  function keepForms(items) {
    var urls = [];
    items.forEach(function (item) {
      (item.acts || []).forEach(function (act) { if (urls.indexOf(act.href) === -1) urls.push(act.href); });
    });
    return urls.slice(0, KEEP_FORMS).reduce(function (chain, url) {
      return chain.then(function () {
        return keptRecently(url).then(function (fresh) {
          return fresh ? null : fetch(url, {credentials: "same-origin"}).then(function () { return null; }, function () { return null; });
        });
      });
    }, Promise.resolve());
  }

  function refresh(section) {
    var kind = section.getAttribute("data-list");
    return fetch(section.getAttribute("data-url"), {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) {
        if (response.status === 401 || response.status === 403) throw new Error("signed-out");
        return response.json();
      })
      .then(function (body) {
        var items = (body.results || body).map(SLIM[kind]).filter(Boolean);
        return Store.put("lists", kind, {items: items, saved: Date.now()}).then(function () {
          render(section, items, "fresh");
          keepForms(items);  // in the background: the lists are ready without waiting for it
        });
      });
  }

  function showNet() {
    var net = document.getElementById("net-state");
    if (net) net.setAttribute("data-state", navigator.onLine ? "online" : "offline");
  }
  window.addEventListener("online", showNet);
  window.addEventListener("offline", showNet);
  showNet();

  var Outbox = window.PilarOutbox;
  var LABELS = {menunggu: "Menunggu", mengirim: "Mengirim", terkirim: "Terkirim", ditolak: "Ditolak", konflik: "Berubah di server"};

  function el(tag, text, className) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (className) node.className = className;
    return node;
  }

  function link(href, text) {
    var a = el("a", text);
    a.href = href;
    return a;
  }

  function fill(section, nodes) {
    var list = section.querySelector("ul");
    list.textContent = "";
    nodes.forEach(function (node) { list.appendChild(node); });
    section.querySelector("[data-count]").textContent = String(nodes.length);
    section.setAttribute("data-state", nodes.length ? "ready" : "empty");
  }

  /* One outbox item: its state, the server's message when refused, and what the user can do with it. */
  function outboxRow(item) {
    var li = el("li");
    li.setAttribute("data-item", item.id);
    li.setAttribute("data-state", item.state);
    li.appendChild(el("strong", item.title));
    li.appendChild(document.createTextNode(" "));
    li.appendChild(el("span", LABELS[item.state] || item.state, "badge " + item.state));
    if (item.state === "mengirim") li.appendChild(el("progress"));
    var note = item.state === "ditolak" ? "Pesan dari Pilar: " + item.message : item.note;
    if (note) li.appendChild(el("p", note, "sub"));
    if (item.state === "konflik") {
      li.appendChild(el("p", "Catatan ini berubah di server sejak formulir dibuka. Bandingkan, lalu pilih.", "sub"));
      li.appendChild(Outbox.conflictView(item, showStore));
      return li;
    }
    if (item.record) li.appendChild(link(item.landed || item.record, "Lihat di Pilar"));
    if (item.state === "ditolak" && !item.done && item.page) {
      var reopen = el("button", "Buka isian untuk diperbaiki", "small secondary");
      reopen.type = "button";
      reopen.addEventListener("click", function () {
        Store.put("drafts", item.page, {key: item.page, title: item.title, fields: item.draft, saved: Date.now()})
          .then(function () { return Outbox.remove(item.id); })
          .then(function () { location.assign(item.page); });
      });
      li.appendChild(reopen);
    }
    if (item.state !== "terkirim" && item.state !== "mengirim") {
      var discard = Outbox.discardButton(function () { Outbox.remove(item.id).then(showStore); });
      if (discard) li.appendChild(discard);
    }
    return li;
  }

  function draftRow(draft) {
    var li = el("li");
    li.appendChild(link(draft.key, draft.title));
    var saved = new Date(draft.saved).toLocaleString("id-ID", {dateStyle: "medium", timeStyle: "short"});
    li.appendChild(el("span", " disimpan " + saved, "sub"));
    var discard = Outbox.discardButton(function () { Store.del("drafts", draft.key).then(showStore); });
    if (discard) li.appendChild(discard);
    return li;
  }

  function showStore() {
    var outbox = document.getElementById("outbox");
    var drafts = document.getElementById("drafts");
    if (!Outbox || !outbox) return Promise.resolve();
    return Promise.all([Outbox.items(), Store.all("drafts")]).then(function (found) {
      fill(outbox, found[0].map(outboxRow));
      fill(drafts, (found[1] || []).map(draftRow));
    });
  }

  if (Outbox) {
    Outbox.onchange(function (item, step) {
      var bar = document.querySelector('#outbox li[data-item="' + item.id + '"] progress');
      if (step && bar) bar.value = (step.step + step.part) / step.of;
      else if (!step) showStore();
    });
    var now = root.querySelector("[data-send-now]");
    if (now) now.addEventListener("click", function () { Outbox.sendAll().then(showStore); });
  }

  var sections = Array.prototype.slice.call(root.querySelectorAll("section[data-list]"));
  Store.claim(user, days).then(function () {
    return showStore();
  }).then(function () {

    return Promise.all(sections.map(function (section) {
      return Store.get("lists", section.getAttribute("data-list")).then(function (saved) {
        render(section, saved && saved.items, saved ? "cached" : "offline");
      });
    }));
  }).then(function () {
    if (!navigator.onLine) return null;
    // One list after the other: a slow mobile link carries one answer at a time anyway.
    var fresh = 0;
    return sections.reduce(function (chain, section) {
      return chain.then(function () {
        return refresh(section).then(function () { fresh += 1; }, function (error) {
          if (error && error.message === "signed-out") throw error;
          // no network now: this list stays as the device had it
        });
      });
    }, Promise.resolve()).then(function () {
      // The home's own form links (complaint intake, check-in): kept for offline use like the lists' forms.
      keepForms([{acts: Array.prototype.map.call(root.querySelectorAll("a[data-keep]"), function (a) { return {href: a.getAttribute("href")}; })}]);
      return fresh ? Store.touch(user) : null;
    });
  }).catch(function (error) {
    if (error && error.message === "signed-out") return Store.wipe();
    return null;
  }).then(function () {
    root.setAttribute("data-state", "ready");
  });
})();
