// The buyers' page: concerts → waiting room → seats → pay → my reservations, one view at a time, routed by
// the URL's #fragment so a reload (or a second tab) comes back to the same step.
import {account, initAuth, signedIn, signIn, signOut} from './auth.js';
import {api, ApiError} from './api.js';
import {applyStatic, dateTime, duration, lang, number, setLang, t, time} from './i18n.js';

const $ = (id) => document.getElementById(id);
const SEAT_REFRESH_MS = 5_000;
const MAX_BACKOFF_S = 30;

// ---- view lifecycle: every timer belongs to the view that started it and stops when the view changes

let generation = 0;
const timers = new Set();
let firstRender = true;

function later(fn, ms) {
    const gen = generation;
    const id = setTimeout(() => {
        timers.delete(id);
        if (gen === generation) {
            fn();
        }
    }, ms);
    timers.add(id);
    return id;
}

function cancel(id) {
    clearTimeout(id);
    timers.delete(id);
}

function every(fn, ms) {
    const id = setInterval(fn, ms);
    timers.add(id);
}

function current(gen) {
    return gen === generation;
}

function show(viewId, keepFocus) {
    generation++;
    for (const id of timers) {
        clearTimeout(id);
        clearInterval(id);
    }
    timers.clear();
    hideAlert();
    for (const v of document.querySelectorAll('.view')) {
        v.hidden = v.id !== viewId;
    }
    // a new step gets the focus on its heading, so keyboard and screen reader users start there
    if (!firstRender && !keepFocus) {
        $(viewId).querySelector('h2').focus();
    }
    firstRender = false;
    return generation;
}

/** Exponential backoff with jitter, never sooner than the server's Retry-After. */
function backoffSeconds(failures, retryAfter) {
    const exp = Math.min(MAX_BACKOFF_S, 2 ** Math.min(failures, 5));
    const jittered = exp * (0.8 + Math.random() * 0.4);
    return Math.max(retryAfter ?? 0, Math.round(jittered));
}

function showAlert(error) {
    const el = $('alert');
    const p = error instanceof ApiError ? error.problem : {title: 'Error', detail: String(error.message || error)};
    el.textContent = p.detail ? t('error', {title: p.title || '', detail: p.detail}) : (p.title || String(error));
    el.hidden = false;
}

function hideAlert() {
    $('alert').hidden = true;
    $('alert').textContent = '';
}

function message(el, text) {
    el.textContent = text;
    el.hidden = !text;
}

// ---- what the page remembers

const sub = () => account()?.sub;
const queueKey = (concertId) => `concert.queue.${sub()}.${concertId}`;
const admissionKey = (concertId) => `concert.admission.${sub()}.${concertId}`;

/** The place in line, shared by the account's tabs: a reload or a second tab polls the same token. */
function queueEntry(concertId) {
    return JSON.parse(localStorage.getItem(queueKey(concertId)) || 'null');
}

function saveQueueEntry(concertId, entry) {
    localStorage.setItem(queueKey(concertId), JSON.stringify(entry));
}

function admission(concertId) {
    const a = JSON.parse(localStorage.getItem(admissionKey(concertId)) || 'null');
    return a && Date.parse(a.expiresAt) > Date.now() ? a : null;
}

function forgetAdmission(concertId) {
    localStorage.removeItem(admissionKey(concertId));
}

let concertCache = null;

async function concerts() {
    if (!concertCache) {
        concertCache = (await api.concerts()).body.items;
    }
    return concertCache;
}

async function concertTitle(concertId) {
    let c = (await concerts()).find((x) => x.concertId === Number(concertId));
    if (!c) {
        concertCache = null;   // a concert added since the list was read
        c = (await concerts()).find((x) => x.concertId === Number(concertId));
    }
    return c ? c.title : '#' + concertId;
}

// ---- header

function renderHeader() {
    const who = account();
    $('sign-in').hidden = !!who;
    $('sign-out').hidden = !who;
    $('nav-reservations').hidden = !who;
    $('who').textContent = who ? t('signedInAs', {name: who.preferred_username || who.sub}) : '';
}

function requireSignIn() {
    if (!signedIn()) {
        signIn(location.hash || '#/concerts', lang);
        return false;
    }
    return true;
}

// ---- concerts

/**
 * The card's sale line and whether it offers to join: queue-service's public sale status when it has the sale (it
 * decides who may register: the pre-queue counts as joinable), else the list's dates.
 */
function saleStatus(c, sale) {
    const now = Date.now();
    if (c.lastPerformanceAt && Date.parse(c.lastPerformanceAt) <= now) {
        return {open: false, text: t('saleEnded')};
    }
    if (sale) {
        switch (sale.state) {
            case 'OPEN':
                return {open: true, text: t('saleOpen')};
            case 'PRE_QUEUE':
                return {open: true, text: t('salePreQueue', {date: dateTime(sale.opensAt)})};
            case 'CLOSED':
                return {open: false, text: t('saleEnded')};
            default:
                return {open: false, text: sale.preQueueOpensAt
                    ? t('saleUpcomingPreQueue', {date: dateTime(sale.opensAt), preQueue: dateTime(sale.preQueueOpensAt)})
                    : t('saleUpcoming', {date: dateTime(sale.opensAt)})};
        }
    }
    if (!c.saleOpensAt) {
        return {open: false, text: t('saleNone')};
    }
    if (Date.parse(c.lastPerformanceAt) <= now) {
        return {open: false, text: t('saleEnded')};
    }
    if (Date.parse(c.saleOpensAt) > now) {
        return {open: false, text: t('saleUpcoming', {date: dateTime(c.saleOpensAt)})};
    }
    return {open: true, text: t('saleOpen')};
}

async function showConcerts(keepFocus) {
    const gen = show('view-concerts', keepFocus);
    const status = $('concerts-status');
    status.textContent = t('loading');
    concertCache = null;
    let items;
    let sales;
    try {
        items = await concerts();
        // public and answered from memory; a concert without an announced sale (404) falls back to the list's dates
        sales = await Promise.all(items.map((c) => api.sale(c.concertId).then((r) => r.body, () => null)));
    } catch (e) {
        showAlert(e);
        return;
    }
    if (!current(gen)) {
        return;
    }
    status.textContent = items.length ? '' : t('noConcerts');
    const list = $('concert-list');
    list.replaceChildren();
    for (const [i, c] of items.entries()) {
        const sale = saleStatus(c, sales[i]);
        const li = document.createElement('li');
        li.className = 'card';
        li.dataset.concertId = c.concertId;
        const h = document.createElement('h3');
        h.textContent = c.title;
        const dl = document.createElement('dl');
        const row = (label, value) => {
            const dt = document.createElement('dt');
            dt.textContent = label;
            const dd = document.createElement('dd');
            dd.textContent = value;
            dl.append(dt, dd);
            return dd;
        };
        row(t('venue'), c.venue);
        if (c.firstPerformanceAt) {
            row(t('dates'), c.firstPerformanceAt === c.lastPerformanceAt ? dateTime(c.firstPerformanceAt)
                : dateTime(c.firstPerformanceAt) + ' – ' + dateTime(c.lastPerformanceAt));
        }
        if (c.minPrice != null) {
            row(t('prices'), t('priceRange', {min: number(c.minPrice), max: number(c.maxPrice)}));
        }
        const p = document.createElement('p');
        p.className = 'sale' + (sale.open ? ' open' : '');
        p.textContent = sale.text;
        li.append(h, dl, p);
        if (sale.open) {
            const b = document.createElement('button');
            b.type = 'button';
            b.className = 'primary join';
            b.textContent = t('join');
            b.setAttribute('aria-label', t('joinFor', {title: c.title}));
            b.addEventListener('click', () => { location.hash = '#/queue/' + c.concertId; });
            li.append(b);
        }
        list.append(li);
    }
}

// ---- waiting room

async function showQueue(concertId, keepFocus) {
    const gen = show('view-queue', keepFocus);
    if (!requireSignIn()) {
        return;
    }
    $('queue-title').textContent = t('queueFor', {title: await concertTitle(concertId).catch(() => '#' + concertId)});
    $('queue-admitted').hidden = true;
    $('queue-rejoin').hidden = true;
    $('queue-live').textContent = '';
    $('queue-next').textContent = '';
    let entry = queueEntry(concertId);
    let failures = 0;

    const join = async () => {
        // joining again is safe: the API answers 200 with the account's live place if it has one
        const r = await api.join(concertId);
        entry = {token: r.body.token, firstPosition: Math.max(1, r.body.position)};
        saveQueueEntry(concertId, entry);
        return r.body;
    };

    const tick = async () => {
        let place;
        try {
            if (entry) {
                try {
                    place = (await api.poll(entry.token)).body;
                } catch (e) {
                    if (!(e instanceof ApiError && e.status === 404)) {
                        throw e;
                    }
                    entry = null;   // not this account's (any more): join instead
                }
            }
            if (!entry) {
                place = await join();
            }
            failures = 0;
        } catch (e) {
            if (!current(gen)) {
                return;
            }
            if (e instanceof ApiError && e.status === 409 && (e.type === 'sale-not-open' || e.type === 'sale-closed')) {
                saleNotOpen(concertId, e.problem, e.type === 'sale-closed', tick);
                return;
            }
            // a refusal (4xx) will not change by asking again; only a busy or unreachable service is retried
            if (e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 429) {
                $('queue-next').textContent = '';
                showAlert(e);
                return;
            }
            failures++;
            const wait = backoffSeconds(failures, e.retryAfterSeconds);
            $('queue-next').textContent = t('queueRetry', {seconds: wait});
            later(tick, wait * 1000);
            return;
        }
        if (!current(gen)) {
            return;
        }
        renderPlace(concertId, entry, place);
        if (place.status === 'WAITING') {
            const next = place.pollAfterSeconds ?? 2;
            $('queue-next').textContent = t('queueNextCheck', {seconds: next});
            later(tick, next * 1000);
        }
    };
    await tick();
}

/** Registration refused: the sale has not opened (say when, and join by itself then) or has ended. */
function saleNotOpen(concertId, problem, closed, join) {
    for (const id of ['queue-position', 'queue-ahead', 'queue-wait']) {
        $(id).textContent = '–';
    }
    $('queue-progress').value = 0;
    $('queue-next').textContent = '';
    if (closed) {
        localStorage.removeItem(queueKey(concertId));
        $('queue-live').textContent = t('saleClosed');
        return;
    }
    const preQueueLater = problem.preQueueOpensAt && Date.parse(problem.preQueueOpensAt) > Date.now();
    $('queue-live').textContent = preQueueLater
        ? t('saleNotOpenPreQueue', {opens: dateTime(problem.opensAt), preQueue: dateTime(problem.preQueueOpensAt)})
        : t('saleNotOpen', {opens: dateTime(problem.opensAt)});
    // a page left open joins when it can: the pre-queue's start, else the opening (within a day: timers are not for weeks)
    const at = preQueueLater ? problem.preQueueOpensAt : problem.opensAt;
    const ms = Date.parse(at) - Date.now();
    if (ms < 24 * 3600 * 1000) {
        $('queue-next').textContent = t('joinsByItself', {time: time(at)});
        later(join, Math.max(1000, ms + 500));
    }
}

function waitText(place) {
    if (place.admission === 'PAUSED' || place.admission === 'STOPPED') {
        return t(place.admission === 'PAUSED' ? 'waitPaused' : 'waitStopped');
    }
    if (place.waitTimeKnown === false || place.estimatedWaitSeconds == null) {
        return t('waitUnknown');
    }
    return duration(place.estimatedWaitSeconds);
}

function renderPlace(concertId, entry, place) {
    if (place.status === 'WAITING' && place.preQueue) {
        // no place before the opening: the pre-queue is put in a random order then
        $('queue-position').textContent = '–';
        $('queue-ahead').textContent = '–';
        $('queue-wait').textContent = t('waitPreQueue');
        $('queue-progress').value = 0;
        const text = t('preQueue', {time: dateTime(place.saleOpensAt)});
        if ($('queue-live').textContent !== text) {
            $('queue-live').textContent = text;
        }
        return;
    }
    if (place.status === 'WAITING') {
        const ahead = place.ahead ?? Math.max(0, place.position - 1);
        $('queue-position').textContent = number(place.position);
        $('queue-ahead').textContent = number(ahead);
        // no number unless the service can honestly give one: a paused or stopped line, or one not seen moving yet
        const wait = waitText(place);
        $('queue-wait').textContent = wait;
        const first = Math.max(entry.firstPosition || place.position, place.position);
        const bar = $('queue-progress');
        bar.max = first;
        bar.value = first - place.position;
        const held = place.admission === 'PAUSED' || place.admission === 'STOPPED';
        const text = held
            ? t(place.admission === 'PAUSED' ? 'queuePaused' : 'queueStopped', {position: number(place.position), ahead: number(ahead)})
            : t('queueWaiting', {position: number(place.position), ahead: number(ahead), wait});
        // only a change is announced (aria-live), so an unchanged place does not chatter every poll
        if ($('queue-live').textContent !== text) {
            $('queue-live').textContent = text;
        }
        return;
    }
    $('queue-next').textContent = '';
    if (place.status === 'ACTIVE') {
        localStorage.setItem(admissionKey(concertId), JSON.stringify({accessToken: place.accessToken, expiresAt: place.expiresAt}));
        $('queue-position').textContent = '0';
        $('queue-ahead').textContent = '0';
        $('queue-wait').textContent = duration(0);
        $('queue-progress').value = $('queue-progress').max;
        $('queue-live').textContent = '';
        $('queue-admitted').hidden = false;
        $('queue-admitted-text').textContent = t('admitted');
        const countdown = () => {
            const left = (Date.parse(place.expiresAt) - Date.now()) / 1000;
            if (left <= 0) {
                admissionEnded(concertId, 'TIMEOUT');
                return;
            }
            $('queue-admitted-until').textContent = t('admittedUntil', {time: time(place.expiresAt), left: duration(left)});
        };
        countdown();
        every(countdown, 1000);
        $('to-seats').onclick = () => { location.hash = '#/seats/' + concertId; };
        $('to-seats').focus();
        return;
    }
    admissionEnded(concertId, place.reason || 'EXPIRED');
}

function admissionEnded(concertId, reason) {
    localStorage.removeItem(queueKey(concertId));
    forgetAdmission(concertId);
    $('queue-admitted').hidden = true;
    if (reason === 'SALE_CLOSED') {
        $('queue-live').textContent = t('saleClosed');
        return;
    }
    $('queue-live').textContent = t('admissionOver', {reason});
    const rejoin = $('queue-rejoin');
    rejoin.hidden = false;
    rejoin.onclick = () => showQueue(concertId);
}

/** The admission of a concert, or null after sending the user back to the waiting room. */
function admissionOrQueue(concertId) {
    const a = admission(concertId);
    if (!a) {
        location.hash = '#/queue/' + concertId;
        return null;
    }
    return a;
}

/** A sale route refused the admission (expired, revoked by the payment): back to the waiting room. */
function admissionRefused(e, concertId) {
    if (e instanceof ApiError && e.status === 401 && e.problem.credential === 'admission-token') {
        forgetAdmission(concertId);
        localStorage.removeItem(queueKey(concertId));
        location.hash = '#/queue/' + concertId;
        return true;
    }
    return false;
}

// ---- seats

async function showSeats(concertId, keepFocus) {
    const gen = show('view-seats', keepFocus);
    if (!requireSignIn()) {
        return;
    }
    const a = admissionOrQueue(concertId);
    if (!a) {
        return;
    }
    $('seats-title').textContent = t('seatsTitle') + ' — ' + await concertTitle(concertId).catch(() => '#' + concertId);
    $('seats-admission').textContent = t('admittedUntil', {time: time(a.expiresAt), left: duration((Date.parse(a.expiresAt) - Date.now()) / 1000)});
    message($('seats-message'), '');
    $('seat-map').replaceChildren();
    let schedules;
    try {
        schedules = (await api.schedules(concertId, a.accessToken)).body.schedules;
    } catch (e) {
        if (!admissionRefused(e, concertId) && current(gen)) {
            showAlert(e);
        }
        return;
    }
    if (!current(gen)) {
        return;
    }
    const select = $('schedule-select');
    select.replaceChildren(...schedules.map((s) => {
        const o = document.createElement('option');
        o.value = s.scheduleId;
        o.textContent = dateTime(s.performanceAt);
        return o;
    }));
    if (!schedules.length) {
        $('seats-count').textContent = t('noSchedules');
        return;
    }
    let failures = 0;
    let next;   // one refresh chain only: a refresh on demand (after a refused hold) replaces the scheduled one
    const refresh = async () => {
        cancel(next);
        try {
            const map = (await api.seats(Number(select.value), a.accessToken)).body;
            failures = 0;
            if (current(gen)) {
                renderSeats(map, (n) => hold(concertId, Number(select.value), n, a, refresh));
                cancel(next);
                next = later(refresh, SEAT_REFRESH_MS);
            }
        } catch (e) {
            if (admissionRefused(e, concertId) || !current(gen)) {
                return;
            }
            if (e.status >= 400 && e.status < 500 && e.status !== 429) {
                showAlert(e);
                return;
            }
            failures++;
            cancel(next);
            next = later(refresh, backoffSeconds(failures, e.retryAfterSeconds) * 1000);
        }
    };
    select.onchange = () => {
        $('seat-map').replaceChildren();
        refresh();
    };
    await refresh();
}

/** Updates the seat buttons in place, so a refresh never steals the keyboard focus from a seat. */
function renderSeats(map, onChoose) {
    $('seats-count').textContent = t('availableCount', {count: number(map.availableSeatCount)});
    const grid = $('seat-map');
    for (const seat of map.seats) {
        let b = grid.querySelector(`[data-seat="${seat.seatNumber}"]`);
        if (!b) {
            b = document.createElement('button');
            b.type = 'button';
            b.className = 'seat';
            b.dataset.seat = seat.seatNumber;
            b.innerHTML = '<span class="number"></span><span class="price"></span>';
            b.addEventListener('click', () => onChoose(seat.seatNumber));
            grid.append(b);
        }
        b.querySelector('.number').textContent = seat.seatNumber;
        b.querySelector('.price').textContent = number(seat.price);
        b.disabled = !seat.available;
        b.dataset.available = String(seat.available);
        b.setAttribute('aria-label', t('seatLabel', {n: seat.seatNumber, price: number(seat.price), state: t(seat.available ? 'available' : 'taken')}));
    }
}

async function hold(concertId, scheduleId, seatNumber, a, refresh) {
    message($('seats-message'), t('holding', {n: seatNumber}));
    try {
        const r = await api.hold(scheduleId, seatNumber, a.accessToken);
        location.hash = '#/pay/' + r.body.reservationId;
    } catch (e) {
        if (admissionRefused(e, concertId)) {
            return;
        }
        if (e instanceof ApiError && e.type === 'seat-taken') {
            message($('seats-message'), t('seatTaken', {n: seatNumber}));
            // the chosen button turns disabled and would drop the focus to the page: keep it on the message
            $('seats-message').focus();
            await refresh();
            return;
        }
        message($('seats-message'), '');
        showAlert(e);
    }
}

// ---- pay

async function showPay(reservationId, keepFocus) {
    const gen = show('view-pay', keepFocus);
    if (!requireSignIn()) {
        return;
    }
    $('pay-result').textContent = '';
    $('hold-expired').hidden = true;
    $('pay-form').hidden = false;
    message($('pay-message'), '');
    let reservation;
    try {
        reservation = (await api.reservation(reservationId)).body;
    } catch (e) {
        showAlert(e);
        return;
    }
    if (!current(gen)) {
        return;
    }
    const concertId = reservation.concertId;
    $('hold-info').textContent = t('holdInfo', {n: reservation.seatNumber, price: number(reservation.price)});
    $('choose-again').onclick = () => { location.hash = '#/seats/' + concertId; };
    if (reservation.status === 'PAID') {
        showPaid(reservation);
        return;
    }
    if (reservation.status === 'CANCELED') {
        showExpired();
        return;
    }
    const countdown = () => {
        const left = (Date.parse(reservation.expiresAt) - Date.now()) / 1000;
        if (left <= 0) {
            showExpired();
            return;
        }
        $('hold-left').textContent = t('holdLeft', {time: time(reservation.expiresAt), left: duration(left)});
    };
    countdown();
    every(countdown, 1000);
    $('pay').textContent = t('pay', {price: number(reservation.price)});
    $('charge-amount').value = reservation.price;
    await refreshBalance();

    $('charge-form').onsubmit = async (ev) => {
        ev.preventDefault();
        const amount = Number($('charge-amount').value);
        try {
            // a new key per charge the user asks for; the same key would only replay the first one
            const r = (await api.charge(amount, crypto.randomUUID())).body;
            message($('pay-message'), '');
            $('balance').textContent = t('charged', {amount: number(r.charged), balance: number(r.balance)});
            $('pay').focus();
        } catch (e) {
            showAlert(e);
        }
    };
    $('pay').onclick = () => pay(reservation, gen);
}

async function refreshBalance() {
    try {
        const b = (await api.balance()).body;
        $('balance').textContent = t('balance', {balance: number(b.balance)});
    } catch (e) {
        showAlert(e);
    }
}

async function pay(reservation, gen) {
    const a = admission(reservation.concertId);
    if (!a) {
        location.hash = '#/queue/' + reservation.concertId;
        return;
    }
    // one key per reservation: a retry after a lost answer (or a double click) is never charged twice
    const keyName = 'concert.pay-key.' + reservation.reservationId;
    const key = sessionStorage.getItem(keyName) || crypto.randomUUID();
    sessionStorage.setItem(keyName, key);
    $('pay').disabled = true;
    message($('pay-message'), t('paying'));
    let failures = 0;
    for (;;) {
        try {
            await api.pay(reservation.reservationId, a.accessToken, key);
            break;
        } catch (e) {
            if (!current(gen)) {
                return;
            }
            // the hold is very new and payment-service has not heard of it yet: 503 + Retry-After, wait and retry
            if (e instanceof ApiError && (e.status === 503 || e.status === 429) && failures < 10) {
                failures++;
                await new Promise((r) => setTimeout(r, backoffSeconds(failures, e.retryAfterSeconds) * 1000));
                continue;
            }
            $('pay').disabled = false;
            if (e instanceof ApiError && e.type === 'insufficient-points') {
                message($('pay-message'), t('missing', {shortfall: number(e.problem.shortfall), balance: number(e.problem.balance),
                    required: number(e.problem.required)}));
                $('charge-amount').value = e.problem.shortfall;
                $('charge-amount').focus();
            } else if (e instanceof ApiError && (e.type === 'reservation-canceled' || e.type === 'payment-deadline-passed')) {
                showExpired();
            } else if (!admissionRefused(e, reservation.concertId)) {
                message($('pay-message'), '');
                showAlert(e);
            }
            return;
        }
    }
    message($('pay-message'), '');
    $('pay-form').hidden = true;
    $('pay-result').textContent = t('confirming');
    // PAID follows the payment through an event: show it once the reservation says so
    for (let i = 0; i < 60 && current(gen); i++) {
        try {
            const r = (await api.reservation(reservation.reservationId)).body;
            if (r.status === 'PAID') {
                showPaid(r);
                return;
            }
        } catch {
            // try again
        }
        await new Promise((r) => setTimeout(r, 1000));
    }
}

function showPaid(r) {
    for (const id of timers) {
        clearInterval(id);
    }
    $('hold-left').textContent = '';
    $('pay-form').hidden = true;
    $('pay-result').textContent = t('paid', {id: r.reservationId, n: r.seatNumber, status: t('status_' + r.status)});
    $('pay-result').dataset.status = r.status;
    $('pay-result').tabIndex = -1;
    $('pay-result').focus();
}

function showExpired() {
    for (const id of timers) {
        clearInterval(id);
    }
    $('hold-left').textContent = '';
    $('pay-form').hidden = true;
    $('hold-expired').hidden = false;
    $('hold-expired-text').textContent = t('holdExpired');
    $('choose-again').focus();
}

// ---- my reservations

async function showReservations(keepFocus) {
    const gen = show('view-reservations', keepFocus);
    if (!requireSignIn()) {
        return;
    }
    $('reservations-status').textContent = t('loading');
    let items;
    try {
        items = (await api.reservations()).body.items;
        await concerts();
    } catch (e) {
        showAlert(e);
        return;
    }
    if (!current(gen)) {
        return;
    }
    $('reservations-status').textContent = items.length ? '' : t('noReservations');
    $('reservations-table').hidden = !items.length;
    const rows = [];
    for (const r of items) {
        const tr = document.createElement('tr');
        tr.dataset.reservationId = r.reservationId;
        tr.dataset.status = r.status;
        for (const v of [r.reservationId, await concertTitle(r.concertId), r.seatNumber, number(r.price), t('status_' + r.status)]) {
            const td = document.createElement('td');
            td.textContent = v;
            tr.append(td);
        }
        rows.push(tr);
    }
    $('reservations-body').replaceChildren(...rows);
}

// ---- routing

function route(keepFocus = false) {
    renderHeader();
    const [, view, param] = (location.hash || '#/concerts').split('/');
    const id = Number(param);   // the API wants ids as JSON numbers
    switch (view) {
        case 'queue': return showQueue(id, keepFocus);
        case 'seats': return showSeats(id, keepFocus);
        case 'pay': return showPay(id, keepFocus);
        case 'reservations': return showReservations(keepFocus);
        default: return showConcerts(keepFocus);
    }
}

async function start() {
    applyStatic();
    $('sign-in').addEventListener('click', () => signIn(location.hash || '#/concerts', lang));
    $('sign-out').addEventListener('click', () => signOut());
    for (const b of document.querySelectorAll('[data-lang]')) {
        b.addEventListener('click', () => {
            setLang(b.dataset.lang);
            route(true);
        });
    }
    window.addEventListener('hashchange', () => route());
    try {
        await initAuth();
    } catch (e) {
        renderHeader();
        showAlert(e);
        return;
    }
    route();
}

start();
