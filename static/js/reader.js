/* 长者模式 (large text), remembered per browser.
 *
 * Pages come from the page cache and nginx, so the HTML never says whether
 * the mode is on: this file, loaded in <head> before the page paints, puts
 * the "large-text" class on <html> from localStorage, and keeps it and the
 * 大字 switch in step. Without script the switch still works on the page at
 * hand (site.css reads it with :has()), only not remembered.
 */
(function () {
  "use strict";
  var KEY = "newsroom.largeText";
  var root = document.documentElement;

  function stored() {
    try {
      return window.localStorage.getItem(KEY) === "1";
    } catch (error) {
      return false; // storage blocked: the mode lasts for this page only
    }
  }

  function remember(on) {
    try {
      window.localStorage.setItem(KEY, on ? "1" : "0");
    } catch (error) {
      /* storage blocked: nothing to remember it in */
    }
  }

  root.classList.toggle("large-text", stored());

  document.addEventListener("DOMContentLoaded", function () {
    var toggle = document.getElementById("large-text");
    if (!toggle) {
      return;
    }
    toggle.checked = root.classList.contains("large-text");
    toggle.addEventListener("change", function () {
      root.classList.toggle("large-text", toggle.checked);
      remember(toggle.checked);
    });
  });

  // Another tab switched the mode: follow it.
  window.addEventListener("storage", function (event) {
    if (event.key !== KEY) {
      return;
    }
    var on = event.newValue === "1";
    root.classList.toggle("large-text", on);
    var toggle = document.getElementById("large-text");
    if (toggle) {
      toggle.checked = on;
    }
  });
})();
