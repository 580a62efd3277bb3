"""P8: streaming a chat model's answer: frame-to-delta latency, and the client's CPU against a
raw websocket loop that only receives the same frames.

A Wiro-shaped server in its own process (`python -m bench.streaming serve`) answers Run and
Task/Detail and, on the task's socket, sends the answer as Wiro does: full snapshots in the
segments format, each frame adding one chunk that begins with the time it was sent. A delta
therefore says when the frame that carried it left the server.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from typing import Any

CHUNK_BYTES = 200
STAMP = "{:017.6f}|"  # 18 characters: seconds since the epoch, then a bar


def _chunk(index: int) -> str:
    stamp = STAMP.format(time.time())
    return stamp + f"{index:05d}".ljust(CHUNK_BYTES - len(stamp) - 1, ".") + "\n"


def _message(text: str, final: bool) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": "progressGenerate",
        "segments": [{"type": "answer", "text": text}],
    }
    if final:
        data["finishreason"] = "stop"
    return data


def serve(frames: int, interval: float) -> None:
    """Serve one task at a time on 127.0.0.1; print the base URL, then run until killed."""
    import asyncio

    from aiohttp import web

    state: dict[str, Any] = {"text": ""}

    def task(done: bool) -> dict[str, Any]:
        content = {"prompt": "bench", **_message(state["text"], True)}
        return {
            "id": "1",
            "socketaccesstoken": "bench-token",
            "status": "task_postprocess_end" if done else "task_start",
            "pexit": "0" if done else "",
            "debugoutput": "",
            "outputs": [{"contenttype": "raw", "content": content}] if done else [],
        }

    async def run(request: web.Request) -> web.Response:
        state["text"], state["done"] = "", False
        return web.json_response(
            {"result": True, "taskid": "1", "socketaccesstoken": "bench-token"}
        )

    async def detail(request: web.Request) -> web.Response:
        tasks = [task(state.get("done", False))]
        return web.json_response({"result": True, "total": "1", "tasklist": tasks})

    async def socket(request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        await ws.receive()  # the subscription

        def frame(status: str, message: object) -> str:
            return json.dumps({"type": status, "id": "1", "message": message, "result": True})

        await ws.send_str(frame("task_start", None))
        for index in range(frames):
            state["text"] += _chunk(index)
            await ws.send_str(frame("task_output", _message(state["text"], False)))
            await asyncio.sleep(interval)
        state["done"] = True
        await ws.send_str(frame("task_output_full", _message(state["text"], True)))
        await ws.send_str(frame("task_postprocess_end", task(True)["outputs"]))
        await ws.close()
        return ws

    app = web.Application()
    app.router.add_post("/v1/Run/{owner}/{slug}", run)
    app.router.add_post("/v1/Task/Detail", detail)
    app.router.add_get("/v1/socket", socket)

    async def main() -> None:
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        print(f"http://127.0.0.1:{port}/v1", flush=True)
        await asyncio.Event().wait()

    asyncio.run(main())


class ScriptedServer:
    def __init__(self, frames: int, interval: float) -> None:
        command = [sys.executable, "-m", "bench.streaming", "serve", str(frames), str(interval)]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        self.base_url = self.process.stdout.readline().strip()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def _stream_once(client: Any) -> tuple[float, int, int, list[float]]:
    """(client CPU seconds, text length, bytes yielded, latencies in ms) of one stream."""
    latencies: list[float] = []
    yielded = 0
    started = time.process_time()
    with client.stream(prompt="bench") as stream:
        for event in stream:
            if event.kind != "answer":
                continue
            now = time.time()
            yielded += len(event.text)
            for line in event.text.splitlines():
                if len(line) > 18 and line[17] == "|":
                    latencies.append((now - float(line[:17])) * 1000)
    text = stream.task.text or ""
    return time.process_time() - started, len(text), yielded, latencies


def _raw_once(base_url: str) -> float:
    """The floor: client CPU of a websocket loop that only receives the same frames."""
    from websockets.sync.client import connect

    started = time.process_time()
    socket_url = base_url.replace("http://", "ws://") + "/socket"
    with connect(socket_url, max_size=8 * 1024 * 1024) as ws:
        ws.send(json.dumps({"type": "task_info", "tasktoken": "bench-token"}))
        for _ in ws:
            pass
    return time.process_time() - started


def bench_streaming(frames: int, repeat: int) -> dict[str, Any]:
    # latency: frames paced as a model writes them (every 5 ms)
    from openai_gpt_5_mini import Client

    paced = ScriptedServer(frames, 0.005)
    try:
        with Client(api_key="k", api_secret="s", base_url=paced.base_url) as client:
            _, _, _, latencies = _stream_once(client)
    finally:
        paced.stop()
    # CPU: frames as fast as the server can send them, ours and the raw loop interleaved; one
    # client for every stream, as an application keeps one (its pool opens in a warm-up run)
    fast = ScriptedServer(frames, 0.0)
    ours: list[float] = []
    raw: list[float] = []
    totals: list[tuple[int, int]] = []
    try:
        with Client(api_key="k", api_secret="s", base_url=fast.base_url) as client:
            _stream_once(client)
            for _ in range(repeat):
                cpu, length, yielded, _ = _stream_once(client)
                ours.append(cpu)
                totals.append((length, yielded))
                raw.append(_raw_once(fast.base_url))
    finally:
        fast.stop()
    median_latency = statistics.median(latencies)
    exact = all(length == yielded == frames * CHUNK_BYTES for length, yielded in totals)
    ratio = min(ours) / min(raw)
    size_kb = frames * CHUNK_BYTES / 1000
    return {
        "P8a": {
            "measure": f"frame sent -> its delta yielded by stream(), over the websocket "
            f"({len(latencies)} frames, one every 5 ms)",
            "median_ms": median_latency,
            "p99_ms": sorted(latencies)[min(len(latencies) - 1, int(len(latencies) * 0.99))],
            "floor": "the frame's send time",
            "target": "median <= 5 ms",
            "met": median_latency <= 5,
        },
        "P8b": {
            "measure": f"stream() of a {size_kb:.0f} kB answer in {frames} snapshot frames: "
            f"client CPU (best of {repeat}); bytes yielded = text length: {exact}",
            "value_s": min(ours),
            "floor": "a websocket loop that only receives the frames",
            "floor_s": min(raw),
            "ratio": ratio,
            "target": "<= 1.5x, yielded exactly the text",
            "met": ratio <= 1.5 and exact,
        },
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["serve"]:
        serve(int(sys.argv[2]), float(sys.argv[3]))
    else:
        print(json.dumps(bench_streaming(int(sys.argv[1]), int(sys.argv[2])), indent=2))
