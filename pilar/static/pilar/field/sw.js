/* Pilar's service worker (served at /sw.js by pilar.field.views, which fills in the version and the hashed
   names of the field home's files). Pages go to the network first; when it is unreachable, a page request
   gets the field home kept from the last visit, so the user lands on their cached lists and outbox instead
   of the browser's offline page. Static files, named by their content hash, come from the cache first. */
"use strict";
var VERSION = "pilar-__VERSION__";
var ASSETS = __ASSETS__;
var HOME = "/lapangan/";
// The field forms, kept as last opened so that they open without a network too (their drafts live in IndexedDB),
// and the kelurahan outlines of their mini map.
var KEPT = [/^\/kegiatan\/baru\/$/, /^\/lapangan\/peta\//,
            /^\/lapangan\/(verifikasi\/\d+|kasus\/\d+\/(kunjungan|catatan)|presensi|pengaduan|usul)\/$/];

function kept(url) {
  if (url.pathname === "/registri/usul/") return url.search === "?person=" + url.searchParams.get("person");
  return url.pathname === HOME || KEPT.some(function (pattern) { return pattern.test(url.pathname); });
}

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(VERSION).then(function (cache) { return cache.addAll(ASSETS); }));
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) { return key !== VERSION; }).map(function (key) {
      return caches.delete(key);
    }));
  }).then(function () { return self.clients.claim(); }));
});

function keep(key, response) {
  if (response.ok && !response.redirected) {
    var copy = response.clone();
    caches.open(VERSION).then(function (cache) { cache.put(key, copy); });
  }
  return response;
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
    return;
  }
  if (request.mode === "navigate" || kept(url)) {
    var key = url.pathname + url.search;
    event.respondWith(fetch(request).then(function (response) {
      return kept(url) ? keep(key, response) : response;
    }).catch(function () {
      return caches.match(key).then(function (hit) {
        return hit || (request.mode === "navigate" ? caches.match(HOME) : null);
      }).then(function (hit) {
        return hit || new Response("Pilar: tidak ada jaringan.", {status: 503, headers: {"Content-Type": "text/plain; charset=utf-8"}});
      });
    }));
  }
});

self.addEventListener("sync", function (event) {
  if (event.tag === "pilar-outbox") {
    event.waitUntil(self.clients.matchAll().then(function (clients) {
      clients.forEach(function (client) { client.postMessage({type: "pilar-send-outbox"}); });
    }));
  }
});
