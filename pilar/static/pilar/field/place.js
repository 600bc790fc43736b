/* "Lokasi saya": fills the form's latitude and longitude from the phone's GPS, says how accurate it is, and
   shows the point on a small map of the chosen kelurahan (its outline from /lapangan/peta/<kode>.json, drawn
   with the dashboard map's projection), warning when the point falls outside that kelurahan. */
(function () {
  "use strict";
  var box = document.querySelector("[data-place]");
  if (!box) return;
  var form = box.closest("form");
  var lat = form.querySelector("[name=latitude]");
  var lng = form.querySelector("[name=longitude]");
  var village = form.querySelector("[name=kelurahan]");
  var state = box.querySelector("[data-place-state]");
  var figure = box.querySelector("[data-mini-map]");
  var svg = figure.querySelector("svg");
  var maps = {};
  box.hidden = false;

  function inside(x, y, rings) {
    var hit = false;
    rings.forEach(function (ring) {
      for (var i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        var xi = ring[i][0], yi = ring[i][1], xj = ring[j][0], yj = ring[j][1];
        if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) hit = !hit;
      }
    });
    return hit;
  }

  function outline(code) {
    if (!maps[code]) {
      maps[code] = fetch("/lapangan/peta/" + encodeURIComponent(code) + ".json", {credentials: "same-origin"})
        .then(function (r) { if (!r.ok) throw new Error("no map"); return r.json(); })
        .catch(function (error) { delete maps[code]; throw error; });
    }
    return maps[code];
  }

  function draw() {
    var code = village && village.value;
    var x = parseFloat(lng.value), y = parseFloat(lat.value);
    if (!code || (figure.hidden && isNaN(x))) return;
    outline(code).then(function (map) {
      svg.setAttribute("viewBox", "0 0 " + map.width + " " + map.height);
      svg.querySelector(".outline").setAttribute("d", map.d);
      var point = svg.querySelector(".point");
      var name = figure.querySelector("[data-map-name]");
      name.textContent = map.name;
      figure.hidden = false;
      if (isNaN(x) || isNaN(y)) { point.setAttribute("cx", "-10"); return; }
      var f = map.frame;
      point.setAttribute("cx", ((x - f.min_x) * f.shrink * f.scale).toFixed(1));
      point.setAttribute("cy", ((f.max_y - y) * f.scale).toFixed(1));
      var out = !inside(x, y, map.rings);
      figure.setAttribute("data-outside", out ? "true" : "false");
      if (out) name.textContent = map.name + " — titik berada di luar kelurahan ini; periksa lokasi atau kelurahannya.";
    }).catch(function () { figure.hidden = true; });
  }

  box.querySelector("[data-locate]").addEventListener("click", function () {
    if (!navigator.geolocation) { state.textContent = "Perangkat ini tidak memberi lokasi."; return; }
    state.textContent = "Mencari lokasi…";
    navigator.geolocation.getCurrentPosition(function (pos) {
      lat.value = pos.coords.latitude.toFixed(6);
      lng.value = pos.coords.longitude.toFixed(6);
      state.textContent = "Lokasi terisi, akurasi ± " + Math.round(pos.coords.accuracy) + " m.";
      lat.dispatchEvent(new Event("input", {bubbles: true}));  // the draft keeps it
      draw();
    }, function (error) {
      state.textContent = error.code === 1 ? "Izin lokasi ditolak: izinkan lokasi untuk Pilar di pengaturan peramban." : "Lokasi belum didapat; coba lagi di tempat terbuka.";
    }, {enableHighAccuracy: true, timeout: 20000, maximumAge: 0});
  });
  [lat, lng, village].forEach(function (el) { if (el) el.addEventListener("change", draw); });
  if (lat.value && lng.value) draw();  // otherwise the outline is fetched once the user asks for a place
})();
