/*
 * Bylines, gallery photos and photo credits ordered by hand (articles/
 * ordering.py). Each row gets a drag handle (SortableJS, vendored in
 * static/vendor/sortablejs/) and 上移/下移 buttons; on a focused handle the
 * arrow keys (with or without Alt) move the row too. Every move renumbers
 * the rows' hidden position inputs 1..n in the order shown and is announced
 * to screen readers. Saving keeps exactly that order.
 */
(function () {
  "use strict";

  function rowsOf(body) {
    return Array.from(body.children).filter(function (row) {
      return row.classList.contains("form-row") && !row.classList.contains("empty-form");
    });
  }

  function chosenField(row) {
    // The row's choice (a credit row's hidden "-photo" input is its parent).
    return row.querySelector("select[name$='-author'], select[name$='-photo']");
  }

  function isFilled(row) {
    var id = row.querySelector("input[name$='-id']");
    var field = chosenField(row);
    return Boolean((id && id.value) || (field && field.value));
  }

  function rowName(row) {
    var field = chosenField(row);
    if (field && field.tagName === "SELECT" && field.selectedIndex >= 0 && field.value) {
      return field.options[field.selectedIndex].text.trim();
    }
    var original = row.querySelector("td.original p");
    if (original && original.textContent.trim()) return original.textContent.trim();
    var label = row.querySelector(".photo-choice-label");
    if (label && label.textContent.trim()) return label.textContent.trim();
    return "新的一行";
  }

  function renumber(body) {
    var n = 0;
    rowsOf(body).forEach(function (row) {
      var input = row.querySelector("input.inline-position");
      if (!input) return;
      if (isFilled(row)) {
        n += 1;
        input.value = String(n);
      }
    });
  }

  function announce(group, row) {
    // Counted among the filled rows: an empty extra row is not in the order.
    var rows = rowsOf(row.parentNode).filter(function (r) {
      return r === row || isFilled(r);
    });
    var live = group.querySelector(".order-announcement");
    live.textContent = "已将“" + rowName(row) + "”移到第 " +
      (rows.indexOf(row) + 1) + " 位，共 " + rows.length + " 行。";
  }

  function move(group, row, step) {
    var body = row.parentNode;
    var rows = rowsOf(body);
    var index = rows.indexOf(row);
    var target = rows[index + step];
    if (!target) return false;
    if (step < 0) body.insertBefore(row, target);
    else body.insertBefore(row, target.nextSibling);
    renumber(body);
    announce(group, row);
    return true;
  }

  function button(text, label, className) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = className;
    b.textContent = text;
    b.setAttribute("aria-label", label);
    b.title = label;
    return b;
  }

  function addControls(group, row) {
    if (row.querySelector(".order-controls")) return;
    var cell = row.querySelector("td.original") || row.cells[0];
    if (!cell) return;
    var box = document.createElement("span");
    box.className = "order-controls";
    var handle = button("⠿", "拖动调整顺序，或按上下方向键移动", "order-handle");
    var up = button("↑", "上移", "order-up");
    var down = button("↓", "下移", "order-down");
    handle.addEventListener("keydown", function (event) {
      if (event.key !== "ArrowUp" && event.key !== "ArrowDown") return;
      event.preventDefault();
      move(group, row, event.key === "ArrowUp" ? -1 : 1);
      handle.focus();
    });
    up.addEventListener("click", function () {
      move(group, row, -1);
      up.focus();
    });
    down.addEventListener("click", function () {
      move(group, row, 1);
      down.focus();
    });
    box.append(handle, up, down);
    cell.insertBefore(box, cell.firstChild);
  }

  function setUp(group) {
    var body = group.querySelector("tbody");
    if (!body || group.dataset.ordered) return;
    // Read-only rows (a story the user may only view) have no order to set.
    if (!group.querySelector("input.inline-position")) return;
    group.dataset.ordered = "1";
    var live = document.createElement("div");
    live.className = "order-announcement visually-hidden";
    live.setAttribute("aria-live", "polite");
    group.appendChild(live);
    var help = document.createElement("p");
    help.className = "help order-help";
    help.textContent = "拖动 ⠿ 或用 ↑ ↓ 调整顺序；保存后网站上按此顺序显示。";
    group.insertBefore(help, body.closest("table"));
    rowsOf(body).forEach(function (row) { addControls(group, row); });
    if (window.Sortable) {
      window.Sortable.create(body, {
        handle: ".order-handle",
        draggable: "tr.form-row:not(.empty-form)",
        animation: 150,
        // Pointer events rather than HTML5 drag and drop: the same on touch
        // screens and mice.
        forceFallback: true,
        onEnd: function (event) {
          renumber(body);
          announce(group, event.item);
        },
      });
    }
    var form = group.closest("form");
    if (form) form.addEventListener("submit", function () { renumber(body); });
  }

  function start() {
    document.querySelectorAll("fieldset.ordered-inline").forEach(setUp);
    document.addEventListener("formset:added", function (event) {
      var row = event.target;
      var group = row && row.closest && row.closest("fieldset.ordered-inline");
      if (group) addControls(group, row);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
