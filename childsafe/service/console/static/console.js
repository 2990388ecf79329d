// Keyboard shortcuts and the logged media reveal. Small on purpose; every action also works without it.
(function () {
  "use strict";
  var page = document.body.dataset.page;
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var help = document.getElementById("help");

  function toggleHelp() {
    if (!help) return;
    if (help.open) help.close(); else help.showModal();
  }
  document.querySelectorAll("[data-help-open]").forEach(function (b) { b.addEventListener("click", toggleHelp); });

  function click(id) {
    var el = document.getElementById(id);
    if (el) { el.focus(); el.click(); return true; }
    return false;
  }

  // Queue: j/k move the selection, o/Enter open it.
  var rows = Array.prototype.slice.call(document.querySelectorAll("table.queue tbody tr"));
  var current = -1;
  function select(i) {
    if (!rows.length) return;
    i = Math.max(0, Math.min(rows.length - 1, i));
    if (current >= 0) { rows[current].classList.remove("selected"); rows[current].removeAttribute("aria-current"); }
    current = i;
    rows[i].classList.add("selected");
    rows[i].setAttribute("aria-current", "true");
    var link = rows[i].querySelector("a.case-link");
    if (link) link.focus();
  }
  if (page === "queue" && rows.length) select(0);

  // Media: blurred previews; the original comes only from the reveal endpoint, which logs first.
  function reveal(button) {
    var fig = button.closest("figure");
    var img = fig.querySelector("img");
    var err = fig.querySelector(".reveal-error");
    if (button.getAttribute("aria-pressed") === "true") {
      img.classList.add("blurred");
      img.src = img.dataset.preview;
      delete fig.dataset.revealed;
      button.setAttribute("aria-pressed", "false");
      button.firstChild.textContent = "Reveal (logged) ";
      return;
    }
    fetch(button.dataset.reveal, { method: "POST", headers: { "X-CSRF-Token": csrf }, credentials: "same-origin" })
      .then(function (r) {
        if (!r.ok) return r.json().then(function (p) { throw new Error(p.detail || ("refused (" + r.status + ")")); });
        return r.blob();
      })
      .then(function (blob) {
        img.dataset.preview = img.dataset.preview || img.getAttribute("src");
        img.addEventListener("load", function shown() {
          img.removeEventListener("load", shown);
          fig.dataset.revealed = "true";
        });
        img.src = URL.createObjectURL(blob);
        img.classList.remove("blurred");
        img.alt = "Revealed evidence item " + fig.dataset.name;
        button.setAttribute("aria-pressed", "true");
        button.firstChild.textContent = "Blur again ";
      })
      .catch(function (e) { err.textContent = e.message; err.hidden = false; });
  }
  document.querySelectorAll("button.reveal").forEach(function (b) {
    b.addEventListener("click", function () { reveal(b); });
  });

  document.addEventListener("keydown", function (ev) {
    if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var t = ev.target;
    if (t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable)) return;
    if (help && help.open && ev.key !== "?") return;
    var k = ev.key;
    var handled = true;
    if (k === "?") toggleHelp();
    else if (page === "queue" && k === "j") select(current + 1);
    else if (page === "queue" && k === "k") select(current - 1);
    else if (page === "queue" && (k === "o" || (k === "Enter" && t === document.body))) {
      if (current >= 0) window.location.href = rows[current].querySelector("a.case-link").href;
    }
    else if (page === "case" && k === "c") handled = click("btn-confirm");
    else if (page === "case" && k === "d") handled = click("btn-dismiss");
    else if (page === "case" && k === "e") handled = click("btn-escalate");
    else if (page === "case" && k === "r") handled = click("btn-report");
    else if (page === "case" && k === "v") {
      var next = document.querySelector('button.reveal[aria-pressed="false"]');
      if (next) { next.focus(); reveal(next); } else handled = false;
    }
    else if (page === "report" && k === "c") handled = click("btn-confirm-report");
    else if (page === "report" && k === "x") handled = click("btn-export");
    else if (k === "u" && page !== "queue") window.location.href = "/console";
    else handled = false;
    if (handled) ev.preventDefault();
  });
})();
