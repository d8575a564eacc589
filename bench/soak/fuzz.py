#!/usr/bin/python3
"""bench/soak/fuzz.py — a small mutational HTTP/1.1 fuzzer for `httpsys serve` (see bench/README.md, "Soak runs").

It starts from valid requests (simple GETs, pipelined requests, Content-Length bodies, chunked bodies with chunk
extensions and trailers, Expect: 100-continue, ranges, conditional GETs), mutates them (bit flips, byte
replacements, CR/LF/NUL insertions, deletions, truncations, duplicated or removed header lines, huge or odd numbers
in Content-Length and chunk sizes, conflicting framing headers, over-long fields) and sends each "case" (1-8 pipelined
requests) on a fresh connection: write everything, half-close, read until the server closes. Every response's status
is counted. Cases are independent and derived from (--seed, case index) alone, so any case can be shown or replayed
later (--show N, --replay N) whatever the concurrency was.

Checks, printed as markdown tables at the end (exit 0 when every bar is met, 1 otherwise, 2 on a harness error):
  - no 5xx answer except 501 (a transfer coding we do not implement) and 505 (an HTTP version we do not support),
    which are the engine's documented answers to such requests; every 5xx case is replayed alone and logged;
  - the server process (--pid) is alive at the end;
  - its RSS at the end minus its RSS after the first --rss-mark mutated requests stays within --rss-slack-mb;
  - a normal GET /plaintext still gets 200 "Hello, World!" afterwards;
  - no response body carries --secret (a file outside the static root: path traversal).
Also counted: cases the server closed without any answer, resets, cases that hit --case-timeout (the server kept the
connection open after our FIN: worth a look), unparsable response streams and 200 bodies that are not one of the
served documents (--known-body).

Only ever connects to --host, which must be a loopback address. Bounded: --requests and --max-seconds.
Needs only the Python 3 standard library (Debian's /usr/bin/python3).
"""
import argparse
import asyncio
import collections
import ipaddress
import json
import os
import random
import re
import signal
import socket
import struct
import sys
import time

# ----------------------------------------------------------------------------------------------------------------
# Valid requests the mutations start from. {H} is replaced by host:port.
# ----------------------------------------------------------------------------------------------------------------
FORM = b"name=value&other=1234567890&x=%41%42"
CHUNKED_BODY = (b"5;name=value\r\nhello\r\n"
                b"6;quoted=\"a b\";flag\r\n world\r\n"
                b"1A\r\n" + b"abcdefghijklmnopqrstuvwxyz" + b"\r\n"
                b"0;last=1\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n")
SEED_TEMPLATES = [
    ("get", b"GET /plaintext HTTP/1.1\r\nHost: {H}\r\n\r\n"),
    ("get-headers", b"GET /plaintext?a=1&b=%41&c=%e2%82%ac HTTP/1.1\r\nHost: {H}\r\nUser-Agent: fuzz/1.0\r\n"
                    b"Accept: text/plain, */*;q=0.5\r\nAccept-Encoding: gzip, deflate\r\nCookie: a=b; c=d\r\n"
                    b"Connection: keep-alive\r\n\r\n"),
    ("get-static", b"GET /static/4k.bin HTTP/1.1\r\nHost: {H}\r\nAccept: */*\r\n\r\n"),
    ("get-range", b"GET /static/4k.bin HTTP/1.1\r\nHost: {H}\r\nRange: bytes=0-99,200-299,-10\r\n\r\n"),
    ("get-cond", b"GET /static/4k.bin HTTP/1.1\r\nHost: {H}\r\nIf-None-Match: \"abc\", W/\"def\"\r\n"
                 b"If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n"),
    ("get-cached", b"GET /cached/catalog HTTP/1.1\r\nHost: {H}\r\n\r\n"),
    ("get-http10", b"GET /plaintext HTTP/1.0\r\nHost: {H}\r\nConnection: keep-alive\r\n\r\n"),
    ("get-absolute", b"GET http://{H}/plaintext HTTP/1.1\r\nHost: {H}\r\n\r\n"),
    ("options-star", b"OPTIONS * HTTP/1.1\r\nHost: {H}\r\n\r\n"),
    ("post-cl", b"POST /plaintext HTTP/1.1\r\nHost: {H}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                b"Content-Length: " + str(len(FORM)).encode() + b"\r\n\r\n" + FORM),
    ("post-expect", b"POST /plaintext HTTP/1.1\r\nHost: {H}\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n0123456789"),
    ("post-chunked", b"POST /plaintext HTTP/1.1\r\nHost: {H}\r\nTransfer-Encoding: chunked\r\nTrailer: X-Checksum\r\n\r\n"
                     + CHUNKED_BODY),
    ("put-chunked-big", b"PUT /plaintext HTTP/1.1\r\nHost: {H}\r\nTransfer-Encoding: chunked\r\n\r\n"
                        b"400\r\n" + b"x" * 0x400 + b"\r\n0\r\n\r\n"),
]

HUGE_NUMBERS = [b"99999999999999999999", b"18446744073709551615", b"18446744073709551616", b"9223372036854775807",
                b"9223372036854775808", b"4294967296", b"2147483648", b"-1", b"+5", b"0x10", b"1e3", b"5 5", b"5,5",
                b"00000000000000000000000005", b"", b" 5", b"30000001"]
HUGE_CHUNK_SIZES = [b"ffffffffffffffff", b"10000000000000000", b"7fffffffffffffff", b"8000000000000000",
                    b"fffffffff", b"-1", b"0x5", b"5 ", b" 5", b"g", b"000000000000000000000005", b"1c9c381"]
INSERTS = [b"\r", b"\n", b"\0", b"\r\n", b" ", b"\t", b"\r\n\r\n", b"\x7f", b"\xff", b":", b"%", b"%00", b"/../"]
EXTRA_HEADERS = [b"Content-Length: 5\r\n", b"Content-Length: 0\r\n", b"Transfer-Encoding: chunked\r\n",
                 b"Transfer-Encoding: gzip\r\n", b"Transfer-Encoding: identity\r\n", b"Host: other\r\n",
                 b"Expect: 100-continue\r\n", b"Expect: something\r\n", b"Connection: close\r\n",
                 b"Connection: upgrade\r\nUpgrade: websocket\r\n", b"Range: bytes=0-\r\n",
                 b" folded continuation\r\n", b"NoColon\r\n", b": empty-name\r\n", b"Bad Name: x\r\n",
                 b"X-Empty:\r\n"]


def build_seeds(hostport: str):
    h = hostport.encode()
    return [(name, t.replace(b"{H}", h)) for name, t in SEED_TEMPLATES]


# ----------------------------------------------------------------------------------------------------------------
# Mutations. Structure-aware ones work on one request; byte-level ones on one request or on the whole case.
# ----------------------------------------------------------------------------------------------------------------
def _head_lines(req: bytearray):
    """(start, end) of each header line (without CRLF) of req's head, request line excluded; [] if no head end."""
    end = req.find(b"\r\n\r\n")
    if end < 0:
        return []
    lines, pos = [], req.find(b"\r\n") + 2
    while 0 < pos <= end:
        nl = req.find(b"\r\n", pos)
        if nl < 0 or nl > end:
            break
        lines.append((pos, nl))
        pos = nl + 2
    return lines


def m_bitflip(rng, b):
    if b:
        i = rng.randrange(len(b))
        b[i] ^= 1 << rng.randrange(8)


def m_byte(rng, b):
    if b:
        b[rng.randrange(len(b))] = rng.randrange(256)


def m_insert(rng, b):
    b[rng.randrange(len(b) + 1):0] = rng.choice(INSERTS)


def m_delete(rng, b):
    if b:
        i = rng.randrange(len(b))
        del b[i:i + rng.choice((1, 1, 1, 2, 4, 16))]


def m_truncate(rng, b):
    if b:
        del b[rng.randrange(len(b)):]


def m_dup_range(rng, b):
    if b:
        i = rng.randrange(len(b))
        j = min(len(b), i + rng.choice((1, 2, 8, 32, 128)))
        b[j:j] = b[i:j] * rng.choice((1, 2, 10))


def m_dup_header(rng, b):
    lines = _head_lines(b)
    if lines:
        s, e = rng.choice(lines)
        b[e + 2:e + 2] = b[s:e + 2]


def m_remove_header(rng, b):
    lines = _head_lines(b)
    if lines:
        s, e = rng.choice(lines)
        del b[s:e + 2]


def m_add_header(rng, b):
    lines = _head_lines(b)
    pos = rng.choice(lines)[0] if lines else (b.find(b"\r\n") + 2 if b.find(b"\r\n") >= 0 else len(b))
    b[pos:pos] = rng.choice(EXTRA_HEADERS)


def m_huge_cl(rng, b):
    m = re.search(rb"(?i)content-length: *([^\r\n]*)", b)
    if m:
        b[m.start(1):m.end(1)] = rng.choice(HUGE_NUMBERS)
    else:  # give a body-less request a Content-Length it does not keep
        m_add_header(rng, b)
        m2 = re.search(rb"\r\n", b)
        if m2:
            b[m2.end():m2.end()] = b"Content-Length: " + rng.choice(HUGE_NUMBERS) + b"\r\n"


def m_huge_chunk(rng, b):
    end = b.find(b"\r\n\r\n")
    sizes = [m for m in re.finditer(rb"\r\n([0-9a-fA-F]+)(?=[;\r])", b) if m.start() >= end] if end >= 0 else []
    if sizes:
        m = rng.choice(sizes)
        b[m.start(1):m.end(1)] = rng.choice(HUGE_CHUNK_SIZES)
    else:
        m_huge_cl(rng, b)


def m_long_field(rng, b):
    n = rng.choice((300, 4096, 8192, 16384, 20000, 70000))
    pos = b.find(b"\r\n")
    if pos < 0:
        return
    if rng.random() < 0.5:  # a long header value
        b[pos + 2:pos + 2] = b"X-Long: " + b"a" * n + b"\r\n"
    else:  # a long path
        sp = b.find(b" ")
        if 0 <= sp < pos:
            b[sp + 1:sp + 1] = b"/" + b"p" * n


def m_case_swap(rng, b):
    lines = _head_lines(b)
    if lines:
        s, e = rng.choice(lines)
        b[s:e] = bytes(c ^ 0x20 if 0x41 <= (c & 0xDF) <= 0x5A and rng.random() < 0.5 else c for c in b[s:e])


def m_bad_version(rng, b):
    m = re.search(rb"HTTP/1\.[01]", b)
    if m:
        b[m.start():m.end()] = rng.choice((b"HTTP/1.2", b"HTTP/2.0", b"HTTP/0.9", b"HTTP/1.10", b"HTTP/11", b"http/1.1",
                                           b"HTTP/1.1 ", b"HTTP/9.9", b"HTTP/1"))


def m_framing_conflict(rng, b):
    pos = b.find(b"\r\n")
    if pos >= 0:
        b[pos + 2:pos + 2] = rng.choice((b"Content-Length: 3\r\nTransfer-Encoding: chunked\r\n",
                                         b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n",
                                         b"Transfer-Encoding: gzip, chunked\r\n",
                                         b"Transfer-Encoding: chunked, identity\r\n",
                                         b"Content-Length: 1\r\nContent-Length: 2\r\n",
                                         b"Content-Length: 1, 1\r\n"))


REQUEST_OPS = [m_bitflip, m_byte, m_insert, m_delete, m_truncate, m_dup_range, m_dup_header, m_remove_header,
               m_add_header, m_huge_cl, m_huge_chunk, m_long_field, m_case_swap, m_bad_version, m_framing_conflict]
REQUEST_WEIGHTS = [10, 6, 12, 6, 4, 3, 6, 6, 6, 6, 6, 2, 3, 2, 4]
CASE_OPS = [m_bitflip, m_insert, m_delete, m_truncate, m_dup_range]
PIPELINE_SIZES = [1, 1, 1, 1, 2, 2, 3, 4, 8]


def make_case(seed: int, index: int, seeds):
    """Case `index` of run `seed`: (bytes, requests in it, mutated requests, names of the seeds and operations)."""
    rng = random.Random(seed * 1_000_003 + index)
    n = rng.choice(PIPELINE_SIZES)
    parts, names, mutated = [], [], 0
    for _ in range(n):
        name, base = rng.choice(seeds)
        req = bytearray(base)
        ops = []
        if rng.random() < 0.9:
            for op in rng.choices(REQUEST_OPS, REQUEST_WEIGHTS, k=rng.choice((1, 1, 2, 3))):
                op(rng, req)
                ops.append(op.__name__[2:])
            mutated += 1
        names.append(name + ("(" + ",".join(ops) + ")" if ops else ""))
        parts.append(req)
    data = bytearray().join(parts)
    if mutated == 0 or rng.random() < 0.15:  # every case carries at least one mutation
        op = rng.choice(CASE_OPS)
        op(rng, data)
        names.append("case:" + op.__name__[2:])
        mutated = max(mutated, 1)
    return bytes(data), n, mutated, names


# ----------------------------------------------------------------------------------------------------------------
# Responses
# ----------------------------------------------------------------------------------------------------------------
STATUS_RE = re.compile(rb"HTTP/1\.[01] (\d{3})")
CL_RE = re.compile(rb"(?im)^content-length:[ \t]*(\d+)[ \t]*\r?$")
TE_CHUNKED_RE = re.compile(rb"(?im)^transfer-encoding:.*chunked")
# What makes a 501 or 505 the right answer (RFC 9112 6.1 / RFC 9110 6.2): a Transfer-Encoding field somewhere in
# the case, or a request line whose version is not exactly HTTP/1.0 or HTTP/1.1. A 501/505 in a case without one
# is counted as unexplained.
JUSTIFIES = {501: re.compile(rb"(?i)transfer-encoding"), 505: re.compile(rb"HTTP/(?!1\.[01]\r\n)")}


def parse_responses(buf: bytes):
    """[(status, body)] for each complete response in buf, and a problem string ('' when the stream parsed)."""
    out, pos, n = [], 0, len(buf)
    while pos < n:
        end = buf.find(b"\r\n\r\n", pos)
        if end < 0:
            return out, "partial-head"
        m = STATUS_RE.match(buf, pos)
        if not m:
            return out, "garbage"
        status = int(m.group(1))
        head = buf[pos:end + 2]
        start = end + 4
        if 100 <= status < 200:
            out.append((status, b""))
            pos = start
            continue
        if status in (204, 304):
            out.append((status, b""))
            pos = start
            continue
        if TE_CHUNKED_RE.search(head):
            body, p = bytearray(), start
            while True:
                nl = buf.find(b"\r\n", p)
                if nl < 0:
                    return out, "partial-chunked"
                try:
                    size = int(buf[p:nl].split(b";")[0], 16)
                except ValueError:
                    return out, "garbage-chunked"
                p = nl + 2
                if size == 0:
                    t = buf.find(b"\r\n\r\n", p - 2)
                    if t < 0:
                        return out, "partial-chunked"
                    p = t + 4
                    break
                body += buf[p:p + size]
                p += size + 2
            out.append((status, bytes(body)))
            pos = p
            continue
        cl = CL_RE.search(head)
        if cl:
            size = int(cl.group(1))
            if start + size > n:
                out.append((status, buf[start:]))
                return out, "partial-body"
            out.append((status, buf[start:start + size]))
            pos = start + size
        else:  # body until close
            out.append((status, buf[start:]))
            pos = n
    return out, ""


# ----------------------------------------------------------------------------------------------------------------
# Sending one case
# ----------------------------------------------------------------------------------------------------------------
LINGER0 = struct.pack("ii", 1, 0)
MAX_RESPONSE_BYTES = 8 << 20


class CaseProtocol(asyncio.Protocol):
    __slots__ = ("data", "buf", "done", "transport", "error", "overflow")

    def __init__(self, data, done):
        self.data, self.done = data, done
        self.buf = bytearray()
        self.transport = None
        self.error = None
        self.overflow = False

    def connection_made(self, transport):
        self.transport = transport
        sock = transport.get_extra_info("socket")
        if sock is not None:
            # After the server's FIN we close with RST: no TIME_WAIT pile-up over hundreds of thousands of connections.
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER0)
        try:
            transport.write(self.data)
            if transport.can_write_eof():
                transport.write_eof()
        except OSError:
            pass  # the server answered and reset before we finished: connection_lost follows

    def data_received(self, data):
        if len(self.buf) < MAX_RESPONSE_BYTES:
            self.buf += data
        else:
            self.overflow = True

    def eof_received(self):
        return False  # close

    def connection_lost(self, exc):
        self.error = exc
        if not self.done.done():
            self.done.set_result(None)


async def send_case(loop, host, port, data, timeout):
    """(response bytes, outcome) with outcome one of ok, reset, timeout, connect-error:<name>."""
    done = loop.create_future()
    proto = CaseProtocol(data, done)
    try:
        transport, _ = await asyncio.wait_for(loop.create_connection(lambda: proto, host, port), timeout)
    except (OSError, asyncio.TimeoutError) as e:
        return b"", "connect-error:" + type(e).__name__
    try:
        await asyncio.wait_for(done, timeout)
    except asyncio.TimeoutError:
        transport.abort()
        return bytes(proto.buf), "timeout"
    if isinstance(proto.error, ConnectionResetError):
        return bytes(proto.buf), "reset"
    return bytes(proto.buf), "ok"


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ", 1)[1][0] not in "ZX"
    except (OSError, IndexError):
        return False


# ----------------------------------------------------------------------------------------------------------------
# The run
# ----------------------------------------------------------------------------------------------------------------
class Run:
    def __init__(self, args, seeds, known_bodies):
        self.a = args
        self.seeds = seeds
        self.known = known_bodies
        self.secret = args.secret.encode() if args.secret else None
        self.next_case = 0
        self.requests = 0          # requests sent (every request of every case)
        self.mutated = 0           # of which mutated
        self.cases = 0
        self.status = collections.Counter()
        self.outcomes = collections.Counter()
        self.problems = collections.Counter()
        self.no_answer = 0
        self.unexpected_200 = 0
        self.unexplained = 0
        self.traversal = 0
        self.samples = collections.defaultdict(list)   # kind -> [case index]
        self.rss_mark = None
        self.rss_mark_at = None
        self.rss_max = 0
        self.stop = False
        self.died = False
        self.in_flight = set()
        self.t0 = time.monotonic()

    def sample(self, kind, index, limit=20):
        s = self.samples[kind]
        if len(s) < limit:
            s.append(index)

    async def worker(self, loop):
        a = self.a
        while not self.stop:
            index = self.next_case
            self.next_case += 1
            data, n, mutated, _ = make_case(a.seed, index, self.seeds)
            self.in_flight.add(index)
            buf, outcome = await send_case(loop, a.host, a.port, data, a.case_timeout)
            self.in_flight.discard(index)
            self.cases += 1
            self.requests += n
            self.mutated += mutated
            self.outcomes[outcome.split(":")[0]] += 1
            if outcome != "ok":
                self.sample(outcome, index)
            responses, problem = parse_responses(buf)
            if problem:
                self.problems[problem] += 1
                self.sample("unparsed:" + problem, index, 5)
            if not responses:
                self.no_answer += 1
            for status, body in responses:
                self.status[status] += 1
                if status >= 500:
                    self.sample(str(status), index)
                    if status in JUSTIFIES and not JUSTIFIES[status].search(data):
                        self.unexplained += 1
                        self.sample(f"unexplained-{status}", index)
                if status == 200 and body not in self.known:
                    self.unexpected_200 += 1
                    self.sample("unexpected-200-body", index, 5)
                if self.secret and self.secret in body:
                    self.traversal += 1
                    self.sample("secret-in-body", index)
            if self.rss_mark is None and self.mutated >= a.rss_mark:
                self.rss_mark = rss_kib(a.pid) if a.pid else None
                self.rss_mark_at = self.mutated
            if self.mutated >= a.requests or time.monotonic() - self.t0 > a.max_seconds:
                self.stop = True

    async def monitor(self):
        last = 0
        while not self.stop:
            await asyncio.sleep(1)
            if self.a.pid:
                if not alive(self.a.pid):
                    self.died = True
                    self.stop = True
                    self.crash_in_flight = sorted(self.in_flight)
                    return
                r = rss_kib(self.a.pid) or 0
                self.rss_max = max(self.rss_max, r)
            el = time.monotonic() - self.t0
            if el > self.a.max_seconds:
                self.stop = True
            if el - last >= self.a.progress:
                last = el
                print(f"[fuzz] {el:6.0f} s  {self.mutated:>9,} mutated requests  {self.cases:>8,} cases  "
                      f"{self.mutated / el:8.0f} req/s  RSS {(rss_kib(self.a.pid) or 0) / 1024 if self.a.pid else 0:.0f} MiB",
                      file=sys.stderr, flush=True)


async def replay(host, port, data, timeout):
    loop = asyncio.get_running_loop()
    return await send_case(loop, host, port, data, timeout)


async def normal_request(host, port, hostport):
    loop = asyncio.get_running_loop()
    buf, outcome = await send_case(loop, host, port, f"GET /plaintext HTTP/1.1\r\nHost: {hostport}\r\n\r\n".encode(), 10)
    responses, _ = parse_responses(buf)
    return outcome == "ok" and len(responses) == 1 and responses[0] == (200, b"Hello, World!")


def fmt_mib(kib):
    return "n/a" if kib is None else f"{kib / 1024:.1f}"


async def main_async(a):
    hostport = f"{a.host}:{a.port}" if ":" not in a.host else f"[{a.host}]:{a.port}"
    seeds = build_seeds(hostport)
    known = {b"Hello, World!"}
    for path in a.known_body or []:
        with open(path, "rb") as f:
            known.add(f.read())
    run = Run(a, seeds, known)
    log = open(a.log, "w") if a.log else None
    print(f"[fuzz] seed {a.seed}: {a.requests:,} mutated requests to {hostport}, {a.concurrency} connections, "
          f"at most {a.max_seconds} s", file=sys.stderr, flush=True)
    if a.pid:
        run.rss_start = rss_kib(a.pid)
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, lambda: setattr(run, "stop", True))
    mon = asyncio.create_task(run.monitor())
    await asyncio.gather(*(run.worker(loop) for _ in range(a.concurrency)))
    elapsed = time.monotonic() - run.t0
    run.stop = True
    await mon
    rss_end = rss_kib(a.pid) if a.pid and not run.died else None
    is_alive = alive(a.pid) if a.pid else True

    # Replay every sampled 5xx (and the other odd cases) alone, for the log: deterministic from (seed, index).
    replays = {}
    if is_alive:
        for kind, idxs in sorted(run.samples.items()):
            for idx in idxs[: (20 if kind[0] == "5" else 3)]:
                data = make_case(a.seed, idx, seeds)[0]
                buf, outcome = await replay(a.host, a.port, data, a.case_timeout)
                replays[(kind, idx)] = ([s for s, _ in parse_responses(buf)[0]], outcome, buf[:300])
    normal_ok = await normal_request(a.host, a.port, hostport) if is_alive else False

    if log:
        log.write(f"seed {a.seed}\n")
        for kind, idxs in sorted(run.samples.items()):
            log.write(f"\n== {kind}: case indices {idxs}\n")
            for idx in idxs:
                data, n, mut, names = make_case(a.seed, idx, seeds)
                log.write(f"-- case {idx} ({n} requests; {' '.join(names)}): {data[:2000]!r}{' ...' if len(data) > 2000 else ''}\n")
                if (kind, idx) in replays:
                    st, oc, head = replays[(kind, idx)]
                    log.write(f"   replayed alone: statuses {st}, {oc}; response starts {head!r}\n")
        if run.died:
            log.write(f"\n== server died; cases in flight: {getattr(run, 'crash_in_flight', [])}\n")
        log.close()

    fives = {s: c for s, c in run.status.items() if s >= 500}
    protocol_5xx = {s: c for s, c in fives.items() if s in (501, 505)}
    fault_5xx = sum(c for s, c in fives.items() if s not in (501, 505))
    growth = (rss_end - run.rss_mark) if (rss_end is not None and run.rss_mark is not None) else None
    bars = {
        "no server-fault 5xx": fault_5xx == 0,
        "every 501/505 explained by the request": run.unexplained == 0,
        "server alive": is_alive and not run.died,
        f"RSS end - RSS at {a.rss_mark // 1000}k ≤ {a.rss_slack_mb} MB": growth is not None and growth <= a.rss_slack_mb * 1024,
        "normal request afterwards": normal_ok,
        "no file outside the root served": run.traversal == 0,
        f"{a.requests:,} mutated requests sent": run.mutated >= a.requests,
    }

    p = print
    p()
    p(f"#### fuzz — seed {a.seed}")
    p()
    p("| seed | mutated requests | all requests | cases (connections) | time s | mutated req/s | responses | no answer | resets | timeouts | server-fault 5xx | 501/505 | RSS start / at %dk / end / max MiB | alive | normal GET after |" % (a.rss_mark // 1000))
    p("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
    p(f"| {a.seed} | {run.mutated:,} | {run.requests:,} | {run.cases:,} | {elapsed:.0f} | {run.mutated / elapsed:,.0f} | "
      f"{sum(run.status.values()):,} | {run.no_answer:,} | {run.outcomes['reset']:,} | {run.outcomes['timeout']:,} | {fault_5xx} | "
      f"{sum(protocol_5xx.values())} | {fmt_mib(getattr(run, 'rss_start', None))} / {fmt_mib(run.rss_mark)} / {fmt_mib(rss_end)} / {fmt_mib(run.rss_max or None)} | "
      f"{'yes' if is_alive and not run.died else '**NO**'} | {'200 Hello, World!' if normal_ok else '**failed**'} |")
    p()
    p("| status | responses |")
    p("|---:|---:|")
    for s, c in sorted(run.status.items()):
        p(f"| {s} | {c:,} |")
    p()
    other = []
    if run.outcomes.get("connect-error"):
        other.append(f"connect errors: {run.outcomes['connect-error']:,}")
    if run.problems:
        other.append("unparsed response streams: " + ", ".join(f"{k} {v:,}" for k, v in sorted(run.problems.items())))
    if run.unexplained:
        other.append(f"**501/505 answers in cases with no Transfer-Encoding field / no odd HTTP version: {run.unexplained}**")
    if run.unexpected_200:
        other.append(f"200 answers whose body is none of the served documents: {run.unexpected_200:,}")
    if run.traversal:
        other.append(f"**bodies carrying the secret outside the root: {run.traversal}**")
    if run.died:
        other.append(f"**server died; cases in flight: {getattr(run, 'crash_in_flight', [])}** (replay: --seed {a.seed} --replay N)")
    for s in sorted(fives):
        other.append(f"{s}: cases {run.samples.get(str(s), [])[:10]} (bytes and replays in the log)")
    for line in other:
        p(f"- {line}")
    p("- bar: " + "; ".join(f"{k}: {'met' if v else '**NOT met**'}" for k, v in bars.items()))
    if a.log:
        p(f"- cases and replays: {a.log}; show one with `fuzz.py --seed {a.seed} --show N`, send it with `--replay N`")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"seed": a.seed, "mutated": run.mutated, "requests": run.requests, "cases": run.cases,
                       "seconds": elapsed, "status": dict(run.status), "outcomes": dict(run.outcomes),
                       "rss_start_kib": getattr(run, "rss_start", None), "rss_mark_kib": run.rss_mark,
                       "rss_end_kib": rss_end, "alive": is_alive and not run.died, "normal_ok": normal_ok,
                       "bars": bars, "samples": run.samples}, f, indent=1)
    return 0 if all(bars.values()) else 1


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--seed", type=int, default=None, help="run seed (default: random, printed)")
    ap.add_argument("--requests", type=int, default=1_000_000, help="stop after this many mutated requests")
    ap.add_argument("--concurrency", type=int, default=128, help="connections open at once")
    ap.add_argument("--max-seconds", type=float, default=900, help="stop after this long whatever the count")
    ap.add_argument("--case-timeout", type=float, default=10, help="seconds to wait for the server to close one case")
    ap.add_argument("--pid", type=int, help="server process: liveness and VmRSS")
    ap.add_argument("--rss-mark", type=int, default=100_000, help="take the reference RSS after this many mutated requests")
    ap.add_argument("--rss-slack-mb", type=float, default=20)
    ap.add_argument("--known-body", action="append", help="a file whose bytes are a legitimate 200 body (repeatable)")
    ap.add_argument("--secret", help="text of a file outside the static root; seen in a body = traversal")
    ap.add_argument("--log", help="write sampled cases (bytes) and their replays here")
    ap.add_argument("--json", help="write the figures as JSON here")
    ap.add_argument("--progress", type=float, default=30, help="seconds between progress lines on stderr")
    ap.add_argument("--show", type=int, metavar="N", help="print case N of --seed and exit")
    ap.add_argument("--replay", type=int, metavar="N", help="send case N of --seed alone, print the answer, exit")
    a = ap.parse_args()
    if not ipaddress.ip_address(a.host).is_loopback:
        ap.error("--host must be a loopback address")
    if a.seed is None:
        a.seed = random.SystemRandom().randrange(1, 2**31)
    if a.show is not None or a.replay is not None:
        hostport = f"{a.host}:{a.port}"
        idx = a.show if a.show is not None else a.replay
        data, n, mutated, names = make_case(a.seed, idx, build_seeds(hostport))
        print(f"case {idx} of seed {a.seed}: {n} requests, {mutated} mutated: {' '.join(names)}")
        print(repr(data))
        if a.replay is not None:
            buf, outcome = asyncio.run(replay(a.host, a.port, data, a.case_timeout))
            print(f"outcome {outcome}; statuses {[s for s, _ in parse_responses(buf)[0]]}")
            print(repr(buf[:4000]))
        return 0
    return asyncio.run(main_async(a))


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit(130)
