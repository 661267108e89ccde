"""The configurable stage model and the rule that advances deals.

A stage's exit criteria are requirements on qualification elements. A deal moves forward
while the criteria of its current stage are met (possibly several stages at once, each
step with its reason); it never moves backwards, never closes without an explicit outcome,
and a stage a rep set by hand stays until the rep releases it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Self

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from plans.extraction.signals import Element
from plans.opportunities.qualification import STATUS_RANK, ElementState, ElementStatus

StageKey = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,49}$")]
CLOSED_WON = "closed_won"
CLOSED_LOST = "closed_lost"
CLOSED = (CLOSED_WON, CLOSED_LOST)


class Requirement(BaseModel):
    """At least one of `any_of` must be at `at_least` status."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    any_of: list[Element] = Field(min_length=1)
    at_least: ElementStatus = ElementStatus.PARTIAL

    def met_by(self, states: dict[Element, ElementState]) -> bool:
        return any(
            STATUS_RANK[states[element].status] >= STATUS_RANK[self.at_least]
            for element in self.any_of
        )

    def describe(self) -> str:
        names = " or ".join(element.replace("_", " ") for element in self.any_of)
        return f"{names} {self.at_least}"


class Stage(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: StageKey
    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    probability: float = Field(ge=0, le=1)
    exit_criteria: list[Requirement] = Field(default_factory=list)


class StageModel(BaseModel):
    """Open stages in order; closed_won and closed_lost always exist after them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    stages: list[Stage] = Field(min_length=1, max_length=20)

    @model_validator(mode="after")
    def _well_formed(self) -> Self:
        keys = [stage.key for stage in self.stages]
        if len(set(keys)) != len(keys):
            raise ValueError("stage keys must be unique")
        if set(keys) & set(CLOSED):
            raise ValueError("closed_won and closed_lost are implicit; do not list them")
        return self

    @property
    def first(self) -> str:
        return self.stages[0].key

    def keys(self) -> list[str]:
        return [stage.key for stage in self.stages] + list(CLOSED)

    def stage(self, key: str) -> Stage | None:
        return next((stage for stage in self.stages if stage.key == key), None)

    def probability(self, key: str) -> float:
        if key == CLOSED_WON:
            return 1.0
        if key == CLOSED_LOST:
            return 0.0
        stage = self.stage(key)
        return stage.probability if stage else 0.0

    def index(self, key: str) -> int:
        return self.keys().index(key) if key in self.keys() else -1


def _require(
    elements: list[Element], at_least: ElementStatus = ElementStatus.PARTIAL
) -> Requirement:
    return Requirement(any_of=elements, at_least=at_least)


DEFAULT_STAGE_MODEL = StageModel(
    stages=[
        Stage(
            key="prospecting",
            name="Prospecting",
            probability=0.1,
            exit_criteria=[_require([Element.IDENTIFIED_PAIN, Element.NEED])],
        ),
        Stage(
            key="qualification",
            name="Qualification",
            probability=0.2,
            exit_criteria=[
                _require([Element.IDENTIFIED_PAIN, Element.NEED]),
                _require([Element.BUDGET, Element.TIMELINE]),
                _require([Element.ECONOMIC_BUYER, Element.AUTHORITY, Element.CHAMPION]),
            ],
        ),
        Stage(
            key="discovery",
            name="Discovery",
            probability=0.35,
            exit_criteria=[
                _require([Element.ECONOMIC_BUYER]),
                _require([Element.DECISION_PROCESS]),
                _require([Element.DECISION_CRITERIA, Element.METRICS]),
            ],
        ),
        Stage(
            key="proposal",
            name="Proposal",
            probability=0.55,
            exit_criteria=[
                _require([Element.BUDGET], ElementStatus.CONFIRMED),
                _require([Element.PAPER_PROCESS]),
                _require([Element.ECONOMIC_BUYER], ElementStatus.CONFIRMED),
            ],
        ),
        Stage(key="negotiation", name="Negotiation", probability=0.75, exit_criteria=[]),
    ]
)


@dataclass(frozen=True)
class StageStep:
    from_stage: str
    to_stage: str
    reason: str


def advance(
    current: str, states: dict[Element, ElementState], model: StageModel
) -> list[StageStep]:
    """The steps forward that the criteria allow from `current` (empty if none).

    A stage with no exit criteria is never left by criteria: only an outcome or a rep
    moves a deal out of it.
    """
    steps: list[StageStep] = []
    stage = model.stage(current)
    while stage is not None and stage.exit_criteria:
        unmet = [r for r in stage.exit_criteria if not r.met_by(states)]
        if unmet:
            break
        next_index = model.index(stage.key) + 1
        if next_index >= len(model.stages):
            break
        following = model.stages[next_index]
        reason = "exit criteria of {} met: {}".format(
            stage.name, "; ".join(r.describe() for r in stage.exit_criteria)
        )
        steps.append(StageStep(stage.key, following.key, reason))
        stage = following
    return steps
