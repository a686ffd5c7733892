// Sign-in in the browser: OpenID Connect authorization code flow with PKCE (S256) on the public client
// (docs/web-client.md says why not a backend-for-frontend). Tokens live in sessionStorage: gone with the tab,
// never in a cookie the API would accept on its own, and the API only takes them as a Bearer header.

const TOKENS = 'concert.tokens';
const PENDING = 'concert.signin';
// refresh this long before the identity token expires, so a call never leaves with a token about to lapse
const REFRESH_MARGIN_MS = 60_000;

let config;        // {issuer, clientId} from the gateway
let endpoints;     // the issuer's discovery document
let refreshing;    // one refresh at a time

export async function initAuth() {
    config = await (await fetch('/web-config.json', {cache: 'no-cache'})).json();
    const discovery = await fetch(config.issuer.replace(/\/$/, '') + '/.well-known/openid-configuration');
    if (!discovery.ok) {
        throw new Error('identity provider discovery answered ' + discovery.status);
    }
    endpoints = await discovery.json();
    await completeSignInIfReturning();
}

function redirectUri() {
    return location.origin + '/';
}

function base64url(bytes) {
    return btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomString(n = 32) {
    return base64url(crypto.getRandomValues(new Uint8Array(n)));
}

/** Leaves for the identity provider's sign-in page; comes back to {@code returnTo} (a #route). */
export async function signIn(returnTo, uiLocale) {
    const verifier = randomString(48);
    const challenge = base64url(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)));
    const state = randomString(16);
    sessionStorage.setItem(PENDING, JSON.stringify({verifier, state, returnTo}));
    const params = new URLSearchParams({
        response_type: 'code', client_id: config.clientId, redirect_uri: redirectUri(), scope: 'openid',
        state, code_challenge: challenge, code_challenge_method: 'S256', ui_locales: uiLocale,
    });
    location.assign(endpoints.authorization_endpoint + '?' + params);
}

async function completeSignInIfReturning() {
    const query = new URLSearchParams(location.search);
    if (!query.has('state') || !(query.has('code') || query.has('error'))) {
        return;
    }
    const pending = JSON.parse(sessionStorage.getItem(PENDING) || 'null');
    sessionStorage.removeItem(PENDING);
    const returnTo = pending?.returnTo || '#/concerts';
    // the code must not stay in the address bar (history, reloads)
    history.replaceState(null, '', '/' + returnTo);
    if (!pending || pending.state !== query.get('state')) {
        throw new Error('sign-in answer does not match this tab\'s request (state)');
    }
    if (query.has('error')) {
        throw new Error(query.get('error_description') || query.get('error'));
    }
    await tokenRequest({
        grant_type: 'authorization_code', code: query.get('code'), redirect_uri: redirectUri(),
        client_id: config.clientId, code_verifier: pending.verifier,
    });
}

async function tokenRequest(form) {
    const r = await fetch(endpoints.token_endpoint, {
        method: 'POST', headers: {'Content-Type': 'application/x-www-form-urlencoded'}, body: new URLSearchParams(form),
    });
    const body = await r.json().catch(() => ({}));
    if (!r.ok) {
        throw new Error(body.error_description || body.error || ('token endpoint answered ' + r.status));
    }
    sessionStorage.setItem(TOKENS, JSON.stringify({
        access: body.access_token, refresh: body.refresh_token, id: body.id_token,
        expiresAt: Date.now() + body.expires_in * 1000,
    }));
}

function tokens() {
    return JSON.parse(sessionStorage.getItem(TOKENS) || 'null');
}

export function signedIn() {
    return tokens() !== null;
}

/** The identity token's claims (sub, preferred_username), or null when signed out. */
export function account() {
    const t = tokens();
    if (!t) {
        return null;
    }
    const payload = t.access.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(decodeURIComponent(escape(atob(payload))));
}

/** A current identity token, refreshed when close to expiry; null when signed out (or the session ended). */
export async function identityToken() {
    const t = tokens();
    if (!t) {
        return null;
    }
    if (t.expiresAt - Date.now() > REFRESH_MARGIN_MS) {
        return t.access;
    }
    if (!refreshing) {
        refreshing = tokenRequest({grant_type: 'refresh_token', refresh_token: t.refresh, client_id: config.clientId})
            .catch(() => sessionStorage.removeItem(TOKENS))
            .finally(() => { refreshing = null; });
    }
    await refreshing;
    return tokens()?.access ?? null;
}

/** Ends the session at the identity provider too, and comes back to the concert list. */
export function signOut() {
    const t = tokens();
    sessionStorage.removeItem(TOKENS);
    const params = new URLSearchParams({client_id: config.clientId, post_logout_redirect_uri: redirectUri()});
    if (t?.id) {
        params.set('id_token_hint', t.id);
    }
    location.assign(endpoints.end_session_endpoint + '?' + params);
}
