/*
 * The unread count beside 通知 in the admin header. Fetched after the page
 * loads, so admin pages spend no query on it; without JavaScript the link
 * still leads to the list.
 */
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var link = document.getElementById("notice-link");
    if (!link) return;
    var badge = link.querySelector(".notice-count");
    fetch(link.dataset.unreadUrl, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        return response.ok ? response.json() : { unread: 0 };
      })
      .then(function (data) {
        if (!data.unread) return;
        badge.querySelector(".count").textContent =
          data.unread > 99 ? "99+" : String(data.unread);
        badge.hidden = false;
      })
      .catch(function () {});
  });
})();
