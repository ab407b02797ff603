/* Error summary of a failed submit (progressive enhancement).
 * Moves focus to the summary so that screen readers and keyboard users start there, and makes
 * each link focus its field (with the field's label scrolled into view) instead of only
 * scrolling. Without JavaScript the summary is the first thing in <main> and the links still
 * jump to the fields. */
(function () {
  "use strict";

  function focusField(event) {
    var id = decodeURIComponent(this.hash.slice(1));
    var field = document.getElementById(id);
    if (!field) {
      return;
    }
    event.preventDefault();
    var label = document.querySelector('label[for="' + id + '"]');
    (label || field).scrollIntoView();
    field.focus({ preventScroll: true });
  }

  function start() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      return;
    }
    var links = summary.querySelectorAll('a[href^="#"]');
    for (var i = 0; i < links.length; i += 1) {
      links[i].addEventListener("click", focusField);
    }
    summary.focus();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
