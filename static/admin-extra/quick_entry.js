/* Quick entry on the deal form: read "value as reported" and fill the value fields.
 *
 * The wording is sent to a staff-only endpoint (the parser lives on the server, in
 * deals/wording.py, so there is one reading of it); the reply fills amount, currency,
 * qualifier, basis and term for the editor to check before saving. Without this
 * script the form does the same on save. No inline script: the CSP forbids it.
 */
"use strict";
// The admin loads form media in the head, before the form exists.
document.addEventListener("DOMContentLoaded", function () {
  const input = document.querySelector("[data-quick-entry=value]");
  if (!input) {
    return;
  }
  const endpoint = new URL(input.dataset.quickEntryUrl, window.location.href);

  // Below the field's row, so the field keeps its width: a button, then what it read.
  const tools = document.createElement("div");
  tools.className = "quick-entry";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "button quick-entry-fill";
  button.textContent = "Fill value and term";
  const status = document.createElement("p");
  status.className = "quick-entry-status";
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  tools.append(button, status);
  (input.closest(".flex-container") || input).insertAdjacentElement("afterend", tools);

  function field(name) {
    return input.form.elements.namedItem(name);
  }

  function show(message, isError) {
    status.textContent = message;
    status.classList.toggle("errornote", Boolean(isError));
  }

  async function fill() {
    const text = input.value.trim();
    if (!text) {
      show("", false);
      return;
    }
    endpoint.searchParams.set("text", text);
    let reply;
    try {
      const response = await fetch(endpoint, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      reply = await response.json();
    } catch (error) {
      show("Could not reach the server to read the wording; save to have it read.", true);
      return;
    }
    if (!reply.ok) {
      show(reply.error, true);
      return;
    }
    for (const [name, value] of Object.entries(reply.fields)) {
      const element = field(name);
      if (element) {
        element.value = value;
        element.dispatchEvent(new Event("change", { bubbles: true }));
      }
    }
    const notes = reply.assumptions.length ? " " + reply.assumptions.join(" ") : "";
    show("Read as “" + reply.reading + "”. Check the fields below before saving." + notes, false);
  }

  button.addEventListener("click", fill);
  input.addEventListener("change", fill);
  input.addEventListener("keydown", function (event) {
    // Enter reads the wording instead of submitting the whole form.
    if (event.key === "Enter") {
      event.preventDefault();
      fill();
    }
  });
});
