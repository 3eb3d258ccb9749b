// The answer form and its receipt. Everything here is an enhancement: without scripts the
// conditions are applied when saving, and the error summary and receipt work as plain pages.
(function () {
  "use strict";

  // The error summary gets focus, so that screen readers and keyboard users start at the list
  // of errors; each link moves focus to its field with the question's text in view.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var target = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!target) { return; }
      event.preventDefault();
      (target.closest("[data-question]") || target).scrollIntoView();
      target.focus({ preventScroll: true });
    });
  }

  // "Skriv ut" on the receipt: shown only when it can work.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  // The builder's "Visas om": suggest the chosen question's answer options as values, and
  // leave out the value where the operator needs none ("är besvarad").
  var labelsData = document.getElementById("condition-choice-labels");
  var valueList = document.getElementById("condition-values");
  if (labelsData && valueList) {
    var labels = JSON.parse(labelsData.textContent);
    document.querySelectorAll("[data-condition-builder]").forEach(function (builder) {
      var question = builder.querySelector("[name=condition_question]");
      var operator = builder.querySelector("[name=condition_operator]");
      var value = builder.querySelector("[name=condition_value]");
      if (!question || !operator || !value) { return; }
      function refresh() {
        valueList.textContent = "";
        (labels[question.value] || []).forEach(function (label) {
          var option = document.createElement("option");
          option.value = label;
          valueList.appendChild(option);
        });
        var needsValue = operator.value !== "answered" && operator.value !== "unanswered";
        value.closest(".field").hidden = !question.value || !needsValue;
        operator.closest(".field").hidden = !question.value;
      }
      question.addEventListener("change", refresh);
      operator.addEventListener("change", refresh);
      value.addEventListener("focus", refresh);
      refresh();
    });
  }

  // The builder's answer options apply to choice questions only.
  document.querySelectorAll("[data-condition-builder]").forEach(function (builder) {
    var type = builder.querySelector("select[name=type]");
    var options = builder.querySelector("[name=choices]");
    if (!type || !options) { return; }
    function refresh() { options.closest(".field").hidden = type.value.indexOf("select_") !== 0; }
    type.addEventListener("change", refresh);
    refresh();
  });

  // Show and hide survey questions as answers change. The conditions (XLSForm "relevant") are
  // evaluated on the server, the same evaluation that saving uses; this only asks which apply.
  var form = document.querySelector("form[data-relevance-url]");
  if (!form || !window.fetch) { return; }
  var pending = null;
  function update() {
    var data = new FormData(form);
    data.delete("attachment");
    fetch(form.dataset.relevanceUrl, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (result) {
        if (!result) { return; }
        var relevant = new Set(result.relevant);
        form.querySelectorAll("[data-question]").forEach(function (element) {
          element.hidden = !relevant.has(element.dataset.question);
        });
        // choice lists with a choice_filter: show the choices that fit the answers so far
        var shown = result.choices || {};
        form.querySelectorAll("[data-question]").forEach(function (element) {
          var places = shown[element.dataset.question];
          if (!places) { return; }
          var keep = new Set(places);
          element.querySelectorAll("[data-choice]").forEach(function (label) {
            label.hidden = !keep.has(Number(label.dataset.choice));
            var input = label.querySelector("input");
            if (label.hidden && input) { input.checked = false; }
          });
        });
      })
      .catch(function () { /* offline: the server applies the conditions on save */ });
  }
  form.addEventListener("change", function () {
    clearTimeout(pending);
    pending = setTimeout(update, 150);
  });
})();
