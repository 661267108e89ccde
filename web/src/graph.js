// The influence graph drawn with Cytoscape.js: node size by influence, colour by role,
// marks for champions and blockers, edge style by type and width by strength.
import cytoscape from "cytoscape";
import fcose from "cytoscape-fcose";
import { ROLE_COLOURS, primaryRole } from "./format.js";

cytoscape.use(fcose);

const LARGE = 400; // above this many people: cheaper layout and rendering

const EDGE_STYLES = {
  REPORTS_TO: { colour: "#475569", line: "solid", arrow: "triangle" },
  DEFERS_TO: { colour: "#2563eb", line: "dashed", arrow: "triangle" },
  INFLUENCES: { colour: "#0e7490", line: "solid", arrow: "triangle" },
  ALLIED_WITH: { colour: "#16a34a", line: "solid", arrow: "none" },
  OPPOSES: { colour: "#dc2626", line: "dashed", arrow: "tee" },
  INTERACTS_WITH: { colour: "#a8a29e", line: "dotted", arrow: "none" },
};

function stylesheet(large) {
  const roleStyles = Object.entries(ROLE_COLOURS).map(([role, colour]) => ({
    selector: `node[role = "${role}"]`,
    style: { "background-color": colour },
  }));
  const edgeStyles = Object.entries(EDGE_STYLES).map(([type, style]) => ({
    selector: `edge[type = "${type}"]`,
    style: {
      "line-color": style.colour,
      "target-arrow-color": style.colour,
      "line-style": style.line,
      "target-arrow-shape": large ? "none" : style.arrow,
    },
  }));
  return [
    {
      selector: "node",
      style: {
        width: "mapData(size, 0, 10, 14, 60)",
        height: "mapData(size, 0, 10, 14, 60)",
        label: "data(label)",
        "font-size": 11,
        "font-family": "system-ui, sans-serif",
        color: "#0f172a",
        "text-valign": "bottom",
        "text-margin-y": 3,
        "text-outline-color": "#ffffff",
        "text-outline-width": 2,
        "text-wrap": "ellipsis",
        "text-max-width": "140px",
        // Names of the many appear only once zoomed in far enough to read them.
        "min-zoomed-font-size": large ? 12 : 8,
        "border-width": 1,
        "border-color": "#ffffff",
      },
    },
    ...roleStyles,
    {
      // People with a role keep their name on screen further out than the rest.
      selector: "node.key",
      style: { "font-size": 14, "font-weight": "bold", "min-zoomed-font-size": 0, "z-index": 5 },
    },
    {
      selector: "node.group-label",
      style: {
        shape: "round-rectangle",
        width: 1,
        height: 1,
        "background-opacity": 0,
        "border-width": 0,
        label: "data(label)",
        "font-size": "data(fontSize)",
        "font-weight": "bold",
        color: "#334155",
        "text-valign": "center",
        "text-wrap": "none",
        "text-outline-width": 0,
        "min-zoomed-font-size": 4,
        events: "no",
        "z-index": 0,
      },
    },
    {
      selector: "node.ours",
      style: {
        shape: "round-rectangle",
        "border-width": 2,
        "border-color": "#334155",
        width: 20,
        height: 20,
      },
    },
    {
      selector: "node.champion",
      style: { "border-width": 6, "border-style": "double", "border-color": "#16a34a" },
    },
    {
      selector: "node.blocker",
      style: { shape: "octagon", "border-width": 4, "border-color": "#dc2626" },
    },
    {
      selector: "edge",
      style: {
        width: large ? "mapData(weight, 0, 1, 0.5, 3)" : "mapData(weight, 0, 1, 1, 6)",
        // Past LARGE people, haystack edges (no arrows): far cheaper to draw.
        "curve-style": large ? "haystack" : "straight",
        "arrow-scale": 0.8,
        opacity: large ? 0.4 : 0.75,
      },
    },
    ...edgeStyles,
    {
      selector: "node:selected",
      style: { "underlay-color": "#f59e0b", "underlay-opacity": 0.55, "underlay-padding": 8 },
    },
    { selector: ".faded", style: { opacity: 0.2 } },
    {
      selector: "node.on-strongest",
      style: { "underlay-color": "#7c3aed", "underlay-opacity": 0.5, "underlay-padding": 7 },
    },
    {
      selector: "node.on-shortest",
      style: { "underlay-color": "#ea580c", "underlay-opacity": 0.6, "underlay-padding": 5 },
    },
    {
      selector: "edge.on-strongest",
      style: { "line-color": "#7c3aed", "target-arrow-color": "#7c3aed", width: 7, opacity: 1, "z-index": 9 },
    },
    {
      selector: "edge.on-shortest",
      style: { "line-color": "#ea580c", "target-arrow-color": "#ea580c", width: 5, opacity: 1, "z-index": 10 },
    },
  ];
}

/** Cytoscape data for one node of GET /accounts/{id}/graph. */
export function nodeData(node) {
  const roles = node.roles ?? [];
  return {
    id: node.id,
    label: node.name ?? "(unnamed)",
    kind: node.kind,
    role: node.kind === "our_person" ? "ours" : primaryRole(roles),
    roles,
    title: node.title ?? null,
    department: node.department ?? null,
    stance: node.stance ?? null,
    influence: node.influence ?? null,
    decision_power: node.decision_power ?? null,
    relationship_strength: node.relationship_strength ?? null,
    size: node.influence ?? 0,
  };
}

function nodeClasses(node) {
  const roles = node.roles ?? [];
  const classes = roles.length ? ["key"] : [];
  if (node.kind === "our_person") classes.push("ours");
  if (roles.includes("champion")) classes.push("champion");
  if (roles.includes("blocker")) classes.push("blocker");
  return classes;
}

function elementsOf(graph) {
  // In name order (ids are random): with the seeded layout, the same map looks the same.
  const key = new Map(graph.nodes.map((n) => [n.id, `${n.kind}\u0000${n.name ?? ""}\u0000${n.title ?? ""}\u0000${n.id}`]));
  const byKey = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  const nodes = [...graph.nodes].sort((a, b) => byKey(key.get(a.id), key.get(b.id)));
  const edgeKey = (e) => `${key.get(e.source)}\u0001${key.get(e.target)}\u0001${e.type}`;
  return [
    ...nodes.map((node) => ({ group: "nodes", data: nodeData(node), classes: nodeClasses(node) })),
    ...graph.edges
      .filter((e) => key.has(e.source) && key.has(e.target))
      .sort((a, b) => byKey(edgeKey(a), edgeKey(b)))
      .map((edge) => ({
        group: "edges",
        data: {
          id: edge.id,
          source: edge.source,
          target: edge.target,
          type: edge.type,
          weight: edge.weight ?? 0.3,
        },
      })),
  ];
}

/** "auto": force-directed up to LARGE people, by department past it. */
export function resolveLayout(name, count) {
  if (name && name !== "auto") return name;
  return count > LARGE ? "department" : "fcose";
}

/** Layout options for Cytoscape's layout(); "department" positions come from departmentLayout. */
export function layoutOptions(name, count) {
  const large = count > LARGE;
  if (name === "concentric") {
    return {
      name: "concentric",
      concentric: (node) => node.data("influence") ?? 0,
      levelWidth: () => 1,
      minNodeSpacing: large ? 4 : 12,
      animate: false,
      padding: 24,
    };
  }
  if (name === "hierarchy") {
    return { name: "breadthfirst", directed: false, spacingFactor: large ? 0.6 : 1.1, animate: false, padding: 24 };
  }
  // fcose's full quality takes tens of seconds at 2,000 people; its draft (spectral) is
  // fast but cramped. Past LARGE the department layout is the default.
  return {
    name: "fcose",
    quality: large ? "draft" : "default",
    randomize: true,
    animate: false,
    fit: true,
    padding: 24,
    nodeDimensionsIncludeLabels: !large,
    packComponents: true,
    nodeRepulsion: () => (large ? 4500 : 9000),
    idealEdgeLength: () => (large ? 40 : 90),
    numIter: 2500,
    tile: true,
  };
}

const GOLDEN_ANGLE = Math.PI * (3 - Math.sqrt(5));
const GAP = 20;

/**
 * Preset positions in O(n): one disc per department (our people in their own), each a
 * sunflower spiral with the most influential person at its centre and room for every
 * node's size; discs packed in rows, largest first. Returns {positions, labels}.
 */
export function departmentLayout(nodes) {
  const groups = new Map();
  for (const node of nodes) {
    const name = node.kind === "our_person" ? "Our people" : node.department || "No department";
    if (!groups.has(name)) groups.set(name, []);
    groups.get(name).push(node);
  }
  const discs = [...groups.entries()]
    .sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]))
    .map(([name, members]) => spiral(name, members));
  const totalArea = discs.reduce((sum, disc) => sum + (2 * disc.radius + 4 * GAP) ** 2, 0);
  const rowWidth = Math.max(Math.sqrt(totalArea) * 1.6, 2 * discs[0]?.radius || 0);
  const positions = {};
  const labels = [];
  let x = 0;
  let y = 0;
  let rowHeight = 0;
  for (const disc of discs) {
    const labelSpace = disc.fontSize * 1.6;
    const width = 2 * disc.radius;
    if (x > 0 && x + width > rowWidth) {
      x = 0;
      y += rowHeight + 4 * GAP;
      rowHeight = 0;
    }
    const centre = { x: x + disc.radius, y: y + labelSpace + disc.radius };
    for (const [id, offset] of disc.offsets) positions[id] = { x: centre.x + offset.x, y: centre.y + offset.y };
    labels.push({ name: disc.name, fontSize: disc.fontSize, position: { x: centre.x, y: y + disc.fontSize / 2 } });
    x += width + 4 * GAP;
    rowHeight = Math.max(rowHeight, width + labelSpace);
  }
  return { positions, labels };
}

function diameter(node) {
  return node.kind === "our_person" ? 20 : 14 + ((node.influence ?? 0) / 10) * 46;
}

function spiral(name, members) {
  const ordered = [...members].sort(
    (a, b) => (b.influence ?? -1) - (a.influence ?? -1) || String(a.id).localeCompare(String(b.id)),
  );
  const offsets = [];
  let area = 0;
  let radius = 0;
  for (const [index, node] of ordered.entries()) {
    const size = diameter(node) + GAP;
    area += size * size;
    const r = index === 0 ? 0 : Math.sqrt(area / Math.PI);
    offsets.push([node.id, { x: r * Math.cos(index * GOLDEN_ANGLE), y: r * Math.sin(index * GOLDEN_ANGLE) }]);
    radius = Math.max(radius, r + size / 2);
  }
  return { name, offsets, radius, fontSize: Math.round(Math.max(16, Math.min(64, radius / 5))) };
}

/**
 * Draw `graph` into `container`. `onSelect(id|null)` is called when a person is clicked
 * (or the background). Returns a controller; call destroy() when the view goes.
 */
export function drawGraph(container, graph, { onSelect, layout = "auto", onDrawn } = {}) {
  const count = graph.nodes.length;
  const large = count > LARGE;
  const cy = cytoscape({
    container,
    elements: elementsOf(graph),
    style: stylesheet(large),
    layout: { name: "null" }, // positions come from runLayout below, fitted once there
    minZoom: 0.05,
    maxZoom: 4,
    boxSelectionEnabled: false,
    selectionType: "single",
    textureOnViewport: large,
    hideEdgesOnViewport: large,
    hideLabelsOnViewport: large,
    pixelRatio: large ? 1 : "auto",
  });
  // People with a role keep a readable name at any zoom: their label grows as the view
  // zooms out (a style bypass on those few nodes, once per frame).
  let labelFrame = 0;
  const scaleKeyLabels = () => {
    labelFrame = 0;
    const zoom = cy.zoom();
    const size = Math.min(60, Math.max(14, 13 / zoom));
    const grow = Math.max(1, 0.9 / zoom); // marks stay visible when zoomed out
    cy.batch(() => {
      cy.nodes(".key").forEach((node) => {
        const diameter = Math.max(14 + ((node.data("influence") ?? 0) / 10) * 46, 16 / zoom);
        const border = node.hasClass("champion") ? 6 : node.hasClass("blocker") ? 4 : 1;
        node.style({
          "font-size": size,
          "text-outline-width": size / 7,
          "text-max-width": `${size * 10}px`,
          width: diameter,
          height: diameter,
          "border-width": border * grow,
        });
      });
    });
  };
  cy.on("zoom", () => {
    if (!labelFrame) labelFrame = requestAnimationFrame(scaleKeyLabels);
  });
  cy.on("tap", "node", (event) => onSelect?.(event.target.id()));
  cy.on("tap", (event) => {
    if (event.target === cy) onSelect?.(null);
  });

  const people = () => cy.nodes().not(".group-label");

  function runLayout(requested) {
    cy.remove(".group-label");
    const name = resolveLayout(requested, people().length);
    const started = performance.now();
    cy.one("layoutstop", () => {
      scaleKeyLabels();
      cy.one("render", () => {
        const count = people().length;
        // Read by bench/page_render.py: navigation start to the first drawn frame.
        performance.mark("graph-drawn", { detail: { nodes: count, layoutMs: performance.now() - started } });
        container.dataset.state = "drawn";
        container.dataset.nodes = String(count);
        onDrawn?.({ layoutMs: performance.now() - started });
      });
      cy.forceRender?.();
    });
    container.dataset.state = "layout";
    if (name === "department") {
      const { positions, labels } = departmentLayout(people().map((n) => n.data()));
      cy.add(labels.map((label) => ({
        group: "nodes",
        data: { id: `group:${label.name}`, label: label.name, fontSize: label.fontSize },
        classes: ["group-label"],
        position: label.position,
        selectable: false,
        grabbable: false,
      })));
      cy.layout({ name: "preset", positions: (node) => positions[node.id()] ?? node.position(), fit: true, padding: 24, animate: false }).run();
      return;
    }
    const eles = name === "hierarchy" ? cy.elements("node, edge[type = 'REPORTS_TO']") : cy.elements();
    const roots = name === "hierarchy" ? hierarchyRoots(cy) : undefined;
    withSeededRandom(() => eles.layout({ ...layoutOptions(name, people().length), roots }).run());
  }

  runLayout(layout);

  return {
    cy,
    relayout: runLayout,
    fit() {
      cy.fit(undefined, 24);
    },
    /** Replace the drawing with another graph (filters changed). */
    replace(next, name = layout) {
      cy.elements().remove();
      cy.style(stylesheet(next.nodes.length > LARGE));
      cy.add(elementsOf(next));
      runLayout(name);
    },
    /** Update scores, roles and stance in place (no new layout): the node resizes and recolours. */
    refresh(next) {
      let changed = false;
      cy.batch(() => {
        for (const node of next.nodes) {
          const element = cy.getElementById(node.id);
          if (element.empty()) continue;
          element.data(nodeData(node));
          element.classes(nodeClasses(node));
          if (!element.hasClass("key")) element.removeStyle();
        }
      });
      scaleKeyLabels();
      const known = new Set(people().map((n) => n.id()));
      changed = next.nodes.some((n) => !known.has(n.id)) || known.size !== next.nodes.length;
      return changed;
    },
    /** Select a person; bring them into view if they are outside it (or `center`). */
    select(id, { center = false } = {}) {
      cy.$(":selected").unselect();
      const element = cy.getElementById(id);
      if (element.empty()) return false;
      element.select();
      const box = element.renderedBoundingBox();
      const outside = box.x1 < 0 || box.y1 < 0 || box.x2 > cy.width() || box.y2 > cy.height();
      if (center || outside) cy.center(element);
      return true;
    },
    highlight(pathNodes, className) {
      const ids = pathNodes.map((n) => n.id);
      const nodes = cy.collection(ids.map((id) => cy.getElementById(id)).filter((e) => e.nonempty()));
      nodes.addClass(className);
      for (let i = 0; i + 1 < ids.length; i += 1) {
        cy.getElementById(ids[i]).edgesWith(cy.getElementById(ids[i + 1])).addClass(className);
      }
      return nodes;
    },
    clearHighlight() {
      cy.elements().removeClass("on-shortest on-strongest faded");
    },
    fadeOthers(keep) {
      cy.elements().addClass("faded");
      keep.removeClass("faded");
      keep.connectedEdges().filter((e) => e.hasClass("on-shortest") || e.hasClass("on-strongest")).removeClass("faded");
    },
    destroy() {
      if (labelFrame) cancelAnimationFrame(labelFrame);
      cy.destroy();
    },
  };
}

/**
 * Run `action` (a synchronous layout) with Math.random seeded, so the same people and ties
 * are drawn the same way on every visit: a rep's map should not reshuffle itself.
 */
function withSeededRandom(action) {
  const original = Math.random;
  let state = 20240601;
  Math.random = () => {
    // mulberry32
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  try {
    action();
  } finally {
    Math.random = original;
  }
}

function hierarchyRoots(cy) {
  // REPORTS_TO runs from a person to their manager: the roots report to nobody drawn.
  const roots = cy
    .nodes()
    .filter((node) => node.outgoers("edge[type = 'REPORTS_TO']").empty() && node.incomers("edge[type = 'REPORTS_TO']").nonempty());
  return roots.nonempty() ? roots : undefined;
}
