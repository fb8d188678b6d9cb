/*
 * The photo chooser: a dialog of thumbnails searched by caption,
 * photographer, county and date (PhotoAdmin.choose_view), which can also
 * upload a new photo through the bulk upload's checks. It opens from the
 * 从图库选择 button beside the cover and each gallery row's photo box, and
 * from the body editor's 图库图片 button, which inserts the photo as a
 * rendition with its caption as alt text. The idea follows Wagtail's image
 * chooser (a modal with search and upload tabs), without its framework.
 */
(function () {
  "use strict";

  var dialog = null;
  var state = { onChoose: null, page: 1 };

  function adminUrl(path) {
    var root = window.location.pathname.split("/articles/")[0];
    return root + "/articles/" + path;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === "text") node.textContent = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { node.appendChild(child); });
    return node;
  }

  function field(id, label, input) {
    input.id = id;
    return el("div", { class: "chooser-field" }, [el("label", { for: id, text: label }), input]);
  }

  function build() {
    var county = el("select", { name: "county" }, [el("option", { value: "", text: "全部" })]);
    var search = el("form", { class: "chooser-search", role: "search" }, [
      field("chooser-q", "图片说明", el("input", { type: "search", name: "q" })),
      field("chooser-photographer", "摄影", el("input", { type: "search", name: "photographer" })),
      field("chooser-county", "县级工会", county),
      field("chooser-date-from", "拍摄日期从", el("input", { type: "date", name: "date_from" })),
      field("chooser-date-to", "到", el("input", { type: "date", name: "date_to" })),
      el("button", { type: "submit", class: "button default", text: "搜索" }),
    ]);
    var uploadCounty = el("select", { name: "county_union" }, [el("option", { value: "", text: "—" })]);
    var upload = el("form", { class: "chooser-upload", hidden: "" }, [
      field("chooser-upload-image", "图片文件", el("input", {
        type: "file", name: "image", accept: "image/jpeg,image/png,image/webp,image/gif", required: "",
      })),
      field("chooser-upload-caption", "图片说明", el("textarea", { name: "caption", rows: "2", required: "" })),
      field("chooser-upload-county", "县级工会", uploadCounty),
      field("chooser-upload-date", "拍摄日期", el("input", { type: "date", name: "taken_on" })),
      el("button", { type: "submit", class: "button default", text: "上传并选用" }),
      el("p", { class: "chooser-upload-status", role: "status" }),
    ]);
    var uploadToggle = el("button", {
      type: "button", class: "button chooser-upload-toggle", "aria-expanded": "false", hidden: "",
      text: "上传新图片",
    });
    dialog = el("dialog", { id: "photo-chooser", "aria-labelledby": "photo-chooser-title" }, [
      el("div", { class: "chooser-head" }, [
        el("h2", { id: "photo-chooser-title", text: "从图库选择图片" }),
        el("button", { type: "button", class: "button chooser-close", text: "关闭" }),
      ]),
      search,
      uploadToggle,
      upload,
      el("p", { class: "chooser-count", role: "status" }),
      el("ul", { class: "chooser-results", "aria-label": "图片" }),
      el("button", { type: "button", class: "button chooser-more", hidden: "", text: "加载更多" }),
    ]);
    document.body.appendChild(dialog);
    dialog.querySelector(".chooser-close").addEventListener("click", function () { dialog.close(); });
    search.addEventListener("submit", function (event) {
      event.preventDefault();
      load(1);
    });
    dialog.querySelector(".chooser-more").addEventListener("click", function () { load(state.page + 1); });
    uploadToggle.addEventListener("click", function () {
      upload.hidden = !upload.hidden;
      uploadToggle.setAttribute("aria-expanded", String(!upload.hidden));
      if (!upload.hidden) upload.querySelector("input").focus();
    });
    upload.addEventListener("submit", function (event) {
      event.preventDefault();
      send(upload);
    });
  }

  function csrfToken() {
    var input = document.querySelector("[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function send(form) {
    var status = form.querySelector(".chooser-upload-status");
    var data = new FormData(form);
    status.textContent = "正在上传…";
    fetch(state.uploadUrl, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
    })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      })
      .then(function (result) {
        if (result.ok) {
          status.textContent = "已上传。";
          form.reset();
          choose(result.body);
        } else {
          var errors = result.body.errors || {};
          status.textContent = Object.keys(errors).map(function (key) {
            return errors[key].join(" ");
          }).join(" ") || "上传失败。";
        }
      })
      .catch(function () { status.textContent = "上传失败，请检查网络后重试。"; });
  }

  function fillCounties(counties) {
    dialog.querySelectorAll("select[name=county], select[name=county_union]").forEach(function (select) {
      if (select.options.length > 1) return;
      counties.forEach(function (pair) {
        select.appendChild(el("option", { value: String(pair[0]), text: pair[1] }));
      });
    });
  }

  function choose(entry) {
    dialog.close();
    if (state.onChoose) state.onChoose(entry);
  }

  function card(entry) {
    var meta = [entry.credit, entry.county, entry.date].filter(Boolean).join(" · ");
    var button = el("button", { type: "button", class: "chooser-photo", "data-photo-id": String(entry.id) }, [
      el("img", { src: entry.thumbnail, alt: "", loading: "lazy" }),
      el("span", { class: "chooser-caption", text: entry.caption }),
      el("span", { class: "chooser-meta", text: meta }),
    ]);
    button.addEventListener("click", function () { choose(entry); });
    return el("li", {}, [button]);
  }

  function load(page) {
    var params = new URLSearchParams(new FormData(dialog.querySelector(".chooser-search")));
    params.set("page", String(page));
    var list = dialog.querySelector(".chooser-results");
    var count = dialog.querySelector(".chooser-count");
    count.textContent = "正在查找…";
    fetch(adminUrl("photo/choose/?" + params.toString()), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        state.page = data.page;
        state.uploadUrl = data.upload_url;
        fillCounties(data.counties);
        dialog.querySelector(".chooser-upload-toggle").hidden = !data.can_upload;
        if (page === 1) list.innerHTML = "";
        data.results.forEach(function (entry) { list.appendChild(card(entry)); });
        var shown = list.children.length;
        count.textContent = shown ? "找到 " + shown + (data.has_more ? "+" : "") + " 张图片" : "没有找到图片";
        dialog.querySelector(".chooser-more").hidden = !data.has_more;
      })
      .catch(function () { count.textContent = "查找失败，请重试。"; });
  }

  function open(onChoose) {
    if (!dialog) build();
    state.onChoose = onChoose;
    // Each choice starts from the newest photos, not the last search.
    dialog.querySelector(".chooser-search").reset();
    dialog.showModal();
    dialog.querySelector("#chooser-q").focus();
    load(1);
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }

  // TinyMCE setup (settings.TINYMCE_DEFAULT_CONFIG["setup"]).
  window.deskPhotoSetup = function (editor) {
    editor.ui.registry.addButton("libraryphoto", {
      icon: "gallery",
      tooltip: "插入图库图片",
      onAction: function () {
        open(function (entry) {
          editor.insertContent(
            '<p><img src="' + escapeHtml(entry.insert_url) + '" alt="' + escapeHtml(entry.caption) +
            '" width="' + entry.insert_width + '" height="' + entry.insert_height + '"></p>'
          );
          editor.focus();
        });
      },
    });
  };

  function attach(select) {
    if (!select || select.dataset.chooser) return;
    select.dataset.chooser = "1";
    var button = el("button", { type: "button", class: "button photo-chooser-open", text: "从图库选择" });
    var preview = el("span", { class: "photo-choice-preview" });
    // Below the field (a form row) or in its table cell (a gallery row).
    var home = select.closest("td") || select.closest(".form-row > div") || select.parentNode;
    home.appendChild(el("div", { class: "photo-chooser-bar" }, [button, preview]));
    button.addEventListener("click", function () {
      open(function (entry) {
        var option = Array.from(select.options).find(function (o) { return o.value === String(entry.id); });
        if (!option) {
          option = new Option(entry.label, String(entry.id), true, true);
          select.appendChild(option);
        }
        select.value = String(entry.id);
        if (window.django && window.django.jQuery) window.django.jQuery(select).trigger("change");
        else select.dispatchEvent(new Event("change", { bubbles: true }));
        preview.innerHTML = "";
        preview.appendChild(el("img", { src: entry.thumbnail, alt: "" }));
        preview.appendChild(el("span", { class: "photo-choice-label", text: entry.label }));
        button.focus();
      });
    });
  }

  function start() {
    attach(document.getElementById("id_cover_photo"));
    document.querySelectorAll("select[name^='gallery-'][name$='-photo']").forEach(function (select) {
      if (!select.closest(".empty-form")) attach(select);
    });
    document.addEventListener("formset:added", function (event) {
      var select = event.target.querySelector && event.target.querySelector("select[name$='-photo']");
      if (select && select.name.indexOf("gallery-") === 0) attach(select);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
