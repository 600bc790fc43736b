/* The device store of the field app: one IndexedDB database holding the signed-in user's cached lists, the
   drafts of the field forms (saved as they are typed) and the outbox of submissions waiting for a network.
   It belongs to one account (a different user on the same phone finds it wiped), expires (older than
   the server's PILAR_FIELD_CACHE_DAYS since the last online sign-in check: wiped), and is deleted at
   sign-out (here, and by the server's Clear-Site-Data header). */
(function () {
  "use strict";
  var NAME = "pilar-field";
  var STORES = ["lists", "meta", "drafts", "outbox"];

  // Set at sign-out: from then on nothing may open (and so re-create) the store that is being deleted, such as
  // the field home's fetch-ahead still writing its lists while the sign-out waits for the deletion.
  var sealed = false;

  function open() {
    if (sealed) return Promise.reject(new Error("pilar-field: signed out"));
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(NAME, 2);
      req.onupgradeneeded = function () {
        STORES.forEach(function (s) { if (!req.result.objectStoreNames.contains(s)) req.result.createObjectStore(s); });
      };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function tx(store, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var t = db.transaction(store, mode);
        var result = work(t.objectStore(store));
        t.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : result); };
        t.onerror = function () { db.close(); reject(t.error); };
      });
    });
  }

  var Store = {
    get: function (store, key) { return tx(store, "readonly", function (s) { return s.get(key); }); },
    put: function (store, key, value) { return tx(store, "readwrite", function (s) { s.put(value, key); }); },
    del: function (store, key) { return tx(store, "readwrite", function (s) { s.delete(key); }); },
    all: function (store) { return tx(store, "readonly", function (s) { return s.getAll(); }); },
    seal: function () { sealed = true; },
    wipe: function () {
      return new Promise(function (resolve) {
        var req = indexedDB.deleteDatabase(NAME);
        req.onsuccess = req.onerror = req.onblocked = function () { resolve(); };
      });
    },
    /* Make the store the user's own and fresh; resolves to true when it had to be wiped. */
    claim: function (userId, maxDays) {
      return Store.get("meta", "owner").then(function (owner) {
        var stale = owner && (Date.now() - owner.checked) > maxDays * 86400000;
        if (owner && (owner.user !== userId || stale)) return Store.wipe().then(function () { return true; });
        return false;
      });
    },
    touch: function (userId) { return Store.put("meta", "owner", {user: userId, checked: Date.now()}); }
  };
  window.PilarStore = Store;
})();
