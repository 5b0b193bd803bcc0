// Progressive enhancement only: the pages work without it.
// A form with data-bezig shows a visible "bezig" state on submit (uploading and validating can take a while).
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (!form.hasAttribute || !form.hasAttribute("data-bezig")) return;
  var status = form.querySelector(".bezig");
  if (status) {
    status.innerHTML = "";
    var bar = document.createElement("progress");
    bar.setAttribute("aria-label", "Voortgang");
    var text = document.createElement("span");
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
});
