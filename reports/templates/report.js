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
    if (numeric) {  // "1,234" and "0.90": drop thousands separators before parsing
      var x = parseFloat(a.replace(/[^0-9.eE+\-]/g, "")), y = parseFloat(b.replace(/[^0-9.eE+\-]/g, ""));
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
        var keyed = Array.prototype.map.call(body.rows, function (r, i) { return [key(r.cells[index]), i, r]; });
        keyed.sort(function (a, b) {
          var c = compare(a[0], b[0], numeric) || a[1] - b[1];
          return asc ? c : -c;
        });
        var frag = document.createDocumentFragment();
        keyed.forEach(function (k) { frag.appendChild(k[2]); });
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
    shown.textContent = body.rows.length + " of " + body.rows.length + " rows";
  }
  document.querySelectorAll("table.data").forEach(setup);
  // An example location in a gap: filter the findings table to it (the link then scrolls there).
  var findingsFilter = document.querySelector('[data-filter-for="t-findings"] input');
  document.querySelectorAll("a.jump").forEach(function (a) {
    a.addEventListener("click", function () {
      if (!findingsFilter) { return; }
      findingsFilter.value = a.getAttribute("data-q");
      findingsFilter.dispatchEvent(new Event("input"));
    });
  });
}());
