/* Aanvragen met hulp (wijkbureau): no inline scripts, the Content Security Policy
   allows scripts from this site only.
   - A button with data-print prints the page (the sheet with the code).
   - A form with data-submit-once is sent once: a double click on "Code voor DigiD
     afdrukken" would otherwise ask for a second code, and the browser would show
     the answer to the second click, not the sheet. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !form.hasAttribute("data-submit-once")) {
      return;
    }
    if (form.dataset.sent === "1") {
      event.preventDefault();
      return;
    }
    form.dataset.sent = "1";
  });
  /* Back from the sheet with the browser's back button: the form may be sent again. */
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
      delete form.dataset.sent;
    });
  });
})();
