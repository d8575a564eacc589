"""A real third-party WebSocket client (Debian's python3-websockets) against our server: echo, fragments, ping,
permessage-deflate as that library offers it, and the close handshake. Prints one JSON object with what it saw."""
import asyncio
import json
import sys

import websockets


async def main(url):
    seen = {}
    async with websockets.connect(url, subprotocols=["echo"], max_size=None) as ws:
        seen["subprotocol"] = ws.subprotocol
        seen["extensions"] = [type(e).__name__ for e in ws.extensions]
        await ws.send("héllo")
        seen["text"] = await ws.recv()
        await ws.send(bytes(range(256)) * 400)
        seen["binary_ok"] = (await ws.recv()) == bytes(range(256)) * 400
        await ws.send(part for part in ["frag", "men", "ted"])
        seen["fragmented"] = await ws.recv()
        pong = await ws.ping(b"are you there")
        await asyncio.wait_for(pong, 10)
        seen["pong"] = True
        for i in range(200):
            await ws.send(f"m{i}")
        seen["ordered"] = all([(await ws.recv()) == f"m{i}" for i in range(200)])
        await ws.close(code=4000, reason="done")
        seen["close_code"] = ws.close_code
        seen["close_reason"] = ws.close_reason
    print(json.dumps(seen))


asyncio.run(asyncio.wait_for(main(sys.argv[1]), 60))
