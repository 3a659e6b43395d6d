// The diagram's links open their resource's editor in place, through htmx (the answer is the
// editor alone, and its address goes into the history). One listener for every link instead
// of an hx-get on each: a large diagram has ~7,500 of them. Without JavaScript each link is a
// plain link to the same page with that resource selected.
document.addEventListener("click", function (event) {
  if (event.defaultPrevented || event.button !== 0 ||
      event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) {
    return;
  }
  var link = event.target.closest ? event.target.closest("svg.diagram a[href]") : null;
  if (!link || !window.htmx || !document.getElementById("editor")) {
    return;
  }
  event.preventDefault();
  window.htmx.ajax("GET", link.getAttribute("href"), {
    source: link,
    target: "#editor",
    swap: "outerHTML",
  });
});
