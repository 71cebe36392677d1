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
    // The list's own search (name="q"), not a filter's type-to-search select.
    var search = document.querySelector('input[type="search"][name="q"]') ||
      document.querySelector('input[type="search"]');
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

  // A list has one state, its form #filters (filters, sort, page, page size). Sort headers and
  // paging links set the form's hidden inputs and submit it, so a click carries a filter typed a
  // moment before; their hrefs still work without JavaScript (and for a new tab).
  var scrollToList = false;
  document.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-sort], a[data-page]");
    if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    var form = document.getElementById("filters");
    if (!form || !window.htmx || !form.elements.sort || !form.elements.page) return;
    event.preventDefault();
    if (link.hasAttribute("data-sort")) {
      form.elements.sort.value = link.getAttribute("data-sort");
      form.elements.page.value = "";
    } else {
      form.elements.page.value = link.getAttribute("data-page");
      scrollToList = true;
    }
    form.requestSubmit();
  });
  // Phones: "Sort by" sets the form's sort like a header does (one state for the list).
  document.addEventListener("change", function (event) {
    var select = event.target.closest("[data-sort-select]");
    var form = document.getElementById("filters");
    if (!select || !form || !form.elements.sort) return;
    form.elements.sort.value = select.value;
    if (form.elements.page) form.elements.page.value = "";
    form.requestSubmit();
  });
  // Any other change to the filters starts again from the first page. (Capture: before htmx
  // reads the form.)
  function filtersChanged(event) {
    var form = event.target.form;
    if (!form || form.id !== "filters" || !form.elements.page) return;
    if (event.target.name === "page" || event.target.name === "sort") return;
    form.elements.page.value = "";
  }
  document.addEventListener("input", filtersChanged, true);
  document.addEventListener("change", filtersChanged, true);
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!scrollToList || !event.detail.elt || event.detail.elt.id !== "results") return;
    scrollToList = false;
    var list = document.getElementById("list-page");
    if (list) list.scrollIntoView({ block: "start" });
  });

  // The Columns control (results head; includes/column_control.html): a tick shows or drops the
  // column at once through the list's own request. The filters form carries the ticked names
  // (hidden inputs, so the link keeps `columns=` to share and filtering keeps them), in the
  // control's order and with the first column, so that no other column is still a choice.
  document.addEventListener("change", function (event) {
    var box = event.target.closest && event.target.closest("[data-column-choice]");
    var form = document.getElementById("filters");
    var state = form && form.querySelector("[data-columns-state]");
    if (!box || !box.form || !state) return;
    state.replaceChildren();
    box.form.querySelectorAll("[data-column-choice]").forEach(function (each) {
      if (!each.checked) return;
      var input = document.createElement("input");
      input.type = "hidden";
      input.name = "columns";
      input.value = each.value;
      state.appendChild(input);
    });
    form.requestSubmit();
  });
  // It stays open (and scrolled where it was) while the table changes under it; Escape or a
  // click elsewhere closes it.
  var columnsOpen = null;
  document.addEventListener("htmx:beforeSwap", function () {
    var control = document.querySelector("#results [data-column-control]");
    var list = control && control.querySelector(".column-control__choices");
    columnsOpen = control && control.open ? (list ? list.scrollTop : 0) : null;
  });
  document.addEventListener("htmx:afterSwap", function () {
    var control = document.querySelector("#results [data-column-control]");
    if (columnsOpen === null || !control) return;
    control.open = true;
    var list = control.querySelector(".column-control__choices");
    if (list) list.scrollTop = columnsOpen;
    columnsOpen = null;
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !event.target.closest) return;
    var control = event.target.closest("[data-column-control][open]");
    if (!control) return;
    control.open = false;
    control.querySelector("summary").focus();
  });
  document.addEventListener("click", function (event) {
    document.querySelectorAll("[data-column-control][open]").forEach(function (control) {
      if (!control.contains(event.target)) control.open = false;
    });
  });

  // New rows replace the control a keyboard user just pressed (a sort header, "Next →"): put
  // the focus on the same control in the new rows, or, if it is gone (no "Next" on the last
  // page), on the results themselves, rather than leave it at the top of the page. (htmx itself
  // keeps the focus of a control with an id, like "Sort by".)
  var focusWanted = null;
  function sameControl(element) {
    if (element.matches("a[data-sort]")) {
      var key = element.getAttribute("data-sort").replace(/^-/, "");
      return function (results) {
        return Array.from(results.querySelectorAll("a[data-sort]")).find(function (link) {
          return link.getAttribute("data-sort").replace(/^-/, "") === key;
        });
      };
    }
    if (element.matches("[data-column-choice]")) {
      var value = element.value;
      return function (results) {
        return Array.from(results.querySelectorAll("[data-column-choice]")).find(function (box) {
          return box.value === value;
        });
      };
    }
    if (element.matches("a[data-page][rel]")) {
      var rel = element.getAttribute("rel");
      return function (results) {
        return Array.from(results.querySelectorAll("a[data-page][rel]")).find(function (link) {
          return link.getAttribute("rel") === rel;
        });
      };
    }
    return function () { return null; };
  }
  document.addEventListener("htmx:beforeSwap", function (event) {
    focusWanted = null;
    var results = document.getElementById("results");
    var active = document.activeElement;
    if (results && active && active !== results && results.contains(active) && !active.id) {
      focusWanted = sameControl(active);
    }
  });
  document.addEventListener("htmx:afterSwap", function () {
    var find = focusWanted;
    focusWanted = null;
    var results = document.getElementById("results");
    if (!find || !results) return;
    var active = document.activeElement;
    if (active && active !== document.body && document.contains(active)) return; // kept, or moved on
    (find(results) || results).focus({ preventScroll: true });
  });

  // A searchable select's search box (widgets/searchable_select.html) only finds options: what
  // is typed there is no filter, so it asks for no rows and stays out of the list's URL.
  function isOptionSearch(element) {
    return Boolean(element && element.closest && element.closest(".searchable__search"));
  }
  document.addEventListener("htmx:confirm", function (event) {
    var trigger = event.detail.triggeringEvent;
    if (event.detail.elt.tagName === "FORM" && trigger && trigger.type !== "submit"
        && isOptionSearch(trigger.target)) {
      event.preventDefault();
    }
  });

  // Enter in that box picks, as a combobox does, the first option its search found ("salz":
  // Salzgitter AG), which applies the filter like a pick in the select; with no match it does
  // nothing. It never submits the form (that only asked again for the same rows). If the
  // options for what was typed have not come yet, the pick waits for them.
  function pickFirstMatch(box) {
    var select = box.closest(".searchable").querySelector("select");
    var match = select && select.querySelector("option[data-match]");
    if (!match || match.selected) return;
    match.selected = true;
    select.dispatchEvent(new Event("change", { bubbles: true }));
  }
  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key !== "Enter" || event.isComposing || !isOptionSearch(box)) return;
    event.preventDefault();
    if (!box.value.trim()) return;
    if (box.getAttribute("data-answered") === box.value) {
      pickFirstMatch(box);
    } else if (window.htmx) {
      box.pickWhenAnswered = true;
      htmx.trigger(box, "search");
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var config = event.detail.requestConfig;
    var box = config && config.elt;
    if (!isOptionSearch(box)) return;
    var asked = config.formData.get(box.name) || "";
    box.setAttribute("data-answered", asked);
    if (box.pickWhenAnswered && asked === box.value) {
      box.pickWhenAnswered = false;
      pickFirstMatch(box);
    }
  });

  // Filter requests carry only the filters in use: short URLs to share, and history entries
  // that read like the filters they restore.
  document.addEventListener("htmx:configRequest", function (event) {
    var data = event.detail.formData;
    if (event.detail.verb !== "get" || !data) return;
    if (event.detail.elt.tagName === "FORM") {
      event.detail.elt.querySelectorAll(".searchable__search").forEach(function (box) {
        data.delete(box.name);
      });
    }
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

  // htmx does not swap error answers: say what happened, in the messages area. One such
  // message at a time: a retry that fails again replaces it rather than stacking another.
  function clearErrors() {
    document.querySelectorAll("[data-client-error]").forEach(function (el) { el.remove(); });
  }
  document.addEventListener("htmx:beforeRequest", clearErrors);
  function showError(text) {
    var area = document.getElementById("messages");
    if (!area) return;
    clearErrors();
    var message = document.createElement("div");
    message.className = "message message--error";
    message.setAttribute("role", "alert");
    message.setAttribute("data-client-error", "");
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
    } else if (status === 404 || status === 410) {
      // Typically a record another officer removed while this page showed it.
      showError("Not found (error " + status + "): someone may have removed it meanwhile. " +
        "Reload the page to see it as it is now.");
    } else {
      showError("Something went wrong (error " + status + "). Please try again.");
    }
  });
  document.addEventListener("htmx:sendError", function () {
    showError("The tracker could not be reached. Check the connection and try again.");
  });

  // A form loaded into the page's dialog (a new organisation from another form): open it.
  // (Back and Forward swap the page with no target: htmx restoring history from the server.)
  document.addEventListener("htmx:afterSwap", function (event) {
    var dialog = event.detail.target;
    if (!dialog || dialog.id !== "dialog" || dialog.open) return;
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
  // Bulk changes: "Select this page" ticks (or clears) every row of the page.
  document.addEventListener("change", function (event) {
    var all = event.target.closest("[data-bulk-page]");
    if (!all) return;
    document.querySelectorAll('input[form="bulk"][name="pick"]').forEach(function (box) {
      box.checked = all.checked;
    });
  });
})();
