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

  // A form loaded into the page's dialog (a new organisation from another form): open it.
  document.addEventListener("htmx:afterSwap", function (event) {
    var dialog = event.detail.target;
    if (dialog.id !== "dialog" || dialog.open) return;
    if (document.getElementById("dialog-title")) dialog.setAttribute("aria-labelledby", "dialog-title");
    dialog.showModal();
    var first = dialog.querySelector("input:not([type=hidden]), select, textarea");
    if (first) first.focus();
  });
  function closeDialog() {
    var dialog = document.getElementById("dialog");
    if (!dialog) return;
    if (dialog.open) dialog.close();
    dialog.replaceChildren();
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-close-dialog]")) closeDialog();
  });
  // Created in the dialog: add it to the field that asked, selected; the rest of that form
  // is untouched.
  document.addEventListener("record-created", function (event) {
    var detail = event.detail;
    var select = document.getElementById(detail.field);
    if (select) {
      Array.from(select.options).forEach(function (option) {
        if (option.disabled && option.value === "") option.remove(); // "No match"
      });
      select.add(new Option(detail.label, String(detail.value), true, true));
      select.dispatchEvent(new Event("change", { bubbles: true }));
      select.focus();
    }
    closeDialog();
  });
})();
