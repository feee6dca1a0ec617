// The admin API as the console calls it: the token lives in this tab's sessionStorage (never in
// a URL or a cookie), is sent as a bearer header, and a 401 ends the session.

const TOKEN = 'portico.token';
let onSessionEnd = () => {};

export class ApiFailure extends Error {
  constructor(status, body) {
    super(body && body.detail ? body.detail : `HTTP ${status}`);
    this.status = status;
    this.error = body && body.error;
    this.field = body && body.field;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN);
}

export function whenSessionEnds(handler) {
  onSessionEnd = handler;
}

export async function signIn(username, password) {
  const answer = await call('POST', '/auth/login', {username, password}, false);
  sessionStorage.setItem(TOKEN, answer.token);
  return answer;
}

/**
 * Finishes a sign-in through the admin's OIDC provider: trades the one-time code the callback put
 * in the URL fragment for the token. The browser's sign-in cookie goes along (credentials
 * 'same-origin'): a code from a sign-in in another browser is refused.
 */
export async function signInWithCode(code) {
  const response = await fetch('/api/v1/auth/oidc/handoff', {
    method: 'POST', headers: {Accept: 'application/json', 'Content-Type': 'application/json'},
    body: JSON.stringify({code}), credentials: 'same-origin', cache: 'no-store', redirect: 'error',
  });
  const answer = await response.json().catch(() => null);
  if (!response.ok) throw new ApiFailure(response.status, answer);
  sessionStorage.setItem(TOKEN, answer.token);
  return answer;
}

/** Whether admins may sign in through an OIDC provider: its issuer, or null. */
export async function oidcProvider() {
  try {
    return (await call('GET', '/auth/oidc/provider', undefined, false)).issuer;
  } catch (notConfigured) {
    return null;
  }
}

/**
 * Ends the session; an OIDC sign-in's answers where the browser ends the provider's session
 * too (null when the provider offers no end-session endpoint).
 */
export async function signOut(oidc) {
  try {
    if (oidc) return (await call('POST', '/auth/oidc/logout')).endSessionUrl;
    await call('POST', '/auth/logout');
    return null;
  } finally {
    sessionStorage.removeItem(TOKEN);
  }
}

/** Calls /api/v1 + path; answers the parsed JSON (null for 204), throws ApiFailure otherwise. */
export async function call(method, path, body, authenticated = true) {
  const headers = {Accept: 'application/json'};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (authenticated && token()) headers.Authorization = `Bearer ${token()}`;
  const response = await fetch(`/api/v1${path}`, {
    method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'omit', cache: 'no-store', redirect: 'error',
  });
  const text = await response.text();
  let parsed = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch (notJson) {
    parsed = {error: 'invalid answer', detail: text.slice(0, 200)};
  }
  if (response.status === 401 && authenticated) {
    sessionStorage.removeItem(TOKEN);
    onSessionEnd(parsed && parsed.detail);
  }
  if (!response.ok) throw new ApiFailure(response.status, parsed);
  return parsed;
}

/** A path segment: names with '*' or '/' stay one segment. */
export const seg = (value) => encodeURIComponent(value);

/** The API's OpenAPI document, fetched once: the site form is built from its schemas. */
let documentPromise;
export function openapi() {
  documentPromise ||= call('GET', '/openapi.json', undefined, false).catch((e) => {
    documentPromise = undefined;
    throw e;
  });
  return documentPromise;
}
