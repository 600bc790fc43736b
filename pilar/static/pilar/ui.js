/* Pilar's page behaviour that every page shares; the pages work without it.
   - On a phone, filter panels start folded unless a filter is in use (the server marks data-active).
   - The account menu folds again when the user taps elsewhere.
   - Confirmation steps (layout/_confirm.html): opening one focuses its button, Escape folds it, and Enter
     in a field of its form opens the question instead of sending the form unasked. */
(function () {
  "use strict";
  var phone = window.matchMedia("(max-width: 47.99em)");

  function foldFilters(root) {
    if (!phone.matches) return;
    root.querySelectorAll("details[data-fold-on-phone]:not([data-active])").forEach(function (panel) {
      panel.removeAttribute("open");
    });
  }

  document.addEventListener("click", function (event) {
    document.querySelectorAll("details.account-menu[open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
  });

  document.addEventListener("toggle", function (event) {
    var step = event.target;
    if (step.matches && step.matches("details[data-confirm]") && step.open) {
      var yes = step.querySelector("button[type=submit]");
      if (yes) yes.focus();
    }
  }, true);

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var step = event.target.closest && event.target.closest("details[data-confirm][open]");
    if (step) {
      step.removeAttribute("open");
      step.querySelector("summary").focus();
    }
  });

  document.addEventListener("submit", function (event) {
    var step = event.target.querySelector("details[data-confirm]");
    if (step && !step.open) {
      event.preventDefault();
      step.setAttribute("open", "");
    }
  }, true);

  // Field workers (PSM, TKSK) get the service worker that opens the field home without a network.
  if (document.documentElement.hasAttribute("data-field-app") && "serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", {scope: "/"}).catch(function () { /* plain pages still work */ });
  }

  // How many forms wait in the field app's outbox (field/outbox.js), without creating the device store.
  function unsent() {
    return new Promise(function (resolve) {
      if (!window.indexedDB) return resolve(0);
      var req = indexedDB.open("pilar-field");
      req.onupgradeneeded = function () { req.transaction.abort(); };
      req.onerror = function () { resolve(0); };
      req.onsuccess = function () {
        var db = req.result;
        if (!db.objectStoreNames.contains("outbox")) { db.close(); resolve(0); return; }
        var all = db.transaction("outbox").objectStore("outbox").getAll();
        all.onsuccess = function () {
          db.close();
          resolve(all.result.filter(function (item) { return item.state !== "terkirim"; }).length);
        };
        all.onerror = function () { db.close(); resolve(0); };
      };
    });
  }

  // Signing out forgets the device store and the kept pages (the server also sends Clear-Site-Data); with
  // forms still unsent in the outbox it asks first (layout/_confirm.html), since they would be lost.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-sign-out]") || form.hasAttribute("data-wiped")) return;
    event.preventDefault();
    var asked = event.submitter && event.submitter.name === "confirmed";
    var question = document.getElementById("sign-out-unsent");
    (asked || !question ? Promise.resolve(0) : unsent()).then(function (count) {
      if (!count) return wipe(form);
      var box = question.content.firstElementChild.cloneNode(true);
      box.querySelector("[data-count]").textContent = String(count);
      var old = form.querySelector(".unsent");
      if (old) old.remove();
      form.appendChild(box);
      box.querySelector("details[data-confirm]").setAttribute("open", "");
    });
  });

  function wipe(form) {
    var done = function () { form.setAttribute("data-wiped", ""); form.submit(); };
    var wipes = [];
    if (window.PilarStore) window.PilarStore.seal();
    if (window.indexedDB) {
      wipes.push(new Promise(function (resolve) {
        var req = indexedDB.deleteDatabase("pilar-field");
        // Blocked while a connection is still open (a draft or outbox transaction in flight): wait for the
        // deletion itself, a few seconds at most, so that the store is gone before the sign-in page opens.
        var timer = 0;
        req.onsuccess = req.onerror = function () { clearTimeout(timer); resolve(); };
        req.onblocked = function () { timer = setTimeout(resolve, 5000); };
      }));
    }
    if (window.caches) wipes.push(caches.keys().then(function (keys) { return Promise.all(keys.map(function (k) { return caches.delete(k); })); }));
    Promise.all(wipes).then(done, done);
  }

  // The messages of a form the field app sent in the background (field/forms.js), shown once on the next page.
  try {
    var flash = JSON.parse(sessionStorage.getItem("pilar-flash") || "null");
    sessionStorage.removeItem("pilar-flash");
    var main = document.getElementById("main");
    if (flash && flash.length && main) {
      var box = document.createElement("div");
      box.className = "messages";
      box.setAttribute("role", "status");
      flash.forEach(function (m) {
        var p = document.createElement("p");
        p.className = "message " + m.tags;
        p.textContent = m.text;
        box.appendChild(p);
      });
      main.insertBefore(box, main.firstChild);
    }
  } catch (e) { /* no session storage: no message, the page itself says the rest */ }

  foldFilters(document);
  document.documentElement.setAttribute("data-ui", "ready");
})();
