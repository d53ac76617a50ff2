// Sort and filter for every table.data: click a header to sort, type in the box to filter rows.
// Reads only the page's own DOM (textContent and data-v attributes); never builds HTML from text.
(function () {
  "use strict";
  function key(cell) {
    if (!cell) { return ""; }
    var v = cell.hasAttribute("data-v") ? cell.getAttribute("data-v") : cell.textContent.trim();
    return v;
  }
  function compare(a, b, numeric) {
    if (numeric) {
      var x = parseFloat(a), y = parseFloat(b);
      x = isNaN(x) ? -Infinity : x; y = isNaN(y) ? -Infinity : y;
      return x - y;
    }
    return a.localeCompare(b);
  }
  function setup(table) {
    var body = table.tBodies[0];
    if (!body) { return; }
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headers, function (th, index) {
      th.addEventListener("click", function () {
        var asc = !th.classList.contains("asc");
        Array.prototype.forEach.call(headers, function (h) { h.classList.remove("asc", "desc"); });
        th.classList.add(asc ? "asc" : "desc");
        var numeric = th.classList.contains("num");
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) {
          var c = compare(key(r1.cells[index]), key(r2.cells[index]), numeric);
          return asc ? c : -c;
        });
        var frag = document.createDocumentFragment();
        rows.forEach(function (r) { frag.appendChild(r); });
        body.appendChild(frag);
      });
    });
    var bar = document.querySelector('[data-filter-for="' + table.id + '"]');
    if (!bar) { return; }
    var input = bar.querySelector("input");
    var shown = bar.querySelector(".shown");
    var timer = null;
    function apply() {
      var terms = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var n = 0;
      Array.prototype.forEach.call(body.rows, function (r) {
        var text = r.textContent.toLowerCase();
        var ok = terms.every(function (t) { return text.indexOf(t) !== -1; });
        r.classList.toggle("hidden", !ok);
        if (ok) { n += 1; }
      });
      shown.textContent = n + " of " + body.rows.length + " rows";
    }
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(apply, 120); });
    apply();
  }
  document.querySelectorAll("table.data").forEach(setup);
}());
