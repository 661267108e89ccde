// The opportunity view: the plan's sections, MEDDIC and BANT with their evidence, the
// stage history with the reason for each move, and the action items.
import { api } from "../api.js";
import { h, show } from "../dom.js";
import { date, money, number, percent, progressMeter, quoteBlock, roleBadge, words } from "../format.js";

const MEDDIC = ["metrics", "economic_buyer", "decision_criteria", "decision_process", "paper_process", "identified_pain", "champion", "competition"];
const BANT = ["budget", "authority", "need", "timeline"];

function facts(opportunity) {
  const rows = [
    ["Stage", `${words(opportunity.stage)}${opportunity.stage_locked ? " (set by hand)" : ""}`],
    ["Status", words(opportunity.status)],
    ["Product line", words(opportunity.product_line)],
    ["Amount", money(opportunity.amount, opportunity.currency)],
    ["Close date", date(opportunity.close_date)],
    ["Probability", percent(opportunity.probability)],
  ];
  return h("dl", { class: "facts" }, rows.map(([term, value]) => [h("dt", null, term), h("dd", null, value)]));
}

function coreEvidence(plan) {
  const entries = Object.entries(plan.core_evidence ?? {});
  if (!entries.length) return h("p", { class: "muted" }, "No deal fact extracted yet.");
  return h(
    "dl",
    { class: "evidence-list" },
    entries.map(([name, items]) => [
      h("dt", null, words(name)),
      h("dd", null, items.map((item) => h("div", { class: "evidence-entry" }, h("strong", null, String(item.value ?? "")), ` (confidence ${percent(item.confidence)})`, quoteBlock(item.quote, item.conversation_id)))),
    ]),
  );
}

function qualificationRow(name, element) {
  const status = element?.status ?? "unknown";
  const evidence = element?.evidence ?? [];
  return h(
    "tr",
    { class: `qualification-${status}` },
    h("th", { scope: "row" }, words(name)),
    h("td", null, h("span", { class: `status status-${status}` }, words(status)), element?.contradicted ? h("span", { class: "badge contradicted" }, "contradicted") : null),
    h(
      "td",
      null,
      element?.summary ? h("p", null, element.summary) : h("span", { class: "muted" }, "nothing heard yet"),
      element?.person ? h("p", { class: "small" }, "Person: ", String(element.person)) : null,
      evidence.length
        ? h(
            "details",
            null,
            h("summary", null, `${evidence.length} piece${evidence.length === 1 ? "" : "s"} of evidence`),
            h(
              "ul",
              { class: "plain" },
              evidence.map((item) =>
                h(
                  "li",
                  { class: `polarity-${item.polarity}` },
                  h("span", { class: "badge" }, item.polarity === "contradicts" ? "against" : "for"),
                  ` ${date(item.observed_at)} · confidence ${percent(item.confidence)}`,
                  quoteBlock(item.quote, item.conversation_id),
                ),
              ),
            ),
          )
        : null,
    ),
  );
}

function qualificationTable(caption, names, qualification, progress) {
  return h(
    "table",
    { class: "qualification" },
    h("caption", null, caption, " ", progressMeter("progress", progress)),
    h("thead", null, h("tr", null, h("th", { scope: "col" }, "Element"), h("th", { scope: "col" }, "Status"), h("th", { scope: "col" }, "What we know"))),
    h("tbody", null, names.map((name) => qualificationRow(name, qualification?.[name]))),
  );
}

function stageHistory(history) {
  const moves = history.filter((item) => item.action === "stage_changed" || item.changes.some((c) => c.path === "stage"));
  if (!moves.length) return h("p", { class: "muted" }, "The stage has not moved.");
  return h(
    "ol",
    { class: "stage-history" },
    moves.map((item) => {
      const change = item.changes.find((c) => c.path === "stage") ?? {};
      return h(
        "li",
        null,
        h("strong", null, change.old ? `${words(change.old)} → ${words(change.new)}` : `Opened at ${words(change.new)}`),
        h("span", { class: "muted" }, ` · ${date(item.created_at)} · ${item.actor ?? item.cause}`),
        item.reason ? h("p", { class: "small" }, item.reason) : null,
        item.conversation_id ? h("p", { class: "small" }, h("a", { class: "conversation-link", href: `#/conversations/${item.conversation_id}`, dataset: { conversationId: item.conversation_id, quote: "" } }, "the conversation that moved it")) : null,
      );
    }),
  );
}

function actionItems(all) {
  // Items a rep removed (here or in the CRM) stay in the plan for history, not on the page.
  const items = (all ?? []).filter((item) => !item.deleted_at);
  if (!items.length) return h("p", { class: "muted" }, "No action item.");
  return h(
    "table",
    { class: "actions" },
    h("thead", null, h("tr", null, ["Action", "Owner", "Due", "Status"].map((t) => h("th", { scope: "col" }, t)))),
    h(
      "tbody",
      null,
      items.map((item) =>
        h(
          "tr",
          null,
          h("td", null, item.action, item.quote ? quoteBlock(item.quote, item.conversation_id) : null),
          h("td", null, item.owner ?? "–"),
          h("td", null, date(item.due)),
          h("td", null, words(item.status)),
        ),
      ),
    ),
  );
}

function stakeholders(plan) {
  const people = plan.stakeholders ?? [];
  if (!people.length) return h("p", { class: "muted" }, "Nobody mapped yet.");
  return h(
    "ul",
    { class: "plain stakeholders" },
    people.map((p) =>
      h(
        "li",
        null,
        h("strong", null, p.name ?? "(unnamed)"),
        p.title ? `, ${p.title}` : "",
        " ",
        (p.roles ?? []).map(roleBadge),
        p.stance ? h("span", { class: `stance stance-${p.stance}` }, ` ${p.stance}`) : null,
        (p.evidence ?? []).map((quote) => h("blockquote", { class: "small" }, quote)),
      ),
    ),
  );
}

function competitors(plan) {
  const list = plan.competitors ?? [];
  if (!list.length) return h("p", { class: "muted" }, "No competitor mentioned.");
  return h(
    "ul",
    { class: "plain" },
    list.map((c) => h("li", null, h("strong", null, c.name), ` (${c.stance ?? "mentioned"}, ${date(c.last_seen)})`, c.quote ? h("blockquote", { class: "small" }, c.quote) : null)),
  );
}

function repFields(fields) {
  const entries = Object.entries(fields ?? {});
  if (!entries.length) return null;
  return [
    h("h2", null, "Set by the rep"),
    h("dl", { class: "evidence-list" }, entries.map(([name, value]) => [h("dt", null, words(name)), h("dd", null, typeof value === "object" ? JSON.stringify(value) : String(value))])),
  ];
}

export async function renderOpportunity(main, opportunityId) {
  const [opportunity, history] = await Promise.all([
    api(`/opportunities/${opportunityId}`),
    api(`/opportunities/${opportunityId}/history`, { query: { limit: 500 } }),
  ]);
  const account = await api(`/accounts/${opportunity.account_id}`).catch(() => null);
  const plan = opportunity.plan ?? {};
  document.title = `${opportunity.name} · Stakeholder intelligence`;
  show(
    main,
    h(
      "section",
      { class: "page opportunity" },
      h(
        "p",
        { class: "crumbs" },
        h("a", { href: "#/accounts" }, "Accounts"),
        " / ",
        h("a", { href: `#/accounts/${opportunity.account_id}` }, account?.name ?? "Account"),
        " / ",
      ),
      h("h1", null, opportunity.name),
      h("div", { class: "progress-row" }, progressMeter("MEDDIC", opportunity.meddic_progress), progressMeter("BANT", opportunity.bant_progress)),
      facts(opportunity),
      h(
        "div",
        { class: "two-columns" },
        h(
          "div",
          null,
          h("h2", null, "Plan"),
          h("p", null, plan.summary || h("span", { class: "muted" }, "No summary yet.")),
          h("h3", null, "Deal facts and where they come from"),
          coreEvidence(plan),
          h("h2", null, "MEDDIC"),
          qualificationTable("MEDDIC", MEDDIC, plan.qualification, opportunity.meddic_progress),
          h("h2", null, "BANT"),
          qualificationTable("BANT", BANT, plan.qualification, opportunity.bant_progress),
        ),
        h(
          "div",
          null,
          h("h2", null, "Stage history"),
          stageHistory(history.items),
          h("h2", null, "Action items"),
          actionItems(plan.action_items),
          h("h2", null, "Stakeholders"),
          stakeholders(plan),
          h("h2", null, "Competitors"),
          competitors(plan),
          plan.notes ? [h("h2", null, "Notes"), h("p", { class: "notes" }, String(plan.notes))] : null,
          repFields(plan.rep_fields),
          h("p", { class: "muted small" }, `Version ${opportunity.version} · updated ${date(opportunity.updated_at)} · confidence figures as extracted (${number(opportunity.probability * 100, 0)}% probability by stage).`),
        ),
      ),
    ),
  );
}
