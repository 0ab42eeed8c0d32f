"""Problems found in journey files, and the exception that carries them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file: where, what value, and what was expected.

    >>> str(Problem("f.yaml", "title", "field required", None, 2, shown="nothing"))
    'f.yaml:2: title: field required (got nothing)'"""

    file: str
    path: str
    message: str
    value: object = None
    line: int | None = None
    #: What to show after "got" when ``value`` is ``None`` (``nothing``, ``a list of 3 items``).
    shown: str | None = None

    def __str__(self) -> str:
        return self.text("en")

    def text(self, lang: str = "en") -> str:
        """The one line in ``lang``: with ``"es"`` the message (and a ``shown`` value) in Spanish where
        :func:`localize` knows it; ``FILE:LINE: field.path:`` and ``(got VALUE)`` keep their form.

        >>> Problem("f.yaml", "title", "field required", None, 2, shown="nothing").text("es")
        'f.yaml:2: title: campo obligatorio (got nada)'
        """
        where = f"{self.file}:{self.line}" if self.line else self.file
        field = f" {self.path}:" if self.path else ""
        value = "" if self.value is None else f" (got {_short(self.value)})"
        if self.value is None and self.shown:
            value = f" (got {_shown(self.shown, lang)})"
        return _one_line(f"{where}:{field} {localize(self.message, lang)}{value}")


def _one_line(text: str) -> str:
    r"""A problem is one line: line breaks inside names and values echoed in it are shown as ``\n``.

    >>> _one_line("f.csv: found: a\nb")
    'f.csv: found: a\\nb'
    """
    return text.replace("\r", "\\r").replace("\n", "\\n").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _short(value: object, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class JourneyError(ValueError):
    """A journey (or persona) file could not be used. ``problems`` lists every reason.

    ``file``, ``field`` and ``value`` describe the first problem, for callers
    that only show one.
    """

    def __init__(self, problems: list[Problem]):
        if not problems:
            raise ValueError("JourneyError needs at least one problem")
        self.problems = list(problems)
        first = self.problems[0]
        self.file, self.field, self.value = first.file, first.path, first.value
        super().__init__("\n".join(str(p) for p in self.problems))

    def text(self, lang: str = "en") -> str:
        """Every problem, one per line, in ``lang`` (see :meth:`Problem.text`)."""
        return "\n".join(p.text(lang) for p in self.problems)


def lower_first(message: str) -> str:
    """Pydantic's messages start with a capital; ours continue a line after the field path.

    >>> lower_first("Input should be a valid integer")
    'input should be a valid integer'
    """
    return message[:1].lower() + message[1:]


def format_loc(loc: tuple) -> str:
    """Turn a pydantic location into a readable field path.

    >>> format_loc(("touchpoints", 3, "stage"))
    'touchpoints[3].stage'
    >>> format_loc(())
    ''
    """
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out


#: English messages (pattern) → Spanish label key; the groups fill the label's placeholders in order.
_PATTERNS: list[tuple[str, str, tuple[str, ...]]] = [
    (r"unknown ([^;]*); (.*)", "err_unknown", ("what", "hint")),
    (r"too large value; expected shares leaving '(.*)' to sum to at most 1", "err_shares", ("src",)),
    (r"cannot read file: (.*)", "err_cannot_read", ("why",)),
    (r"input should be less than or equal to (.*)", "err_le", ("n",)),
    (r"input should be greater than or equal to (.*)", "err_ge", ("n",)),
    (r"input should be less than (.*)", "err_lt", ("n",)),
    (r"input should be greater than (.*)", "err_gt", ("n",)),
    (r"string should have at least (\d+) characters?", "err_short", ("n",)),
    (r"no persona file '(.*)\.yaml' in (.*)", "err_no_persona", ("name", "where")),
    (r"the sub-journeys link back in a cycle \((.*)\)", "err_cycle", ("names",)),
    (r"customers who reach (.*) loop forever: lower a share in this loop or add a way out", "err_loop", ("names",)),
    (r"input should be ('.*)", "err_choice", ("choices",)),
    (r"duplicate key '(.*)' \(first on line (\d+)\)", "err_duplicate_key", ("key", "line")),
    (r"bad YAML syntax: (.*)", "err_yaml_syntax", ("why",)),
    (r"bad JSON syntax: (.*)", "err_json_syntax", ("why",)),
    # analytics (event logs): journeymap.analytics._frame, _lazy_ingest, _time, discovery
    (r"(funnel step|conversion|channel|step|start step) ('.*') matches no value of this column; (.*)",
     "err_no_value", ("thing", "value", "tail")),
    (r"missing column\(s\): (.*?); found: (.*)", "err_missing_columns", ("columns", "found")),
    (r"missing column\(s\): (.*)", "err_missing_columns_only", ("columns",)),
    (r"channel\(s\) not in the catalogue: ([^;]*)", "err_channels_not_in_catalogue", ("names",)),
    (r"channel\(s\) not in the catalogue: ([^;]*); pass the journey that defines them .*", "err_channels_discover",
     ("names",)),
    # the journey editor (journeymap.widgets.session)
    (r"stage still has touchpoints \((.*)\); move or delete them first", "err_stage_not_empty", ("names",)),
    (r"no touchpoint '(.*)'", "err_no_touchpoint", ("id",)),
    (r"no stage '(.*)'", "err_no_stage", ("id",)),
    (r"no pain point '(.*)'", "err_no_pain", ("id",)),
    (r"(\d+) timestamp\(s\) have no time zone; pass tz= \(e\.g\. tz='Europe/Madrid' or tz='UTC'\)", "err_no_tz",
     ("n",)),
]


def localize(message: str, lang: str = "en") -> str:
    """A problem message in ``lang``: the messages users meet most (unknown ids, shares over 1, missing or
    unknown fields, wrong types and ranges, files that cannot be read) in Spanish; any other message, and
    every message in English, unchanged. Ids, values and file names inside it are kept as written.

    >>> localize("unknown stage; did you mean 'cita'?", "es")
    "etapa desconocida; ¿quisiste decir 'cita'?"
    >>> localize("unknown stage; did you mean 'cita'?", "en")
    "unknown stage; did you mean 'cita'?"
    """
    if lang != "es" or not message:
        return message
    import re

    from journeymap.i18n import _TABLE, t

    for key, (en, _es) in _TABLE.items():
        if key.startswith("err_") and en == message and "{" not in en:
            return t(key, lang)
    for pattern, key, names in _PATTERNS:
        found = re.fullmatch(pattern, message, flags=re.DOTALL)
        if not found:
            continue
        values = dict(zip(names, found.groups(), strict=True))
        if "what" in values:
            if f"err_what_{values['what']}" not in _TABLE:
                continue
            values["what"] = t(f"err_what_{values['what']}", lang)
            values["hint"] = _hint(values["hint"], lang)
        if "thing" in values:  # an analytics value that no row has
            values["thing"] = t(f"err_thing_{values['thing']}", lang)
            values["tail"] = _hint(values["tail"], lang)
        if "columns" in values:  # "x (the case column)"
            values["columns"] = re.sub(r"\(the (case|activity|timestamp|channel) column\)", lambda m: t(
                "err_the_column", lang).format(role=t(f"err_role_{m.group(1)}", lang)), values["columns"])
        if "choices" in values:
            values["choices"] = re.sub(r"' or '", "' o '", values["choices"])
        if "why" in values:
            values["why"] = localize(values["why"], lang)
        return t(key, lang).format(**values)
    return message


def _hint(text: str, lang: str) -> str:
    """The "did you mean" part of a message (:func:`journeymap.safety.suggest`) in ``lang``."""
    import re

    from journeymap.i18n import t

    if found := re.fullmatch(r"did you mean (.*)\?", text):
        return t("err_did_you_mean", lang).format(names=found.group(1).replace("' or '", "' o '"))
    if found := re.fullmatch(r"expected one of: (.*?)(?:, … \((\d+) in all\))?", text):
        names = found.group(1) + (f", … {t('err_in_all', lang).format(n=found.group(2))}" if found.group(2) else "")
        return t("err_one_of", lang).format(names=names)
    if text == "there are no valid values":
        return t("err_no_values", lang)
    return text


def _shown(shown: str, lang: str) -> str:
    """``nothing``, ``a list of 3 items``, ``a mapping of 2 fields`` in ``lang``."""
    if lang != "es":
        return shown
    import re

    from journeymap.i18n import t

    if shown == "nothing":
        return t("err_nothing", lang)
    if found := re.fullmatch(r"a list of (\d+) items?", shown):
        return t("err_list_of", lang).format(n=found.group(1))
    if found := re.fullmatch(r"a mapping of (\d+) fields?", shown):
        return t("err_mapping_of", lang).format(n=found.group(1))
    return shown
