"""Connectors are found through the entry-point group `stakeholder_intel.connectors`:
a distribution that declares

    [project.entry-points."stakeholder_intel.connectors"]
    salesforce = "sf_connector:make_connector"

adds a `salesforce` connector; the value is a `ConnectorFactory`."""

from __future__ import annotations

from importlib.metadata import entry_points

from connectors.errors import UnknownConnector
from connectors.protocol import ConnectorFactory

GROUP = "stakeholder_intel.connectors"


def available() -> list[str]:
    """Names of the installed connectors, sorted."""
    return sorted({point.name for point in entry_points(group=GROUP)})


def factory(name: str) -> ConnectorFactory:
    """The factory registered under `name`; UnknownConnector names the installed ones."""
    points = [point for point in entry_points(group=GROUP) if point.name == name]
    if not points:
        installed = ", ".join(available()) or "none"
        raise UnknownConnector(f"no CRM connector {name!r} is installed (installed: {installed})")
    loaded = points[0].load()
    if not callable(loaded):
        raise UnknownConnector(f"connector {name!r} ({points[0].value}) is not a factory")
    return loaded  # type: ignore[no-any-return]
