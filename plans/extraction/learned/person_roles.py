"""The trained role model: one logistic regression per buying role over the person
features, with the decision threshold chosen for F1 in cross-validation. Weights ship as
JSON beside this file (`person_roles.json`, written by `training/person_roles.py`), load
offline and predict with numpy."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from plans.extraction.learned.person_features import feature_names
from plans.extraction.signals import BuyingRole

MODEL_PATH = Path(__file__).with_name("person_roles.json")
MODEL_ID = "model.person_roles"


@dataclass(frozen=True)
class RoleModel:
    version: str
    mean: np.ndarray
    scale: np.ndarray
    weights: dict[BuyingRole, np.ndarray]
    bias: dict[BuyingRole, float]
    thresholds: dict[BuyingRole, float]

    def probabilities(self, features: list[float]) -> dict[BuyingRole, float]:
        x = (np.asarray(features, dtype=float) - self.mean) / self.scale
        return {
            role: float(1.0 / (1.0 + np.exp(-(x @ weights + self.bias[role]))))
            for role, weights in self.weights.items()
        }

    def roles(self, features: list[float]) -> dict[BuyingRole, float]:
        """The roles whose probability reaches their threshold, with that probability."""
        return {
            role: p
            for role, p in self.probabilities(features).items()
            if p >= self.thresholds[role]
        }


class ModelMismatch(RuntimeError):
    pass


@lru_cache(maxsize=1)
def load_role_model(path: Path = MODEL_PATH) -> RoleModel | None:
    """The shipped model, or None when none has been trained yet. A model trained on other
    features than the code computes is refused: silently misreading it would be worse."""
    if not path.exists():
        return None
    raw = json.loads(path.read_text())
    if raw["features"] != feature_names():
        raise ModelMismatch(
            f"{path.name} was trained on other features; retrain with training/person_roles.py"
        )
    roles = raw["roles"]
    return RoleModel(
        version=raw["version"],
        mean=np.asarray(raw["mean"], dtype=float),
        scale=np.asarray(raw["scale"], dtype=float),
        weights={BuyingRole(k): np.asarray(v["weights"], dtype=float) for k, v in roles.items()},
        bias={BuyingRole(k): float(v["bias"]) for k, v in roles.items()},
        thresholds={BuyingRole(k): float(v["threshold"]) for k, v in roles.items()},
    )
