// Show and hide survey questions as answers change. The conditions (XLSForm "relevant") are
// evaluated on the server, the same evaluation that saving uses; this only asks which apply.
(function () {
  "use strict";
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
      })
      .catch(function () { /* offline: the server applies the conditions on save */ });
  }
  form.addEventListener("change", function () {
    clearTimeout(pending);
    pending = setTimeout(update, 150);
  });
})();
