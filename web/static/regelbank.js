// Progressive enhancement only: the pages work without it. (No inline scripts: the CSP allows only this file.)
(function () {
  "use strict";

  // A form with data-bezig shows a visible "bezig" state on submit (uploading and validating can take a while).
  // A form with data-voortgang also uploads through XMLHttpRequest, so the bar shows how much is sent, then
  // "rekenen"; the answer page replaces this one.
  function busy(form) {
    var status = form.querySelector(".bezig");
    var bar = null, text = null;
    if (status) {
      status.innerHTML = "";
      bar = document.createElement("progress");
      bar.setAttribute("aria-label", "Voortgang");
      text = document.createElement("span");
      text.textContent = form.getAttribute("data-bezig");
      status.appendChild(bar);
      status.appendChild(text);
      status.hidden = false;
    }
    var buttons = form.querySelectorAll("button[type=submit]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].disabled = true;
      buttons[i].setAttribute("aria-busy", "true");
    }
    form.setAttribute("aria-busy", "true");
    return {bar: bar, text: text};
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-bezig")) return;
    var ui = busy(form);
    if (!form.hasAttribute("data-voortgang") || !window.FormData || !window.XMLHttpRequest) return;
    event.preventDefault();
    var started = Date.now();
    var xhr = new XMLHttpRequest();
    xhr.open(form.method || "POST", form.action);
    xhr.upload.onprogress = function (e) {
      if (ui.bar && e.lengthComputable) { ui.bar.max = e.total; ui.bar.value = e.loaded; }
      if (ui.text) ui.text.textContent = "Versturen: " + Math.round(100 * e.loaded / (e.total || 1)) + "%";
    };
    xhr.upload.onload = function () {
      if (ui.bar) ui.bar.removeAttribute("value");
      var tick = function () {
        if (xhr.readyState === 4) return;
        if (ui.text) ui.text.textContent = "Bezig met rekenen… " + Math.round((Date.now() - started) / 1000) + " s";
        window.setTimeout(tick, 500);
      };
      tick();
    };
    xhr.onload = function () {
      var type = xhr.getResponseHeader("Content-Type") || "";
      if (type.indexOf("text/html") === 0) {
        if (xhr.responseURL && xhr.responseURL !== form.action) { window.location = xhr.responseURL; return; }
        document.open(); document.write(xhr.responseText); document.close();
        return;
      }
      window.location = xhr.responseURL || form.action;
    };
    xhr.onerror = function () { form.removeAttribute("data-voortgang"); form.submit(); };
    xhr.send(new FormData(form));
  });

  // Copy the motivering to the clipboard.
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-kopieer]") : null;
    if (!button) return;
    var source = document.getElementById(button.getAttribute("data-kopieer"));
    var status = button.parentNode.querySelector(".kopieer-status");
    var paragraphs = source.querySelectorAll("p");
    var text = Array.prototype.map.call(paragraphs, function (p) { return p.textContent.trim(); }).join("\n\n");
    var done = function () {
      window.getSelection().removeAllRanges();
      if (status) status.textContent = "Gekopieerd.";
    };
    select(source);  // selected at once, so Ctrl+C works even where the clipboard API is refused
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () {});
    }
    function select(node) {
      var range = document.createRange();
      range.selectNodeContents(node);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      if (status) status.textContent = "Geselecteerd: kopieer met Ctrl+C.";
    }
  });

  // After submitting a case the answer is what the consulent wants to see: bring it into view.
  document.addEventListener("DOMContentLoaded", function () {
    var target = document.querySelector("[data-naar-beeld]") ||
      (document.querySelector(".fout[role=alert]") ? null : document.getElementById("uitkomst"));
    if (target) {
      target.scrollIntoView({block: "start"});
      target.focus({preventScroll: true});
    }
  });
})();
