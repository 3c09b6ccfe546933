// Drafts save as one types: three seconds after the last change, the form is sent with
// autosave=1 (calls/application_views.py). The server refuses a save based on an older
// version (a colleague saved in between); then autosaving stops and the page says so,
// so that nothing typed here overwrites the colleague's text unseen.
(function () {
  "use strict";
  var form = document.getElementById("application-form");
  if (!form || !window.fetch) { return; }
  var status = form.querySelector(".autosave-status");
  var version = form.querySelector("input[name=version]");
  var timer = null;
  var stopped = false;
  var texts = {
    de: { saving: "Speichert …", saved: "Entwurf gespeichert um ", failed: "Nicht gespeichert: ", offline: "Nicht gespeichert (keine Verbindung). Bitte später „Entwurf speichern“." },
    en: { saving: "Saving …", saved: "Draft saved at ", failed: "Not saved: ", offline: "Not saved (no connection). Please use “Save draft” later." }
  }[document.documentElement.lang === "en" ? "en" : "de"];

  function say(text) { status.textContent = text; }

  function save() {
    if (stopped) { return; }
    var data = new FormData(form);
    data.set("autosave", "1");
    say(texts.saving);
    fetch(form.dataset.autosave, { method: "POST", body: data, credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, code: response.status, body: body }; });
      })
      .then(function (result) {
        if (result.ok && result.body.saved) {
          version.value = result.body.version;
          say(texts.saved + new Date().toLocaleTimeString(document.documentElement.lang, { hour: "2-digit", minute: "2-digit" }));
          return;
        }
        if (result.code === 409) { stopped = true; }
        say(texts.failed + (result.body.errors || []).join(" "));
      })
      .catch(function () { say(texts.offline); });
  }

  function countCharacters(field) {
    var counter = form.querySelector('[data-counter-for="' + field.id + '"]');
    if (!counter) { return; }
    var max = parseInt(field.dataset.maxChars, 10);
    counter.textContent = field.value.length + " / " + max;
    counter.classList.toggle("over", field.value.length > max);
  }

  form.addEventListener("input", function (event) {
    if (event.target.dataset && event.target.dataset.maxChars) { countCharacters(event.target); }
    clearTimeout(timer);
    timer = setTimeout(save, 3000);
  });
  Array.prototype.forEach.call(form.querySelectorAll("[data-max-chars]"), countCharacters);
})();
