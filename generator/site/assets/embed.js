/* A banner for your own site while something is wrong, from this status page:
     <script src="https://status.example.com/embed.js" async></script>
   It reads api/v2/status.json and api/v2/incidents/unresolved.json from the host the
   script came from, and nothing else; it shows nothing while all is well. Text
   from the data is set as text, never as markup; links must be http(s).
   data-target="#id" puts the banner inside that element instead of the page's corner. */
(function (d) {
  var s = d.currentScript, base = new URL(".", s.src).href, where = s.dataset.target,
      colour = {minor: "#7a5200", major: "#a33d00", critical: "#b00020", maintenance: "#1f4fa3"};
  function get(p) {
    return fetch(base + p, {credentials: "omit"}).then(function (r) {
      if (!r.ok) throw Error(r.status);
      return r.json();
    });
  }
  function safe(u) {
    try { u = new URL(u, base); } catch (e) { return base; }
    return /^https?:$/.test(u.protocol) ? u.href : base;
  }
  function el(tag, text) {
    var e = d.createElement(tag);
    if (text) e.textContent = text;
    return e;
  }
  Promise.all([get("api/v2/status.json"), get("api/v2/incidents/unresolved.json")]).then(function (j) {
    var st = j[0].status || {}, open = j[1].incidents || [], box = el("div"), a, i;
    if (st.indicator == "none" && !open.length) return;
    box.setAttribute("role", "status");
    box.className = "statuspage-embed";
    box.style.cssText = "font:14px/1.4 system-ui,sans-serif;color:#fff;padding:.6em .9em;" +
      "border-radius:.4em;max-width:24em;box-shadow:0 .2em .8em rgba(0,0,0,.3);background:" +
      (colour[st.indicator] || colour.major) + (where ? "" : ";position:fixed;right:1em;bottom:1em;z-index:2147483647");
    box.append(el("strong", st.description || ""));
    for (i = 0; i < open.length && i < 3; i++) {
      a = el("a", open[i].name || "");
      a.href = safe(open[i].shortlink || "");
      a.style.cssText = "display:block;color:#fff;text-decoration:underline";
      box.append(a);
    }
    a = el("a", (j[0].page && j[0].page.name) || base);
    a.href = safe((j[0].page && j[0].page.url) || base);
    a.style.cssText = "display:block;color:#fff;font-size:12px";
    box.append(a);
    (where && d.querySelector(where) || d.body).append(box);
  }).catch(function () {});
})(document);
