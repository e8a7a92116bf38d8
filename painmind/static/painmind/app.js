// Small progressive enhancements; every page works without this file (CSP: no inline script).
(function () {
  "use strict";

  // Time zone: preselect the browser's own zone where the server asks for it (the person still
  // has the site's default), and say so; nothing is saved until the form is submitted.
  function preselectTimeZone(select) {
    var zone;
    try { zone = Intl.DateTimeFormat().resolvedOptions().timeZone; } catch (e) { return; }
    if (!zone || select.value === zone) { return; }
    var option = Array.prototype.find.call(select.options, function (o) { return o.value === zone; });
    if (!option) { return; }
    select.value = zone;
    var note = document.createElement("span");
    note.className = "muted small tz-note";
    note.id = select.id + "_browser";
    note.textContent = "Preselected from this device: " + zone + ". Press Save to keep it.";
    select.insertAdjacentElement("afterend", note);
    var described = select.getAttribute("aria-describedby");
    select.setAttribute("aria-describedby", described ? described + " " + note.id : note.id);
  }

  // Copy buttons: <button type="button" data-copy="ID" hidden> copies the value (or text) of
  // element ID and reports it in the button's status element (data-copy-status="ID").
  function copyText(text, fallbackEl) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      if (fallbackEl && fallbackEl.select) { fallbackEl.select(); }
      try { if (document.execCommand("copy")) { resolve(); } else { reject(new Error("copy refused")); } }
      catch (e) { reject(e); }
    });
  }

  function wireCopy(button) {
    var target = document.getElementById(button.getAttribute("data-copy"));
    var status = document.getElementById(button.getAttribute("data-copy-status"));
    if (!target) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = "value" in target ? target.value : target.textContent.trim();
      copyText(text, target).then(
        function () { if (status) { status.textContent = "Copied."; } },
        function () { if (status) { status.textContent = "Could not copy: select it and copy it yourself."; } }
      );
    });
  }

  // The main menu's "More" (a <details>): a tap elsewhere or Escape closes it.
  function wireMore(details) {
    document.addEventListener("click", function (e) {
      if (details.open && !details.contains(e.target)) { details.open = false; }
    });
    details.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && details.open) { details.open = false; details.querySelector("summary").focus(); }
    });
  }

  function init() {
    document.querySelectorAll(".mainnav details").forEach(wireMore);
    document.querySelectorAll('select[data-time-zone="preselect"]').forEach(preselectTimeZone);
    document.querySelectorAll("button[data-copy]").forEach(wireCopy);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
