// A conversation, with the quote that was used as evidence marked: in a dialog over the
// current view, or as a page of its own.
import { api } from "../api.js";
import { h, highlighted, notice, show } from "../dom.js";
import { date, words } from "../format.js";

function participants(conversation) {
  const people = conversation.participants ?? [];
  if (!people.length) return null;
  return h(
    "ul",
    { class: "participants" },
    people.map((p) =>
      h("li", null, p.name ?? p.email ?? "unknown", p.title ? `, ${p.title}` : "", h("span", { class: "muted" }, ` (${p.side === "ours" ? "our side" : "customer"})`)),
    ),
  );
}

function body(conversation, quote) {
  const turns = conversation.turns ?? [];
  if (turns.length) {
    return h(
      "ol",
      { class: "turns" },
      turns.map((turn) => {
        const quoted = quote && String(turn.text ?? "").toLowerCase().includes(quote.toLowerCase());
        return h(
          "li",
          { class: quoted ? "turn quoted" : "turn" },
          h("span", { class: "speaker" }, turn.speaker ?? "unknown"),
          h("span", { class: "turn-text" }, highlighted(turn.text, quote)),
        );
      }),
    );
  }
  return h("div", { class: "conversation-text" }, highlighted(conversation.text ?? "", quote));
}

function conversationContent(conversation, quote) {
  return [
    h("h2", { id: "conversation-title" }, conversation.title ?? `${words(conversation.channel)} conversation`),
    h("p", { class: "muted" }, `${words(conversation.channel)} · ${date(conversation.occurred_at)}`),
    participants(conversation),
    quote ? h("p", { class: "quote-note" }, "The quoted passage is marked.") : null,
    body(conversation, quote),
  ];
}

function scrollToQuote(container) {
  const mark = container.querySelector("mark");
  if (mark) mark.scrollIntoView({ block: "center" });
}

let dialog = null;

/** Open a conversation in a modal dialog; Escape or the Close button returns focus. */
export async function openConversation(conversationId, quote) {
  if (!dialog) {
    dialog = h("dialog", { class: "conversation-dialog", "aria-labelledby": "conversation-title" });
    dialog.addEventListener("click", (event) => {
      if (event.target === dialog) dialog.close();
    });
    document.body.append(dialog);
  }
  const content = h("div", { class: "dialog-body" }, h("p", { class: "loading" }, "Loading the conversation…"));
  const close = h("button", { type: "button", class: "close", onclick: () => dialog.close() }, "Close");
  show(dialog, h("div", { class: "dialog-bar" }, close), content);
  if (!dialog.open) dialog.showModal();
  close.focus();
  try {
    const conversation = await api(`/conversations/${encodeURIComponent(conversationId)}`);
    show(content, conversationContent(conversation, quote));
    scrollToQuote(content);
  } catch (failure) {
    show(content, notice(failure.message, "error"));
  }
}

export async function renderConversationPage(main, conversationId, quote) {
  const conversation = await api(`/conversations/${encodeURIComponent(conversationId)}`);
  document.title = `${conversation.title ?? "Conversation"} · Stakeholder intelligence`;
  const back = conversation.account_id
    ? h("a", { href: `#/accounts/${conversation.account_id}` }, "Back to the account")
    : h("a", { href: "#/accounts" }, "Accounts");
  const section = h("section", { class: "page conversation-page" }, back, conversationContent(conversation, quote));
  show(main, section);
  scrollToQuote(section);
}
