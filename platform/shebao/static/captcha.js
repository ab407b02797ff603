/* The login captcha's buttons (progressive enhancement).
 * "Show another picture" swaps only the picture for a new challenge, and "Listen to the code"
 * switches to a digits-only challenge and plays it, so what the resident typed (ID number,
 * password) stays. Without JavaScript both buttons submit the form, which comes back with the
 * ID number kept and a new challenge. The sound is fetched only after its picture has loaded:
 * the picture's request makes the challenge whose sound the server then serves once. */
(function () {
  "use strict";

  function cacheBuster() {
    return "r=" + Math.floor(Math.random() * 1000000000);
  }

  function start() {
    var box = document.querySelector("[data-captcha]");
    var refresh = document.querySelector("[data-captcha-refresh]");
    if (!box || !refresh) {
      return;
    }
    var picture = box.querySelector("[data-captcha-picture]");
    var sound = box.querySelector("[data-captcha-sound]");
    var status = box.querySelector("[data-captcha-status]");
    var input = box.querySelector("input[name=captcha]");
    var hint = document.getElementById(input.id + "-hint");
    var listen = document.querySelector("[data-captcha-listen]");
    var audio = refresh.value === "audio";

    function newChallenge(play) {
      picture.addEventListener("load", function loaded() {
        picture.removeEventListener("load", loaded);
        if (!audio) {
          return;
        }
        sound.src = box.getAttribute("data-sound-url") + "?" + cacheBuster();
        sound.hidden = false;
        if (play) {
          var playing = sound.play();
          if (playing && playing.catch) {
            playing.catch(function () {});
          }
        }
      });
      picture.src =
        box.getAttribute("data-picture-url") + "?" + cacheBuster() + (audio ? "&audio=1" : "");
      input.value = "";
      status.textContent = box.getAttribute("data-new-code");
      input.focus();
    }

    refresh.addEventListener("click", function (event) {
      event.preventDefault();
      newChallenge(false);
    });
    if (listen) {
      listen.addEventListener("click", function (event) {
        event.preventDefault();
        audio = true;
        refresh.value = "audio";
        picture.width = 200;
        if (hint) {
          hint.textContent = box.getAttribute("data-sound-hint");
        }
        newChallenge(true);
        listen.hidden = true;
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
