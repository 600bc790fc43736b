/* The outbox of the field forms: every submission is first written to the device store, then sent. Sending
   happens now when there is a network, else automatically when it returns (Background Sync where the browser
   has it, the `online` event, the next opening of Pilar) or by "Kirim sekarang". Each item carries its own
   Idempotency-Key (pilar/core/idempotency.py): sent twice after a dropped answer, it still makes one record.
   An item's state is menunggu (waiting), mengirim (sending), terkirim (sent), ditolak (refused, with the
   server's own message) or konflik (the record changed on the server meanwhile: both sides are kept, and the
   user sends theirs again over the server's version or discards it); a refused item keeps what was typed
   until the user opens it again or discards it.
   An item is a list of steps (the proposal, then its photo to "{record}bukti/"); a step done is not redone. */
(function () {
  "use strict";
  var Store = window.PilarStore;
  if (!Store) return;
  var WAITING = {menunggu: true, mengirim: true};
  var KEEP_SENT_MS = 86400000;  // a sent item stays listed one day, then the device forgets it
  var listeners = [];
  var running = null;

  function uid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  }

  function csrf() {
    var match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function changed(item, progress) {
    listeners.forEach(function (fn) { fn(item, progress); });
  }

  function save(item) {
    return Store.put("outbox", item.id, item).then(function () { changed(item); return item; });
  }

  /* The server's words from a refused answer: the form's field errors with their labels, else its messages. */
  function messageOf(html) {
    var doc = new DOMParser().parseFromString(html || "", "text/html");
    var parts = [];
    doc.querySelectorAll("main .errorlist").forEach(function (list) {
      var field = list.closest(".field");
      var label = field && field.querySelector("label");
      var name = label ? label.textContent.replace(/[:*]\s*$/, "").trim() : "";
      parts.push((name ? name + ": " : "") + list.textContent.trim());
    });
    if (!parts.length) {
      doc.querySelectorAll("main .message.error, main h1, main .lead, main p.error").forEach(function (el) {
        parts.push(el.textContent.trim());
      });
    }
    if (!parts.length && doc.body) parts.push(doc.body.textContent.trim().slice(0, 300));
    return parts.filter(Boolean).join(" ");
  }

  /* A 409 of a field form (pilar/field/form_views.py): the rows of both sides and the token of the server's version. */
  function conflictOf(html) {
    var doc = new DOMParser().parseFromString(html || "", "text/html");
    var table = doc.querySelector("main table[data-conflict]");
    if (!table) return null;
    return {
      seen: table.getAttribute("data-seen"),
      rows: Array.prototype.map.call(table.querySelectorAll("tbody tr"), function (tr) {
        return {label: tr.querySelector("th").textContent.trim(), mine: tr.querySelector("[data-mine]").textContent.trim(),
                server: tr.querySelector("[data-server]").textContent.trim(), differs: tr.classList.contains("differs")};
      })
    };
  }

  function successOf(html) {
    var doc = new DOMParser().parseFromString(html || "", "text/html");
    return Array.prototype.map.call(doc.querySelectorAll("main .messages .message"), function (el) {
      return {tags: el.className.replace("message", "").trim(), text: el.textContent.trim()};
    });
  }

  /* One step over XMLHttpRequest (for its upload progress); resolves to what happened, never rejects. */
  function post(item, index) {
    var step = item.steps[index];
    var body = new FormData();
    step.fields.forEach(function (f) { body.append(f[0], f[1]); });
    step.files.forEach(function (f) { body.append(f[0], f[1], f[2]); });
    var url = step.url.replace("{record}", item.record || "");
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", url);
      xhr.setRequestHeader("Idempotency-Key", item.key + "." + index);
      xhr.setRequestHeader("X-CSRFToken", csrf());
      xhr.timeout = 180000;
      xhr.upload.onprogress = function (event) {
        if (event.lengthComputable) changed(item, {step: index, of: item.steps.length, part: event.loaded / event.total});
      };
      xhr.onload = function () {
        var asked = new URL(url, location.href);
        var landed = new URL(xhr.responseURL || url, location.href);
        var html = /html/.test(xhr.getResponseHeader("Content-Type") || "") ? xhr.responseText : "";
        if (landed.pathname.indexOf("/akun/masuk") === 0) {
          resolve({outcome: "signin"});
        } else if (xhr.status >= 500) {
          resolve({outcome: "network"});
        } else if (xhr.status < 400 && landed.pathname + landed.search !== asked.pathname + asked.search) {
          resolve({outcome: "sent", url: landed.pathname, messages: successOf(html)});
        } else if (xhr.status === 409 && conflictOf(html)) {
          resolve({outcome: "conflict", conflict: conflictOf(html)});
        } else {
          resolve({outcome: "refused", message: html ? messageOf(html) : xhr.responseText.slice(0, 300)});
        }
      };
      xhr.onerror = xhr.ontimeout = xhr.onabort = function () { resolve({outcome: "network"}); };
      xhr.send(body);
    });
  }

  function sendItem(item) {
    item.state = "mengirim";
    item.note = "";
    return save(item).then(function step() {
      if (item.done >= item.steps.length) {
        item.state = "terkirim";
        item.sent = Date.now();
        return save(item);
      }
      return post(item, item.done).then(function (answer) {
        if (answer.outcome === "sent") {
          if (item.done === 0) item.record = answer.url;
          item.landed = answer.url;
          item.messages = (item.messages || []).concat(answer.messages);
          item.done += 1;
          return save(item).then(step);
        }
        if (answer.outcome === "conflict") {
          item.state = "konflik";
          item.conflict = answer.conflict;
          return save(item);
        }
        if (answer.outcome === "refused") {
          item.state = "ditolak";
          item.message = answer.message;
          return save(item);
        }
        item.state = "menunggu";
        item.note = answer.outcome === "signin" ? "Masuk lagi ke Pilar untuk mengirim." : "Belum terkirim: tidak ada jaringan. Dicoba lagi otomatis.";
        return save(item).then(function () { throw new Error("offline"); });
      });
    });
  }

  var Outbox = {
    uid: uid,
    /* The shared confirmation (layout/_confirm.html, kept in <template id="field-discard">) around a discard. */
    discardButton: function (onDiscard) {
      var template = document.getElementById("field-discard");
      if (!template) return null;
      var form = template.content.firstElementChild.cloneNode(true);
      form.addEventListener("submit", function (event) {
        if (event.defaultPrevented) return;  // the question was only unfolded (ui.js)
        event.preventDefault();
        onDiscard();
      });
      return form;
    },
    onchange: function (fn) { listeners.push(fn); },
    /* Keep the device's input after a conflict: send it again, this time over the server's current version. */
    keepMine: function (id) {
      return Outbox.get(id).then(function (item) {
        if (!item || !item.conflict) return null;
        var swap = function (f) { return f[0] === "seen" ? ["seen", item.conflict.seen] : f; };
        item.steps[0].fields = item.steps[0].fields.map(swap);
        item.draft = (item.draft || []).map(swap);
        item.state = "menunggu";
        item.conflict = null;
        return save(item).then(function () { return Outbox.sendAll(); });
      });
    },
    /* Both sides of a conflict, row by row, with the choice: send mine again, or discard mine (shared question). */
    conflictView: function (item, after) {
      var box = document.createElement("div");
      box.className = "conflict";
      box.setAttribute("data-conflict-view", item.id);
      var table = document.createElement("table");
      var head = table.createTHead().insertRow();
      ["Isian", "Di perangkat ini", "Di server sekarang"].forEach(function (text) {
        var th = document.createElement("th");
        th.scope = "col";
        th.textContent = text;
        head.appendChild(th);
      });
      var body = table.createTBody();
      (item.conflict ? item.conflict.rows : []).forEach(function (row) {
        var tr = body.insertRow();
        if (row.differs) tr.className = "differs";
        var th = document.createElement("th");
        th.scope = "row";
        th.textContent = row.label;
        tr.appendChild(th);
        tr.insertCell().textContent = row.mine;
        tr.insertCell().textContent = row.server;
      });
      var wrap = document.createElement("div");
      wrap.className = "table-wrap";
      wrap.appendChild(table);
      box.appendChild(wrap);
      var keep = document.createElement("button");
      keep.type = "button";
      keep.className = "small";
      keep.setAttribute("data-keep-mine", "");
      keep.textContent = "Kirim isian saya";
      keep.addEventListener("click", function () { Outbox.keepMine(item.id).then(function () { after("kept"); }); });
      box.appendChild(keep);
      var discard = Outbox.discardButton(function () { Outbox.remove(item.id).then(function () { after("discarded"); }); });
      if (discard) box.appendChild(discard);
      return box;
    },
    items: function () {
      return Store.all("outbox").then(function (items) {
        return (items || []).sort(function (a, b) { return a.created - b.created; });
      });
    },
    get: function (id) { return Store.get("outbox", id); },
    remove: function (id) { return Store.del("outbox", id).then(function () { changed({id: id, removed: true}); }); },
    /* Keep a new submission; ask the browser to wake the service worker for it when the network returns. */
    queue: function (item) {
      item.id = item.id || uid();
      item.key = item.key || uid();
      item.state = "menunggu";
      item.done = 0;
      item.created = Date.now();
      return save(item).then(function () {
        if (navigator.serviceWorker && navigator.serviceWorker.ready) {
          navigator.serviceWorker.ready.then(function (reg) {
            return reg.sync && reg.sync.register("pilar-outbox");
          }).catch(function () { /* sent on `online` or the next opening instead */ });
        }
        return item;
      });
    },
    /* Send every waiting item, one after the other; a lost network stops the round (tried again later). */
    sendAll: function () {
      if (running) return running.then(function () { return Outbox.sendAll(); });
      var work = function () {
        return Outbox.items().then(function (items) {
          var now = Date.now();
          return items.reduce(function (chain, item) {
            return chain.then(function () {
              if (item.state === "terkirim" && now - item.sent > KEEP_SENT_MS) return Outbox.remove(item.id);
              return WAITING[item.state] ? sendItem(item) : null;
            });
          }, Promise.resolve());
        }).catch(function () { return null; });
      };
      running = (navigator.locks ? navigator.locks.request("pilar-outbox", work) : work()).then(function () {
        running = null;
      }, function () { running = null; });
      return running;
    }
  };
  window.PilarOutbox = Outbox;

  window.addEventListener("online", function () { Outbox.sendAll(); });
  if (navigator.serviceWorker) {
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && event.data.type === "pilar-send-outbox") Outbox.sendAll();
    });
  }
  if (navigator.onLine) Outbox.sendAll();
})();
