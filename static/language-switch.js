// Keeps the header's language switch pointing at the page the learner is on. Without
// JavaScript the server writes the right link on every page; with it, htmx swaps a part of the
// page and pushes a new address (HX-Push-Url) while the header stays as first rendered, so its
// "next=" would send the learner back to the first page. After each push or replace, the links
// take the new address. (A file, not an inline script: the CSP allows only this server's files.)
(function () {
  "use strict";
  function pointAt(path) {
    if (typeof path !== "string" || path.charAt(0) !== "/" || path.charAt(1) === "/") {
      return; // only a path of this site, as the server's local_path() accepts
    }
    var links = document.querySelectorAll('.language-switch a[href^="/language/"]');
    for (var i = 0; i < links.length; i++) {
      var href = links[i].getAttribute("href");
      links[i].setAttribute("href", href.split("?")[0] + "?next=" + encodeURIComponent(path));
    }
  }
  function followHistory(event) {
    pointAt(event.detail && event.detail.path);
  }
  document.addEventListener("htmx:pushedIntoHistory", followHistory);
  document.addEventListener("htmx:replacedInHistory", followHistory);
})();
