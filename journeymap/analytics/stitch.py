"""Identity stitching: per-channel ids (email, phone, device, loyalty card) → one customer.

This is the step from multichannel to omnichannel data. Each identifier value
is a node; an event that carries several identifiers links them (it shows
they belong to the same person). Customers are the connected components of
that graph. Events without any identifier cannot be linked and are set aside
(and counted).

Example
-------
>>> import pandas as pd
>>> ev = pd.DataFrame({"activity": ["ad", "login", "email_open", "sms", "visit"],
...                    "device_id": ["d1", "d1", None, None, None],
...                    "email": [None, "ana@x.es", "ana@x.es", None, None],
...                    "phone": [None, None, None, "+34 600", None]})
>>> events, report = stitch(ev, identifiers=["device_id", "email", "phone"])
>>> events["customer_id"].tolist()
['C1', 'C1', 'C1', 'C2']
>>> print(report)
3 channel ids (device_id 1, email 1, phone 1) → 2 customers; 1 event(s) without any id set aside
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd

from journeymap.analytics._frame import require


@dataclass
class StitchReport:
    """How many channel ids became how many customers, and what could not be linked."""

    ids_by_kind: dict[str, int] = field(default_factory=dict)
    customers: int = 0
    events_linked: int = 0
    events_without_id: int = 0
    largest_customer_ids: int = 0
    ids_per_customer: dict[int, int] = field(default_factory=dict)
    identities: pd.DataFrame = field(default_factory=pd.DataFrame, repr=False)

    @property
    def channel_ids(self) -> int:
        """Distinct identifier values over all kinds."""
        return sum(self.ids_by_kind.values())

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str = "en") -> str:
        """The summary in ``lang`` (English or Spanish)."""
        from journeymap.i18n import t

        kinds = ", ".join(f"{k} {n:,}" for k, n in self.ids_by_kind.items())
        text = t("at_stitch", lang).format(ids=f"{self.channel_ids:,}", kinds=kinds, customers=f"{self.customers:,}")
        if self.events_without_id:
            text += t("at_stitch_no_id", lang).format(n=f"{self.events_without_id:,}")
        return text


class Stitched(NamedTuple):
    """The result of :func:`stitch`: ``events, report = stitch(...)``."""

    events: pd.DataFrame
    report: StitchReport


def _present(values: pd.Series) -> np.ndarray:
    text = values.astype("string").str.strip()
    return (text.notna() & (text != "")).to_numpy(dtype=bool)


def stitch(events: pd.DataFrame, identifiers: Sequence[str], *, customer: str = "customer_id",
           prefix: str = "C") -> Stitched:
    """Link the ``identifiers`` columns into customers (connected components).

    Adds a ``customer`` column (``C1``, ``C2``, … numbered in order of first
    appearance) and keeps the row order. Values are compared after trimming
    spaces; the same text in two identifier columns counts as two ids.
    ``report.identities`` lists every id (``kind``, ``value``) with its customer.
    """
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if not identifiers:
        raise ValueError("stitch needs at least one identifier column")
    require(events, identifiers)
    n = len(events)
    node = np.full((n, len(identifiers)), -1, dtype=np.int64)
    kinds, values = [], []
    offset = 0
    for j, col in enumerate(identifiers):
        ok = _present(events[col])
        codes, uniques = pd.factorize(events[col].astype("string").str.strip()[ok])
        node[ok, j] = codes + offset
        offset += len(uniques)
        kinds.append(np.full(len(uniques), col, dtype=object))
        values.append(np.asarray(uniques, dtype=object))
    has = (node >= 0).any(axis=1)
    first_col = np.argmax(node >= 0, axis=1)
    anchor = node[np.arange(n), first_col]
    src, dst = [], []
    for j in range(len(identifiers)):
        link = (node[:, j] >= 0) & has
        src.append(anchor[link])
        dst.append(node[link, j])
    src_a, dst_a = np.concatenate(src), np.concatenate(dst)
    graph = coo_matrix((np.ones(len(src_a), dtype=np.int8), (src_a, dst_a)), shape=(offset, offset))
    _, component = connected_components(graph, directed=False)
    row_comp = component[anchor[has]]
    order_codes, comp_order = pd.factorize(row_comp)  # numbered by first appearance
    renumber = np.full(component.max() + 1 if offset else 0, -1, dtype=np.int64)
    renumber[comp_order] = np.arange(len(comp_order))
    labels = np.asarray([f"{prefix}{i + 1}" for i in range(len(comp_order))], dtype=object)
    out = events.loc[np.asarray(has, dtype=bool)].copy()
    out[customer] = labels[order_codes]
    out = out.reset_index(drop=True)

    node_customer = renumber[component] if offset else np.zeros(0, dtype=np.int64)
    identities = pd.DataFrame({"kind": np.concatenate(kinds) if kinds else [],
                               "value": np.concatenate(values) if values else [],
                               customer: labels[node_customer] if offset else []})
    sizes = identities.groupby(customer, sort=False).size()
    report = StitchReport(
        ids_by_kind={col: len(v) for col, v in zip(identifiers, values, strict=True)},
        customers=len(comp_order),
        events_linked=int(has.sum()),
        events_without_id=int((~has).sum()),
        largest_customer_ids=int(sizes.max()) if len(sizes) else 0,
        ids_per_customer={int(str(k)): int(v) for k, v in sizes.value_counts().sort_index().items()},
        identities=identities,
    )
    return Stitched(out, report)
