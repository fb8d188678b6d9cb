/*
 * Suggests existing tags while one is typed into the article's tag field.
 * Tags are separated by , ， 、 ； ; (articles/tagging.py); only the tag being
 * typed, after the last separator, is completed. Arrow keys move through the
 * suggestions, Enter or a click takes one, Escape closes the list.
 */
(function () {
  "use strict";
  var SEPARATOR = /[,，、；;]/;

  function start() {
    var input = document.getElementById("id_tags");
    if (!input || !input.dataset.suggestUrl) return;
    var list = document.createElement("ul");
    list.id = "tag-suggestions";
    list.className = "tag-suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", "已有标签");
    list.hidden = true;
    input.parentNode.insertBefore(list, input.nextSibling);
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-controls", list.id);
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("autocomplete", "off");
    var active = -1, timer = null, asked = "";

    function current() {
      var parts = input.value.split(SEPARATOR);
      return parts[parts.length - 1].trim();
    }

    function close() {
      list.hidden = true;
      list.innerHTML = "";
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function choose(name) {
      var value = input.value;
      var cut = -1;
      for (var i = value.length - 1; i >= 0; i--) {
        if (SEPARATOR.test(value[i])) { cut = i; break; }
      }
      input.value = value.slice(0, cut + 1) + name + "，";
      close();
      input.focus();
    }

    function highlight(index) {
      var items = list.querySelectorAll("li");
      if (!items.length) return;
      active = (index + items.length) % items.length;
      items.forEach(function (item, n) {
        item.setAttribute("aria-selected", n === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", items[active].id);
    }

    function show(names) {
      close();
      var typed = input.value.split(SEPARATOR).map(function (t) { return t.trim(); });
      names = names.filter(function (name) { return typed.indexOf(name) === -1; });
      if (!names.length) return;
      names.forEach(function (name, n) {
        var item = document.createElement("li");
        item.id = "tag-suggestion-" + n;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.textContent = name;
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(name);
        });
        list.appendChild(item);
      });
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function ask() {
      var term = current();
      if (!term || term === asked) { if (!term) close(); return; }
      asked = term;
      fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(term), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) { return response.ok ? response.json() : { tags: [] }; })
        .then(function (data) { if (current() === term) show(data.tags); })
        .catch(close);
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      asked = "";
      timer = setTimeout(ask, 150);
    });
    input.addEventListener("keydown", function (event) {
      if (list.hidden) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        highlight(active + (event.key === "ArrowDown" ? 1 : -1));
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        choose(list.querySelectorAll("li")[active].textContent);
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
