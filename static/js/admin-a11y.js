/*
 * Gives a name to the admin's form fields that Django and select2 leave
 * unnamed for screen readers (axe-core: label, aria-input-field-name):
 * - inputs in the rows of tabular inlines, named by their column header
 *   (a row's delete box also by the row's title);
 * - the select2 boxes of autocomplete fields, named by the field's label;
 * - the date and time halves of a split date-time field.
 * A field that already has a label or a name is left alone.
 */
(function () {
  "use strict";

  function clean(text) {
    return (text || "").replace(/[\s:：*?？]+$/, "").replace(/\s+/g, " ").trim();
  }

  function columnHeader(field) {
    var cell = field.closest("td");
    var table = cell && cell.closest("table");
    if (!table || !table.tHead) return "";
    var name = Array.from(cell.classList).find(function (c) {
      return c.indexOf("field-") === 0;
    });
    var header = name
      ? table.tHead.querySelector("th.column-" + name.slice(6))
      : table.tHead.rows[0].cells[cell.cellIndex];
    var text = header ? clean(header.textContent) : "";
    if (text && cell.classList.contains("delete")) {
      // "删除?" alone does not say which row: add the row's own title.
      var row = cell.closest("tr").querySelector("td.original p");
      if (row) text += " " + clean(row.textContent);
    }
    return text;
  }

  function fieldLabel(field) {
    if (field.id) {
      var label = document.querySelector("label[for='" + CSS.escape(field.id) + "']");
      if (label) return clean(label.textContent);
    }
    return columnHeader(field);
  }

  function isNamed(field) {
    return (
      (field.labels && field.labels.length > 0) ||
      field.hasAttribute("aria-label") ||
      field.hasAttribute("aria-labelledby")
    );
  }

  function nameTabularFields(root) {
    root
      .querySelectorAll(
        "td[class*='field-'] input, td[class*='field-'] select, " +
          "td[class*='field-'] textarea, td.delete input"
      )
      .forEach(function (field) {
        if (field.type === "hidden" || isNamed(field)) return;
        var name = columnHeader(field);
        if (name) field.setAttribute("aria-label", name);
      });
  }

  function nameAutocompleteBoxes(root) {
    root.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var container = select.nextElementSibling;
      var box = container && container.querySelector("[role='combobox']");
      var name = select.getAttribute("aria-label") || fieldLabel(select);
      // select2 points aria-labelledby at the chosen value, empty until one
      // is chosen, and marks that value a read-only textbox with no name:
      // the field's own name is what a screen reader needs, on the box.
      if (box && name) {
        box.removeAttribute("aria-labelledby");
        box.setAttribute("aria-label", name);
        box.querySelectorAll("[role='textbox']").forEach(function (shown) {
          shown.removeAttribute("role");
          shown.removeAttribute("aria-readonly");
        });
      }
    });
  }

  function nameSplitDateTimes(root) {
    root.querySelectorAll("p.datetime input").forEach(function (input) {
      if (isNamed(input)) return;
      var row = input.closest(".flex-container") || input.closest(".form-row");
      var label = row && row.querySelector("label");
      var part = input.previousSibling;
      while (part && part.nodeType !== Node.TEXT_NODE) part = part.previousSibling;
      var name = [label && clean(label.textContent), part && clean(part.textContent)]
        .filter(Boolean)
        .join(" ");
      if (name) input.setAttribute("aria-label", name);
    });
  }

  function unheadEmptyColumns(root) {
    // A tabular inline's first header cell is an empty spacer above each
    // row's title (axe-core empty-table-header): a plain cell, not a header.
    root.querySelectorAll("thead th.original").forEach(function (th) {
      if (th.textContent.trim()) return;
      var cell = document.createElement("td");
      cell.className = th.className;
      th.replaceWith(cell);
    });
  }

  function nameAll(root) {
    unheadEmptyColumns(root);
    nameTabularFields(root);
    nameAutocompleteBoxes(root);
    nameSplitDateTimes(root);
  }

  // After the admin's own scripts: select2 starts from jQuery's ready
  // callbacks, which jQuery runs in a timeout after DOMContentLoaded; the
  // load event catches anything slower. Naming twice changes nothing.
  document.addEventListener("DOMContentLoaded", function () {
    window.setTimeout(function () {
      nameAll(document);
    }, 0);
  });
  window.addEventListener("load", function () {
    nameAll(document);
  });
  document.addEventListener("formset:added", function (event) {
    window.setTimeout(function () {
      nameAll(event.target);
    }, 0);
  });
})();
