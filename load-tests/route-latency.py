#!/usr/bin/env python3
"""Per-route latency through the gateway, from its access log ("METHOD path" status N ms lines), in the
text format ./run.sh uses or as the prod profile's JSON lines (the access-log line is the "message").

    load-tests/route-latency.py .run/logs/api-gateway.log 05:05:50 [05:07:00]

Counts, p50/p95/p99/max in ms and the statuses of each public route between the two times (HH:MM:SS, the
log's own clock); the rush's window starts when Gatling prints "Simulation ... started".
"""
import collections
import json
import re
import sys

LINE = re.compile(r'^(\d\d:\d\d:\d\d\.\d+) .*"(\w+) (\S+) HTTP/[\d.]+" (\d+) (\d+) ms')
REQUEST = re.compile(r'"(\w+) (\S+) HTTP/[\d.]+" (\d+) (\d+) ms')


def parse(line):
    """(time HH:MM:SS.mmm, method, path, status, ms) of an access-log line, or None."""
    if line.startswith('{'):
        try:
            record = json.loads(line)
        except ValueError:
            return None
        m = REQUEST.search(record.get('message', ''))
        stamp = record.get('timestamp', '')
        if not m or 'T' not in stamp:
            return None
        return (stamp.split('T', 1)[1][:12],) + m.groups()
    m = LINE.match(line)
    return m.groups() if m else None


def route(method, path):
    if method == 'POST' and path == '/api/v1/reservations':
        return 'hold'
    if path.startswith('/api/v1/schedules/') and path.endswith('/seats'):
        return 'list seats'
    if path.startswith('/api/v1/queue/tokens/'):
        return 'poll'
    if path == '/api/v1/queue/tokens':
        return 'registration'
    if path == '/api/v1/concerts':
        return 'concert list'
    if path.startswith('/api/v1/concerts/') and path.endswith('/schedules'):
        return 'schedules'
    return method + ' other'


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(round(p / 100 * len(values) + 0.5)) - 1))]


def main(log, start, end='99'):
    times = collections.defaultdict(list)
    statuses = collections.defaultdict(collections.Counter)
    with open(log, errors='replace') as f:
        for line in f:
            entry = parse(line)
            if not entry or not start <= entry[0] <= end:
                continue
            _, method, path, status, ms = entry
            r = route(method, path.split('?')[0])
            times[r].append(int(ms))
            statuses[r][status] += 1
    for r, v in sorted(times.items()):
        print(f"{r:14} n={len(v):6} p50={percentile(v, 50):6} p95={percentile(v, 95):6} "
              f"p99={percentile(v, 99):6} max={max(v):6} statuses={dict(statuses[r])}")


if __name__ == '__main__':
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(*sys.argv[1:4])
