// The public API exactly as docs/identity.md documents it: Authorization: Bearer <identity token> on every
// signed-in call, Admission-Token: <accessToken of the queue poll> on the sale routes. Errors are RFC 9457
// problem documents; they come back as ApiError with the problem's fields.
import {identityToken} from './auth.js';

export class ApiError extends Error {
    constructor(status, problem, retryAfterSeconds) {
        super(problem.detail || problem.title || ('HTTP ' + status));
        this.status = status;
        this.problem = problem;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The problem's type slug: .../problems/seat-taken -> seat-taken. */
    get type() {
        return (this.problem.type || '').split('/').pop();
    }
}

/** Seconds from a Retry-After header (delta-seconds or an HTTP date), or null. */
function retryAfter(response) {
    const value = response.headers.get('Retry-After');
    if (!value) {
        return null;
    }
    if (/^\d+$/.test(value.trim())) {
        return Number(value.trim());
    }
    const at = Date.parse(value);
    return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}

/**
 * One call. {@code options.admission}: the admission token for sale routes; {@code options.anonymous}: no
 * identity token (the public concert list); {@code options.idempotencyKey}: for charges and payments, so a
 * retry after a lost answer is not charged twice.
 */
export async function call(method, path, body, options = {}) {
    const headers = {'Accept': 'application/json'};
    if (!options.anonymous) {
        const token = await identityToken();
        if (!token) {
            throw new ApiError(401, {title: 'Not signed in', type: 'not-signed-in'}, null);
        }
        headers['Authorization'] = 'Bearer ' + token;
    }
    if (options.admission) {
        headers['Admission-Token'] = options.admission;
    }
    if (options.idempotencyKey) {
        headers['Idempotency-Key'] = options.idempotencyKey;
    }
    if (body !== undefined) {
        headers['Content-Type'] = 'application/json';
    }
    let response;
    try {
        response = await fetch(path, {method, headers, body: body === undefined ? undefined : JSON.stringify(body)});
    } catch (e) {
        // the network, not the API: treated like a 503 without advice
        throw new ApiError(0, {title: 'Network error', detail: String(e.message || e), type: 'network'}, null);
    }
    const text = await response.text();
    let json = {};
    try {
        json = text ? JSON.parse(text) : {};
    } catch {
        json = {title: 'HTTP ' + response.status};
    }
    if (!response.ok) {
        throw new ApiError(response.status, json, retryAfter(response));
    }
    return {status: response.status, body: json};
}

export const api = {
    concerts: () => call('GET', '/api/v1/concerts?size=100', undefined, {anonymous: true}),
    sale: (concertId) => call('GET', '/api/v1/queue/sales/' + concertId, undefined, {anonymous: true}),
    join: (concertId) => call('POST', '/api/v1/queue/tokens', {concertId}),
    poll: (token) => call('GET', '/api/v1/queue/tokens/' + encodeURIComponent(token)),
    schedules: (concertId, admission) => call('GET', `/api/v1/concerts/${concertId}/schedules`, undefined, {admission}),
    seats: (scheduleId, admission) => call('GET', `/api/v1/schedules/${scheduleId}/seats`, undefined, {admission}),
    hold: (scheduleId, seatNumber, admission) => call('POST', '/api/v1/reservations', {scheduleId, seatNumber}, {admission}),
    reservation: (id) => call('GET', '/api/v1/reservations/' + id),
    reservations: () => call('GET', '/api/v1/reservations?size=100'),
    balance: () => call('GET', '/api/v1/users/me/points'),
    charge: (amount, idempotencyKey) => call('POST', '/api/v1/users/me/points/charge', {amount}, {idempotencyKey}),
    pay: (reservationId, admission, idempotencyKey) => call('POST', '/api/v1/payments', {reservationId}, {admission, idempotencyKey}),
};
