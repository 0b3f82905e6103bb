// "Kopiér" buttons on the "Til kommunikation" page: copy a snippet as plain text (and as HTML where the browser
// allows it, so the title pastes as a link), fall back to a hidden textarea, and announce the result.
(function () {
  "use strict";

  function copyWithTextarea(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "0";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var copied = false;
    try {
      copied = document.execCommand("copy");
    } catch (error) {
      copied = false;
    }
    document.body.removeChild(area);
    return copied ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function copy(text, html) {
    if (!navigator.clipboard || !window.isSecureContext) {
      return copyWithTextarea(text);
    }
    var plain = function () {
      return navigator.clipboard.writeText(text);
    };
    var attempt = plain;
    if (html && window.ClipboardItem && navigator.clipboard.write) {
      attempt = function () {
        return navigator.clipboard.write([new ClipboardItem({
          "text/plain": new Blob([text], { type: "text/plain" }),
          "text/html": new Blob([html], { type: "text/html" })
        })]).catch(plain);
      };
    }
    return attempt().catch(function () {
      return copyWithTextarea(text);
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button[data-kopier]") : null;
    if (!button) {
      return;
    }
    var source = document.getElementById(button.getAttribute("data-kopier"));
    var status = button.parentNode.querySelector("[role=status]");
    if (!source || !status) {
      return;
    }
    status.textContent = "";
    copy(source.textContent, button.getAttribute("data-kopier-html")).then(function () {
      status.textContent = "Kopieret";
    }, function () {
      status.textContent = "Kunne ikke kopiere. Markér teksten, og tryk Ctrl+C.";
    }).then(function () {
      button.focus();
    });
  });
})();
