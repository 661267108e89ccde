"""Signed webhook deliveries in Notion's event shape, with drop/duplicate/delay/reorder.

Payload (Notion "Event types & delivery"): `id`, `timestamp`, `workspace_id`,
`workspace_name`, `subscription_id`, `integration_id`, `type`, `authors` [{id, type}],
`attempt_number` (1-8), `entity` {id, type} and event-specific `data` (parent,
`updated_properties`). Events carry ids only; the receiver fetches what changed.
`X-Notion-Signature: sha256=<hex HMAC-SHA256 of the raw body>` keyed by the
subscription's verification token.

Delivery is explicit: events queue up and `deliver()` sends those that are due (the
virtual clock decides what a delay means), so tests control order and timing;
`start_auto_delivery()` runs `deliver()` in a background thread for end-to-end tests. A
failed delivery (non-2xx or error) is retried later with a higher attempt_number, up to 8.
Nothing is queued while there is no subscription, as in Notion.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import random
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

import httpx

from .clock import VirtualClock
from .errors import JsonDict
from .ids import new_uuid
from .model import Integration
from .store import Change

MAX_ATTEMPTS = 8
Target = str | Callable[["WebhookRequest"], int | None]
Order = Literal["fifo", "lifo", "shuffle"]


@dataclass(frozen=True)
class WebhookRequest:
    body: bytes
    headers: dict[str, str]

    def json(self) -> JsonDict:
        parsed: JsonDict = json.loads(self.body)
        return parsed


def sign(body: bytes, verification_token: str) -> str:
    digest = hmac.new(verification_token.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def verify_signature(body: bytes, header: str, verification_token: str) -> bool:
    return hmac.compare_digest(sign(body, verification_token), header)


@dataclass
class _Pending:
    event: JsonDict
    attempt: int
    due: datetime


@dataclass
class WebhookDispatcher:
    clock: VirtualClock
    integration: Integration
    verification_token: str = field(default_factory=lambda: "secret_" + secrets.token_urlsafe(24))
    subscription_id: str = field(default_factory=new_uuid)
    # Merge a page's property updates that are still queued into one event, as Notion's
    # aggregated delivery does.
    aggregate: bool = False
    retry_delay: timedelta = timedelta(minutes=1)
    targets: list[tuple[Target, frozenset[str] | None]] = field(default_factory=list)
    pending: list[_Pending] = field(default_factory=list)
    delivered: list[WebhookRequest] = field(default_factory=list)
    dropped: list[JsonDict] = field(default_factory=list)
    failed: list[JsonDict] = field(default_factory=list)
    _drop_next: int = 0
    _drop_probability: float = 0.0
    _drop_rng: random.Random = field(default_factory=lambda: random.Random(0))
    _duplicate_next: int = 0
    _delays: list[float] = field(default_factory=list)
    _lock: threading.RLock = field(default_factory=threading.RLock)
    _worker: threading.Thread | None = None
    _stop: threading.Event = field(default_factory=threading.Event)

    # -- subscription -------------------------------------------------------------------

    def subscribe(self, target: Target, *, event_types: set[str] | None = None) -> None:
        with self._lock:
            self.targets.append((target, frozenset(event_types) if event_types else None))

    def send_verification(self) -> None:
        """The one-off, unsigned POST Notion makes when a subscription is created."""
        body = json.dumps({"verification_token": self.verification_token}).encode()
        for target, _ in list(self.targets):
            self._post(target, WebhookRequest(body, {"Content-Type": "application/json"}))

    def start_auto_delivery(self, interval: float = 0.05) -> None:
        """Deliver due events every `interval` real seconds until stopped."""
        if self._worker is not None:
            return
        self._stop.clear()

        def run() -> None:
            while not self._stop.wait(interval):
                self.deliver()

        self._worker = threading.Thread(target=run, name="notion-emulator-webhooks", daemon=True)
        self._worker.start()

    def stop_auto_delivery(self) -> None:
        if self._worker is not None:
            self._stop.set()
            self._worker.join()
            self._worker = None

    # -- controls -----------------------------------------------------------------------

    def drop_next(self, count: int = 1) -> None:
        with self._lock:
            self._drop_next += count

    def drop_randomly(self, probability: float, *, seed: int = 0) -> None:
        with self._lock:
            self._drop_probability = probability
            self._drop_rng = random.Random(seed)

    def duplicate_next(self, count: int = 1) -> None:
        """The next events are delivered twice: same id, attempt_number one higher."""
        with self._lock:
            self._duplicate_next += count

    def delay_next(self, seconds: float, count: int = 1) -> None:
        """Hold the next events until the virtual clock has moved `seconds` on."""
        with self._lock:
            self._delays.extend([seconds] * count)

    # -- events -------------------------------------------------------------------------

    def on_change(self, change: Change) -> None:
        with self._lock:
            if not self.targets:
                return
            now = self.clock.now()
            author = self.integration.bot.id == change.author_id
            event: JsonDict = {
                "id": new_uuid(),
                "timestamp": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z",
                "workspace_id": self.integration.workspace_id,
                "workspace_name": self.integration.workspace_name,
                "subscription_id": self.subscription_id,
                "integration_id": self.integration.bot.id,
                "type": change.type,
                "authors": [{"id": change.author_id, "type": "bot" if author else "person"}],
                "entity": {"id": change.entity_id, "type": change.entity_type},
                "data": json.loads(json.dumps(change.data)),
            }
            if self._drop_next > 0:
                self._drop_next -= 1
                self.dropped.append(event)
                return
            if self._drop_probability and self._drop_rng.random() < self._drop_probability:
                self.dropped.append(event)
                return
            if self.aggregate and self._merge(event):
                return
            due = now + timedelta(seconds=self._delays.pop(0) if self._delays else 0.0)
            self.pending.append(_Pending(event, 1, due))
            if self._duplicate_next > 0:
                self._duplicate_next -= 1
                self.pending.append(_Pending(event, 2, due))

    def _merge(self, event: JsonDict) -> bool:
        if event["type"] != "page.properties_updated":
            return False
        for queued in self.pending:
            same = (
                queued.event["type"] == event["type"] and queued.event["entity"] == event["entity"]
            )
            if same and queued.attempt == 1:
                data = queued.event["data"]
                merged = list(
                    dict.fromkeys(data["updated_properties"] + event["data"]["updated_properties"])
                )
                data["updated_properties"] = merged
                authors = queued.event["authors"]
                authors.extend(a for a in event["authors"] if a not in authors)
                queued.event["timestamp"] = event["timestamp"]
                return True
        return False

    def deliver(
        self, *, order: Order = "fifo", seed: int = 0, limit: int | None = None
    ) -> list[WebhookRequest]:
        """Send the queued events that are due; returns what was sent (successful or not)."""
        with self._lock:
            now = self.clock.now()
            due = [p for p in self.pending if p.due <= now]
            if order == "lifo":
                due.reverse()
            elif order == "shuffle":
                random.Random(seed).shuffle(due)
            if limit is not None:
                due = due[:limit]
            for item in due:
                self.pending.remove(item)
        sent: list[WebhookRequest] = []
        for item in due:
            event = dict(item.event, attempt_number=item.attempt)
            body = json.dumps(event, separators=(",", ":")).encode()
            request = WebhookRequest(
                body,
                {
                    "Content-Type": "application/json",
                    "X-Notion-Signature": sign(body, self.verification_token),
                    "User-Agent": "notion-api",
                },
            )
            ok = all(
                self._post(target, request)
                for target, types in list(self.targets)
                if types is None or event["type"] in types
            )
            sent.append(request)
            if ok:
                self.delivered.append(request)
            elif item.attempt < MAX_ATTEMPTS:
                with self._lock:
                    delay = self.retry_delay * (2 ** (item.attempt - 1))
                    self.pending.append(
                        _Pending(item.event, item.attempt + 1, self.clock.now() + delay)
                    )
            else:
                self.failed.append(event)
        return sent

    @staticmethod
    def _post(target: Target, request: WebhookRequest) -> bool:
        try:
            if isinstance(target, str):
                response = httpx.post(
                    target, content=request.body, headers=request.headers, timeout=10.0
                )
                return 200 <= response.status_code < 300
            status = target(request)
            return status is None or 200 <= status < 300
        except Exception:
            # A receiver that raises or cannot be reached is a failed delivery, as in Notion.
            return False
