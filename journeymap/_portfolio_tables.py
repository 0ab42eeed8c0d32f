"""The cross-journey tables of a :class:`~journeymap.portfolio.Portfolio`, computed from its reports (never re-scored).

Matching rules (also in docs/portfolio.md):

* **Stages** fall in one heatmap column when their ids are equal or their names are equal ignoring case,
  accents, punctuation and spacing (``stage_key="both"``, default; transitively), or only by id
  (``"id"``) or only by name (``"name"``). A column is labelled with the name most of its stages have (a
  label two columns share gets the column's first stage id in brackets); columns are ordered by the
  stages' mean relative position in their journeys (0 = first stage, 1 = last).
* **Opportunities** form one group when they share an id or a normalised text (case, accents, punctuation
  and spacing ignored), in any journeys — transitively.
* **Pairs** (current vs future): the explicit ``pairs=`` if given; else, per persona, a current and a future
  journey whose ids are equal once a state word (``current``, ``future``, ``today``, ``target``, ``as_is``,
  ``to_be``, ``now``, ``next``) is dropped from the end; then, if a persona has exactly one current and one
  future journey left, those two.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from typing import TYPE_CHECKING, Any

from journeymap.errors import JourneyError, Problem

if TYPE_CHECKING:
    import pandas as pd

    from journeymap.portfolio import Portfolio

_STATE_WORDS = re.compile(r"[_.-]+(current|future|today|target|as[_.-]?is|to[_.-]?be|now|next)$", re.IGNORECASE)


def normalise(text: str) -> str:
    """Text as a matching key: accents, case, punctuation and runs of spaces ignored.

    >>> normalise("  Ship-from store!  "), normalise("Envío  GRATIS")
    ('ship from store', 'envio gratis')
    """
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", plain.casefold()).split())


def stage_groups(pf: Portfolio) -> dict[tuple[int, str], str]:
    """``(entry index, stage id) → column key`` for every stage of every journey, by ``pf.stage_key``."""
    found = [(i, stage) for i, e in enumerate(pf.entries) for stage in e.journey.ordered_stages()]
    keys = [(s.id if pf.stage_key in ("id", "both") else f"\0{n}",
             normalise(s.name) if pf.stage_key in ("name", "both") else f"\0{n}") for n, (_, s) in enumerate(found)]
    groups = _groups(keys)
    names: dict[int, str] = {}
    for g in dict.fromkeys(groups):  # a group is named by its first stage's id (made unique: "service", "service 2")
        base, n = found[g][1].id, 1
        while (name := base if n == 1 else f"{base} {n}") in names.values():
            n += 1
        names[g] = name
    return {(i, s.id): names[g] for (i, s), g in zip(found, groups, strict=True)}


def heatmap(pf: Portfolio, state: str | None = "current") -> pd.DataFrame:
    """Persona × stage reach-weighted friction over the journeys in ``state`` (``None``: all).

    A cell pools the touchpoints of that persona's journeys in that stage:
    ``Σ reach × friction / Σ reach`` (each journey's reach is per customer of that journey; the plain
    mean when nothing is reached). Rows: personas by name, in portfolio order; columns: see the module.
    """
    import pandas as pd

    from journeymap.portfolio import persona_id, persona_name, word

    if state not in (None, "current", "future"):
        raise ValueError(f"state must be 'current', 'future' or None, got {state!r}")
    num: dict[tuple[str, str], float] = {}
    den: dict[tuple[str, str], float] = {}
    plain: dict[tuple[str, str], list[float]] = {}
    names: dict[str, Counter] = {}
    positions: dict[str, list[float]] = {}
    rows: dict[str, str] = {}
    column = stage_groups(pf)
    for n, e in enumerate(pf.entries):
        if state is not None and e.journey.state != state:
            continue
        pid = persona_id(e.journey) or ""
        rows.setdefault(pid, persona_name(e.journey) or word("no_persona"))
        ordered = e.journey.ordered_stages()
        by_stage = e.report.by_stage[["friction", "reach"]].astype(float).to_dict("index")
        for i, stage in enumerate(ordered):
            key = column[(n, stage.id)]
            names.setdefault(key, Counter())[stage.name] += 1
            positions.setdefault(key, []).append(i / (len(ordered) - 1) if len(ordered) > 1 else 0.0)
            if stage.id not in by_stage:
                continue  # a stage with no touchpoint: no friction to show
            friction, reach = float(by_stage[stage.id]["friction"]), float(by_stage[stage.id]["reach"])
            cell = (pid, key)
            num[cell] = num.get(cell, 0.0) + friction * reach
            den[cell] = den.get(cell, 0.0) + reach
            plain.setdefault(cell, []).append(friction)
    first = list(positions)
    keys = sorted(first, key=lambda k: (sum(positions[k]) / len(positions[k]), first.index(k)))
    labels = _unique({k: names[k].most_common(1)[0][0] for k in keys})
    row_labels = _unique(rows)
    data = {labels[k]: [(num[(p, k)] / den[(p, k)] if den[(p, k)] > 0 else sum(plain[(p, k)]) / len(plain[(p, k)]))
                        if (p, k) in num else float("nan") for p in rows] for k in keys}
    frame = pd.DataFrame(data, index=pd.Index([row_labels[p] for p in rows], name="persona"),
                         columns=pd.Index([labels[k] for k in keys], name="stage"), dtype=float)
    return frame.dropna(axis=1, how="all")


def _unique(labels: dict[str, str]) -> dict[str, str]:
    """Labels made unique: a repeated label gets its key in brackets."""
    count = Counter(labels.values())
    return {k: (f"{v} ({k})" if count[v] > 1 and k else v) for k, v in labels.items()}


def pain_points(pf: Portfolio) -> pd.DataFrame:
    """Every journey's :meth:`~journeymap.scoring.FrictionReport.pain_ranking` in one table, ranked by impact
    (index ``rank`` from 1; ties keep portfolio order)."""
    import pandas as pd

    cols = ["journey", "id", "where", "text", "severity", "frequency", "reach", "impact"]
    parts = []
    for e in pf.entries:
        df = e.report.pain_ranking().reset_index()
        df.insert(0, "journey", e.key)
        parts.append(df[cols])
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=cols)
    out = out.sort_values("impact", ascending=False, kind="stable").reset_index(drop=True)
    out.index = pd.RangeIndex(1, len(out) + 1, name="rank")
    return out


def opportunity_members(pf: Portfolio) -> pd.DataFrame:
    """One row per opportunity per journey: ``group, journey, id, text, addresses, value, effort,
    friction_removed`` (from each journey's :meth:`~journeymap.scoring.FrictionReport.opportunity_ranking`,
    i.e. :func:`journeymap.scoring.priorities.friction_removed` on its report)."""
    import pandas as pd

    rows: list[dict[str, Any]] = []
    for e in pf.entries:
        ranking = e.report.opportunity_ranking()["friction_removed"].astype(float).to_dict()
        for opp in e.journey.opportunities:
            rows.append({"journey": e.key, "id": opp.id, "text": opp.text, "addresses": list(opp.addresses),
                         "value": opp.value, "effort": opp.effort,
                         "friction_removed": float(ranking[opp.id])})
    groups = _groups([(r["id"], normalise(r["text"])) for r in rows])
    for row, group in zip(rows, groups, strict=True):
        row["group"] = rows[group]["id"]
    cols = ["group", "journey", "id", "text", "addresses", "value", "effort", "friction_removed"]
    return pd.DataFrame(rows, columns=cols)


def _groups(keys: list[tuple[str, str]]) -> list[int]:
    """For each (id, text) the index of the first member of its group (same id or same text, transitively)."""
    parent = list(range(len(keys)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple[str, str], int] = {}
    for i, (opp_id, text) in enumerate(keys):
        for k in (("id", opp_id), ("text", text)):
            if k in first:
                a, b = root(first[k]), root(i)
                parent[max(a, b)] = min(a, b)
            else:
                first[k] = i
    return [root(i) for i in range(len(keys))]


def opportunities(members: pd.DataFrame, reports: dict | None = None) -> pd.DataFrame:
    """Groups of opportunities ranked by ``removed_per_effort = friction_removed / effort``.

    ``friction_removed`` is the sum over the journeys of the friction the group removes in each (points
    of that journey's total, 0..100); when one journey holds two members of a group, the drop from fixing
    the pain points of both at once counts (``reports`` given), else the members' sum. ``effort`` (and
    ``value``) is the largest any member gives: one piece of work must cover its hardest case.
    Index: ``group`` (its first member's id). ``n_journeys`` counts the journeys it touches.
    """
    import pandas as pd

    from journeymap.scoring.priorities import friction_removed

    rows = []
    for group, df in members.groupby("group", sort=False):
        total = 0.0
        for journey, part in df.groupby("journey", sort=False):
            if len(part) > 1 and reports is not None:
                addresses = {a for found in part["addresses"] for a in found}
                total += friction_removed(reports[journey], addresses)
            else:
                total += float(part["friction_removed"].sum())
        effort = int(df["effort"].max())
        rows.append({"group": group, "text": df["text"].iloc[0], "ids": ", ".join(dict.fromkeys(df["id"])),
                     "journeys": ", ".join(dict.fromkeys(df["journey"])), "n_journeys": df["journey"].nunique(),
                     "value": int(df["value"].max()), "effort": effort, "friction_removed": total,
                     "removed_per_effort": total / effort})
    cols = ["group", "text", "ids", "journeys", "n_journeys", "value", "effort", "friction_removed",
            "removed_per_effort"]
    out = pd.DataFrame(rows, columns=cols).set_index("group")
    return out.sort_values(["removed_per_effort", "friction_removed"], ascending=False, kind="stable")


def _stem(key: str) -> str:
    return _STATE_WORDS.sub("", key)


def find_pairs(pf: Portfolio) -> list[tuple[str, str]]:
    """``(current key, future key)`` pairs: ``pf.explicit_pairs`` resolved (ids or file stems), or found."""
    from pathlib import Path

    from journeymap.portfolio import persona_id
    from journeymap.safety import suggest

    if pf.explicit_pairs is not None:
        names = {e.key: e.key for e in pf.entries}
        names.update({Path(e.file).stem: e.key for e in pf.entries if e.file and Path(e.file).stem not in names})
        found, problems = [], []
        for i, pair in enumerate(pf.explicit_pairs):
            if len(pair) != 2:
                problems.append(Problem("pairs", f"pairs[{i}]", "expected (current, future)", pair))
                continue
            for j, name in enumerate(pair):
                if name not in names:
                    hint = suggest(name, names)
                    problems.append(Problem("pairs", f"pairs[{i}][{j}]", "no journey with this id in the portfolio"
                                            + (f"; {hint}" if hint else ""), name))
            if all(name in names for name in pair):
                found.append((names[pair[0]], names[pair[1]]))
        if problems:
            raise JourneyError(problems)
        return found
    by_persona: dict[str, tuple[list[str], list[str]]] = {}
    for e in pf.entries:
        pid = persona_id(e.journey)
        if pid is not None:
            by_persona.setdefault(pid, ([], []))[e.journey.state == "future"].append(e.key)
    pairs = []
    for current, future in by_persona.values():
        for a in list(current):
            match = next((b for b in future if _stem(b) == _stem(a)), None)
            if match is not None:
                pairs.append((a, match))
                current.remove(a)
                future.remove(match)
        if len(current) == 1 and len(future) == 1:
            pairs.append((current[0], future[0]))
    order = {e.key: i for i, e in enumerate(pf.entries)}
    return sorted(pairs, key=lambda p: order[p[0]])


def pairs_table(pf: Portfolio) -> pd.DataFrame:
    """One row per pair: ``current, future, persona`` and current/future/delta of friction, expected
    conversion and continuity (from :func:`journeymap.comparison.compare_reports`; delta = future − current)."""
    import pandas as pd

    from journeymap.portfolio import persona_id

    rows = []
    for (a, b), comp in pf.comparisons.items():
        totals = comp.totals.to_dict("index")
        row: dict = {"current": a, "future": b, "persona": persona_id(comp.b.journey) or persona_id(comp.a.journey)}
        for name, key in (("friction", "friction"), ("conversion", "expected_conversion"),
                          ("continuity", "continuity")):
            row[f"{name}_current"] = float(totals[key]["a"])
            row[f"{name}_future"] = float(totals[key]["b"])
            row[f"{name}_delta"] = float(totals[key]["delta"])
        rows.append(row)
    cols = ["current", "future", "persona"] + [f"{n}_{s}" for n in ("friction", "conversion", "continuity")
                                               for s in ("current", "future", "delta")]
    return pd.DataFrame(rows, columns=cols)
