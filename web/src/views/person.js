// The side panel for one person: the three scores, each with the evidence that adds up to
// it; roles with scope and evidence; relations; and the controls to correct them.
import { api } from "../api.js";
import { h, notice, show, uid } from "../dom.js";
import { ROLES, SCORE_LABELS, date, number, quoteBlock, roleBadge, roleLabel, words } from "../format.js";

const EVIDENCE_KINDS = {
  title_rule: "title rule",
  signal: "conversation",
  centrality: "centrality",
  interactions: "interactions",
  engagement: "engagement",
  trust: "trust",
  override: "override",
  bound: "bound",
};

function signed(points) {
  const value = Number(points);
  return `${value >= 0 ? "+" : "−"}${number(Math.abs(value), 2)}`;
}

function evidenceItem(item) {
  return h(
    "li",
    { class: `evidence-item evidence-${item.kind}` },
    h("span", { class: "points" }, signed(item.points)),
    h("span", { class: "evidence-kind" }, EVIDENCE_KINDS[item.kind] ?? words(item.kind)),
    h("span", { class: "evidence-label" }, item.label),
    quoteBlock(item.quote, item.conversation_id),
  );
}

/** A form whose submit runs `action`; errors are shown in the form, success re-renders. */
function actionForm(attrs, fields, submitLabel, action) {
  const error = h("div", { class: "form-error", "aria-live": "assertive" });
  const button = h("button", { type: "submit" }, submitLabel);
  const form = h("form", { class: "action-form", ...attrs }, fields, error, button);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    error.replaceChildren();
    button.disabled = true;
    try {
      await action(new FormData(form), event.submitter);
    } catch (failure) {
      error.append(notice(failure.message, "error"));
      button.disabled = false;
    }
  });
  return form;
}

function field(label, control) {
  const id = control.id || uid("field");
  control.id = id;
  return h("div", { class: "field" }, h("label", { for: id }, label), control);
}

function reasonInput() {
  return h("input", { name: "reason", type: "text", required: true, minlength: 3, maxlength: 1000, autocomplete: "off" });
}

function overrideControls(profile, name, score, ctx) {
  const label = SCORE_LABELS[name];
  const value = h("input", {
    name: "value",
    type: "number",
    min: 0,
    max: 10,
    step: 0.1,
    required: true,
    value: number(score.value, 2),
  });
  const reason = reasonInput();
  const form = actionForm(
    { "aria-label": `Override ${label}`, dataset: { score: name } },
    [field(`New ${label.toLowerCase()} (0–10)`, value), field("Reason", reason)],
    "Override",
    async (data, submitter) => {
      const profileAfter = submitter?.value === "clear"
        ? await api(`/stakeholders/${profile.id}/overrides/${name}`, { method: "DELETE", query: { reason: data.get("reason") } })
        : await api(`/stakeholders/${profile.id}/overrides`, {
            method: "POST",
            body: { score: name, value: Number(data.get("value")), reason: data.get("reason") },
          });
      ctx.onChanged(profileAfter, { focus: `score-${name}` });
    },
  );
  if (score.overridden) {
    form.append(h("button", { type: "submit", name: "action", value: "clear", class: "secondary" }, "Clear the override"));
  }
  return h("details", { class: "correct" }, h("summary", null, `Override ${label.toLowerCase()}…`), form);
}

function overrideNote(score) {
  const override = score.override;
  if (!score.overridden || !override) return null;
  return h(
    "p",
    { class: "override-note" },
    h("strong", null, "Set by hand"),
    `: ${number(override.value, 2)} (computed ${number(override.previous_value, 2)}) by ${override.by} on ${date(override.at)}. Reason: `,
    h("q", null, override.reason),
  );
}

function scoreSection(profile, name, ctx) {
  const score = profile.scores[name];
  if (!score) return null;
  const label = SCORE_LABELS[name];
  const total = (score.evidence ?? []).reduce((sum, item) => sum + Number(item.points), 0);
  return h(
    "section",
    { class: "score", id: `score-${name}`, tabindex: -1, dataset: { score: name }, "aria-label": label },
    h(
      "h4",
      null,
      label,
      " ",
      h("span", { class: "score-value" }, number(score.value, 2)),
      h("span", { class: "muted" }, " / 10"),
      score.overridden ? h("span", { class: "badge overridden" }, "overridden") : null,
    ),
    h("meter", { min: 0, max: 10, value: score.value ?? 0, "aria-label": `${label} ${number(score.value, 2)} of 10` }),
    overrideNote(score),
    h("p", { class: "muted small" }, `Why: these contributions add up to ${number(total, 2)}.`),
    h("ol", { class: "evidence" }, (score.evidence ?? []).map(evidenceItem)),
    overrideControls(profile, name, score, ctx),
  );
}

function scopeText(scope, ctx) {
  if (!scope || scope.kind === "account") return "whole account";
  if (scope.kind === "aspect") return `aspect: ${scope.aspect ?? ""}`;
  const opportunity = ctx.opportunities.find((o) => o.id === scope.opportunity_id);
  return `opportunity: ${opportunity?.name ?? scope.opportunity_id}`;
}

function roleItem(profile, role, ctx) {
  const removal = actionForm(
    { "aria-label": `Remove the role ${roleLabel(role.role)}` },
    [field("Reason", reasonInput())],
    "Remove role",
    async (data) => {
      const after = await api(`/stakeholders/${profile.id}/roles/${role.id}`, {
        method: "DELETE",
        query: { reason: data.get("reason") },
      });
      ctx.onChanged(after, { focus: "roles" });
    },
  );
  const quotes = (role.evidence ?? []).filter((e) => e.quote);
  return h(
    "li",
    { class: "role-item" },
    roleBadge(role.role),
    h("span", { class: "scope" }, ` ${scopeText(role.scope, ctx)}`),
    role.stance ? h("span", { class: `stance stance-${role.stance}` }, ` · ${role.stance}`) : null,
    h(
      "div",
      { class: "muted small" },
      `${role.source === "rep" ? "set by a rep" : "from conversations"} · confidence ${number((role.confidence ?? 0) * 100, 0)}%`,
      role.created_by ? ` · by ${role.created_by}` : "",
    ),
    role.reason ? h("p", { class: "small" }, "Reason: ", h("q", null, role.reason)) : null,
    quotes.length ? h("div", { class: "role-evidence" }, quotes.map((e) => quoteBlock(e.quote, e.conversation_id))) : null,
    h("details", { class: "correct" }, h("summary", null, "Remove…"), removal),
  );
}

function addRoleForm(profile, ctx) {
  const role = h("select", { name: "role", required: true }, ROLES.map((r) => h("option", { value: r }, roleLabel(r))));
  const kind = h(
    "select",
    { name: "kind" },
    h("option", { value: "account" }, "the whole account"),
    h("option", { value: "aspect" }, "one aspect"),
    h("option", { value: "opportunity" }, "one opportunity"),
  );
  const aspect = h("input", { name: "aspect", type: "text", maxlength: 200, placeholder: "e.g. security review" });
  const opportunity = h(
    "select",
    { name: "opportunity_id" },
    ctx.opportunities.map((o) => h("option", { value: o.id }, o.name)),
  );
  const stance = h(
    "select",
    { name: "stance" },
    h("option", { value: "" }, "(as the role implies)"),
    ["supportive", "neutral", "opposed"].map((s) => h("option", { value: s }, s)),
  );
  const aspectField = field("Aspect", aspect);
  const opportunityField = field("Opportunity", opportunity);
  const syncScope = () => {
    aspectField.hidden = kind.value !== "aspect";
    aspect.required = kind.value === "aspect";
    opportunityField.hidden = kind.value !== "opportunity";
  };
  kind.addEventListener("change", syncScope);
  syncScope();
  const form = actionForm(
    { "aria-label": "Add a role" },
    [field("Role", role), field("Applies to", kind), aspectField, opportunityField, field("Stance", stance), field("Reason", reasonInput())],
    "Add role",
    async (data) => {
      const scope = { kind: data.get("kind") };
      if (scope.kind === "aspect") scope.aspect = data.get("aspect");
      if (scope.kind === "opportunity") scope.opportunity_id = data.get("opportunity_id");
      const body = { role: data.get("role"), scope, reason: data.get("reason") };
      if (data.get("stance")) body.stance = data.get("stance");
      const after = await api(`/stakeholders/${profile.id}/roles`, { method: "POST", body });
      ctx.onChanged(after, { focus: "roles" });
    },
  );
  return h("details", { class: "correct" }, h("summary", null, "Add a role…"), form);
}

function relationItem(relation, ctx) {
  const arrow = relation.direction === "out" ? "→" : "←";
  const quotes = (relation.evidence ?? []).filter((e) => e?.quote);
  return h(
    "li",
    null,
    `${arrow} ${words(relation.type.toLowerCase())} `,
    h("button", { type: "button", class: "link-button", onclick: () => ctx.selectPerson(relation.other_id) }, relation.other_name ?? "someone"),
    relation.weight !== null && relation.weight !== undefined ? h("span", { class: "muted" }, ` (strength ${number(relation.weight, 2)})`) : null,
    quotes.map((e) => quoteBlock(e.quote, e.conversation_id)),
  );
}

function overrideHistory(profile) {
  const list = h("div", null, h("p", { class: "loading" }, "Loading…"));
  const details = h("details", { class: "history" }, h("summary", null, "Override history"), list);
  details.addEventListener("toggle", async () => {
    if (!details.open) return;
    try {
      const items = await api(`/stakeholders/${profile.id}/overrides`);
      show(
        list,
        items.length
          ? h(
              "ul",
              { class: "plain" },
              items.map((o) =>
                h(
                  "li",
                  null,
                  `${SCORE_LABELS[o.score] ?? o.score}: ${number(o.value, 2)} (was ${number(o.previous_value, 2)}) by ${o.by}, ${date(o.at)}: `,
                  h("q", null, o.reason),
                  o.cleared_at ? ` · cleared by ${o.cleared_by} on ${date(o.cleared_at)}: ${o.clear_reason ?? ""}` : "",
                ),
              ),
            )
          : h("p", { class: "muted" }, "No override yet."),
      );
    } catch (failure) {
      show(list, notice(failure.message, "error"));
    }
  });
  return details;
}

/**
 * Render `profile` (GET /stakeholders/{id}) into `container`. ctx: {opportunities,
 * onChanged(profile, {focus}), selectPerson(id)}.
 */
export function renderPerson(container, profile, ctx) {
  const facts = [profile.title, profile.department, profile.seniority && profile.seniority !== "unknown" ? words(profile.seniority) : null]
    .filter(Boolean)
    .join(" · ");
  show(
    container,
    h(
      "article",
      { class: "person", dataset: { stakeholderId: profile.id } },
      h("h2", { class: "person-name", tabindex: -1 }, profile.full_name),
      facts ? h("p", { class: "person-facts" }, facts) : null,
      h(
        "p",
        { class: "person-roles" },
        profile.stance ? h("span", { class: `stance stance-${profile.stance}` }, words(profile.stance)) : null,
        [...new Set(profile.roles.map((r) => r.role))].map(roleBadge),
      ),
      profile.emails?.length ? h("p", { class: "muted small" }, profile.emails.join(", ")) : null,
      h("h3", null, "Scores"),
      Object.keys(SCORE_LABELS).map((name) => scoreSection(profile, name, ctx)),
      h("h3", { id: "roles", tabindex: -1 }, "Roles"),
      profile.roles.length
        ? h("ul", { class: "plain roles" }, profile.roles.map((r) => roleItem(profile, r, ctx)))
        : h("p", { class: "muted" }, "No role yet."),
      addRoleForm(profile, ctx),
      h("h3", null, "Relations"),
      profile.relations.length
        ? h("ul", { class: "plain relations" }, profile.relations.map((r) => relationItem(r, ctx)))
        : h("p", { class: "muted" }, "No known relation."),
      overrideHistory(profile),
      profile.scores_computed_at ? h("p", { class: "muted small" }, `Scores computed ${date(profile.scores_computed_at)}.`) : null,
    ),
  );
}
