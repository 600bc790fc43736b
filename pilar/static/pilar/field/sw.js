/* Pilar's service worker (served at /sw.js by pilar.field.views, which fills in the version and the hashed
   names of the field home's files). Pages go to the network first; when it is unreachable, a page request
   gets the field home kept from the last visit, so the user lands on their cached lists and outbox instead
   of the browser's offline page. Static files, named by their content hash, come from the cache first. */
"use strict";
var VERSION = "pilar-__VERSION__";
var ASSETS = __ASSETS__;
var HOME = "/lapangan/";

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

function keepHome(response) {
  if (response.ok && !response.redirected) {
    var copy = response.clone();
    caches.open(VERSION).then(function (cache) { cache.put(HOME, copy); });
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
  if (request.mode === "navigate") {
    var home = url.pathname === HOME;
    event.respondWith(fetch(request).then(function (response) {
      return home ? keepHome(response) : response;
    }).catch(function () {
      return caches.match(HOME).then(function (hit) {
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
