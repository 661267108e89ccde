// The page's entry point: sign-in, the hash router, and the session bar.
import { ApiError, api, session } from "./api.js";
import { h, notice, show } from "./dom.js";
import { renderAccount } from "./views/account.js";
import { renderAccounts } from "./views/accounts.js";
import { openConversation, renderConversationPage } from "./views/conversation.js";
import { renderOpportunity } from "./views/opportunity.js";

const main = document.getElementById("main");
const sessionBar = document.getElementById("session");
let cleanup = null;
let returnTo = null;

const routes = [
  [/^#\/accounts\/([\w-]+)$/, (id) => renderAccount(main, id)],
  [/^#\/accounts\/?$/, () => renderAccounts(main)],
  [/^#\/opportunities\/([\w-]+)$/, (id) => renderOpportunity(main, id)],
  [/^#\/conversations\/([\w-]+)$/, (id, query) => renderConversationPage(main, id, query.get("quote"))],
];

function renderSessionBar() {
  if (!session.key) {
    sessionBar.replaceChildren();
    return;
  }
  show(
    sessionBar,
    session.actor ? h("span", { class: "actor" }, `Signed in as ${session.actor}`) : null,
    h("a", { href: "#/accounts" }, "Accounts"),
    h("button", { type: "button", class: "link-button", onclick: signOut }, "Sign out"),
  );
}

function signOut() {
  session.signOut();
  window.location.hash = "#/signin";
}

function renderSignIn(message) {
  document.title = "Sign in · Stakeholder intelligence";
  const error = h("div", { class: "form-error", "aria-live": "assertive" });
  if (message) error.append(notice(message, "error"));
  const keyInput = h("input", {
    id: "api-key",
    name: "api-key",
    type: "password",
    required: true,
    autocomplete: "off",
    spellcheck: "false",
    placeholder: "si_…",
  });
  const actorInput = h("input", {
    id: "actor",
    name: "actor",
    type: "text",
    autocomplete: "name",
    maxlength: 200,
    value: session.actor,
  });
  const form = h(
    "form",
    { class: "signin card", "aria-labelledby": "signin-title" },
    h("h1", { id: "signin-title" }, "Sign in"),
    h("p", null, "Paste your workspace's API key (", h("code", null, "serve --demo"), " prints one)."),
    h("label", { for: "api-key" }, "API key"),
    keyInput,
    h("label", { for: "actor" }, "Your name (changes you make are attributed to it)"),
    actorInput,
    error,
    h("button", { type: "submit", class: "primary" }, "Sign in"),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const key = keyInput.value.trim();
    error.replaceChildren();
    try {
      await api("/accounts", { query: { limit: 1 }, key });
    } catch (failure) {
      const text = failure instanceof ApiError && failure.status === 401
        ? "That key is not valid for this service."
        : failure.message;
      error.append(notice(text, "error"));
      keyInput.focus();
      return;
    }
    session.signIn(key, actorInput.value.trim());
    const target = returnTo ?? "#/accounts";
    returnTo = null;
    window.location.hash = target;
  });
  show(main, form);
  keyInput.focus();
}

async function route() {
  if (cleanup) cleanup();
  cleanup = null;
  renderSessionBar();
  const hash = window.location.hash || "#/accounts";
  if (hash === "#/signin" || !session.key) {
    if (hash !== "#/signin") returnTo = hash;
    renderSignIn();
    return;
  }
  const [path, search] = hash.split("?");
  const query = new URLSearchParams(search ?? "");
  for (const [pattern, render] of routes) {
    const match = pattern.exec(path);
    if (match) {
      try {
        cleanup = (await render(...match.slice(1), query)) ?? null;
      } catch (failure) {
        if (failure instanceof ApiError && failure.status === 401) return; // sign-in shown
        show(main, notice(failure.message, "error"), h("a", { href: "#/accounts" }, "Back to accounts"));
      }
      return;
    }
  }
  show(main, notice("There is no such page.", "error"), h("a", { href: "#/accounts" }, "Accounts"));
}

// A link to a conversation opens it in a dialog over the current view; its address still
// works on its own (new tab, reload).
document.addEventListener("click", (event) => {
  const link = event.target.closest?.("a.conversation-link");
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
  event.preventDefault();
  openConversation(link.dataset.conversationId, link.dataset.quote);
});

window.addEventListener("unauthorized", () => {
  if (!session.key) return;
  session.signOut();
  returnTo = window.location.hash;
  renderSessionBar();
  renderSignIn("Your key was refused; sign in again.");
});
window.addEventListener("hashchange", route);
route();
