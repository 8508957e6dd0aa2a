/*
 * The warning before a resident's session ends (WCAG 2.2.1 Timing Adjustable).
 *
 * The server renders the dialog only for a logged-in resident, with the seconds its
 * session has left (data-seconds-left), the length of a quiet period
 * (data-session-seconds) and how long before the end to warn (data-warning-seconds).
 * - At the warning the dialog opens (modal) with the focus on "Ingelogd blijven".
 * - "Ingelogd blijven" posts its form (with the CSRF token) to the keep-alive URL:
 *   204 starts the quiet period again; anything else means the session has ended.
 *   Escape counts as "Ingelogd blijven": whoever pressed it is here.
 * - When the time has run out the page goes to data-expired-url: the login page with
 *   a message (or back to this page, when another tab kept the session going).
 * Tabs of the same session share their end time through localStorage, so a tab left
 * alone does not warn or leave while another tab is in use; logging out (a form
 * marked data-logout) forgets it.
 */
(function () {
  "use strict";

  var STORAGE_KEY = "portal-session-ends-at";
  // The server's clock decides; wait a moment longer than it, never shorter.
  var GRACE_MS = 1000;

  function readShared() {
    try {
      return parseInt(window.localStorage.getItem(STORAGE_KEY), 10) || 0;
    } catch (error) {
      return 0;
    }
  }

  function writeShared(value) {
    try {
      window.localStorage.setItem(STORAGE_KEY, String(value));
    } catch (error) {
      // Private browsing without storage: each tab keeps its own time.
    }
  }

  function start(dialog) {
    var sessionMs = parseInt(dialog.dataset.sessionSeconds, 10) * 1000;
    var warningMs = parseInt(dialog.dataset.warningSeconds, 10) * 1000;
    var endsAt = Date.now() + parseInt(dialog.dataset.secondsLeft, 10) * 1000;
    var keepalive = dialog.querySelector("[data-session-keepalive]");
    var stayButton = keepalive.querySelector("button");
    var warnTimer = null;
    var endTimer = null;
    var busy = false;

    function schedule() {
      window.clearTimeout(warnTimer);
      window.clearTimeout(endTimer);
      var now = Date.now();
      warnTimer = window.setTimeout(warn, Math.max(0, endsAt - warningMs - now));
      endTimer = window.setTimeout(end, Math.max(0, endsAt - now) + GRACE_MS);
    }

    // Another tab of this session was used later: follow its end time.
    function followOtherTab() {
      var shared = readShared();
      if (shared > endsAt) {
        endsAt = shared;
        if (dialog.open) {
          dialog.close();
        }
        schedule();
        return true;
      }
      return false;
    }

    function warn() {
      if (followOtherTab() || dialog.open) {
        return;
      }
      dialog.showModal();
      stayButton.focus();
    }

    function end() {
      if (followOtherTab()) {
        return;
      }
      window.location.assign(dialog.dataset.expiredUrl);
    }

    function stay() {
      if (busy) {
        return;
      }
      busy = true;
      var token = keepalive.querySelector('input[name="csrfmiddlewaretoken"]');
      window
        .fetch(keepalive.action, {
          method: "POST",
          credentials: "same-origin",
          headers: { "X-CSRFToken": token ? token.value : "" },
          body: new FormData(keepalive),
        })
        .then(function (response) {
          if (response.status !== 204) {
            throw new Error("session ended");
          }
          endsAt = Date.now() + sessionMs;
          writeShared(endsAt);
          if (dialog.open) {
            dialog.close();
          }
          schedule();
        })
        .catch(function () {
          window.location.assign(dialog.dataset.expiredUrl);
        })
        .then(function () {
          busy = false;
        });
    }

    keepalive.addEventListener("submit", function (event) {
      event.preventDefault();
      stay();
    });
    dialog.addEventListener("cancel", function (event) {
      event.preventDefault();
      stay();
    });

    document.querySelectorAll("form[data-logout]").forEach(function (form) {
      form.addEventListener("submit", function () {
        try {
          window.localStorage.removeItem(STORAGE_KEY);
        } catch (error) {
          // Nothing stored.
        }
      });
    });

    if (readShared() < endsAt) {
      writeShared(endsAt);
    }
    schedule();
  }

  document.addEventListener("DOMContentLoaded", function () {
    var dialog = document.querySelector("[data-session-warning]");
    if (dialog && typeof dialog.showModal === "function") {
      start(dialog);
    }
  });
})();
