/*
 * The article form has one 发布时间 control (the 发布 fieldset). The
 * workflow box's 发布 button posts its own small form, so the time typed
 * above, if changed since the page opened, is copied into that form's
 * hidden field; left alone, the saved time applies (future: scheduled).
 */
(function () {
  "use strict";

  function start() {
    var hidden = document.getElementById("workflow-publish-at");
    var date = document.getElementById("id_publish_at_0");
    var time = document.getElementById("id_publish_at_1");
    if (!hidden || !date || !time) return;
    hidden.form.addEventListener("submit", function () {
      var changed = date.value !== date.defaultValue || time.value !== time.defaultValue;
      hidden.value = changed && date.value
        ? (date.value + " " + (time.value || "00:00")).trim()
        : "";
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
