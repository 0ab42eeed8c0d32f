"""Health checks: what a journey map leaves out, contradicts or rests on guesses for.

:func:`check` runs every rule of :mod:`journeymap.checks_rules` and returns :class:`Findings`, each
with a stable code, a severity (``error`` | ``warning`` | ``info``), where it is (a touchpoint,
``from->to``, stage, pain point or opportunity id), what is wrong, why it matters and how to fix it,
in English or Spanish. docs/checks.md lists every check.

>>> import journeymap as jm
>>> j = jm.Journey(id="d", title="D", stages=[{"id": "s", "name": "S"}, {"id": "e", "name": "E"}],
...     touchpoints=[{"id": "a", "stage": "s", "channel": "website", "action": "Browse", "emotion": 1,
...                   "effort": 2, "evidence": "observed", "conversion": True}])
>>> found = check(j)
>>> [(f.code, f.severity, f.where) for f in found]
[('stage-without-touchpoints', 'warning', 'e')]
>>> found.worst
'warning'
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

from journeymap.i18n import t

if TYPE_CHECKING:
    import pandas as pd

    from journeymap.errors import Problem
    from journeymap.model import Journey

SEVERITIES = ("error", "warning", "info")

#: Every check: code -> severity.
CHECKS: dict[str, str] = {
    "invalid-file": "error",
    "unreachable-touchpoint": "error",
    "dead-end-not-conversion": "warning",
    "stage-without-touchpoints": "warning",
    "pain-without-opportunity": "warning",
    "opportunity-addresses-nothing": "warning",
    "emotion-not-set": "warning",
    "effort-not-set": "warning",
    "channel-switch-no-context": "warning",
    "small-survey-sample": "warning",
    "duplicate-text": "warning",
    "assumed-friction": "warning",
}


def _key(code: str, part: str) -> str:
    return f"chk_{code.replace('-', '_')}_{part}"


def _one_line(text: object) -> str:
    """User text on one line, control characters removed (ESC, bidi overrides…)."""
    from journeymap.safety import terminal

    return " ".join(terminal(text).split())


@dataclass(frozen=True)
class Finding:
    """One thing a health check found."""

    code: str
    severity: str
    where: str
    message: str
    why: str
    fix: str
    lang: str = field(default="en", repr=False, compare=False)

    def __str__(self) -> str:
        """One line: ``severity code where: message. why fix`` (severity in the finding's language)."""
        label = t(f"chk_severity_{self.severity}", self.lang)
        return _one_line(f"{label} {self.code} {self.where}: {self.message}. {self.why} {self.fix}")

    def to_dict(self) -> dict:
        """The finding as a plain dict: code, severity, where, message, why, fix."""
        return {k: v for k, v in asdict(self).items() if k != "lang"}


def finding(code: str, where: str, params: dict | None = None, lang: str = "en") -> Finding:
    """A :class:`Finding` for ``code`` with its text in ``lang`` (``params`` fill the message)."""
    params = dict(params or {})
    if "share" in params:
        params["share"] = f"{100 * params['share']:.0f}" + (" %" if lang == "es" else "%")
        params["limit"] = f"{100 * params['limit']:.0f}" + (" %" if lang == "es" else "%")
    if "ratio" in params:
        params["ratio"] = f"{100 * params['ratio']:.0f}" + (" %" if lang == "es" else "%")
    if "kind" in params:
        params["kind"] = t(f"chk_kind_{params['kind']}", lang)
    message = t(_key(code, "msg"), lang).format(**{k: _one_line(v) for k, v in params.items()})
    return Finding(code, CHECKS[code], _one_line(where), _one_line(message),
                   t(_key(code, "why"), lang), t(_key(code, "fix"), lang), lang)


class Findings(list):
    """The findings of :func:`check`: a list of :class:`Finding` with a table, a text and the worst severity."""

    def __init__(self, items=(), lang: str = "en"):
        super().__init__(items)
        self.lang = lang

    @property
    def worst(self) -> str | None:
        """The most serious severity found (``error`` > ``warning`` > ``info``), ``None`` when clean."""
        present = {f.severity for f in self}
        return next((s for s in SEVERITIES if s in present), None)

    def count(self, severity: str) -> int:  # type: ignore[override]
        """How many findings have this severity."""
        return sum(1 for f in self if f.severity == severity)

    def to_frame(self) -> pd.DataFrame:
        """One row per finding: code, severity, where, message, why, fix."""
        import pandas as pd

        return pd.DataFrame(self.to_records(), columns=["code", "severity", "where", "message", "why", "fix"])

    def to_records(self) -> list[dict]:
        """The findings as plain dicts (for JSON)."""
        return [f.to_dict() for f in self]

    def summary(self) -> str:
        """``2 errors, 3 warnings, 0 info`` in the findings' language."""
        return t("chk_summary", self.lang).format(
            errors=self.count("error"), warnings=self.count("warning"), info=self.count("info"))

    def __str__(self) -> str:
        if not self:
            return t("chk_clean", self.lang)
        return "\n".join([self.summary(), *(str(f) for f in self)])

    def __repr__(self) -> str:
        return f"Findings({list.__repr__(self)})"


def check(journey: Journey, lang: str | None = None) -> Findings:
    """Run every health check on ``journey``; text in ``lang`` (default: the journey's language).

    Findings come errors first, then warnings, then info, each in rule order.
    """
    from journeymap.checks_rules import RULES

    lang = lang or journey.lang
    found = [finding(code, where, params, lang) for rule in RULES for code, where, params in rule(journey)]
    found.sort(key=lambda f: SEVERITIES.index(f.severity))
    return Findings(found, lang)


def from_problems(problems: list[Problem], lang: str = "en") -> Findings:
    """Load problems (an invalid file) as ``invalid-file`` errors."""
    return Findings([finding("invalid-file", p.path or p.file, {"problem": p.text(lang)}, lang) for p in problems],
                    lang)
