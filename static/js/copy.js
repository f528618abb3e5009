// "コピー" next to a link meant to be passed on (an invitation for LINE or paper, a
// calendar URL): copies the field's text and says so. Without JavaScript the field
// itself can still be selected and copied.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copyTarget);
    if (!field || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = button.dataset.copied;
      }, function () {
        field.select();
      });
    });
  });
})();
