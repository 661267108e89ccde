"""A local emulation of the Notion HTTP API (Notion-Version 2025-09-03 semantics) for tests.

    with running_emulator() as running:
        notion = running.client()
        ...
        notion.close()

See emulator.NotionEmulator for the control API (virtual clock, rep edits, faults, rate
limit, webhooks) and cassettes.py for loading the real recordings it is checked against.
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
