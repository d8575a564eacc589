#!/usr/bin/python3
"""bench/soak/slowloris.py — keep N connections dribbling a request head, for bench/soak/slowloris.sh.

Each connection sends a request line, a Host field and one more field, then one more header line every --interval
seconds (jittered), and never the blank line that ends the head. When the server closes a connection (HeaderWait),
a new one takes its place, so the attack holds N connections the whole time (slowhttptest -H does not reopen
closed connections: with a 10 s HeaderWait its attack is over after ~10 s). Stops at SIGTERM/SIGINT or after
--duration seconds, closes everything and prints one JSON line of figures: connections opened, closed by the server,
answered (the server sent bytes instead of closing silently), connect errors, lifetimes of server-closed
connections (median/max s), and the open count sampled every second after the target was first reached.
Writes --ready-file once N connections are open. Loopback only; new connections at most --ramp-rate per second until N are open, then --rate.
"""
import argparse
import asyncio
import ipaddress
import json
import random
import signal
import statistics
import sys
import time


class Loris(asyncio.Protocol):
    def __init__(self, owner):
        self.owner = owner
        self.transport = None
        self.opened = time.monotonic()
        self.next_send = 0.0
        self.answered = False
        self.closing = False

    def connection_made(self, transport):
        self.transport = transport
        self.opened = time.monotonic()
        self.owner.open.add(self)
        self.owner.opened += 1
        transport.write(self.owner.head)
        self.next_send = self.opened + self.owner.next_interval()

    def data_received(self, data):
        if not self.answered:
            self.answered = True
            self.owner.answered += 1

    def connection_lost(self, exc):
        self.owner.open.discard(self)
        if not self.closing:
            self.owner.closed_by_server += 1
            self.owner.lifetimes.append(time.monotonic() - self.opened)


class Attack:
    def __init__(self, a):
        self.a = a
        self.rng = random.Random(a.seed)
        self.head = (f"GET {a.path} HTTP/1.1\r\nHost: {a.host}:{a.port}\r\nUser-Agent: slowloris-soak\r\n").encode()
        self.open = set()
        self.connecting = 0
        self.opened = self.closed_by_server = self.answered = self.connect_errors = 0
        self.lines = 0
        self.lifetimes = []
        self.samples = []
        self.ready_at = None
        self.stop = asyncio.Event()

    def next_interval(self):
        return self.a.interval * self.rng.uniform(0.5, 1.5)

    async def connect_one(self, loop):
        try:
            await asyncio.wait_for(loop.create_connection(lambda: Loris(self), self.a.host, self.a.port), 10)
        except (OSError, asyncio.TimeoutError):
            self.connect_errors += 1
        finally:
            self.connecting -= 1

    async def run(self):
        loop = asyncio.get_running_loop()
        t0 = time.monotonic()
        last_sample = t0
        tick = 0.1
        tasks = set()
        while not self.stop.is_set() and time.monotonic() - t0 < self.a.duration:
            now = time.monotonic()
            deficit = self.a.connections - len(self.open) - self.connecting
            # Ramp up slowly so the connections' HeaderWait deadlines are spread out (no synchronized generations),
            # then replace closed ones at up to --rate per second.
            rate = self.a.rate if self.ready_at is not None else self.a.ramp_rate
            for _ in range(max(0, min(deficit, int(rate * tick) or 1))):
                self.connecting += 1
                t = asyncio.create_task(self.connect_one(loop))
                tasks.add(t)
                t.add_done_callback(tasks.discard)
            for c in list(self.open):
                if c.next_send <= now and not c.transport.is_closing():
                    c.transport.write(b"X-a%d: %x\r\n" % (self.lines, self.rng.getrandbits(48)))
                    self.lines += 1
                    c.next_send = now + self.next_interval()
            if self.ready_at is None and len(self.open) >= self.a.connections:
                self.ready_at = now - t0
                if self.a.ready_file:
                    with open(self.a.ready_file, "w") as f:
                        f.write(f"{len(self.open)}\n")
            if now - last_sample >= 1:
                last_sample = now
                if self.ready_at is not None:
                    self.samples.append(len(self.open))
            try:
                await asyncio.wait_for(self.stop.wait(), tick)
            except asyncio.TimeoutError:
                pass
        for c in list(self.open):
            c.closing = True
            c.transport.abort()
        for t in list(tasks):
            t.cancel()
        await asyncio.sleep(0.2)
        lt = sorted(self.lifetimes)
        return {
            "target": self.a.connections,
            "ready_after_s": None if self.ready_at is None else round(self.ready_at, 1),
            "opened": self.opened,
            "closed_by_server": self.closed_by_server,
            "answered": self.answered,
            "connect_errors": self.connect_errors,
            "header_lines_sent": self.lines,
            "lifetime_median_s": round(statistics.median(lt), 1) if lt else None,
            "lifetime_max_s": round(lt[-1], 1) if lt else None,
            "open_min": min(self.samples) if self.samples else 0,
            "open_median": int(statistics.median(self.samples)) if self.samples else 0,
            "seconds": round(time.monotonic() - t0, 1),
        }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--path", default="/plaintext")
    ap.add_argument("--connections", type=int, default=1000)
    ap.add_argument("--interval", type=float, default=2.0, help="seconds between header lines per connection (jittered ±50%%)")
    ap.add_argument("--ramp-rate", type=int, default=100, help="new connections per second until --connections are open")
    ap.add_argument("--rate", type=int, default=1000, help="new connections per second at most afterwards")
    ap.add_argument("--duration", type=float, default=300, help="hard stop after this many seconds")
    ap.add_argument("--ready-file")
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if not ipaddress.ip_address(a.host).is_loopback:
        ap.error("--host must be a loopback address")

    async def go():
        attack = Attack(a)
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, attack.stop.set)
        return await attack.run()

    print(json.dumps(asyncio.run(go())), flush=True)


if __name__ == "__main__":
    sys.exit(main())
