/*
 * The 预览链接 module of an article's change form (previews app). Creating
 * and revoking post in the background and redraw only the module, so what
 * someone has typed into the article's form above stays; without
 * JavaScript the same forms post and come back to the change form.
 * 复制链接 copies the address; the field beside it can be copied by hand.
 */
(function () {
  "use strict";

  function say(box, text) {
    var status = box.querySelector("[data-preview-status]");
    if (status) status.textContent = text;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("#preview-links [data-preview-form]") || !window.fetch) return;
    event.preventDefault();
    var box = document.getElementById("preview-links");
    var button = form.querySelector("button[type=submit]");
    var creating = form.classList.contains("preview-link-create");
    button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Preview-Links": "fragment" },
    })
      .then(function (response) {
        if (response.status !== 200 && response.status !== 400) {
          throw new Error(String(response.status));
        }
        return response.text().then(function (html) {
          return { ok: response.ok, html: html };
        });
      })
      .then(function (answer) {
        var page = new DOMParser().parseFromString(answer.html, "text/html");
        var fresh = page.getElementById("preview-links");
        box.replaceWith(fresh);
        if (!answer.ok) return;
        say(fresh, fresh.dataset[creating ? "createdMessage" : "revokedMessage"]);
        var first = fresh.querySelector(".preview-link-url");
        if (creating && first) first.focus();
      })
      .catch(function () {
        button.disabled = false;
        say(box, box.dataset.failedMessage);
      });
  });

  document.addEventListener("focusin", function (event) {
    if (event.target.matches(".preview-link-url")) event.target.select();
  });

  document.addEventListener("click", function (event) {
    var button = event.target.closest("#preview-links [data-copy]");
    if (!button) return;
    var box = document.getElementById("preview-links");
    var field = button.parentNode.querySelector(".preview-link-url");
    function copied() {
      say(box, box.dataset.copiedMessage);
    }
    function byHand() {
      field.focus();
      field.select();
      if (document.execCommand && document.execCommand("copy")) copied();
      else say(box, box.dataset.copyByHandMessage);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(copied, byHand);
    } else {
      byHand();
    }
  });
})();
