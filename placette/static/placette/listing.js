// List pages: the header checkbox checks or clears every row of the page (the rows'
// checkboxes belong to the bulk-action form named by data-check-all, through form=).
document.addEventListener("change", (event) => {
  const all = event.target.closest("[data-check-all]");
  if (!all) return;
  const form = all.dataset.checkAll;
  for (const box of document.querySelectorAll(`input[type="checkbox"][name="ids"][form="${form}"]`)) {
    box.checked = all.checked;
  }
});
