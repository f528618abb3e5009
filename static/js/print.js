// The report's 印刷する button: the browser's own print dialog (A4, hub.css @media print).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
