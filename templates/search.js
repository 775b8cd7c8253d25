/* sopctl's site search. A repository can replace it with templates/search.js.
   The index (search-index.js) is loaded by a <script> element the first time the box is used:
   a script loads from file:// as well as from a web server, where fetch() of a file is blocked. */
(function () {
  "use strict";
  var form = document.getElementById("search-form");
  var box = document.getElementById("search");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!form || !box || !list || !status) return;
  form.hidden = false;
  var index = null, loading = false;

  function fold(text) {
    return String(text).toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  function tokens(text) {
    return fold(text).split(/[^\p{L}\p{N}\p{M}]+/u).filter(function (t) { return t.length > 0; });
  }
  function field(text) { return " " + tokens(text).join(" ") + " "; }
  function prepare(d) {
    return { doc: d, fields: [
      ["ID", field(d.id), 8], ["title", field(d.title), 6], ["version", field(d.version), 5],
      ["headings", field(d.headings.join(" ")), 4], ["owner", field(d.owner), 3],
      ["status", field(d.status), 2], ["text", " " + fold(d.words) + " ", 1]
    ] };
  }
  function load() {
    if (index || loading) return;
    loading = true;
    var script = document.createElement("script");
    script.src = form.getAttribute("data-index");
    script.onload = function () {
      index = (window.sopctlSearch || []).map(prepare);
      run();
    };
    script.onerror = function () {
      status.textContent = "Search is not available: the file " + script.src.split("/").pop() + " is missing from the site.";
    };
    document.head.appendChild(script);
  }
  function score(entry, terms) {
    var total = 0, where = [];
    for (var i = 0; i < terms.length; i++) {
      var best = 0, name = "";
      for (var j = 0; j < entry.fields.length; j++) {
        var f = entry.fields[j], at = f[1].indexOf(" " + terms[i]);
        if (at < 0) continue;
        var s = f[2] * (f[1].indexOf(" " + terms[i] + " ") >= 0 ? 1.5 : 1);
        if (s > best) { best = s; name = f[0]; }
      }
      if (best === 0) return null;
      total += best;
      if (where.indexOf(name) < 0) where.push(name);
    }
    return { score: total, where: where };
  }
  function show(query) {
    while (list.firstChild) list.removeChild(list.firstChild);
    var terms = tokens(query);
    if (terms.length === 0) { status.textContent = ""; return; }
    var found = [];
    index.forEach(function (entry) {
      var s = score(entry, terms);
      if (s) found.push({ entry: entry, score: s.score, where: s.where });
    });
    found.sort(function (a, b) { return b.score - a.score || (a.entry.doc.id < b.entry.doc.id ? -1 : 1); });
    found.forEach(function (hit) {
      var d = hit.entry.doc, item = document.createElement("li"), link = document.createElement("a");
      link.href = form.getAttribute("data-root") + d.page;
      link.textContent = d.id + " " + d.title;
      var about = document.createElement("span");
      about.className = "found";
      about.textContent = (d.version ? "version " + d.version + " · " : "") + d.status + " · found in " + hit.where.join(", ");
      item.appendChild(link);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(about);
      list.appendChild(item);
    });
    var quoted = "\u201c" + query.trim() + "\u201d";
    status.textContent = found.length === 0
      ? "No SOP matches " + quoted + ". Search finds words that begin with what you type, in IDs, titles, owners, headings and text."
      : (found.length === 1 ? "1 SOP matches " : found.length + " SOPs match ") + quoted + ".";
  }
  function run() {
    if (!index) { load(); return; }
    show(box.value);
  }
  box.addEventListener("input", run);
  box.addEventListener("focus", load);
  form.addEventListener("submit", function (event) { event.preventDefault(); run(); });
  var asked = new URLSearchParams(window.location.search).get("q");
  if (asked) { box.value = asked; run(); }
})();
