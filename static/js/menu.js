// On a phone the header's menu folds behind one button, so pages start near the top.
// Without JavaScript the menu simply stays open.
(function () {
  "use strict";
  var header = document.querySelector(".site-header");
  var toggle = header && header.querySelector(".menu-toggle");
  if (!toggle) { return; }
  var narrow = window.matchMedia("(max-width: 40rem)");
  function fold(folded) {
    header.classList.toggle("folded", folded);
    toggle.setAttribute("aria-expanded", folded ? "false" : "true");
  }
  function apply() {
    toggle.hidden = !narrow.matches;
    fold(narrow.matches);
  }
  toggle.addEventListener("click", function () { fold(!header.classList.contains("folded")); });
  narrow.addEventListener("change", apply);
  apply();
})();
