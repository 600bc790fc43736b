/* The field forms (form[data-field-form]): what is typed is kept on the device as a draft (form[data-draft]),
   photos are shrunk on the phone before they leave it, and pressing the submit button puts the submission in
   the outbox (outbox.js) and sends it now if it can, with its progress; otherwise it waits there and is sent
   when the network returns. Refusals come back on the form with the server's message; nothing typed is lost.
   Without JavaScript the same forms post as plain forms (with their hidden idempotency_key). */
(function () {
  "use strict";
  var Store = window.PilarStore;
  var Outbox = window.PilarOutbox;
  if (!Store || !Outbox) return;
  var MAX_EDGE = 1600;
  var QUALITY = 0.8;
  var SKIP = {csrfmiddlewaretoken: true, idempotency_key: true};
  var user = Number(document.documentElement.getAttribute("data-user") || 0);

  function size(n) {
    return n >= 1048576 ? (n / 1048576).toFixed(1).replace(".", ",") + " MB" : Math.max(1, Math.round(n / 1024)) + " KB";
  }

  /* A photo redrawn at most MAX_EDGE pixels on its long edge, as JPEG; kept as it was if that is not smaller. */
  function shrink(file) {
    if (!/^image\/(jpeg|png|webp)$/.test(file.type) || !window.createImageBitmap) return Promise.resolve(file);
    return createImageBitmap(file).then(function (bitmap) {
      var scale = Math.min(1, MAX_EDGE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) return resolve(file);
          resolve(new File([blob], file.name.replace(/\.[^.]*$/, "") + ".jpg", {type: "image/jpeg"}));
        }, "image/jpeg", QUALITY);
      });
    }).catch(function () { return file; });
  }

  function collect(form, keep) {
    var fields = [];
    var files = [];
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || el.disabled || SKIP[el.name] || !keep(el)) return;
      if (el.type === "file") {
        Array.prototype.forEach.call(el.files, function (f) { files.push([el.name, f, f.name]); });
      } else if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked) fields.push([el.name, el.value]);
      } else if (el.tagName === "SELECT" && el.multiple) {
        Array.prototype.forEach.call(el.selectedOptions, function (o) { fields.push([el.name, o.value]); });
      } else if (el.type !== "submit" && el.type !== "button") {
        fields.push([el.name, el.value]);
      }
    });
    return {fields: fields, files: files};
  }

  function restore(form, fields) {
    var values = {};
    fields.forEach(function (f) { (values[f[0]] = values[f[0]] || []).push(f[1]); });
    Array.prototype.forEach.call(form.elements, function (el) {
      if (!el.name || SKIP[el.name] || !(el.name in values) || el.type === "file") return;
      if (el.type === "checkbox" || el.type === "radio") el.checked = values[el.name].indexOf(el.value) !== -1;
      else el.value = values[el.name][0];
    });
    form.dispatchEvent(new Event("pilar:restored"));  // page scripts that derive from a field (pick.js) follow it
  }

  function stateBox(form) {
    var box = form.parentNode.querySelector("[data-field-state]");
    if (!box) {
      box = document.createElement("div");
      box.className = "field-state";
      box.setAttribute("role", "status");
      box.setAttribute("data-field-state", "");
      form.parentNode.insertBefore(box, form);
    }
    return box;
  }

  function say(form, state, text, extra) {
    var box = stateBox(form);
    box.setAttribute("data-state", state);
    box.textContent = text;
    if (extra) box.appendChild(extra);
    return box;
  }

  function link(href, text) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = text;
    var span = document.createElement("span");
    span.appendChild(document.createTextNode(" "));
    span.appendChild(a);
    return span;
  }

  function setUp(form) {
    var key = form.hasAttribute("data-draft") ? location.pathname + location.search : "";
    var title = form.getAttribute("data-title") || document.title;
    var pending = Promise.resolve();

    form.querySelectorAll("[data-then][hidden]").forEach(function (box) { box.hidden = false; });

    function discard() {
      return Store.del("drafts", key).then(function () {
        form.reset();
        say(form, "discarded", "Draf dibuang dari perangkat ini.");
      });
    }

    function saveDraft() {
      if (!key) return;
      var draft = {key: key, title: title, fields: collect(form, function () { return true; }).fields, saved: Date.now()};
      Store.put("drafts", key, draft).then(function () {
        say(form, "draft", "Draf tersimpan di perangkat ini.", Outbox.discardButton(discard));
      });
    }

    if (key) {
      Store.get("drafts", key).then(function (draft) {
        if (!draft) return;
        restore(form, draft.fields);
        var at = new Date(draft.saved).toLocaleString("id-ID", {dateStyle: "medium", timeStyle: "short"});
        say(form, "restored", "Draf dipulihkan dari perangkat ini (disimpan " + at + ").", Outbox.discardButton(discard));
      });
      // Every keystroke is written at once: a crash or a dropped page a moment later loses nothing.
      form.addEventListener("input", saveDraft);
      form.addEventListener("change", saveDraft);
    }

    form.querySelectorAll("input[type=file]").forEach(function (input) {
      input.addEventListener("change", function () {
        var files = Array.prototype.slice.call(input.files);
        if (!files.length || !window.DataTransfer) return;
        var before = files.reduce(function (n, f) { return n + f.size; }, 0);
        pending = Promise.all(files.map(shrink)).then(function (small) {
          var list = new DataTransfer();
          small.forEach(function (f) { list.items.add(f); });
          input.files = list.files;
          var after = small.reduce(function (n, f) { return n + f.size; }, 0);
          var note = input.parentNode.querySelector("[data-shrunk]") || document.createElement("p");
          note.className = "helptext";
          note.setAttribute("data-shrunk", String(after));
          note.textContent = after < before ? "Foto dikecilkan di perangkat: " + size(before) + " → " + size(after) + "." : "Foto siap dikirim (" + size(after) + ").";
          input.parentNode.appendChild(note);
        });
      });
    });

    function follow(item) {
      var progress = document.createElement("progress");
      progress.max = 1;
      progress.value = 0;
      Outbox.onchange(function (changed, step) {
        if (changed.id !== item.id) return;
        if (step) {
          progress.value = (step.step + step.part) / step.of;
          return;
        }
        if (changed.state === "mengirim") {
          say(form, "mengirim", "Mengirim…", progress);
        } else if (changed.state === "terkirim") {
          try { sessionStorage.setItem("pilar-flash", JSON.stringify(changed.messages || [])); } catch (e) { /* only the message is lost */ }
          location.assign(changed.landed || changed.record || "/lapangan/");
        } else if (changed.state === "konflik") {
          // Both sides on the form itself: the user sends theirs again over the server's version, or discards it.
          say(form, "konflik", "Catatan ini berubah di server sejak formulir dibuka. Bandingkan, lalu pilih: ",
              Outbox.conflictView(changed, function (how) {
                if (how === "discarded") say(form, "discarded", "Isian dibuang dari perangkat ini.");
              }));
        } else if (changed.state === "ditolak" && changed.done === 0) {
          // Refused at once, while the user is still on the form: fix it here; the typed values stay.
          Outbox.remove(changed.id).then(saveDraft);
          say(form, "ditolak", "Ditolak: " + changed.message);
        } else if (changed.state === "ditolak") {
          say(form, "ditolak", "Ditolak: " + changed.message, link("/lapangan/", "Buka kotak keluar"));
        } else if (changed.state === "menunggu") {
          say(form, "menunggu", changed.note || "Menunggu jaringan.", link("/lapangan/", "Lihat kotak keluar"));
        }
      });
    }

    form.addEventListener("submit", function (event) {
      if (event.defaultPrevented) return;
      event.preventDefault();
      var submitter = event.submitter;
      pending.then(function () {
        var main = collect(form, function (el) { return !el.closest("[data-then]"); });
        if (submitter && submitter.name) main.fields.push([submitter.name, submitter.value]);
        var steps = [{url: form.action, fields: main.fields, files: main.files}];
        form.querySelectorAll("[data-then]").forEach(function (box) {
          var extra = collect(form, function (el) { return el.closest("[data-then]") === box; });
          if (extra.files.length) steps.push({url: "{record}" + box.getAttribute("data-then"), fields: extra.fields, files: extra.files});
        });
        var item = {title: title, page: key, user: user, draft: collect(form, function () { return true; }).fields, steps: steps};
        return Outbox.queue(item).then(function (queued) {
          return (key ? Store.del("drafts", key) : Promise.resolve()).then(function () {
            follow(queued);
            if (!navigator.onLine) {
              form.reset();
              say(form, "menunggu", "Tanpa jaringan: isian disimpan di kotak keluar dan dikirim otomatis saat tersambung.",
                  link("/lapangan/", "Lihat kotak keluar"));
              return null;
            }
            return Outbox.sendAll();
          });
        });
      });
    });
  }

  // The drafts belong to the signed-in account: another user's are wiped first (the field home also expires them).
  Store.get("meta", "owner").then(function (owner) {
    if (owner && owner.user !== user) return Store.wipe().then(function () { return Store.touch(user); });
    return owner ? null : Store.touch(user);
  }).then(function () {
    document.querySelectorAll("form[data-field-form]").forEach(setUp);
  });
})();
