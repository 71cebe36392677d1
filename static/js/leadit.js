// LeadIT Tracker: small progressive enhancements. Everything works without this file.
(function () {
  "use strict";

  // Dismiss a message.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-dismiss]");
    if (button) {
      button.closest(".message").remove();
    }
  });

  // "/" focuses the search box, as in most trackers.
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || event.target.isContentEditable) return;
    var search = document.querySelector('input[type="search"]');
    if (search) {
      event.preventDefault();
      search.focus();
      search.select();
    }
  });

  // On a phone, start with the filters folded so the results are in view.
  document.addEventListener("DOMContentLoaded", function () {
    if (window.matchMedia("(max-width: 760px)").matches) {
      document.querySelectorAll(".filters__toggle[open]").forEach(function (el) {
        el.removeAttribute("open");
      });
    }
  });

  // Tell assistive technology when the results are being replaced.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var results = document.getElementById("results");
    if (results) results.setAttribute("aria-busy", "true");
  });
  document.addEventListener("htmx:afterSettle", function () {
    var results = document.getElementById("results");
    if (results) results.setAttribute("aria-busy", "false");
  });
})();
