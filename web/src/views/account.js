// The account view: the influence graph with filters and a legend, and beside it a panel
// with the selected person, everyone as a keyboard-reachable list, the path finder, and
// the risks (blockers near decision makers, coverage gaps).
import { api, allItems } from "../api.js";
import { h, notice, show } from "../dom.js";
import { EDGE_LABELS, ROLES, money, progressMeter, roleLabel, words } from "../format.js";
import { drawGraph } from "../graph.js";
import { renderPaths } from "./paths.js";
import { renderPerson } from "./person.js";
import { renderRisks } from "./risks.js";

const LAYOUTS = [
  ["auto", "Automatic"],
  ["fcose", "Force-directed"],
  ["department", "By department"],
  ["concentric", "Rings by influence"],
  ["hierarchy", "Reporting lines"],
];
const PEOPLE_SHOWN = 300;

function opportunityChips(opportunities) {
  if (!opportunities.length) return h("p", { class: "muted" }, "No open opportunity.");
  return h(
    "ul",
    { class: "chips", "aria-label": "Open opportunities" },
    opportunities.map((o) =>
      h(
        "li",
        { class: "chip" },
        h("a", { href: `#/opportunities/${o.id}` }, o.name),
        h("span", { class: `stage stage-${o.stage}` }, words(o.stage)),
        h("span", { class: "amount" }, money(o.amount, o.currency)),
        progressMeter("MEDDIC", o.meddic_progress),
      ),
    ),
  );
}

function legend() {
  return h(
    "div",
    { class: "legend", "aria-label": "Legend" },
    h(
      "ul",
      { class: "legend-list" },
      ROLES.map((role) => h("li", null, h("span", { class: `swatch role-${role}`, "aria-hidden": "true" }), roleLabel(role))),
      h("li", null, h("span", { class: "swatch role-none", "aria-hidden": "true" }), "No role yet"),
      h("li", null, h("span", { class: "swatch ours", "aria-hidden": "true" }), "Our people"),
      h("li", null, h("span", { class: "swatch mark-champion", "aria-hidden": "true" }), "Champion: double green ring"),
      h("li", null, h("span", { class: "swatch mark-blocker", "aria-hidden": "true" }), "Blocker: red octagon"),
      h("li", null, "Size: influence"),
    ),
    h(
      "ul",
      { class: "legend-list" },
      Object.entries(EDGE_LABELS).map(([type, label]) => h("li", null, h("span", { class: `edge-swatch edge-${type}`, "aria-hidden": "true" }), label)),
      h("li", null, "Width: strength"),
    ),
  );
}

function departmentsOf(graph) {
  return [...new Set(graph.nodes.map((n) => n.department).filter(Boolean))].sort((a, b) => a.localeCompare(b));
}

function filterForm(graph, onApply) {
  const roleBoxes = ROLES.map((role) =>
    h("label", { class: "check" }, h("input", { type: "checkbox", name: "role", value: role }), roleLabel(role)),
  );
  const department = h(
    "select",
    { id: "filter-department", name: "department" },
    h("option", { value: "" }, "All departments"),
    departmentsOf(graph).map((d) => h("option", { value: d }, d)),
  );
  const minInfluence = h("input", { id: "filter-influence", name: "min_influence", type: "number", min: 0, max: 10, step: 0.5, placeholder: "0" });
  const minPower = h("input", { id: "filter-power", name: "min_decision_power", type: "number", min: 0, max: 10, step: 0.5, placeholder: "0" });
  const layout = h("select", { id: "filter-layout", name: "layout" }, LAYOUTS.map(([value, label]) => h("option", { value }, label)));
  const form = h(
    "form",
    { class: "graph-filters", "aria-label": "Filter the graph" },
    h("fieldset", { class: "roles-filter" }, h("legend", null, "Roles"), roleBoxes),
    h("div", { class: "field" }, h("label", { for: "filter-department" }, "Department"), department),
    h("div", { class: "field narrow" }, h("label", { for: "filter-influence" }, "Min influence"), minInfluence),
    h("div", { class: "field narrow" }, h("label", { for: "filter-power" }, "Min decision power"), minPower),
    h("div", { class: "field" }, h("label", { for: "filter-layout" }, "Layout"), layout),
    h("div", { class: "buttons" }, h("button", { type: "submit", class: "primary" }, "Apply"), h("button", { type: "reset" }, "Reset")),
  );
  const read = () => {
    const data = new FormData(form);
    return {
      role: data.getAll("role"),
      department: data.get("department") || undefined,
      min_influence: data.get("min_influence") || undefined,
      min_decision_power: data.get("min_decision_power") || undefined,
      layout: data.get("layout"),
    };
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    onApply(read());
  });
  form.addEventListener("reset", () => setTimeout(() => onApply(read()), 0));
  return form;
}

/** Accessible tabs: buttons with aria-selected, one visible panel. */
function tabs(definitions) {
  const buttons = [];
  const panels = [];
  const list = h("div", { class: "tabs", role: "tablist", "aria-label": "Details" });
  const select = (name) => {
    for (const [index, [key]] of definitions.entries()) {
      const active = key === name;
      buttons[index].setAttribute("aria-selected", String(active));
      buttons[index].tabIndex = active ? 0 : -1;
      panels[index].hidden = !active;
    }
  };
  for (const [key, label] of definitions) {
    const button = h("button", { type: "button", role: "tab", id: `tab-${key}`, "aria-controls": `panel-${key}`, onclick: () => select(key) }, label);
    button.addEventListener("keydown", (event) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
      if (!step) return;
      const index = (buttons.indexOf(button) + step + buttons.length) % buttons.length;
      select(definitions[index][0]);
      buttons[index].focus();
    });
    buttons.push(button);
    panels.push(h("div", { role: "tabpanel", id: `panel-${key}`, class: "tab-panel", "aria-labelledby": `tab-${key}`, tabindex: 0 }));
    list.append(button);
  }
  const panelOf = Object.fromEntries(definitions.map(([key], index) => [key, panels[index]]));
  return { list, panels, panelOf, select };
}

function peopleList(graph, selectPerson) {
  const search = h("input", { id: "people-search", type: "search", placeholder: "name, title or department" });
  const list = h("ol", { class: "people plain" });
  const status = h("p", { class: "muted small", "aria-live": "polite" });
  const fill = () => {
    const needle = search.value.trim().toLowerCase();
    const matching = graph.nodes
      .filter((n) => !needle || [n.name, n.title, n.department].some((v) => v?.toLowerCase().includes(needle)))
      .sort((a, b) => (b.influence ?? -1) - (a.influence ?? -1) || String(a.name).localeCompare(String(b.name)));
    show(
      list,
      matching.slice(0, PEOPLE_SHOWN).map((n) =>
        h(
          "li",
          null,
          h(
            "button",
            { type: "button", class: "person-button", dataset: { id: n.id }, onclick: () => selectPerson(n.id, { focusPanel: true }) },
            h("span", { class: `swatch role-${n.kind === "our_person" ? "ours" : (ROLES.find((r) => n.roles?.includes(r)) ?? "none")}`, "aria-hidden": "true" }),
            h("span", { class: "person-button-name" }, n.name ?? "(unnamed)"),
            h("span", { class: "muted" }, [n.title, n.kind === "our_person" ? "our side" : `influence ${n.influence ?? "–"}`].filter(Boolean).join(" · ")),
          ),
        ),
      ),
    );
    status.textContent = `${matching.length} ${matching.length === 1 ? "person" : "people"}${matching.length > PEOPLE_SHOWN ? `; the ${PEOPLE_SHOWN} most influential shown` : ""}.`;
  };
  search.addEventListener("input", fill);
  fill();
  return [h("div", { class: "field" }, h("label", { for: "people-search" }, "Find a person"), search), status, list];
}

function ourPerson(container, node) {
  show(
    container,
    h(
      "article",
      { class: "person" },
      h("h2", { class: "person-name", tabindex: -1 }, node.name ?? "(unnamed)"),
      h("p", { class: "person-facts" }, [node.title, "our side"].filter(Boolean).join(" · ")),
      h("p", { class: "muted" }, "One of our people: the lines from them show who they talk to at this account."),
    ),
  );
}

function profileAsNode(profile) {
  const score = (name) => profile.scores?.[name]?.value ?? null;
  return {
    id: profile.id,
    kind: "stakeholder",
    name: profile.full_name,
    title: profile.title,
    department: profile.department,
    seniority: profile.seniority,
    roles: [...new Set(profile.roles.map((r) => r.role))],
    stance: profile.stance,
    decision_power: score("decision_power"),
    influence: score("influence"),
    relationship_strength: score("relationship_strength"),
  };
}

function sameScores(node, profile) {
  const drawn = profileAsNode(profile);
  const close = (a, b) => Math.abs((a ?? 0) - (b ?? 0)) < 0.011;
  return (
    close(node.influence, drawn.influence) &&
    close(node.decision_power, drawn.decision_power) &&
    close(node.relationship_strength, drawn.relationship_strength) &&
    [...(node.roles ?? [])].sort().join() === [...drawn.roles].sort().join()
  );
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function renderAccount(main, accountId) {
  const [account, opportunities, fullGraph] = await Promise.all([
    api(`/accounts/${accountId}`),
    allItems("/opportunities", { account_id: accountId, status: "open" }),
    api(`/accounts/${accountId}/graph`),
  ]);
  performance.mark("graph-data"); // read by bench/page_render.py
  document.title = `${account.name} · Stakeholder intelligence`;
  let alive = true;
  let current = fullGraph;
  let filters = { layout: "auto" };
  let selectedId = null;

  const graphEl = h("div", { id: "graph", class: "graph", role: "img", "aria-label": `Influence graph of ${account.name}` });
  const graphStatus = h("span", { class: "graph-status muted small", "aria-live": "polite" });
  const fitButton = h("button", { type: "button", class: "small", onclick: () => controller.fit() }, "Fit to view");
  const panel = tabs([
    ["person", "Person"],
    ["people", "People"],
    ["paths", "Paths"],
    ["risks", "Risks"],
  ]);
  const personPanel = panel.panelOf.person;
  show(personPanel, h("p", { class: "muted" }, "Click a person in the graph, or pick one under People, to see why each score is what it is."));

  const fetchGraph = () =>
    api(`/accounts/${accountId}/graph`, {
      query: {
        role: filters.role,
        department: filters.department,
        min_influence: filters.min_influence,
        min_decision_power: filters.min_decision_power,
      },
    });

  const describe = (graph) => {
    const people = graph.nodes.filter((n) => n.kind === "stakeholder").length;
    graphStatus.textContent = `${people} ${people === 1 ? "person" : "people"}, ${graph.nodes.length - people} of ours, ${graph.edges.length} ties. Scroll to zoom, drag to pan, click a person.`;
  };

  let controller = null;

  const ctx = {
    opportunities,
    selectPerson: (id) => selectPerson(id, { focusPanel: true }),
    onChanged: (profile, { focus } = {}) => {
      renderPerson(personPanel, profile, ctx);
      personPanel.querySelector(`#${focus}`)?.focus();
      controller.refresh({ nodes: [profileAsNode(profile)] });
      followGraph(profile);
      risks.reload();
    },
  };

  async function selectPerson(id, { focusPanel = false } = {}) {
    selectedId = id;
    controller.select(id, { center: focusPanel });
    panel.select("person");
    const node = current.nodes.find((n) => n.id === id) ?? fullGraph.nodes.find((n) => n.id === id);
    if (node?.kind === "our_person") {
      ourPerson(personPanel, node);
    } else {
      show(personPanel, h("p", { class: "loading" }, "Loading…"));
      try {
        const profile = await api(`/stakeholders/${id}`);
        if (!alive || selectedId !== id) return;
        renderPerson(personPanel, profile, ctx);
      } catch (failure) {
        show(personPanel, notice(failure.message, "error"));
      }
    }
    if (focusPanel) personPanel.querySelector(".person-name")?.focus();
  }

  // The API answers a change at once, but the graph learns of it from background workers:
  // poll the graph until it shows the change (or give up quietly after a few seconds).
  async function followGraph(profile) {
    delete graphEl.dataset.synced;
    for (let attempt = 0; attempt < 20 && alive; attempt += 1) {
      await pause(Math.min(100 * 2 ** attempt, 1000));
      const next = await fetchGraph().catch(() => null);
      if (!alive || !next) return;
      current = next;
      if (controller.refresh(next)) controller.replace(next, filters.layout);
      describe(next);
      const node = next.nodes.find((n) => n.id === profile.id);
      if (!node || sameScores(node, profile)) {
        graphEl.dataset.synced = profile.id;
        return;
      }
    }
  }

  async function applyFilters(next) {
    filters = next;
    graphStatus.textContent = "Loading…";
    try {
      current = await fetchGraph();
    } catch (failure) {
      graphStatus.textContent = failure.message;
      return;
    }
    if (!alive) return;
    controller.replace(current, filters.layout);
    describe(current);
    show(panel.panelOf.people, peopleList(current, selectPerson));
    if (selectedId) controller.select(selectedId);
  }

  show(
    main,
    h(
      "section",
      { class: "account-view" },
      h(
        "div",
        { class: "account-head" },
        h("p", { class: "crumbs" }, h("a", { href: "#/accounts" }, "Accounts"), " / "),
        h("h1", null, account.name),
        h("p", { class: "muted" }, [account.domain, account.industry].filter(Boolean).join(" · ")),
        opportunityChips(opportunities),
      ),
      filterForm(fullGraph, applyFilters),
      h(
        "div",
        { class: "account-body" },
        h("div", { class: "graph-column" }, graphEl, h("div", { class: "graph-bar" }, graphStatus, fitButton), legend()),
        h("aside", { class: "side-panel", "aria-label": "Details" }, panel.list, panel.panels),
      ),
    ),
  );
  // Drawn once the container is in the page, so the layout fits the real size.
  controller = drawGraph(graphEl, current, { onSelect: (id) => (id ? selectPerson(id) : null), layout: filters.layout });
  describe(current);
  window.stakeholderGraph = inspector(controller.cy, graphEl);
  renderPaths(panel.panelOf.paths, { accountId, graph: fullGraph, controller });
  const risksTab = panel.list.querySelector("#tab-risks");
  const risks = renderRisks(panel.panelOf.risks, {
    accountId,
    opportunities,
    selectPerson: ctx.selectPerson,
    onCount: (count) => {
      risksTab.textContent = count ? `Risks (${count})` : "Risks";
    },
  });
  show(panel.panelOf.people, peopleList(current, selectPerson));
  panel.select("paths");

  return () => {
    alive = false;
    window.stakeholderGraph = undefined;
    controller.destroy();
  };
}

/** A read-only view of the drawing for tests and the bench (no way to change anything). */
function inspector(cy, container) {
  return {
    nodeCount: () => cy.nodes().not(".group-label").length,
    edgeCount: () => cy.edges().length,
    nodeIds: () => cy.nodes().not(".group-label").map((n) => n.id()),
    node: (id) => ({ ...cy.getElementById(id).data() }),
    classed: (name) => cy.elements(`.${name}`).map((e) => e.id()),
    clientPosition: (id) => {
      const position = cy.getElementById(id).renderedPosition();
      const box = container.getBoundingClientRect();
      return { x: box.left + position.x, y: box.top + position.y };
    },
  };
}
