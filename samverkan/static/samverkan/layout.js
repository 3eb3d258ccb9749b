// The page layout on every page: the menu button for the main navigation on narrow screens and
// the hint above tables that scroll sideways. Both are enhancements: without scripts the
// navigation stays open and the tables still scroll inside their own focusable containers.
(function () {
  "use strict";

  var root = document.documentElement;

  // Main navigation: collapsed behind the menu button under 768 px (samverkan.css).
  var button = document.querySelector(".menu-button[aria-controls]");
  var nav = button && document.getElementById(button.getAttribute("aria-controls"));
  if (button && nav) {
    var setOpen = function (open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      nav.classList.toggle("is-collapsed", !open);
    };
    root.classList.add("has-menu-button");
    button.hidden = false;
    setOpen(false);
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    // Escape closes the open menu from the button or from a link in it.
    document.addEventListener("keydown", function (event) {
      var active = document.activeElement;
      if (event.key !== "Escape" || button.getAttribute("aria-expanded") !== "true") { return; }
      if (active === button || nav.contains(active)) {
        setOpen(false);
        button.focus();
      }
    });
  }

  // Tables wider than their container: a short visible hint that they scroll sideways.
  var hintText = root.getAttribute("data-scroll-hint") || "";
  var markScrollables = function () {
    document.querySelectorAll(".table-scroll").forEach(function (box) {
      var hint = box.previousElementSibling;
      if (!hint || !hint.classList.contains("scroll-hint")) {
        if (!hintText) { return; }
        hint = document.createElement("p");
        hint.className = "scroll-hint";
        hint.textContent = hintText;
        box.parentNode.insertBefore(hint, box);
      }
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      hint.hidden = !scrolls;
      box.classList.toggle("is-scrollable", scrolls);
    });
  };
  markScrollables();
  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(markScrollables, 150);
  });
})();
