// A form that came back with errors: focus moves to the summary at its top, and each
// link in it moves the focus to its field (not only the scroll position).
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) { return; }
  summary.focus();
  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) { return; }
    var field = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!field) { return; }
    event.preventDefault();
    field.focus();
    field.scrollIntoView({ block: "center" });
  });
})();
