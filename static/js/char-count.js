/*
 * Live character count under the article body: 汉字 and all characters but
 * spaces, counted as articles/text.py char_counts() does on save (the list's
 * 字数 column shows the saved figure).
 */
(function () {
  "use strict";
  var HAN = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/g;

  function counts(text) {
    return {
      han: (text.match(HAN) || []).length,
      total: text.replace(/\s/g, "").length,
    };
  }

  function attach(editor) {
    var textarea = document.getElementById(editor.id);
    if (!textarea || textarea.name !== "body" || editor.charCountAttached) return;
    editor.charCountAttached = true;
    var out = document.createElement("p");
    out.className = "char-count help";
    out.id = "body-char-count";
    // At the end of the field's row, under the editor and its help text.
    var row = textarea.closest(".form-row > div") || textarea.parentNode;
    row.appendChild(out);
    function update() {
      var c = counts(editor.getContent({ format: "text" }));
      out.textContent = "汉字 " + c.han + " 个 · 共 " + c.total + " 字（不计空格）";
      out.dataset.han = c.han;
      out.dataset.total = c.total;
    }
    editor.on("init input change keyup undo redo SetContent", update);
    if (editor.initialized) update();
  }

  function start() {
    if (!window.tinymce) return;
    window.tinymce.on("AddEditor", function (event) { attach(event.editor); });
    window.tinymce.get().forEach(attach);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
