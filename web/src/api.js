// The service's JSON API, called with the signed-in key. Errors arrive as
// {"error": {"code", "message", "details"}} and are thrown as ApiError.

const KEY_ITEM = "stakeholder-intel.api-key";
const ACTOR_ITEM = "stakeholder-intel.actor";

export class ApiError extends Error {
  constructor(status, code, message, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** The sign-in: the key lives in sessionStorage (gone when the tab closes). */
export const session = {
  get key() {
    return sessionStorage.getItem(KEY_ITEM);
  },
  get actor() {
    return localStorage.getItem(ACTOR_ITEM) ?? "";
  },
  signIn(key, actor) {
    sessionStorage.setItem(KEY_ITEM, key);
    if (actor) localStorage.setItem(ACTOR_ITEM, actor);
    else localStorage.removeItem(ACTOR_ITEM);
  },
  signOut() {
    sessionStorage.removeItem(KEY_ITEM);
  },
};

// Header values must be Latin-1; a rep's name in another script is sent percent-encoded.
function headerSafe(text) {
  return /^[\x20-\x7e\xa0-\xff]*$/.test(text) ? text : encodeURIComponent(text);
}

function urlOf(path, query) {
  const url = new URL(path, window.location.origin);
  for (const [name, value] of Object.entries(query ?? {})) {
    for (const item of [value].flat()) {
      if (item !== undefined && item !== null && item !== "") url.searchParams.append(name, item);
    }
  }
  return url;
}

/** Call the API; resolve to the parsed JSON body, or throw ApiError. */
export async function api(path, { method = "GET", query, body, key = session.key } = {}) {
  const headers = { Accept: "application/json" };
  if (key) headers.Authorization = `Bearer ${key}`;
  if (session.actor) headers["X-Actor"] = headerSafe(session.actor);
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(urlOf(path, query), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
      credentials: "omit",
    });
  } catch {
    throw new ApiError(0, "network_error", "The service cannot be reached.");
  }
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    throw new ApiError(response.status, "bad_response", `Unexpected answer (${response.status}).`);
  }
  if (!response.ok) {
    const error = data?.error ?? {};
    if (response.status === 401) window.dispatchEvent(new CustomEvent("unauthorized"));
    throw new ApiError(
      response.status,
      error.code ?? "http_error",
      error.message ?? `HTTP ${response.status}`,
      error.details,
    );
  }
  return data;
}

/** Every item of a paginated list (following next_cursor), up to `max`. */
export async function allItems(path, query = {}, max = 5000) {
  const items = [];
  let cursor = null;
  do {
    const page = await api(path, { query: { ...query, limit: 200, cursor } });
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor && items.length < max);
  return items;
}
