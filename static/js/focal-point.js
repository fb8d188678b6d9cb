/*
 * Focal point of a photo: click on the preview where the subject is. The
 * point is stored as fractions (focal_x, focal_y, 0–1 from the top left) and
 * every crop on the site keeps it in view (Photo.focus_class). The two
 * number fields stay editable for keyboard users and show the values.
 */
(function () {
  "use strict";

  function start() {
    var image = document.querySelector(".field-preview img.admin-thumbnail");
    var x = document.getElementById("id_focal_x");
    var y = document.getElementById("id_focal_y");
    if (!image || !x || !y) return;
    var frame = document.createElement("span");
    frame.className = "focal-picker";
    image.parentNode.insertBefore(frame, image);
    frame.appendChild(image);
    var marker = document.createElement("span");
    marker.className = "focal-marker";
    marker.setAttribute("aria-hidden", "true");
    frame.appendChild(marker);
    var help = document.createElement("p");
    help.className = "help";
    help.id = "focal-help";
    help.textContent = "在图片上点击主体（如人物的脸）所在位置，裁切时会保留这一点。";
    frame.parentNode.insertBefore(help, frame.nextSibling);
    image.title = "点击设置焦点";

    function show() {
      marker.style.left = (parseFloat(x.value || "0.5") * 100) + "%";
      marker.style.top = (parseFloat(y.value || "0.5") * 100) + "%";
    }
    image.addEventListener("click", function (event) {
      var box = image.getBoundingClientRect();
      var fx = Math.min(1, Math.max(0, (event.clientX - box.left) / box.width));
      var fy = Math.min(1, Math.max(0, (event.clientY - box.top) / box.height));
      x.value = fx.toFixed(2);
      y.value = fy.toFixed(2);
      show();
    });
    x.addEventListener("input", show);
    y.addEventListener("input", show);
    show();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
