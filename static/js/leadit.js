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

  // CSS hides what only matters without this file (e.g. the "Sort" button beside "Sort by").
  document.documentElement.classList.add("js");

  // "Sort by" and the like: a choice applies at once, through the form it belongs to (htmx
  // listens for the form's submit; the select lives outside the form, in the results).
  document.addEventListener("change", function (event) {
    var select = event.target.closest("[data-submit-on-change]");
    if (select && select.form) select.form.requestSubmit();
  });

  // Phones: "Show N results" closes the filters panel onto the results (it also submits).
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-close-filters]");
    if (!button) return;
    var panel = button.closest("details");
    if (panel) panel.removeAttribute("open");
    var results = document.getElementById("results");
    if (results) results.scrollIntoView({block: "start"});
  });

  // Keep "Show N results" in step with the results as filters change.
  document.addEventListener("htmx:afterSettle", function () {
    var count = document.querySelector("#results .results__count strong");
    if (!count) return;
    document.querySelectorAll("[data-result-count]").forEach(function (el) {
      el.textContent = count.textContent;
    });
    document.querySelectorAll("[data-result-plural]").forEach(function (el) {
      el.textContent = count.textContent.trim() === "1" ? "" : "s";
    });
  });

  // On a phone, start with the filters folded so the results are in view.
  document.addEventListener("DOMContentLoaded", function () {
    if (window.matchMedia("(max-width: 760px)").matches) {
      document.querySelectorAll(".filters__toggle[open]").forEach(function (el) {
        el.removeAttribute("open");
      });
    }
  });

  // Filter requests carry only the filters in use: short URLs to share, and history entries
  // that read like the filters they restore.
  document.addEventListener("htmx:configRequest", function (event) {
    var data = event.detail.formData;
    if (event.detail.verb !== "get" || !data) return;
    Array.from(data.keys()).forEach(function (key) {
      var kept = data.getAll(key).filter(function (value) { return value !== ""; });
      data.delete(key);
      kept.forEach(function (value) { data.append(key, value); });
    });
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

  // A form that came back with errors: take the keyboard to the first field to fix.
  document.addEventListener("htmx:afterSettle", function (event) {
    var xhr = event.detail.xhr;
    if (!xhr || xhr.status !== 422) return;
    var invalid = event.detail.elt.querySelector('[aria-invalid="true"]');
    if (invalid) invalid.focus();
  });

  // htmx does not swap error answers: say what happened, in the messages area.
  function showError(text) {
    var area = document.getElementById("messages");
    if (!area) return;
    var message = document.createElement("div");
    message.className = "message message--error";
    message.setAttribute("role", "alert");
    var span = document.createElement("span");
    span.textContent = text;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "message__close";
    close.setAttribute("data-dismiss", "");
    close.setAttribute("aria-label", "Dismiss message");
    close.textContent = "×";
    message.appendChild(span);
    message.appendChild(close);
    area.appendChild(message);
  }
  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr.status;
    var results = document.getElementById("results");
    if (results) results.setAttribute("aria-busy", "false");
    if (status === 503) {
      showError("The tracker is briefly unavailable. Nothing was lost; please try again in a moment.");
    } else if (status === 403) {
      showError("Your account may not make this change.");
    } else if (status === 409) {
      showError("Someone else changed this record meanwhile; reload the page to see their change.");
    } else {
      showError("Something went wrong (error " + status + "). Please try again.");
    }
  });
  document.addEventListener("htmx:sendError", function () {
    showError("The tracker could not be reached. Check the connection and try again.");
  });
})();
