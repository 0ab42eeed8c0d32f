"""The one place that decides which engine runs an analytic: :func:`dispatch` and :func:`engine`.

Each public analytic is written once per engine: its body is the in-memory
(pandas/numpy) implementation, and ``@dispatch(lazy=...)`` names the lazy one
(narwhals over DuckDB or Spark, in ``_lazy*``), which takes the same parameter
names (any subset of them). The decorator

* routes a Parquet path, DuckDB relation, Spark or narwhals frame to the lazy
  implementation (:func:`engine` says which), everything else to the body —
  except a Parquet log small enough for memory, which is read once and runs
  on the body (:mod:`journeymap.analytics._memory`);
* runs ``check`` first, whatever the engine (checks of the arguments that
  both engines share, e.g. "this funnel step occurs in the log");
* accepts an :class:`~journeymap.analytics.eventlog.EventLog` wherever events
  go: column arguments the caller did not pass (``case``, ``activity``/``by``,
  ``timestamp``, ``channel``/``touch``) come from the log.

>>> @dispatch(lazy=lambda events, case: f"lazy on {case}")
... def count(events, *, case="case_id"):
...     return f"pandas on {case}"
>>> import pandas as pd
>>> count(pd.DataFrame()), count("log.parquet", case="customer")
('pandas on case_id', 'lazy on customer')
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, Literal, ParamSpec, TypeVar

from journeymap.analytics._backend import is_lazy, kind
from journeymap.analytics._memory import in_memory
from journeymap.analytics.eventlog import EventLog

P = ParamSpec("P")
R = TypeVar("R")

#: Parameter names filled from an EventLog's columns when not passed (parameter -> role of the log).
ROLES = {"case": "case", "activity": "activity", "by": "activity", "timestamp": "timestamp",
         "channel": "channel", "touch": "channel"}
_COLUMNS = ("case", "activity", "by", "channel", "touch")  # column arguments a Parquet log read into memory must have


def engine(source: Any) -> Literal["pandas", "duckdb", "spark"]:
    """The engine that runs analytics on ``source``: ``"spark"``, ``"duckdb"`` (Parquet paths, DuckDB
    relations, narwhals frames over them) or ``"pandas"`` (DataFrames, EventLogs, anything else).

    >>> engine("events.parquet"), engine("events.csv")
    ('duckdb', 'pandas')
    """
    if isinstance(source, EventLog) or not is_lazy(source):
        return "pandas"
    native = source
    if (type(source).__module__ or "").startswith("narwhals."):
        native = source.to_native()
    return "spark" if kind(native) == "spark" else "duckdb"


def _call(fn: Callable[..., Any], arguments: dict[str, Any]) -> Any:
    params = inspect.signature(fn).parameters
    return fn(**{k: v for k, v in arguments.items() if k in params})


def dispatch(lazy: Callable[..., Any] | None = None, *, on: str = "events", check: Callable[..., Any] | None = None,
             memory: bool = True) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a public analytic whose body runs on pandas events (see the module docstring).

    ``lazy`` runs lazy sources (None: the body gets them too, e.g. to refuse
    them with a clear message); ``on`` names the events parameter; ``check``
    is called with the arguments it names before either engine runs. With
    ``memory``, a Parquet log small enough for memory runs on the body
    (:mod:`journeymap.analytics._memory`); set it False when the lazy result
    differs in kind (``conformance`` leaves ``fits`` in the engine).
    """

    def decorate(fn: Callable[P, R]) -> Callable[P, R]:
        sig = inspect.signature(fn)

        @functools.wraps(fn)
        def run(*args: P.args, **kwargs: P.kwargs) -> R:
            bound = sig.bind(*args, **kwargs)
            events = bound.arguments.get(on)
            if isinstance(events, EventLog):
                roles = events.columns()
                for param, role in ROLES.items():
                    if param in sig.parameters and param not in bound.arguments:
                        bound.arguments[param] = roles[role]
            bound.apply_defaults()
            where = engine(events) if lazy is not None else "pandas"
            if where == "duckdb" and memory:
                names = [bound.arguments[p] for p in _COLUMNS if p in bound.arguments]
                frame = in_memory(events, [*names, bound.arguments.get("timestamp")])
                if frame is not None:
                    bound.arguments[on], where = frame, "pandas"
            if check is not None:
                _call(check, bound.arguments)
            if where != "pandas" and lazy is not None:
                return _call(lazy, bound.arguments)
            return fn(*bound.args, **bound.kwargs)

        run.lazy = lazy  # type: ignore[attr-defined]
        return run

    return decorate
