"""Which touchpoints a quote is about, by an editable keyword list per touchpoint.

The keyword file is YAML, ``touchpoint_id: [phrase, ...]`` (phrases in any
language, several words allowed). A phrase matches on word boundaries after
:func:`~journeymap.evidence.tone.normalise` (case and accents ignored), with
the same light stem as the lexicon (a plural ``s`` and a final ``a``/``e``/``o``
dropped: ``queue`` finds "queues", ``tienda`` finds "tiendas"); a trailing ``*``
matches any ending (``esper*``). Hyphens and slashes count as spaces, so
``pick up`` finds "pick-up". A phrase found inside a longer one is not counted
("store" inside "return in store"); phrases that only overlap both count. A quote may be about several touchpoints.
Every row says which phrase matched, so each assignment can be checked.

>>> import pandas as pd
>>> kw = {"pickup": ["pick up", "collect*"], "pay": ["checkout", "pago"]}
>>> t = tag(["Checkout was easy but the pick-up queue was slow", "Nada que decir"], kw)
>>> t[["quote", "touchpoint", "phrase", "tone"]].values.tolist()
[[0, 'pickup', 'pick up', -0.6], [0, 'pay', 'checkout', 0.4472]]
>>> mentions(t)[["touchpoint", "mentions", "share_negative"]].values.tolist()
[['pickup', 1, 1.0], ['pay', 1, 0.0]]
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from journeymap.errors import JourneyError, Problem
from journeymap.evidence.quotes import Quotes, read_quotes
from journeymap.evidence.tone import PUNCTUATION, Matcher, explain, tokens, tone

#: A quote is negative below this tone.
NEGATIVE = -0.05
#: Quotes kept per touchpoint in :func:`mentions` (most negative first, then most recent).
TOP = 3
COLUMNS = ["quote", "id", "touchpoint", "phrase", "hits", "tone", "scope", "text", "source", "date", "lang"]
#: Words that start a new clause (besides punctuation), for the tone of one touchpoint in a quote about several.
CLAUSE_WORDS = frozenset({"but", "although", "though", "however", "whereas", "pero", "aunque", "sino", "mientras"})


def load_keywords(source: str | os.PathLike | Mapping[str, Any], *, journey: Any = None) -> dict[str, list[str]]:
    """Keyword lists per touchpoint from a YAML file (or a dict in the same layout), checked.

    Every problem is reported at once as a :class:`~journeymap.errors.JourneyError`
    (``file:line: touchpoint: message (got value)``); with ``journey`` an id that is not one
    of its touchpoints is an error too, with a "did you mean" hint.
    """
    from journeymap.safety import suggest as did_you_mean
    from journeymap.yamlmap import parse

    if isinstance(source, Mapping):
        name, data = "<keywords>", source
        line: Callable[[tuple[Any, ...]], int | None] = lambda loc: None  # noqa: E731
    else:
        name = os.fspath(source)
        try:
            text = Path(name).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise JourneyError([Problem(name, "", f"cannot read the keyword file: {exc.__class__.__name__}")]) from None
        doc = parse(text, name, "yaml")
        data, line = doc.data, doc.line
    if not isinstance(data, Mapping):
        raise JourneyError([Problem(name, "", "expected a mapping of touchpoint_id: [phrase, ...]",
                                    type(data).__name__)])
    known = [tp.id for tp in journey.touchpoints] if journey is not None else None
    problems: list[Problem] = []
    out: dict[str, list[str]] = {}
    for key, phrases in data.items():
        tp = str(key)
        if known is not None and tp not in known:
            problems.append(Problem(name, tp, f"not a touchpoint of journey '{journey.id}'; "
                                              f"{did_you_mean(tp, known)}", tp, line((key,))))
        if isinstance(phrases, str):
            phrases = [phrases]
        if not isinstance(phrases, list):
            problems.append(Problem(name, tp, "expected a list of phrases", type(phrases).__name__, line((key,))))
            continue
        kept = []
        for i, phrase in enumerate(phrases):
            if not isinstance(phrase, str) or not [w for w in tokens(phrase) if w != "*"]:
                problems.append(Problem(name, f"{tp}[{i}]", "expected a phrase with at least one word",
                                        phrase, line((key, i))))
            else:
                kept.append(phrase)
        out[tp] = kept
    if problems:
        raise JourneyError(problems)
    return out


def _frame(quotes: Any) -> pd.DataFrame:
    if isinstance(quotes, Quotes):
        return quotes.frame
    if isinstance(quotes, pd.DataFrame) and "tone" in quotes.columns and "text" in quotes.columns:
        return quotes
    return read_quotes(quotes).frame


def tag(quotes: Any, keywords: Any, *, lexicon: Any = None) -> pd.DataFrame:
    """One row per (quote, touchpoint it is about).

    ``quotes``: :class:`~journeymap.evidence.quotes.Quotes`, a DataFrame, a path or a list of
    texts; ``keywords``: a dict or a YAML path (:func:`load_keywords`). Columns: ``quote``
    (row position in the quotes), ``id``, ``touchpoint``, ``phrase`` (the first keyword that
    matched, as written in the list), ``hits`` (how many keyword matches for that touchpoint),
    ``tone``, ``scope``, ``text``, ``source``, ``date``, ``lang``.

    ``tone`` is the quote's tone (``scope`` ``"quote"``), except in a quote about several
    touchpoints, where each gets the tone of the clauses that name it (split at punctuation and
    at "but", "pero", "aunque" …; ``scope`` ``"clause"``) when those clauses hold a lexicon word:
    in "Easy checkout, but the pick-up queue was slow" checkout is positive and the pick-up
    negative. With ``lexicon`` the tone is scored with it (see :func:`~journeymap.evidence.tone.tone`).
    """
    frame = _frame(quotes)
    lists = keywords if isinstance(keywords, Mapping) else load_keywords(keywords)
    order = {tp: i for i, tp in enumerate(lists)}
    matcher = Matcher([(phrase, (tp, phrase)) for tp, phrases in lists.items() for phrase in phrases])
    has_tone = "tone" in frame.columns and lexicon is None
    rows = []
    for pos, row in enumerate(frame.itertuples(index=False)):
        text = str(row.text)
        words = tokens(text)
        found = _found(matcher, words)
        if not found:
            continue
        lang = getattr(row, "lang", None)
        lang = lang if lang in ("en", "es") else None
        whole = float(row.tone) if has_tone else tone(text, lang, lexicon=lexicon)  # type: ignore[arg-type]
        clause = _clauses(words) if len(found) > 1 else []
        for tp in sorted(found, key=order.__getitem__):
            value, scope = whole, "quote"
            if clause:  # several touchpoints in one quote: the tone of the clauses that name this one
                wanted = {clause[i] for i, _ in found[tp]}
                part = " ".join(w for i, w in enumerate(words) if clause[i] in wanted)
                if explain(part, lang, lexicon=lexicon):
                    value, scope = tone(part, lang, lexicon=lexicon), "clause"
            date = getattr(row, "date", None)
            rows.append({"quote": pos, "id": str(getattr(row, "id", pos)), "touchpoint": tp,
                         "phrase": found[tp][0][1], "hits": len(found[tp]), "tone": value, "scope": scope,
                         "text": row.text, "source": str(getattr(row, "source", "") or ""),
                         "date": date if isinstance(date, str) and date else None, "lang": lang})
    return pd.DataFrame(rows, columns=COLUMNS)


def _found(matcher: Matcher, words: list[str]) -> dict[str, list[tuple[int, str]]]:
    """Touchpoint → [(position, phrase)] of the keyword matches in ``words``."""
    spans = [(i, *matcher.longest(words, i)) for i in range(len(words))]
    spans = [(i, n, ps) for i, n, ps in spans if n]
    found: dict[str, list[tuple[int, str]]] = {}
    for i, n, patterns in spans:
        if any(j <= i and i + n <= j + m and m > n for j, m, _ in spans):
            continue  # inside a longer phrase ("store" in "return in store")
        for p in patterns:
            found.setdefault(p.value[0], []).append((i, p.value[1]))
    return found


def _clauses(words: list[str]) -> list[int]:
    """The clause number of each word: a new clause after punctuation and before "but"/"pero"…"""
    out, n = [], 0
    for w in words:
        if w in CLAUSE_WORDS:
            n += 1
        out.append(n)
        if w in PUNCTUATION:
            n += 1
    return out


def top_quotes(rows: pd.DataFrame, n: int = TOP) -> pd.DataFrame:
    """The ``n`` rows to show first: most negative tone first, then the most recent, then file order."""
    ranked = rows.assign(_date=rows["date"].fillna("").astype(str))
    ranked = ranked.sort_values("quote", kind="stable").sort_values("_date", ascending=False, kind="stable")
    return ranked.sort_values("tone", kind="stable").head(n).drop(columns="_date")


def mentions(tagged: pd.DataFrame) -> pd.DataFrame:
    """Per touchpoint: ``mentions``, ``negative`` (tone < −0.05), ``share_negative``, ``mean_tone``,
    ``phrases`` (matched phrases, most frequent first) and ``top_quotes`` (up to 3 texts, most
    negative first, then most recent). Most-mentioned touchpoints first."""
    out = []
    for tp, rows in tagged.groupby("touchpoint", sort=False):
        negative = int((rows["tone"] < NEGATIVE).sum())
        out.append({"touchpoint": tp, "mentions": len(rows), "negative": negative,
                    "share_negative": round(negative / len(rows), 4),
                    "mean_tone": round(float(rows["tone"].mean()), 4),
                    "phrases": tuple(rows["phrase"].value_counts(sort=True).index),
                    "top_quotes": tuple(top_quotes(rows)["text"])})
    frame = pd.DataFrame(out, columns=["touchpoint", "mentions", "negative", "share_negative", "mean_tone",
                                       "phrases", "top_quotes"])
    return frame.sort_values("mentions", ascending=False, kind="stable").reset_index(drop=True)


def attach_quotes(journey: Any, tagged: pd.DataFrame, *, source_id: str = "quotes", top: int = TOP,
                  file: str = "", note: str = "") -> Any:
    """A copy of ``journey`` with up to ``top`` tagged quotes per touchpoint added to its ``quotes``
    (most negative first, then most recent; a text already there is not repeated) and a
    ``Source(kind="quotes")`` named ``source_id`` (replacing one with that id). Emotion, pain
    points and every other value stay as they are: to change those, see
    :func:`~journeymap.evidence.suggest.suggest`. Touchpoints the journey does not have are ignored.
    """
    from journeymap.evidence.suggest import _quote
    from journeymap.model import Source

    copy = journey.model_copy(deep=True)
    known = {tp.id: tp for tp in copy.touchpoints}
    groups = dict(tuple(tagged.groupby("touchpoint", sort=False))) if len(tagged) else {}
    for tp_id, rows in groups.items():
        tp = known.get(tp_id)
        if tp is None:
            continue
        have = {q.text for q in tp.quotes}
        new = [q for q in (_quote(r) for _, r in top_quotes(rows, top).iterrows()) if q.text not in have]
        tp.quotes = [*tp.quotes, *new]
    used = tagged[tagged["touchpoint"].isin(known)]
    dates = sorted(d for d in used["date"] if isinstance(d, str) and d)
    source = Source(id=source_id, kind="quotes", file=file[:500], rows=int(used["quote"].nunique()),
                    start=dates[0] if dates else None, end=dates[-1] if dates else None, note=note)
    copy.sources = [*(s for s in copy.sources if s.id != source_id), source]
    return type(journey).model_validate(copy.model_dump(by_alias=True))
