// Narada's dashboard: live updates over Server-Sent Events, "/" to the filter, relative times kept current.
(function () {
  "use strict";
  window.naradaPageLoads = (window.naradaPageLoads || 0) + 1;
  var main = document.getElementById("main");
  var live = document.getElementById("live");
  var pending = false, last = 0, editing = false;
  // A form the operator has started on is never swapped out under them: live updates wait until it is sent.
  document.addEventListener("focusin", function (e) { if (e.target && e.target.form) editing = true; });
  document.addEventListener("submit", function () { editing = false; });

  function relative(ms) {
    var s = Math.round((Date.now() - ms) / 1000), future = s < 0; s = Math.abs(s);
    var text = s < 60 ? s + "s" : s < 3600 ? Math.floor(s / 60) + "m" : s < 172800 ? Math.floor(s / 3600) + "h" : Math.floor(s / 86400) + "d";
    return future ? "in " + text : text + " ago";
  }
  function refreshTimes() {
    document.querySelectorAll("time[datetime]").forEach(function (t) { t.textContent = relative(Date.parse(t.getAttribute("datetime"))); });
  }
  function applyFilter() {
    var input = document.getElementById("filter");
    if (!input) return;
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    document.querySelectorAll("[data-filter]").forEach(function (row) {
      var text = row.getAttribute("data-filter").toLowerCase();
      row.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
    });
  }
  function reload() {
    if (pending || editing) return;
    var wait = Math.max(0, 1000 - (Date.now() - last));
    pending = true;
    setTimeout(function () {
      var focused = document.activeElement && document.activeElement.id;
      var filter = document.getElementById("filter"), value = filter ? filter.value : null;
      fetch(location.href, { headers: { "X-Narada-Fragment": "1" }, credentials: "same-origin" })
        .then(function (r) {
          // Signed out meanwhile (logout elsewhere, the session expired): show the login page.
          if (r.status === 401) location.reload();
          return r.ok ? r.text() : Promise.reject(r.status);
        })
        .then(function (html) {
          if (editing) return;
          main.innerHTML = html;
          var f = document.getElementById("filter");
          if (f && value !== null) { f.value = value; applyFilter(); }
          if (focused && document.getElementById(focused)) document.getElementById(focused).focus();
          refreshTimes();
          main.setAttribute("data-updated", String(Date.now()));
        })
        .catch(function () { })
        .then(function () { pending = false; last = Date.now(); });
    }, wait);
  }
  if (window.EventSource) {
    var source = new EventSource("/ui/stream");
    source.addEventListener("change", reload);
    source.onopen = function () { live.textContent = "● live"; live.className = ""; };
    source.onerror = function () { live.textContent = "○ reconnecting…"; live.className = "off"; };
  }
  document.addEventListener("keydown", function (e) {
    var input = document.getElementById("filter");
    if (e.key === "/" && input && document.activeElement !== input && !/INPUT|TEXTAREA|SELECT/.test(document.activeElement.tagName)) {
      e.preventDefault(); input.focus();
    }
  });
  document.addEventListener("input", function (e) { if (e.target && e.target.id === "filter") applyFilter(); });
  setInterval(refreshTimes, 10000);
  refreshTimes();
})();
