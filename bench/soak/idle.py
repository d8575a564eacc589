#!/usr/bin/python3
"""bench/soak/idle.py — open N keep-alive connections, one request each, then hold them idle (bench/soak/idle.sh).

Every connection sends `GET --path HTTP/1.1`, reads the whole response (Content-Length) and then stays open without
sending anything. At most --concurrency connects/requests are in flight at once. When all N are idle it writes the
count to --ready-file, then waits for --close-file to appear (at most --hold-max seconds), closes every connection and
prints one JSON line: idle connections held, failures, connections the server closed while idle, seconds taken.
Loopback only.
"""
import argparse
import asyncio
import ipaddress
import json
import os
import re
import sys
import time

CL = re.compile(rb"(?im)^content-length:[ \t]*(\d+)[ \t]*\r?$")


class Idle(asyncio.Protocol):
    def __init__(self, owner, request):
        self.owner = owner
        self.request = request
        self.buf = bytearray()
        self.done = owner.loop.create_future()
        self.transport = None
        self.idle = False
        self.closing = False

    def connection_made(self, transport):
        self.transport = transport
        transport.write(self.request)

    def data_received(self, data):
        if self.idle:
            return
        self.buf += data
        end = self.buf.find(b"\r\n\r\n")
        if end >= 0:
            m = CL.search(self.buf, 0, end + 2)
            need = end + 4 + (int(m.group(1)) if m else 0)
            if len(self.buf) >= need and not self.done.done():
                self.done.set_result(self.buf[9:12] == b"200")

    def connection_lost(self, exc):
        if not self.done.done():
            self.done.set_result(False)
        if self.idle and not self.closing:
            self.owner.closed_while_idle += 1


class Run:
    def __init__(self, a, loop):
        self.a, self.loop = a, loop
        self.request = f"GET {a.path} HTTP/1.1\r\nHost: {a.host}:{a.port}\r\n\r\n".encode()
        self.conns = []
        self.failed = 0
        self.closed_while_idle = 0

    async def open_one(self, sem):
        async with sem:
            proto = Idle(self, self.request)
            try:
                await asyncio.wait_for(self.loop.create_connection(lambda: proto, self.a.host, self.a.port), 10)
                ok = await asyncio.wait_for(proto.done, 10)
            except (OSError, asyncio.TimeoutError):
                ok = False
            if ok:
                proto.idle = True
                self.conns.append(proto)
            else:
                self.failed += 1
                if proto.transport:
                    proto.transport.abort()

    async def run(self):
        t0 = time.monotonic()
        sem = asyncio.Semaphore(self.a.concurrency)
        await asyncio.gather(*(self.open_one(sem) for _ in range(self.a.connections)))
        opened_s = time.monotonic() - t0
        held_at_ready = sum(1 for c in self.conns if not c.transport.is_closing())
        if self.a.ready_file:
            with open(self.a.ready_file, "w") as f:
                f.write(f"{held_at_ready}\n")
        deadline = time.monotonic() + self.a.hold_max
        while self.a.close_file and not os.path.exists(self.a.close_file) and time.monotonic() < deadline:
            await asyncio.sleep(0.2)
        held_at_close = sum(1 for c in self.conns if not c.transport.is_closing())
        for c in self.conns:
            c.closing = True
            c.transport.close()
        await asyncio.sleep(0.5)
        return {"connections": self.a.connections, "idle_held": held_at_ready, "held_at_close": held_at_close,
                "failed": self.failed, "closed_by_server_while_idle": self.closed_while_idle,
                "open_seconds": round(opened_s, 1), "seconds": round(time.monotonic() - t0, 1)}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--path", default="/plaintext")
    ap.add_argument("--connections", type=int, default=10000)
    ap.add_argument("--concurrency", type=int, default=200)
    ap.add_argument("--ready-file")
    ap.add_argument("--close-file")
    ap.add_argument("--hold-max", type=float, default=60)
    a = ap.parse_args()
    if not ipaddress.ip_address(a.host).is_loopback:
        ap.error("--host must be a loopback address")

    async def go():
        return await Run(a, asyncio.get_running_loop()).run()

    print(json.dumps(asyncio.run(go())), flush=True)


if __name__ == "__main__":
    sys.exit(main())
