// Starts Pagefind's search box on a page: it searches the index of the page's own language
// (Pagefind picks it from <html lang>). The label and placeholder come from the page's catalog.
window.addEventListener("DOMContentLoaded", function () {
  var box = document.querySelector("[data-l10n-search]");
  if (!box || typeof PagefindUI === "undefined") {
    return;
  }
  new PagefindUI({
    element: box,
    bundlePath: box.getAttribute("data-bundle"),
    showImages: false,
    resetStyles: false,
    translations: {
      placeholder: box.getAttribute("data-placeholder"),
      search_label: box.getAttribute("data-label")
    }
  });
});
