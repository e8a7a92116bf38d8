// The breathing timer: counts down the chosen minutes, then moves to the after-session form
// and fills in the minutes. Without JavaScript the pacer still runs (CSS) and the form works.
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var timer = document.querySelector(".pacer-timer");
    var form = document.getElementById("after-form");
    if (!timer || !form) return;
    var total = parseInt(timer.getAttribute("data-minutes"), 10) * 60;
    var minutesField = form.querySelector("[name=minutes]");
    var started = Date.now();
    timer.hidden = false;
    function show(left) {
      var m = Math.floor(left / 60), s = left % 60;
      timer.textContent = m + ":" + (s < 10 ? "0" : "") + s + " left";
    }
    show(total);
    var tick = window.setInterval(function () {
      var elapsed = Math.floor((Date.now() - started) / 1000);
      if (minutesField && !minutesField.dataset.touched) {
        minutesField.value = String(Math.max(1, Math.round(elapsed / 60)));
      }
      if (elapsed >= total) {
        window.clearInterval(tick);
        timer.textContent = "Time is up. How do you feel now?";
        timer.setAttribute("aria-live", "polite");
        var first = form.querySelector("[name=tension_after]");
        if (first) first.focus();
        return;
      }
      show(total - elapsed);
    }, 1000);
    if (minutesField) {
      minutesField.addEventListener("input", function () { minutesField.dataset.touched = "1"; });
    }
  });
})();
