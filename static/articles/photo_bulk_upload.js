/* Bulk photo upload in the admin: pick or drop many files, caption each,
 * then send them one request per file so each row shows its own progress
 * and its own error. Shipped as a static file: the page has no inline
 * script, so it works under a strict Content-Security-Policy. */
"use strict";

(function () {
  const form = document.getElementById("bulk-upload");
  if (!form) {
    return;
  }
  const input = document.getElementById("id_image");
  const dropZone = document.getElementById("bulk-drop-zone");
  const list = document.getElementById("bulk-list");
  const template = document.getElementById("bulk-row-template");
  const summary = document.getElementById("bulk-summary");
  const maxBytes = Number(form.dataset.maxBytes) || 0;
  const rows = [];
  let busy = false;

  form.classList.add("bulk-js");

  function message(name) {
    return form.dataset["msg" + name] || "";
  }

  function setStatus(row, text, state) {
    row.status.textContent = text;
    row.element.dataset.state = state;
  }

  function drawPreview(canvas, file) {
    if (!window.createImageBitmap) {
      return;
    }
    window.createImageBitmap(file).then(function (bitmap) {
      const scale = Math.min(canvas.width / bitmap.width, canvas.height / bitmap.height);
      const width = bitmap.width * scale;
      const height = bitmap.height * scale;
      canvas.getContext("2d").drawImage(
        bitmap, (canvas.width - width) / 2, (canvas.height - height) / 2, width, height
      );
      bitmap.close();
    }).catch(function () {
      /* The server decides whether the file is an image; no preview is fine. */
    });
  }

  function addFiles(files) {
    Array.prototype.forEach.call(files, function (file) {
      const element = template.content.firstElementChild.cloneNode(true);
      const row = {
        file: file,
        element: element,
        caption: element.querySelector(".bulk-caption"),
        alt: element.querySelector(".bulk-alt"),
        progress: element.querySelector(".bulk-progress"),
        status: element.querySelector(".bulk-status"),
        done: false,
      };
      const id = "bulk-caption-" + rows.length;
      row.caption.id = id;
      element.querySelector(".bulk-name").textContent = file.name;
      element.querySelector(".bulk-remove").addEventListener("click", function () {
        if (busy && !row.done) {
          return;
        }
        rows.splice(rows.indexOf(row), 1);
        element.remove();
        updateSummary();
      });
      if (maxBytes && file.size > maxBytes) {
        setStatus(row, message("TooBig"), "error");
      }
      drawPreview(element.querySelector(".bulk-preview"), file);
      rows.push(row);
      list.appendChild(element);
    });
    updateSummary();
  }

  function updateSummary() {
    const done = rows.filter(function (row) { return row.done; }).length;
    summary.textContent = rows.length
      ? message("Summary").replace("{done}", done).replace("{total}", rows.length)
      : "";
  }

  function errorText(response) {
    if (!response || !response.errors) {
      return message("Network");
    }
    return Object.keys(response.errors).map(function (field) {
      return response.errors[field].join(" ");
    }).join(" ");
  }

  function upload(row) {
    return new Promise(function (resolve) {
      const data = new FormData(form);
      data.delete("image");
      data.delete("caption");
      data.delete("alt_text");
      data.append("image", row.file, row.file.name);
      data.append("caption", row.caption.value.trim());
      data.append("alt_text", row.alt.value.trim());
      const request = new XMLHttpRequest();
      request.open("POST", form.action || window.location.href);
      request.setRequestHeader("Accept", "application/json");
      request.responseType = "json";
      request.upload.addEventListener("progress", function (event) {
        if (event.lengthComputable) {
          row.progress.value = Math.round((event.loaded / event.total) * 100);
        }
      });
      request.addEventListener("load", function () {
        if (request.status === 201 && request.response) {
          row.done = true;
          row.progress.value = 100;
          setStatus(row, message("Done") + " ", "done");
          const link = document.createElement("a");
          link.href = request.response.url;
          link.textContent = message("Edit");
          row.status.appendChild(link);
          row.caption.disabled = true;
          row.alt.disabled = true;
        } else {
          row.progress.value = 0;
          setStatus(row, message("Failed") + errorText(request.response), "error");
        }
        updateSummary();
        resolve();
      });
      request.addEventListener("error", function () {
        row.progress.value = 0;
        setStatus(row, message("Failed") + message("Network"), "error");
        resolve();
      });
      setStatus(row, message("Uploading"), "uploading");
      request.send(data);
    });
  }

  input.addEventListener("change", function () {
    addFiles(input.files);
    input.value = "";
  });

  ["dragenter", "dragover"].forEach(function (name) {
    dropZone.addEventListener(name, function (event) {
      event.preventDefault();
      dropZone.classList.add("is-over");
    });
  });
  ["dragleave", "drop"].forEach(function (name) {
    dropZone.addEventListener(name, function () {
      dropZone.classList.remove("is-over");
    });
  });
  dropZone.addEventListener("drop", function (event) {
    event.preventDefault();
    if (event.dataTransfer && event.dataTransfer.files) {
      addFiles(event.dataTransfer.files);
    }
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (busy) {
      return;
    }
    const pending = rows.filter(function (row) { return !row.done; });
    if (!pending.length) {
      summary.textContent = message("None");
      return;
    }
    const missing = pending.filter(function (row) { return !row.caption.value.trim(); });
    if (missing.length) {
      missing.forEach(function (row) { setStatus(row, message("Caption"), "error"); });
      missing[0].caption.focus();
      return;
    }
    busy = true;
    pending.reduce(function (chain, row) {
      return chain.then(function () { return upload(row); });
    }, Promise.resolve()).then(function () {
      busy = false;
      updateSummary();
    });
  });
})();
