"""journeymap — map customer journeys across channels, see them, and measure where they hurt.

>>> import journeymap as jm
>>> j = jm.load(jm.shipped_journey("retail_bopis_omnichannel"))
>>> isinstance(j, jm.Journey)
True
"""

from __future__ import annotations

from journeymap.channels import CATALOGUE, Channel

# Eager (light: the model only). As a lazy attribute, an `import journeymap.diff` done first would leave
# `jm.diff` bound to the module of that name instead of the function.
from journeymap.diff import diff
from journeymap.errors import JourneyError, Problem
from journeymap.frames import from_csv, from_frame, to_frame
from journeymap.graph import (
    all_paths,
    cross_channel_transitions,
    entries,
    exits,
    flow_graph,
    to_networkx,
)
from journeymap.io import json_schema, load, load_persona, save, save_persona, validate, write_schema
from journeymap.model import Journey, Opportunity, PainPoint, Persona, Stage, Touchpoint, Transition
from journeymap.paths import shipped_journey, shipped_journeys

# Eager (light: the model and errors only), as diff: a lazy attribute would stay bound to the module
# `journeymap.portfolio` once anything imported that module first.
from journeymap.portfolio import portfolio
from journeymap.summary import describe

__version__ = "0.1.0"

# Heavier parts load on first use, so `import journeymap` stays light.
_LAZY = {
    "plot": ("journeymap.plot", None),
    "analytics": ("journeymap.analytics", None),
    "evidence": ("journeymap.evidence", None),
    "widgets": ("journeymap.widgets", None),
    "score": ("journeymap.scoring", "score"),
    "FrictionReport": ("journeymap.scoring", "FrictionReport"),
    "compare": ("journeymap.comparison", "compare"),
    "what_if": ("journeymap.comparison", "what_if"),
    "economics": ("journeymap.cost_to_serve", "economics"),
    "to_pyvis": ("journeymap.network", "to_pyvis"),
    "show_network": ("journeymap.network", "show_network"),
    "export": ("journeymap.exporting", "export"),
    "to_mermaid": ("journeymap.mermaid", "to_mermaid"),
    "from_mermaid": ("journeymap.mermaid", "from_mermaid"),
    "check": ("journeymap.checks", "check"),
    "JourneyDiff": ("journeymap.diff", "JourneyDiff"),
    "save_version": ("journeymap.versions", "save_version"),
    "list_versions": ("journeymap.versions", "list_versions"),
}


def __getattr__(name: str) -> object:  # PEP 562: lazy attributes
    if name not in _LAZY:
        raise AttributeError(f"module 'journeymap' has no attribute {name!r}")
    import importlib

    module_name, attr = _LAZY[name]
    module = importlib.import_module(module_name)
    value = module if attr is None else getattr(module, attr)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_LAZY])

__all__ = [
    "CATALOGUE",
    "Channel",
    "Journey",
    "JourneyError",
    "Opportunity",
    "PainPoint",
    "Persona",
    "Problem",
    "Stage",
    "Touchpoint",
    "Transition",
    "all_paths",
    "cross_channel_transitions",
    "describe",
    "diff",
    "entries",
    "exits",
    "flow_graph",
    "from_csv",
    "from_frame",
    "json_schema",
    "load",
    "load_persona",
    "portfolio",
    "save",
    "save_persona",
    "shipped_journey",
    "shipped_journeys",
    "to_frame",
    "to_networkx",
    "validate",
    "write_schema",
]
