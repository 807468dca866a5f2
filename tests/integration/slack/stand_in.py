"""A stand-in for Slack's Web API on 127.0.0.1: records every call, answers like Slack.

It also serves response URLs (`/response/<id>`), which Slack hands out with every click,
and can answer 429 with Retry-After a given number of times.
"""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web

from adapters.slack.scopes import missing_scope

TEAM = "T0SHOP"
BOT_USER = "U0BOT"


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    token: str | None
    at: float = field(default_factory=time.monotonic)  # when the call reached the stand-in

    @property
    def blocks(self) -> list[dict[str, Any]]:
        value = self.args.get("blocks") or []
        return json.loads(value) if isinstance(value, str) else list(value)

    @property
    def text(self) -> str:
        """Every text in the call (fallback and blocks), as Slack would parse it."""
        return json.dumps(
            {"text": self.args.get("text"), "blocks": self.blocks}, ensure_ascii=False
        )

    def buttons(self) -> list[dict[str, Any]]:
        """(label, action_id, value, block_id) of every button in the call's blocks."""
        found = []
        for block in self.blocks:
            if block.get("type") == "actions":
                for element in block["elements"]:
                    found.append({**element, "block_id": block.get("block_id")})
        return found


@dataclass
class SlackStandIn:
    """The server's state: recorded calls, staff channel members, users, rate limits."""

    members: list[str] = field(default_factory=list)
    users: dict[str, str] = field(default_factory=dict)  # user id -> display name
    calls: list[Call] = field(default_factory=list)
    rate_limits: dict[str, list[int]] = field(default_factory=dict)  # method -> [times, after]
    delays: dict[str, float] = field(default_factory=dict)  # method -> seconds before answering
    url: str = ""
    sockets: list[web.WebSocketResponse] = field(default_factory=list)
    answers: dict[str, dict[str, Any]] = field(default_factory=dict)  # method -> fixed answer
    # files.upload v2: file id -> (filename, declared length), and the bytes posted to its URL
    upload_slots: dict[str, tuple[str, int]] = field(default_factory=dict)
    uploads: dict[str, bytes] = field(default_factory=dict)
    shared_files: list[dict[str, Any]] = field(default_factory=list)
    # The bot token's scopes (None: all); a call needing another answers missing_scope.
    granted: frozenset[str] | None = None
    _ts: int = 0
    _changed: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def api_url(self) -> str:
        return f"{self.url}/api/"

    def response_url(self, name: str = "r1") -> str:
        return f"{self.url}/response/{name}"

    def rate_limit(self, method: str, *, times: int = 1, retry_after: int = 0) -> None:
        """Answer the next `times` calls of `method` with 429 and Retry-After."""
        self.rate_limits[method] = [times, retry_after]

    def slow_down(self, method: str, seconds: float) -> None:
        """Answer every call of `method` only after `seconds`."""
        self.delays[method] = seconds

    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    async def wait_for(self, method: str, count: int = 1, within: float = 5.0) -> list[Call]:
        """The first `count` calls of `method`, waiting for background work to make them."""

        async def enough() -> list[Call]:
            while len(self.of(method)) < count:
                self._changed.clear()
                await self._changed.wait()
            return self.of(method)[:count]

        try:
            return await asyncio.wait_for(enough(), within)
        except TimeoutError:
            raise AssertionError(
                f"expected {count} {method} call(s); got {[c.method for c in self.calls]}"
            ) from None

    async def settle(self, method: str, count: int, within: float = 0.5) -> None:
        """Assert that `method` stays at `count` calls while background work finishes."""
        try:
            await self.wait_for(method, count + 1, within)
        except AssertionError:
            return
        raise AssertionError(f"more than {count} {method} call(s): {self.of(method)}")

    def _next_ts(self) -> str:
        self._ts += 1
        return f"1700000000.{self._ts:06d}"

    def _answer(self, method: str, args: dict[str, Any]) -> dict[str, Any]:
        if method == "auth.test":
            return {
                "ok": True,
                "user_id": BOT_USER,
                "team_id": TEAM,
                "bot_id": "B0BOT",
                "team": "Shop",
                "user": "wismo",
            }
        if method == "chat.postMessage":
            ts = self._next_ts()
            return {
                "ok": True,
                "channel": args.get("channel"),
                "ts": ts,
                "message": {"ts": ts, "text": args.get("text")},
            }
        if method == "chat.update":
            return {"ok": True, "channel": args.get("channel"), "ts": args.get("ts")}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": self._next_ts()}
        if method == "views.open":
            return {"ok": True, "view": {"id": "V0MODAL"}}
        if method == "views.publish":
            view = args.get("view")
            view = json.loads(view) if isinstance(view, str) else view
            if not args.get("user_id") or not isinstance(view, dict) or view.get("type") != "home":
                return {"ok": False, "error": "invalid_arguments"}
            blocks = view.get("blocks") or []
            ids = [b["block_id"] for b in blocks if b.get("block_id")]
            if len(blocks) > 100 or len(ids) != len(set(ids)):  # Slack wants unique block ids
                return {"ok": False, "error": "invalid_blocks"}
            return {"ok": True, "view": {"id": f"V0HOME{args['user_id']}", "type": "home"}}
        if method == "views.update":
            return {"ok": True, "view": {"id": args.get("view_id")}}
        if method == "reactions.add":
            return {"ok": True}
        if method == "conversations.members":
            return {"ok": True, "members": self.members, "response_metadata": {"next_cursor": ""}}
        if method == "users.info":
            user = str(args.get("user"))
            if user not in self.users:
                return {"ok": False, "error": "user_not_found"}
            name = self.users[user]
            return {
                "ok": True,
                "user": {
                    "id": user,
                    "name": name,
                    "profile": {"display_name": name, "real_name": name},
                },
            }
        if method == "files.getUploadURLExternal":
            filename, length = args.get("filename"), args.get("length")
            if not filename or not str(length or "").isdigit():
                return {"ok": False, "error": "invalid_arguments"}
            file_id = f"F{len(self.upload_slots) + 1:07d}"
            self.upload_slots[file_id] = (str(filename), int(str(length)))
            return {"ok": True, "upload_url": f"{self.url}/upload/v1/{file_id}", "file_id": file_id}
        if method == "files.completeUploadExternal":
            return self._complete_upload(args)
        if method == "apps.connections.open":
            return {"ok": True, "url": self.url.replace("http://", "ws://") + "/socket"}
        return {"ok": False, "error": "unknown_method"}

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args: dict[str, Any] = dict(request.query)
        raw = await request.read()
        if request.content_type == "application/json" and raw:
            args.update(json.loads(raw))
        elif raw:
            args.update(parse_qsl(raw.decode()))
        auth = request.headers.get("Authorization", "")
        self.calls.append(Call(method, args, auth.removeprefix("Bearer ") or None))
        self._changed.set()
        if self.delays.get(method):  # a slow Slack: the answer takes this long
            await asyncio.sleep(self.delays[method])
        limit = self.rate_limits.get(method)
        if limit and limit[0] > 0:
            limit[0] -= 1
            return web.json_response(
                {"ok": False, "error": "ratelimited"},
                status=429,
                headers={"Retry-After": str(limit[1])},
            )
        if self.granted is not None and (needed := missing_scope(method, self.granted)):
            return web.json_response(
                {"ok": False, "error": "missing_scope", "needed": ",".join(sorted(needed))}
            )
        return web.json_response(self.answers.get(method) or self._answer(method, args))

    def _complete_upload(self, args: dict[str, Any]) -> dict[str, Any]:
        """Share the uploaded files; Slack refuses a file whose bytes never arrived."""
        files = json.loads(str(args.get("files") or "[]"))
        if not files:
            return {"ok": False, "error": "invalid_arguments"}
        shared = []
        for item in files:
            file_id = item.get("id")
            if file_id not in self.uploads:
                return {"ok": False, "error": "file_not_found"}
            filename, _ = self.upload_slots[file_id]
            shared.append({"id": file_id, "name": filename, "title": item.get("title", filename)})
        for file in shared:
            self.shared_files.append(
                {
                    **file,
                    "channel": args.get("channel_id"),
                    "initial_comment": args.get("initial_comment"),
                    "thread_ts": args.get("thread_ts"),
                    "content": self.uploads[file["id"]],
                }
            )
        return {"ok": True, "files": shared}

    async def _upload(self, request: web.Request) -> web.Response:
        """The upload URL: takes the raw bytes, which must match the announced length."""
        file_id = request.match_info["file_id"]
        body = await request.read()
        slot = self.upload_slots.get(file_id)
        if slot is None:
            return web.Response(status=404, text="unknown upload")
        if len(body) != slot[1]:
            return web.Response(status=400, text="length mismatch")
        self.uploads[file_id] = body
        self.calls.append(Call("upload", {"file_id": file_id, "length": len(body)}, None))
        self._changed.set()
        return web.Response(text=f"OK - {len(body)}")

    async def _response_url(self, request: web.Request) -> web.Response:
        args = await request.json()
        self.calls.append(Call(f"response:{request.match_info['name']}", args, None))
        self._changed.set()
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        """Socket Mode: say hello, then record every acknowledgement the app sends back."""
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        await socket.send_json({"type": "hello", "num_connections": 1, "debug_info": {}})
        self.sockets.append(socket)
        self._changed.set()
        async for frame in socket:
            if frame.type == WSMsgType.TEXT:
                self.calls.append(Call("socket:ack", json.loads(frame.data), None))
                self._changed.set()
        return socket

    async def push(self, envelope: dict[str, Any]) -> None:
        """Deliver a Socket Mode envelope to the connected app."""

        async def connected() -> None:
            while not self.sockets:
                self._changed.clear()
                await self._changed.wait()

        await asyncio.wait_for(connected(), 5)
        await self.sockets[-1].send_json(envelope)

    def application(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/api/{method}", self._api)
        app.router.add_get("/api/{method}", self._api)
        app.router.add_post("/response/{name}", self._response_url)
        app.router.add_post("/upload/v1/{file_id}", self._upload)
        app.router.add_get("/socket", self._socket)
        return app
