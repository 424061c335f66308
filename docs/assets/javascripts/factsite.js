// factsite: open the home page's network on its centre (Afghanistan and Pakistan sit there),
// not on its empty left edge, when it is wider than the screen. No other script, nothing loaded.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".fs-network").forEach(function (area) {
    area.scrollLeft = (area.scrollWidth - area.clientWidth) / 2;
    area.scrollTop = (area.scrollHeight - area.clientHeight) / 2;
  });
});
