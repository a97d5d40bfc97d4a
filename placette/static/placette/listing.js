// List pages: the header checkbox checks or clears every row of the page.
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-check-all]");
  if (!all || !all.form) return;
  for (const box of all.form.querySelectorAll('input[type="checkbox"][name="ids"]')) {
    box.checked = all.checked;
  }
});
