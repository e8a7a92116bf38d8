// "Copy" buttons: <button data-copy="ID" hidden> copies the value of the field with that id and
// says so in the element with data-copied="ID". Hidden until this script shows it, so without
// JavaScript (or a clipboard) the page offers only the field, which can be selected and copied.
document.addEventListener("DOMContentLoaded", () => {
  if (!navigator.clipboard) return;
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const id = button.dataset.copy;
    const field = document.getElementById(id);
    const note = document.querySelector(`[data-copied="${id}"]`);
    if (!field) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(field.value);
        if (note) note.textContent = "Copied.";
      } catch {
        field.select();
        if (note) note.textContent = "Select the link and copy it.";
      }
    });
  }
});
