"""What a conversation looks like on the way in, and what ingesting it touched."""

from __future__ import annotations

from typing import Annotated, Self
from uuid import UUID

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    StringConstraints,
    model_validator,
)

from plans.extraction.conversation import Channel, ConversationDocument, Name, Participant
from plans.extraction.signals import Signals
from plans.service import Domain

ExternalId = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=r"^\S+$")
]
class AccountRef(BaseModel):
    """Either an existing account's `id`, or a `name` (and ideally `domain`) to find or
    create it."""

    model_config = ConfigDict(extra="forbid")

    id: UUID | None = None
    name: Name | None = None
    domain: Domain = None

    @model_validator(mode="after")
    def _id_or_name(self) -> Self:
        if self.id is None and self.name is None:
            raise ValueError("give the account's id, or its name (and domain)")
        return self


class Turn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    speaker: Name
    text: Annotated[str, StringConstraints(min_length=1)]


# A short discovery call, as the OpenAPI documentation shows it.
EXAMPLE_CONVERSATION: dict[str, JsonValue] = {
    "external_id": "call-2026-01-12-helix",
    "account": {"name": "Helix Health", "domain": "helixhealth.org"},
    "occurred_at": "2026-01-12T15:00:00Z",
    "channel": "call",
    "title": "Discovery",
    "participants": [
        {"name": "Dana Whitfield", "title": "VP Data Platform", "side": "customer"},
        {"name": "Sam Ortiz", "email": "sam@lumensystems.com", "side": "ours"},
    ],
    "turns": [
        {"speaker": "Dana Whitfield", "text": "Our nightly ETL jobs keep breaking every week."},
        {"speaker": "Dana Whitfield", "text": "Budget is approved at $150k, to sign by March."},
        {"speaker": "Sam Ortiz", "text": "I'll send the POC plan by Friday."},
    ],
}


class ConversationIn(BaseModel):
    """The body of POST /conversations (and one line of an ingest file)."""

    model_config = ConfigDict(
        extra="forbid", json_schema_extra={"examples": [EXAMPLE_CONVERSATION]}
    )

    external_id: ExternalId = Field(description="The caller's id; posting it again is a no-op.")
    account: AccountRef
    occurred_at: AwareDatetime
    channel: Channel
    title: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] | None = None
    participants: list[Participant] = Field(default_factory=list)
    turns: list[Turn] | None = None
    text: Annotated[str, StringConstraints(min_length=1)] | None = None
    signals: Signals | None = Field(
        default=None,
        description="Signals the agent extracted itself; validated exactly like ours.",
    )

    @model_validator(mode="after")
    def _turns_or_text(self) -> Self:
        if (self.turns is None) == (self.text is None):
            raise ValueError("give the content either as `turns` or as `text`, not both")
        if self.turns is not None and not self.turns:
            raise ValueError("`turns` is empty")
        return self

    def content_length(self) -> int:
        if self.turns is not None:
            return sum(len(turn.text) + len(turn.speaker) for turn in self.turns)
        return len(self.text or "")


def document_of(
    conversation: ConversationIn, account_name: str, account_domain: str | None = None
) -> ConversationDocument:
    """The conversation as extractors read it."""
    turns: list[tuple[str | None, str]] = (
        [(turn.speaker, turn.text) for turn in conversation.turns]
        if conversation.turns is not None
        else [(None, conversation.text or "")]
    )
    return ConversationDocument(
        occurred_at=conversation.occurred_at,
        channel=conversation.channel,
        title=conversation.title,
        account_name=account_name,
        account_domain=account_domain,
        participants=conversation.participants,
        turns=turns,
    )


class StageChangeOut(BaseModel):
    from_stage: str
    to_stage: str
    reason: str


class OpportunityTouched(BaseModel):
    id: UUID
    name: str
    product_line: str
    action: str  # created | updated
    stage: str
    status: str
    reason: str
    changed_fields: list[str] = Field(default_factory=list)
    stage_changes: list[StageChangeOut] = Field(default_factory=list)
    link: str


class StakeholderTouched(BaseModel):
    id: UUID
    name: str
    created: bool
    link: str


class IngestResult(BaseModel):
    """What one conversation changed, with links to everything it touched."""

    conversation_id: UUID
    external_id: str
    account_id: UUID
    account_created: bool = False
    status: str
    replayed: bool = False
    extractor: str | None = None
    extraction_note: str | None = None
    signals: int = 0
    sentiment: dict[str, object] | None = None
    opportunities: list[OpportunityTouched] = Field(default_factory=list)
    stakeholders: list[StakeholderTouched] = Field(default_factory=list)
    unmatched_products: list[str] = Field(
        default_factory=list, description="Products named that no catalogue line matches."
    )
    catalogue_configured: bool = Field(
        default=True, description="False: the workspace has no product catalogue yet."
    )
    notes: list[str] = Field(
        default_factory=list, description="What the caller should know (why nothing was made)."
    )
    links: dict[str, str] = Field(default_factory=dict)
