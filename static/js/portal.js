/*
 * Small improvements on top of pages that work without JavaScript:
 * - move focus to the error summary (or a result) after a page with errors loads;
 * - show the KvK fields or the penvoerder fields for the chosen kind of applicant;
 * - show only the buurten of the chosen wijk;
 * - keep a running total of the budget while typing.
 * Nothing here validates: the server does that, in Dutch.
 */
(function () {
  "use strict";

  function focusFirst() {
    var target =
      document.getElementById("error-summary-title") ||
      document.querySelector("[data-focus-on-load]");
    if (target) {
      target.focus();
    }
  }

  function toggleKind() {
    var radios = document.querySelectorAll('input[name="kind"]');
    var groups = document.querySelectorAll("[data-show-for-kind]");
    if (!radios.length || !groups.length) {
      return;
    }
    function update() {
      var chosen = document.querySelector('input[name="kind"]:checked');
      groups.forEach(function (group) {
        var hasError = group.querySelector(".utrecht-form-field--invalid");
        var show = !chosen || chosen.value === group.dataset.showForKind || hasError;
        group.hidden = !show;
      });
    }
    radios.forEach(function (radio) {
      radio.addEventListener("change", update);
    });
    update();
  }

  function filterBuurten() {
    var wijk = document.querySelector('select[name="wijk"]');
    var container = document.querySelector("[data-buurten]");
    if (!wijk || !container) {
      return;
    }
    function update() {
      var options = container.querySelectorAll("[data-wijk]");
      var visible = 0;
      options.forEach(function (option) {
        var checkbox = option.querySelector("input");
        var show = wijk.value !== "" && option.dataset.wijk === wijk.value;
        if (!show && checkbox && checkbox.checked && wijk.value !== "") {
          show = true; // never hide something the user chose
        }
        option.hidden = !show;
        if (show) {
          visible += 1;
        }
      });
      container.hidden = visible === 0;
    }
    wijk.addEventListener("change", update);
    update();
  }

  // The same reading of euros as the server: "1.234,56", "1234.56", "1234,56".
  function parseEuros(text) {
    var value = (text || "").replace(/[€\s\u00a0]/g, "");
    if (!value) {
      return 0;
    }
    var hasDot = value.indexOf(".") !== -1;
    var hasComma = value.indexOf(",") !== -1;
    if (hasDot && hasComma) {
      if (value.lastIndexOf(",") > value.lastIndexOf(".")) {
        value = value.replace(/\./g, "").replace(",", ".");
      } else {
        value = value.replace(/,/g, "");
      }
    } else if (hasComma) {
      value = value.replace(",", ".");
    } else if (/^\d{1,3}(\.\d{3})+$/.test(value)) {
      value = value.replace(/\./g, "");
    }
    if (!/^\d+(\.\d{1,2})?$/.test(value)) {
      return null;
    }
    var parts = value.split(".");
    var cents = parseInt(parts[0], 10) * 100;
    if (parts[1]) {
      cents += parseInt((parts[1] + "0").slice(0, 2), 10);
    }
    return cents;
  }

  function formatCents(cents) {
    var euros = Math.floor(cents / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ".");
    var rest = ("0" + (cents % 100)).slice(-2);
    return "€ " + euros + "," + rest;
  }

  function runningTotal() {
    var budget = document.querySelector("[data-budget]");
    var output = document.querySelector("[data-budget-total]");
    if (!budget || !output) {
      return;
    }
    function update() {
      var total = 0;
      var unreadable = false;
      budget.querySelectorAll("fieldset").forEach(function (row) {
        var amount = row.querySelector("[data-budget-amount] input");
        var remove = row.querySelector('input[name$="-DELETE"]');
        if (!amount || (remove && remove.checked)) {
          return;
        }
        var cents = parseEuros(amount.value);
        if (cents === null) {
          unreadable = true;
        } else {
          total += cents;
        }
      });
      output.textContent = formatCents(total) + (unreadable ? " *" : "");
    }
    budget.addEventListener("input", update);
    budget.addEventListener("change", update);
  }

  document.addEventListener("DOMContentLoaded", function () {
    toggleKind();
    filterBuurten();
    runningTotal();
    focusFirst();
  });
})();
