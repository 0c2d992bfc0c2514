// Review page helpers, loaded from /static (no inline script: the CSP forbids it).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Filters apply as soon as a choice changes.
  var filters = document.getElementById("filters");
  if (filters) {
    filters.querySelectorAll("select").forEach(function (select) {
      select.addEventListener("change", function () { filters.submit(); });
    });
  }
  // Following an evidence link opens the message part it points into.
  document.querySelectorAll('a[href^="#ev-"]').forEach(function (link) {
    link.addEventListener("click", function () {
      var target = document.getElementById(link.getAttribute("href").slice(1));
      if (target) {
        target.classList.add("focus");
        window.setTimeout(function () { target.classList.remove("focus"); }, 2000);
      }
    });
  });
});
