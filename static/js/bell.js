// The bell's unread count, kept live over /ws/notifications/ on every page of a
// signed-in person. The count in the page is right at load; this only refreshes it.
(function () {
  "use strict";
  var badge = document.querySelector("[data-testid=bell-count]");
  if (!badge || !("WebSocket" in window)) { return; }
  var delay = 1000;

  function show(count) {
    badge.textContent = String(count);
    badge.hidden = count < 1;
  }

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/ws/notifications/");
    socket.addEventListener("open", function () { delay = 1000; });
    socket.addEventListener("message", function (event) {
      var message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      if (message && message.type === "unread" && typeof message.count === "number") {
        show(message.count);
        badge.dataset.live = "true";  // the page now follows the count as it changes
      }
    });
    socket.addEventListener("close", function (event) {
      delete badge.dataset.live;
      if (event.code === 4401) { return; }  // signed out: nothing to show
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    });
  }
  connect();
})();
