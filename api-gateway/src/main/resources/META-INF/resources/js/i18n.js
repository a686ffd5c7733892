// English and Korean. Static text carries data-i18n="key"; dynamic text goes through t(key, params).
const LANG_KEY = 'concert.lang';

const messages = {
    en: {
        appTitle: 'Concert tickets',
        skip: 'Skip to content',
        language: 'Language',
        signIn: 'Sign in',
        signOut: 'Sign out',
        signedInAs: 'Signed in as {name}',
        navConcerts: 'Concerts',
        navReservations: 'My reservations',
        concertsTitle: 'Concerts',
        loading: 'Loading…',
        noConcerts: 'No concerts yet.',
        dates: 'Dates',
        venue: 'Venue',
        prices: 'Prices',
        priceRange: '{min} – {max} points',
        saleOpen: 'Sale open',
        saleUpcoming: 'Sale opens {date}',
        saleUpcomingPreQueue: 'Sale opens {date}; pre-queue from {preQueue}',
        salePreQueue: 'Pre-queue open: the sale opens {date}',
        saleEnded: 'Sale ended',
        saleNone: 'No dates yet',
        join: 'Join the waiting room',
        joinFor: 'Join the waiting room for {title}',
        queueTitle: 'Waiting room',
        queueFor: 'Waiting room: {title}',
        position: 'Your place in line',
        ahead: 'People ahead of you',
        estimatedWait: 'Estimated wait',
        progress: 'Progress in line',
        queueWaiting: 'You are number {position} in line; {ahead} ahead of you. Estimated wait: {wait}.',
        waitPaused: 'not known while paused',
        waitStopped: 'not known while stopped',
        waitUnknown: 'not known yet',
        queuePaused: 'The line is paused for now: nobody is let in at the moment, and your place is kept. You are number {position} in line; {ahead} ahead of you.',
        queueStopped: 'The line is stopped for now: nobody is let in at the moment, and your place is kept. You are number {position} in line; {ahead} ahead of you.',
        waitPreQueue: 'until the sale opens',
        preQueue: 'You are in the pre-queue. When the sale opens at {time}, everyone in the pre-queue gets a place in line at random, and whoever comes later queues behind. Keep this page open.',
        saleNotOpen: 'The sale has not opened yet: it opens {opens}.',
        saleNotOpenPreQueue: 'The sale has not opened yet: it opens {opens}. You can join the pre-queue from {preQueue}.',
        joinsByItself: 'This page joins by itself at {time}.',
        saleClosed: 'The sale has ended.',
        queueNextCheck: 'This page updates by itself. Next check in {seconds} s.',
        queueRetry: 'The service is busy; trying again in {seconds} s.',
        admitted: 'It\'s your turn! You may choose a seat now.',
        admittedUntil: 'Your admission lasts until {time} ({left} left).',
        admissionOver: 'Your admission has ended ({reason}). You can join the waiting room again.',
        chooseSeats: 'Choose your seat',
        rejoin: 'Join again',
        seatsTitle: 'Choose a seat',
        performance: 'Performance',
        seatMap: 'Seat map',
        seatLabel: 'Seat {n}, {price} points, {state}',
        available: 'available',
        taken: 'taken',
        legendAvailable: 'Available',
        legendTaken: 'Taken',
        availableCount: '{count} seats available',
        seatTaken: 'Seat {n} was just taken by someone else. The seat map has been refreshed: please choose another seat.',
        holding: 'Holding seat {n}…',
        noSchedules: 'No performance of this concert is on sale right now.',
        payTitle: 'Pay for your seat',
        holdInfo: 'Seat {n} is held for you: {price} points.',
        holdLeft: 'Pay before {time}: {left} left.',
        holdExpired: 'Your hold has expired and the seat was released.',
        chooseAgain: 'Choose a seat again',
        wallet: 'Your points',
        balance: 'Balance: {balance} points',
        chargeAmount: 'Points to charge',
        charge: 'Charge points',
        charged: 'Charged {amount} points. Balance: {balance} points.',
        pay: 'Pay {price} points',
        paying: 'Paying…',
        missing: 'Not enough points: {shortfall} more needed (you have {balance}, the seat costs {required}).',
        paid: 'Paid! Reservation {id}, seat {n}: {status}.',
        confirming: 'Payment received; confirming your reservation…',
        reservationsTitle: 'My reservations',
        noReservations: 'No reservations yet.',
        colReservation: 'Reservation',
        colConcert: 'Concert',
        colSeat: 'Seat',
        colPrice: 'Price',
        colStatus: 'Status',
        status_BOOKED: 'BOOKED',
        status_PAID: 'PAID',
        status_CANCELED: 'CANCELED',
        needSignIn: 'Please sign in to continue.',
        error: '{title}: {detail}',
        minutes: '{m} min {s} s',
        seconds: '{s} s',
    },
    ko: {
        appTitle: '콘서트 예매',
        skip: '본문으로 건너뛰기',
        language: '언어',
        signIn: '로그인',
        signOut: '로그아웃',
        signedInAs: '{name} 님으로 로그인됨',
        navConcerts: '공연',
        navReservations: '내 예약',
        concertsTitle: '공연',
        loading: '불러오는 중…',
        noConcerts: '아직 공연이 없습니다.',
        dates: '일정',
        venue: '장소',
        prices: '가격',
        priceRange: '{min} – {max} 포인트',
        saleOpen: '예매 중',
        saleUpcoming: '{date} 예매 시작',
        saleUpcomingPreQueue: '{date} 예매 시작, 사전 대기열은 {preQueue}부터',
        salePreQueue: '사전 대기열 입장 가능: {date} 예매 시작',
        saleEnded: '예매 종료',
        saleNone: '일정 미정',
        join: '대기열 입장',
        joinFor: '{title} 대기열 입장',
        queueTitle: '대기실',
        queueFor: '대기실: {title}',
        position: '내 대기 순번',
        ahead: '내 앞의 대기 인원',
        estimatedWait: '예상 대기 시간',
        progress: '대기 진행률',
        queueWaiting: '대기 순번 {position}번, 앞에 {ahead}명이 있습니다. 예상 대기 시간: {wait}.',
        waitPaused: '일시 중지 중에는 알 수 없음',
        waitStopped: '중단 중에는 알 수 없음',
        waitUnknown: '아직 알 수 없음',
        queuePaused: '대기열이 잠시 멈췄습니다. 지금은 입장이 없으며 대기 순번은 유지됩니다. 대기 순번 {position}번, 앞에 {ahead}명이 있습니다.',
        queueStopped: '대기열이 중단되었습니다. 지금은 입장이 없으며 대기 순번은 유지됩니다. 대기 순번 {position}번, 앞에 {ahead}명이 있습니다.',
        waitPreQueue: '예매 시작 시까지',
        preQueue: '사전 대기열에 있습니다. {time}에 예매가 시작되면 사전 대기열의 모든 분께 무작위로 대기 순번이 정해지고, 이후에 오신 분은 그 뒤에 줄을 섭니다. 이 페이지를 열어 두세요.',
        saleNotOpen: '아직 예매가 시작되지 않았습니다. 예매 시작: {opens}.',
        saleNotOpenPreQueue: '아직 예매가 시작되지 않았습니다. 예매 시작: {opens}. 사전 대기열은 {preQueue}부터 입장할 수 있습니다.',
        joinsByItself: '이 페이지는 {time}에 자동으로 입장합니다.',
        saleClosed: '예매가 종료되었습니다.',
        queueNextCheck: '이 페이지는 자동으로 갱신됩니다. {seconds}초 후 다시 확인합니다.',
        queueRetry: '서비스가 혼잡합니다. {seconds}초 후 다시 시도합니다.',
        admitted: '입장 차례입니다! 지금 좌석을 선택할 수 있습니다.',
        admittedUntil: '입장 유효 시간: {time}까지 ({left} 남음).',
        admissionOver: '입장 시간이 끝났습니다 ({reason}). 대기열에 다시 입장할 수 있습니다.',
        chooseSeats: '좌석 선택',
        rejoin: '다시 입장',
        seatsTitle: '좌석 선택',
        performance: '공연 회차',
        seatMap: '좌석 배치도',
        seatLabel: '{n}번 좌석, {price} 포인트, {state}',
        available: '선택 가능',
        taken: '판매됨',
        legendAvailable: '선택 가능',
        legendTaken: '판매됨',
        availableCount: '선택 가능한 좌석 {count}석',
        seatTaken: '{n}번 좌석은 방금 다른 분이 선택했습니다. 좌석 배치도를 새로 고쳤습니다. 다른 좌석을 선택해 주세요.',
        holding: '{n}번 좌석을 잡는 중…',
        noSchedules: '지금 예매 가능한 회차가 없습니다.',
        payTitle: '결제',
        holdInfo: '{n}번 좌석을 임시로 잡아 두었습니다: {price} 포인트.',
        holdLeft: '{time}까지 결제해 주세요: {left} 남음.',
        holdExpired: '좌석 선점 시간이 지나 좌석이 해제되었습니다.',
        chooseAgain: '좌석 다시 선택',
        wallet: '내 포인트',
        balance: '잔액: {balance} 포인트',
        chargeAmount: '충전할 포인트',
        charge: '포인트 충전',
        charged: '{amount} 포인트를 충전했습니다. 잔액: {balance} 포인트.',
        pay: '{price} 포인트 결제',
        paying: '결제 중…',
        missing: '포인트가 부족합니다: {shortfall} 포인트가 더 필요합니다 (잔액 {balance}, 좌석 가격 {required}).',
        paid: '결제 완료! 예약 {id}, {n}번 좌석: {status}.',
        confirming: '결제되었습니다. 예약을 확정하는 중…',
        reservationsTitle: '내 예약',
        noReservations: '아직 예약이 없습니다.',
        colReservation: '예약 번호',
        colConcert: '공연',
        colSeat: '좌석',
        colPrice: '가격',
        colStatus: '상태',
        status_BOOKED: '예약됨 (BOOKED)',
        status_PAID: '결제 완료 (PAID)',
        status_CANCELED: '취소됨 (CANCELED)',
        needSignIn: '계속하려면 로그인해 주세요.',
        error: '{title}: {detail}',
        minutes: '{m}분 {s}초',
        seconds: '{s}초',
    },
};

// the choice made on this page, else the browser's language
export let lang = localStorage.getItem(LANG_KEY) || ((navigator.language || 'en').startsWith('ko') ? 'ko' : 'en');

export function t(key, params = {}) {
    const template = messages[lang][key] ?? messages.en[key] ?? key;
    return template.replace(/\{(\w+)\}/g, (_, name) => params[name] ?? '');
}

export function setLang(value) {
    lang = messages[value] ? value : 'en';
    localStorage.setItem(LANG_KEY, lang);
    applyStatic();
}

/** Static text of the page, and the lang attribute screen readers pronounce it by. */
export function applyStatic() {
    document.documentElement.lang = lang;
    document.title = t('appTitle');
    for (const el of document.querySelectorAll('[data-i18n]')) {
        el.textContent = t(el.dataset.i18n);
    }
    for (const el of document.querySelectorAll('[data-i18n-label]')) {
        el.setAttribute('aria-label', t(el.dataset.i18nLabel));
    }
    for (const b of document.querySelectorAll('[data-lang]')) {
        b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
    }
}

export const number = (n) => new Intl.NumberFormat(lang).format(n);
export const dateTime = (iso) => new Intl.DateTimeFormat(lang, {dateStyle: 'medium', timeStyle: 'short'}).format(new Date(iso));
export const time = (iso) => new Intl.DateTimeFormat(lang, {timeStyle: 'medium'}).format(new Date(iso));

/** A duration for people: "3 min 20 s" / "3분 20초". */
export function duration(totalSeconds) {
    const s = Math.max(0, Math.round(totalSeconds));
    return s >= 60 ? t('minutes', {m: Math.floor(s / 60), s: s % 60}) : t('seconds', {s});
}
