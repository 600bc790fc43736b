/* Pilar's page behaviour that every page shares; the pages work without it.
   - On a phone, filter panels start folded unless a filter is in use (the server marks data-active).
   - The account menu folds again when the user taps elsewhere. */
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

  foldFilters(document);
  document.documentElement.setAttribute("data-ui", "ready");
})();
