// The main menu on a narrow screen: folded behind its "Menu" button, which opens and
// closes it (Escape closes it too). Without this script the button stays hidden and the
// whole menu shows, so every page stays reachable.
(function () {
  "use strict";
  var nav = document.querySelector("nav.site-nav");
  var toggle = nav && nav.querySelector(".site-nav__toggle");
  var list = toggle && document.getElementById(toggle.getAttribute("aria-controls"));
  if (!list) {
    return;
  }
  // Keep in step with the @media rule of .site-nav in jetadmin.css.
  var narrow = window.matchMedia("(max-width: 48rem)");

  function setOpen(open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    list.hidden = !open;
    nav.classList.toggle("site-nav--open", open);
  }

  function fit() {
    nav.classList.toggle("site-nav--folding", narrow.matches);
    toggle.hidden = !narrow.matches;
    setOpen(!narrow.matches);
  }

  toggle.addEventListener("click", function () {
    setOpen(toggle.getAttribute("aria-expanded") !== "true");
  });
  nav.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && narrow.matches && !list.hidden) {
      setOpen(false);
      toggle.focus();
    }
  });
  if (narrow.addEventListener) {
    narrow.addEventListener("change", fit);
  } else {
    narrow.addListener(fit);
  }
  fit();
})();
