/*
 * Small fixes to the markup that mkdocs-material's own script writes, where axe-core (tests/test_browser.py)
 * finds a problem. Nothing here changes what a page says; without JavaScript none of these elements exist
 * (the formulas keep the keyboard focus they are built with).
 *
 * - The copy button of every code block sits in a <nav> of its own, which is a landmark: each gets a name of
 *   its own ("Code block 3"), since landmarks of one kind must be told apart by their names.
 * - A formula or a table wider than the column scrolls sideways. While it does, its box takes the keyboard focus
 *   and is a named region, so that it can be scrolled without a mouse; a box that fits is no tab stop.
 */
(function () {
  "use strict";

  var SCROLLING = [
    [".md-typeset .conv-math", "Formula"],
    [".md-typeset .md-typeset__scrollwrap", "Table"],
  ];

  function nameCodeNavs() {
    var navs = document.querySelectorAll(".md-code__nav");
    for (var i = 0; i < navs.length; i++) navs[i].setAttribute("aria-label", "Code block " + (i + 1));
  }

  function markScrolling() {
    SCROLLING.forEach(function (kind) {
      var boxes = document.querySelectorAll(kind[0]);
      for (var i = 0; i < boxes.length; i++) {
        var box = boxes[i];
        if (box.scrollWidth > box.clientWidth + 1) {
          box.setAttribute("tabindex", "0");
          box.setAttribute("role", "region");
          box.setAttribute("aria-label", kind[1] + " " + (i + 1) + ", scrolls sideways");
        } else if (box.getAttribute("role") === "region" || box.hasAttribute("tabindex")) {
          if (box === document.activeElement) continue; // never pull the focus from under the reader
          box.removeAttribute("tabindex");
          box.removeAttribute("role");
          box.removeAttribute("aria-label");
        }
      }
    });
  }

  var pending = false;
  function later() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () {
      pending = false;
      markScrolling();
    });
  }

  function run() {
    nameCodeNavs();
    markScrolling();
  }

  // document$ (the theme's observable of the current page) emits once its components are mounted
  if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(run);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", run);
  else run();
  window.addEventListener("resize", later);
  window.addEventListener("load", later);
  if (document.fonts && document.fonts.ready) document.fonts.ready.then(later);
})();
