/* The idle warning (progressive enhancement): before the city's idle time runs out, a bar at
 * the bottom of the window says so, with a button that keeps the session open (a POST with
 * the CSRF token to /account/session/extend) and starts the count again. It is not a dialog:
 * nothing else on the page is blocked, and focus stays where the resident is. When the time
 * has run out, the bar says so and links to the login page. The times come from the bar's
 * data-idle-seconds and data-warn-seconds (the city's auth.session_idle_minutes). Without
 * JavaScript the bar stays hidden and the session ends after the idle time as before. */
(function () {
  "use strict";

  function start() {
    var bar = document.querySelector("[data-idle-warning]");
    if (!bar || !window.fetch || !window.FormData) {
      return;
    }
    var idle = Number(bar.getAttribute("data-idle-seconds")) * 1000;
    var lead = Number(bar.getAttribute("data-warn-seconds")) * 1000;
    var text = bar.querySelector("[data-idle-warning-text]");
    var form = bar.querySelector("[data-idle-warning-extend]");
    var login = bar.querySelector("[data-idle-warning-login]");
    var timers = [];

    function show(message, extendable) {
      text.textContent = text.getAttribute(message);
      form.hidden = !extendable;
      login.hidden = message !== "data-ended";
      bar.hidden = false;
    }

    function schedule() {
      timers.forEach(clearTimeout);
      timers = [
        setTimeout(function () { show("data-soon", true); }, Math.max(idle - lead, 0)),
        setTimeout(function () { show("data-ended", false); }, idle)
      ];
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { Accept: "application/json" },
        credentials: "same-origin"
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("refused");
          }
          schedule();
          show("data-extended", false);
          text.focus(); // the button is gone: keep the keyboard's place in the bar
        })
        .catch(function () {
          timers.forEach(clearTimeout);
          show("data-ended", false);
        });
    });
    // The confirmation goes away once the resident moves on.
    bar.addEventListener("focusout", function (event) {
      if (form.hidden && login.hidden && !bar.contains(event.relatedTarget)) {
        bar.hidden = true;
      }
    });
    schedule();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
