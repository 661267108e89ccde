// Beside the graph: blockers near decision makers (and who could neutralise them), and
// coverage gaps (deciders nobody of ours knows well, single-threaded opportunities).
import { api } from "../api.js";
import { h, notice, show } from "../dom.js";
import { number, roleBadge, words } from "../format.js";

function personButton(person, selectPerson) {
  return h("button", { type: "button", class: "link-button", onclick: () => selectPerson(person.id) }, person.name ?? "(unnamed)");
}

function blockerList(groups, selectPerson) {
  if (!groups.length) return h("p", { class: "muted" }, "No blocker near a decision maker.");
  return h(
    "ul",
    { class: "plain risk-list" },
    groups.map((group) =>
      h(
        "li",
        null,
        h("h4", null, personButton(group.decision_maker, selectPerson), " ", (group.decision_maker.roles ?? []).map(roleBadge)),
        h(
          "ul",
          null,
          group.blockers.map((blocker) =>
            h(
              "li",
              null,
              personButton(blocker, selectPerson),
              ` blocks, ${blocker.hops} ${blocker.hops === 1 ? "hop" : "hops"} away.`,
              blocker.neutralisers?.length
                ? h(
                    "div",
                    { class: "small" },
                    "Could be neutralised by ",
                    blocker.neutralisers.map((n, index) => [
                      index ? ", " : "",
                      personButton(n, selectPerson),
                      ` (${words(String(n.via).toLowerCase())}${n.weight !== null && n.weight !== undefined ? `, ${number(n.weight, 2)}` : ""})`,
                    ]),
                    ".",
                  )
                : h("div", { class: "small muted" }, "Nobody we know could neutralise them yet."),
            ),
          ),
        ),
      ),
    ),
  );
}

function coverageList(gaps, opportunities, selectPerson) {
  const names = new Map(opportunities.map((o) => [o.id, o.name]));
  return [
    h("h4", null, "Decision makers nobody of ours knows well"),
    gaps.uncovered_deciders.length
      ? h(
          "ul",
          { class: "plain risk-list" },
          gaps.uncovered_deciders.map((node) =>
            h(
              "li",
              null,
              personButton(node, selectPerson),
              node.title ? `, ${node.title}` : "",
              " ",
              (node.roles ?? []).map(roleBadge),
              h("div", { class: "small muted" }, `best tie from our side: ${node.best_contact_weight === null || node.best_contact_weight === undefined ? "none" : number(node.best_contact_weight, 2)}`),
            ),
          ),
        )
      : h("p", { class: "muted" }, "Every decision maker has a strong tie to us."),
    h("h4", null, "Single-threaded opportunities"),
    gaps.single_threaded_opportunities.length
      ? h(
          "ul",
          { class: "plain risk-list" },
          gaps.single_threaded_opportunities.map((item) =>
            h(
              "li",
              null,
              h("a", { href: `#/opportunities/${item.opportunity_id}` }, names.get(item.opportunity_id) ?? "An opportunity"),
              `: ${item.contacts.filter(Boolean).length ? `only ${item.contacts.filter(Boolean).join(", ")}` : "nobody"} on the customer side.`,
            ),
          ),
        )
      : h("p", { class: "muted" }, "No open opportunity hangs on a single contact."),
  ];
}

/**
 * Render the risks into `container`; `onCount(n)` hears how many there are. Returns
 * {reload()} to refresh after a change.
 */
export function renderRisks(container, { accountId, opportunities, selectPerson, onCount }) {
  const hops = h("select", { id: "blocker-hops" }, [1, 2, 3, 4].map((n) => h("option", { value: n, selected: n === 2 }, `${n}`)));
  const blockers = h("div", { class: "blockers", "aria-live": "polite" });
  const coverage = h("div", { class: "coverage", "aria-live": "polite" });
  const load = async () => {
    try {
      const [groups, gaps] = await Promise.all([
        api(`/accounts/${accountId}/blockers`, { query: { hops: hops.value } }),
        api(`/accounts/${accountId}/coverage-gaps`),
      ]);
      show(blockers, blockerList(groups, selectPerson));
      show(coverage, coverageList(gaps, opportunities, selectPerson));
      const blockerCount = groups.reduce((sum, group) => sum + group.blockers.length, 0);
      onCount?.(blockerCount + gaps.uncovered_deciders.length + gaps.single_threaded_opportunities.length);
    } catch (failure) {
      show(blockers, notice(failure.message, "error"));
    }
  };
  hops.addEventListener("change", load);
  show(
    container,
    h("h2", null, "Blockers near decision makers"),
    h("div", { class: "field inline" }, h("label", { for: "blocker-hops" }, "Within hops"), hops),
    blockers,
    h("h2", null, "Coverage gaps"),
    coverage,
  );
  load();
  return { reload: load };
}
