// The path finder: from a person or a role to a person or a role, the shortest path
// (fewest hops) and the strongest (largest product of tie strengths), drawn on the graph.
import { api } from "../api.js";
import { h, notice, show } from "../dom.js";
import { number, roleLabel } from "../format.js";

const FROM_ROLES = ["champion", "influencer", "decision_maker", "economic_buyer", "blocker"];
const TO_ROLES = ["economic_buyer", "decision_maker", "champion", "influencer", "blocker"];
const PAIRS_SHOWN = 12;

function endpointSelect(id, label, roles, people) {
  const select = h(
    "select",
    { id, name: id },
    h(
      "optgroup",
      { label: "By role" },
      roles.map((role) => h("option", { value: role }, role === "champion" ? "Our champion(s)" : `${roleLabel(role)}(s)`)),
    ),
    h("optgroup", { label: "People" }, people.map((p) => h("option", { value: p.id }, p.title ? `${p.name} (${p.title})` : p.name))),
  );
  return h("div", { class: "field" }, h("label", { for: id }, label), select);
}

function pathLine(kind, path, showPath) {
  const label = kind === "shortest" ? "Shortest" : "Strongest";
  if (!path) return h("li", { class: `path path-${kind}` }, h("span", { class: `swatch path-${kind}`, "aria-hidden": "true" }), `${label}: no path.`);
  const steps = path.nodes.map((n) => n.name ?? "(unnamed)");
  return h(
    "li",
    { class: `path path-${kind}` },
    h("span", { class: `swatch path-${kind}`, "aria-hidden": "true" }),
    h("strong", null, `${label}`),
    ` (${path.hops} ${path.hops === 1 ? "hop" : "hops"}, strength ${number(path.strength, 2)}): `,
    h("span", { class: "steps" }, steps.join(" → ")),
  );
}

function pairItem(pair, showPair) {
  const button = h("button", { type: "button", class: "secondary small", onclick: () => showPair(pair) }, "Show on graph");
  return h(
    "li",
    { class: "path-pair" },
    h("h4", null, `${pair.source.name ?? "?"} → ${pair.target.name ?? "?"}`),
    h("ul", { class: "plain" }, pathLine("shortest", pair.shortest), pathLine("strongest", pair.strongest)),
    pair.shortest || pair.strongest ? button : null,
  );
}

/** Render the path finder into `container`; ctx: {accountId, graph, controller}. */
export function renderPaths(container, { accountId, graph, controller }) {
  const people = graph.nodes
    .filter((n) => n.kind === "stakeholder")
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));
  const results = h("div", { class: "path-results", "aria-live": "polite" });
  const graphEl = controller.cy.container();

  const showPair = (pair) => {
    controller.clearHighlight();
    const strongest = pair.strongest ? controller.highlight(pair.strongest.nodes, "on-strongest") : controller.cy.collection();
    const shortest = pair.shortest ? controller.highlight(pair.shortest.nodes, "on-shortest") : controller.cy.collection();
    controller.fadeOthers(strongest.union(shortest));
    graphEl.dataset.highlighted = String(strongest.union(shortest).length);
  };
  const clear = h("button", {
    type: "button",
    onclick: () => {
      controller.clearHighlight();
      delete graphEl.dataset.highlighted;
    },
  }, "Clear highlight");
  const form = h(
    "form",
    { class: "paths-form", "aria-label": "Find a path" },
    endpointSelect("path-from", "From", FROM_ROLES, people),
    endpointSelect("path-to", "To", TO_ROLES, people),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary" }, "Find paths"), clear),
  );
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    show(results, h("p", { class: "loading" }, "Looking…"));
    let pairs;
    try {
      pairs = await api(`/accounts/${accountId}/paths`, { query: { from: data.get("path-from"), to: data.get("path-to") } });
    } catch (failure) {
      show(results, notice(failure.message, "error"));
      return;
    }
    const found = pairs.filter((p) => p.shortest || p.strongest);
    const ordered = [...found, ...pairs.filter((p) => !(p.shortest || p.strongest))];
    show(
      results,
      h(
        "p",
        { class: "small" },
        found.length
          ? `${found.length} of ${pairs.length} ${pairs.length === 1 ? "pair is" : "pairs are"} connected; the first is drawn: `
          : "No path connects them in what we know of this organisation.",
        found.length ? [h("span", { class: "swatch path-shortest", "aria-hidden": "true" }), "shortest, ", h("span", { class: "swatch path-strongest", "aria-hidden": "true" }), "strongest."] : null,
      ),
      h("ol", { class: "plain path-pairs" }, ordered.slice(0, PAIRS_SHOWN).map((pair) => pairItem(pair, showPair))),
      ordered.length > PAIRS_SHOWN ? h("p", { class: "muted small" }, `${ordered.length - PAIRS_SHOWN} more pairs not shown.`) : null,
    );
    if (found.length) showPair(found[0]);
    else controller.clearHighlight();
  });
  show(
    container,
    h("h2", null, "Path finder"),
    h("p", { class: "muted small" }, "Who can get us from one person to another, through the ties we know."),
    form,
    results,
  );
}
