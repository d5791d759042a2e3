/* History: search over past incidents, from search/incidents.json (loaded on the
   first search). Results are set as text, never as markup. */
(function (d) {
  var s = d.currentScript, root = s.dataset.root, form = d.querySelector(".sp-search"),
      out = d.querySelector(".sp-results"), index, q;
  if (!form || !out) return;
  form.hidden = false;
  q = form.querySelector("input");
  function show() {
    var terms = q.value.toLowerCase().split(/\s+/).filter(Boolean), n = 0;
    out.replaceChildren();
    if (!terms.length) return;
    index.forEach(function (e) {
      var hay = (e[1] + " " + e[3]).toLowerCase();
      if (n < 50 && terms.every(function (t) { return hay.indexOf(t) >= 0; })) {
        var li = d.createElement("li"), a = d.createElement("a"), small = d.createElement("small");
        a.href = root + e[0];
        a.textContent = e[1];
        small.textContent = " " + e[2];
        li.append(a, small);
        out.append(li);
        n++;
      }
    });
    if (!n) { var p = d.createElement("li"); p.textContent = out.dataset.none; out.append(p); }
  }
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  q.addEventListener("input", function () {
    if (index) return show();
    fetch(root + s.dataset.index).then(function (r) { return r.json(); })
      .then(function (j) { index = j.incidents; show(); });
  });
})(document);
