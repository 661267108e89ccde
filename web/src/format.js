// Words and numbers as a rep reads them.
import { h } from "./dom.js";

export const ROLES = [
  "economic_buyer",
  "decision_maker",
  "champion",
  "blocker",
  "influencer",
  "technical_evaluator",
  "user",
];

export const ROLE_LABELS = {
  economic_buyer: "Economic buyer",
  decision_maker: "Decision maker",
  champion: "Champion",
  blocker: "Blocker",
  influencer: "Influencer",
  technical_evaluator: "Technical evaluator",
  user: "User",
};

/** Fill colours by role (the page's legend and the graph use the same table). */
export const ROLE_COLOURS = {
  economic_buyer: "#7e22ce",
  decision_maker: "#1d4ed8",
  champion: "#15803d",
  blocker: "#b91c1c",
  influencer: "#0e7490",
  technical_evaluator: "#b45309",
  user: "#475569",
  none: "#94a3b8",
  ours: "#e2e8f0",
};

export const SCORE_LABELS = {
  decision_power: "Decision power",
  influence: "Influence",
  relationship_strength: "Relationship strength",
};

export const EDGE_LABELS = {
  REPORTS_TO: "reports to",
  DEFERS_TO: "defers to",
  INFLUENCES: "influences",
  ALLIED_WITH: "allied with",
  OPPOSES: "opposes",
  INTERACTS_WITH: "interacts with (our people)",
};

/** The role a node is coloured by: the first of ROLES it holds. */
export function primaryRole(roles) {
  return ROLES.find((role) => roles?.includes(role)) ?? "none";
}

export function words(identifier) {
  const text = String(identifier ?? "").replaceAll("_", " ");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function roleLabel(role) {
  return ROLE_LABELS[role] ?? words(role);
}

export function number(value, digits = 1) {
  if (value === null || value === undefined) return "–";
  return String(Number(Number(value).toFixed(digits)));
}

export function percent(fraction) {
  if (fraction === null || fraction === undefined) return "–";
  return `${Math.round(Number(fraction) * 100)}%`;
}

export function money(amount, currency) {
  if (amount === null || amount === undefined) return "–";
  const value = Number(amount);
  try {
    return new Intl.NumberFormat("en", {
      style: "currency",
      currency: currency || "USD",
      maximumFractionDigits: 0,
    }).format(value);
  } catch {
    return `${value.toLocaleString("en")} ${currency ?? ""}`.trim();
  }
}

export function date(value) {
  if (!value) return "–";
  const parsed = new Date(value);
  if (Number.isNaN(parsed.getTime())) return String(value);
  const options = { year: "numeric", month: "short", day: "numeric" };
  if (String(value).length > 10) Object.assign(options, { hour: "2-digit", minute: "2-digit" });
  return parsed.toLocaleString("en-GB", options);
}

/** A labelled progress meter (0-1), e.g. MEDDIC progress. */
export function progressMeter(label, fraction) {
  return h(
    "span",
    { class: "meter" },
    h("span", { class: "meter-label" }, label),
    h("meter", { min: 0, max: 1, low: 0.34, high: 0.67, optimum: 1, value: fraction ?? 0, "aria-label": `${label} ${percent(fraction)}` }),
    h("span", { class: "meter-value" }, percent(fraction)),
  );
}

/** A role badge, coloured like the graph. */
export function roleBadge(role) {
  return h("span", { class: `badge role-${role}` }, roleLabel(role));
}

export function conversationLink(conversationId, quote, label = "open conversation") {
  if (!conversationId) return null;
  const query = quote ? `?quote=${encodeURIComponent(quote)}` : "";
  return h(
    "a",
    {
      class: "conversation-link",
      href: `#/conversations/${encodeURIComponent(conversationId)}${query}`,
      dataset: { conversationId, quote: quote ?? "" },
    },
    label,
  );
}

/** A quote with a link to the conversation it came from. */
export function quoteBlock(quote, conversationId) {
  if (!quote) return null;
  return h(
    "figure",
    { class: "quote" },
    h("blockquote", null, quote),
    conversationId ? h("figcaption", null, conversationLink(conversationId, quote)) : null,
  );
}
