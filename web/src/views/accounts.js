// The account list: every account with its open opportunities, their stages and
// MEDDIC progress at a glance.
import { allItems, api } from "../api.js";
import { h, notice, show } from "../dom.js";
import { money, progressMeter, words } from "../format.js";

function opportunityLine(opportunity) {
  return h(
    "li",
    { class: "opportunity-line" },
    h("a", { href: `#/opportunities/${opportunity.id}` }, opportunity.name),
    " ",
    h("span", { class: `stage stage-${opportunity.stage}` }, words(opportunity.stage)),
    " ",
    h("span", { class: "amount" }, money(opportunity.amount, opportunity.currency)),
    progressMeter("MEDDIC", opportunity.meddic_progress),
  );
}

function accountRow(account, opportunities) {
  const best = Math.max(0, ...opportunities.map((o) => o.meddic_progress ?? 0));
  return h(
    "tr",
    null,
    h(
      "th",
      { scope: "row" },
      h("a", { href: `#/accounts/${account.id}`, class: "account-link" }, account.name),
      account.domain ? h("div", { class: "muted" }, account.domain) : null,
    ),
    h("td", null, account.industry ?? "–"),
    h("td", { class: "count" }, String(opportunities.length)),
    h(
      "td",
      null,
      opportunities.length
        ? h("ul", { class: "plain" }, opportunities.map(opportunityLine))
        : h("span", { class: "muted" }, "no open opportunity"),
    ),
    h("td", null, opportunities.length ? progressMeter("best", best) : "–"),
  );
}

async function loadTable(container, query) {
  show(container, h("p", { class: "loading" }, "Loading accounts…"));
  const [page, opportunities] = await Promise.all([
    api("/accounts", { query: { limit: 200, q: query } }),
    allItems("/opportunities", { status: "open" }),
  ]);
  const byAccount = new Map();
  for (const opportunity of opportunities) {
    const list = byAccount.get(opportunity.account_id) ?? [];
    list.push(opportunity);
    byAccount.set(opportunity.account_id, list);
  }
  if (!page.items.length) {
    show(container, notice(query ? "No account matches." : "This workspace has no account yet."));
    return;
  }
  show(
    container,
    h(
      "table",
      { class: "accounts" },
      h("caption", null, `${page.items.length} account${page.items.length === 1 ? "" : "s"}`),
      h(
        "thead",
        null,
        h(
          "tr",
          null,
          h("th", { scope: "col" }, "Account"),
          h("th", { scope: "col" }, "Industry"),
          h("th", { scope: "col" }, "Open"),
          h("th", { scope: "col" }, "Open opportunities: stage, amount, MEDDIC"),
          h("th", { scope: "col" }, "Best MEDDIC"),
        ),
      ),
      h("tbody", null, page.items.map((a) => accountRow(a, byAccount.get(a.id) ?? []))),
    ),
    page.next_cursor ? notice("Showing the first 200; search to narrow.") : null,
  );
}

// Without a catalogue, conversations are stored and read but create no opportunity;
// say so where the rep would look for the missing deals.
async function loadCatalogueNotice(container) {
  const catalogue = await api("/config/catalogue");
  if (!catalogue.product_lines.length) {
    show(
      container,
      notice(
        "This workspace has no product catalogue, so conversations create no opportunity " +
          "until an admin sets one (PUT /config/catalogue).",
      ),
    );
  }
}

export async function renderAccounts(main) {
  document.title = "Accounts · Stakeholder intelligence";
  const search = h("input", { id: "account-search", type: "search", name: "q", placeholder: "name or domain" });
  const catalogueNotice = h("div", { class: "catalogue-notice" });
  const table = h("div", { class: "accounts-table" });
  const form = h(
    "form",
    { class: "inline-form", role: "search" },
    h("label", { for: "account-search" }, "Find an account"),
    search,
    h("button", { type: "submit" }, "Search"),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    loadTable(table, search.value.trim()).catch((failure) => show(table, notice(failure.message, "error")));
  });
  show(main, h("section", { class: "page" }, h("h1", null, "Accounts"), catalogueNotice, form, table));
  loadCatalogueNotice(catalogueNotice).catch((failure) => show(catalogueNotice, notice(failure.message, "error")));
  await loadTable(table, "");
}
