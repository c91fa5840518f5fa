// Filters the operations by operationId, method, path, summary, tag and the words of
// their descriptions, parameters, bodies and responses, in the sidebar and in the page,
// as the reader types; the query goes into the URL (`?q=`), so a search can be shared.
// Runs from a file: no request, no library.
(function () {
  "use strict";
  var input = document.getElementById("search");
  var count = document.getElementById("search-count");
  var none = document.getElementById("no-match");
  if (!input) { return; }
  var ops = Array.prototype.slice.call(document.querySelectorAll("article.op[data-search]"));
  // A sidebar entry matches as the operation it links to (`data-search-of` names it).
  var items = Array.prototype.slice.call(document.querySelectorAll(".toc li[data-search-of]"));
  var byAnchor = {};
  ops.forEach(function (el) { byAnchor[el.id] = el; });
  var groups = Array.prototype.slice.call(document.querySelectorAll("[data-group]"));
  var extra = Array.prototype.slice.call(document.querySelectorAll("#access, #schemas, #decisions, #findings, .toc-extra"));

  function matches(el, words) {
    var of = el.getAttribute("data-search-of");
    var source = of ? byAnchor[of] : el;
    var text = (source && source.getAttribute("data-search")) || "";
    return words.every(function (w) { return text.indexOf(w) !== -1; });
  }

  function apply() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    ops.forEach(function (el) {
      var on = matches(el, words);
      el.hidden = !on;
      if (on) { shown += 1; }
    });
    items.forEach(function (el) { el.hidden = !matches(el, words); });
    groups.forEach(function (g) {
      var left = g.querySelectorAll("[data-search-of]:not([hidden]), [data-search]:not([hidden])").length;
      g.hidden = left === 0;
      var count = g.querySelector(".toc-tag .count");
      if (count) {
        if (!count.hasAttribute("data-all")) { count.setAttribute("data-all", count.textContent); }
        count.textContent = words.length ? left + " / " + count.getAttribute("data-all") : count.getAttribute("data-all");
      }
    });
    extra.forEach(function (el) { el.hidden = words.length > 0; });
    count.textContent = words.length ? shown + " of " + ops.length : "";
    if (none) { none.hidden = shown > 0 || !words.length; }
  }

  input.addEventListener("input", function () {
    apply();
    var url = new URL(window.location.href);
    if (input.value) { url.searchParams.set("q", input.value); } else { url.searchParams.delete("q"); }
    window.history.replaceState(null, "", url.toString());
  });
  // A link to a place inside folded decisions opens them.
  function reveal() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var el = id && document.getElementById(id);
    for (; el; el = el.parentElement) {
      if (el.tagName === "DETAILS") { el.open = true; }
    }
  }
  window.addEventListener("hashchange", reveal);
  reveal();
  // `page.html?q=words` opens with the search filled in: a link can share a search.
  var given = new URLSearchParams(window.location.search).get("q");
  if (given) {
    input.value = given;
    apply();
  }
  document.addEventListener("keydown", function (e) {
    if (e.key === "/" && document.activeElement !== input) {
      e.preventDefault();
      input.focus();
    } else if (e.key === "Escape" && document.activeElement === input) {
      input.value = "";
      apply();
    }
  });
})();
