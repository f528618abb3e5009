// "Receive push notifications in this browser": registers the service worker, asks
// for permission, subscribes with the server's VAPID key and hands the subscription
// to the server.
(function () {
  "use strict";
  var setup = document.getElementById("push-setup");
  var button = document.getElementById("push-enable");
  var status = document.getElementById("push-status");
  if (!setup || !button) { return; }

  function say(key) { status.textContent = status.dataset[key]; }

  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
    return bytes;
  }

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say("unsupported");
    button.hidden = true;
    return;
  }

  // Push choices matter only where push can arrive: they show when this browser's
  // subscription is one of the person's registered devices.
  var registered = Array.prototype.map.call(
    document.querySelectorAll("[data-testid=device][data-endpoint]"),
    function (item) { return item.dataset.endpoint; });
  navigator.serviceWorker.getRegistration("/")
    .then(function (registration) { return registration ? registration.pushManager.getSubscription() : null; })
    .then(function (subscription) {
      if (!subscription || registered.indexOf(subscription.endpoint) === -1) { return; }
      document.querySelectorAll("[data-push-choice]").forEach(function (node) { node.hidden = false; });
      document.querySelectorAll("[data-push-hint]").forEach(function (node) { node.hidden = true; });
    })
    .catch(function () { /* no registration to read: the choices stay hidden */ });

  // A subscribe() that the browser refuses (a private window, no push service) will
  // not work later either: it is told apart from our own server failing.
  function Unavailable() {}

  button.addEventListener("click", function () {
    button.disabled = true;
    navigator.serviceWorker.register(setup.dataset.workerUrl, { scope: "/" })
      .then(function () { return Notification.requestPermission(); })
      .then(function (permission) {
        if (permission !== "granted") { say("denied"); throw null; }
        return navigator.serviceWorker.ready;
      })
      .then(function (registration) {
        return registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(setup.dataset.key)
        }).catch(function () { throw new Unavailable(); });
      })
      .then(function (subscription) {
        return fetch(setup.dataset.subscribeUrl, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
          body: JSON.stringify(subscription.toJSON())
        });
      })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        say("done");
        setTimeout(function () { location.reload(); }, 800);
      })
      .catch(function (error) {
        if (error instanceof Unavailable) { say("unavailable"); }
        else if (error !== null) { say("failed"); }
      })
      .then(function () { button.disabled = false; });
  });
})();
