"""A local emulation of the Notion HTTP API (Notion-Version 2025-09-03 semantics) for tests.

    with running_emulator(NotionEmulator(start=datetime(2026, 7, 6, tzinfo=UTC))) as server:
        notion = server.client()          # a real notion_client.Client, retries off
        try:
            ...                           # databases, data sources, pages, queries
        finally:
            notion.close()

Control API (NotionEmulator; all of it acts directly, not over HTTP):
- `clock` (VirtualClock: `now()`, `advance(seconds, minutes=)`, `set(dt)`): every
  created_time / last_edited_time comes from it; it only moves when a test moves it.
- `root_page_id`, `seed_page(...)`, `add_user(...)`, `create_pages(data_source_id, rows)`.
- a rep working in Notion: `rep_edit(page_id, properties)`, `trash_page`, `restore_page`,
  `update_schema(data_source_id, properties)`; `page_json`, `data_source_json`, `pages_in`.
- `faults` (FaultInjector): `next(Fault.X, times, method=, path=)`,
  `randomly(Fault.X, probability, seed=)`, `clear()`, `hang_seconds`, `injected`.
- `enable_rate_limit(rate=3, burst=10, scale=1)` / `disable_rate_limit()` (off by default).
- `set_short_pages(max_rows, seed=None)`; `stats.count(method=, route=, status=)`.
- `webhooks` (WebhookDispatcher): `subscribe(url_or_callable, event_types=)`,
  `send_verification()`, `deliver(order=, seed=, limit=)`, `drop_next`, `drop_randomly`,
  `duplicate_next`, `delay_next`, `aggregate`, `verification_token`.
- `tokens` (accepted integration tokens), `max_body_bytes`.

cassettes.load_cassette reads the recordings it is checked against (both vcrpy layouts);
conformance.Replayer replays them.
"""

from .cassettes import Cassette, Interaction, load_cassette
from .clock import VirtualClock
from .emulator import DEFAULT_TOKEN, NotionEmulator
from .faults import Fault
from .server import RunningEmulator, make_client, running_emulator
from .webhooks import WebhookRequest, sign, verify_signature

__all__ = [
    "DEFAULT_TOKEN",
    "Cassette",
    "Fault",
    "Interaction",
    "NotionEmulator",
    "RunningEmulator",
    "VirtualClock",
    "WebhookRequest",
    "load_cassette",
    "make_client",
    "running_emulator",
    "sign",
    "verify_signature",
]
