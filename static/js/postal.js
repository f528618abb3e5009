// The resource form's postal code fills the municipality and address as it is typed
// (from the server's offline Japan Post data), so nobody types them twice. Fields
// someone already wrote in are left alone. Without JavaScript the server fills them
// when the form is saved.
(function () {
  "use strict";
  var input = document.querySelector("input[data-postal]");
  if (!input || !window.fetch) { return; }
  var form = input.form;
  var municipality = form.elements.namedItem("municipality");
  var address = form.elements.namedItem("address");
  var status = document.createElement("p");
  status.className = "help";
  status.setAttribute("role", "status");
  input.parentNode.appendChild(status);
  var last = "";

  function digits(value) {
    return value.replace(/[０-９]/g, function (c) { return String.fromCharCode(c.charCodeAt(0) - 0xFEE0); })
      .replace(/[^0-9]/g, "");
  }

  input.addEventListener("input", function () {
    var code = digits(input.value);
    if (code.length !== 7 || code === last) { return; }
    last = code;
    fetch(input.dataset.postalUrl + "?code=" + code, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (found) {
        if (!found.found) {
          status.textContent = gettext("この郵便番号は見つかりません。確かめてください。");
          return;
        }
        if (municipality && !municipality.value) { municipality.value = found.municipality; }
        if (address && !address.value) { address.value = found.address; }
        status.textContent = interpolate(gettext("%(place)sを入れました。番地を続けて書いてください。"),
          { place: found.prefecture + found.municipality + found.address }, true);
      })
      .catch(function () { status.textContent = ""; });
  });
})();
