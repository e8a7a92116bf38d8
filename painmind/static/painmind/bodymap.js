// The body map (diary/bodymap.py): each shape toggles the check-in's pain_locations checkbox of
// the same region. Without this script the map stays hidden and the checkboxes are the answer.
(function () {
  "use strict";
  function boxFor(el) {
    var form = el.closest("form");
    return form && form.querySelector('input[name="pain_locations"][value="' + el.getAttribute("data-region") + '"]');
  }
  function sync() {
    document.querySelectorAll(".bodymap").forEach(function (map) {
      map.removeAttribute("hidden");
      var list = map.closest("fieldset") && map.closest("fieldset").querySelector(".regions-list");
      if (list) list.hidden = true;
      map.querySelectorAll("[data-region]").forEach(function (el) {
        var box = boxFor(el);
        el.setAttribute("aria-checked", box && box.checked ? "true" : "false");
      });
    });
  }
  function toggle(el) {
    var box = boxFor(el);
    if (!box) return;
    box.checked = !box.checked;
    el.setAttribute("aria-checked", box.checked ? "true" : "false");
  }
  function region(target) {
    return target && target.closest ? target.closest(".bodymap [data-region]") : null;
  }
  document.addEventListener("click", function (e) {
    var el = region(e.target);
    if (el) { e.preventDefault(); toggle(el); el.focus(); }
  });
  document.addEventListener("keydown", function (e) {
    var el = region(e.target);
    if (el && (e.key === " " || e.key === "Enter")) { e.preventDefault(); toggle(el); }
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", sync); else sync();
  document.addEventListener("htmx:afterSettle", sync);
})();
