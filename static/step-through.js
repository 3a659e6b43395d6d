// Step through a trace with the keyboard: ← goes to the previous step, → to the next. Each
// step is a page of its own (plain links work without JavaScript); this only follows them.
document.addEventListener("keydown", function (event) {
  if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) {
    return;
  }
  var rel = event.key === "ArrowLeft" ? "prev" : event.key === "ArrowRight" ? "next" : null;
  var target = event.target;
  if (!rel || (target && target.closest && target.closest("input, select, textarea, [contenteditable]"))) {
    return;
  }
  var link = document.querySelector(".step-player a[rel=" + rel + "]");
  if (link) {
    event.preventDefault();
    window.location.assign(link.getAttribute("href"));
  }
});

// The event list scrolls by itself: keep the current step in its view (not the page's). And
// the diagram's outline of the step's component pulses, unless the reader asked for less motion.
document.addEventListener("DOMContentLoaded", function () {
  var step = document.querySelector(".step-through");
  if (step && window.matchMedia && !window.matchMedia("(prefers-reduced-motion: reduce)").matches) {
    step.classList.add("step-motion");
  }
  var list = document.querySelector(".step-events");
  var current = list ? list.querySelector("[aria-current=step]") : null;
  if (current) {
    var item = current.parentNode;
    if (item.offsetTop + item.offsetHeight > list.scrollTop + list.clientHeight) {
      list.scrollTop = item.offsetTop - list.clientHeight / 2;
    }
  }
});
