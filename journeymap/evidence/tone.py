"""Tone of a customer's words, from a small editable lexicon (English and Spanish).

No model, no download: each language has a YAML word list shipped with the
package (``lexicon_en.yaml``, ``lexicon_es.yaml``; copy and edit one, then pass
its path or a dict as ``lexicon=``).

Text is compared after :func:`normalise` (Unicode NFKD, accents dropped,
case folded, curly apostrophes made straight), so ``"Rápido"`` matches ``rapido``.
Words are matched through :func:`stem` (a plural ``s`` and then one final
``a``/``e``/``o`` dropped: ``colas`` → ``cola``, ``pedidos`` → ``pedid``); an entry
ending in ``*`` matches any word that starts with it (``esper*``). Entries may
be phrases of several words (``otra vez``, ``never again``); the longest entry
that matches at a position wins, before negators are looked at.

The formula (documented, so a score can be checked by hand):

- each matched entry adds its weight ``w`` (−2..+2);
- an intensifier (``very``, ``muy`` …) just before it multiplies ``w`` by its factor;
- a negator (``not``, ``never``, ``no``, ``nunca``, ``ni`` …) flips the next three words
  (up to punctuation): ``w`` is multiplied by ``NEGATION`` (−0.75, so "not bad" is
  milder than "good");
- with ``S`` the sum, ``tone = S / sqrt(S² + 4)``, in −1..1 (0 when nothing matched).

>>> tone("The queue was very slow, never again", "en") < 0
True
>>> tone("not bad at all", "en") > 0, tone("no es malo", "es") > 0
(True, True)
>>> detect_lang("La cola era larguísima y nadie nos atendía")
'es'
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

#: A negated word's weight is multiplied by this (a flip, softened).
NEGATION = -0.75
#: How many words after a negator it flips.
NEGATION_SCOPE = 3
#: ``tone = S / sqrt(S² + ALPHA)``.
ALPHA = 4.0
#: Tokens that end a negation's scope.
PUNCTUATION = frozenset(".!?;:,()[]\"¿¡")
LANGS = ("en", "es")

_TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[^\w\s\-\u2010-\u2015/]")
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})


def normalise(text: str) -> str:
    """Lower case, accents dropped, straight apostrophes.

    >>> normalise("¡Qué RÁPIDO, Ñandú’s!")
    "¡que rapido, nandu's!"
    """
    decomposed = unicodedata.normalize("NFKD", str(text).translate(_APOSTROPHES))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def tokens(text: str) -> list[str]:
    """Words and single symbols (punctuation, emoji) of the normalised text.

    >>> tokens("Don't wait! 😡")
    ["don't", 'wait', '!', '😡']
    """
    return _TOKEN.findall(normalise(text))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light stem shared by the lexicon and the keyword tagger: ``'s`` dropped, then a plural
    ``s`` (not ``ss``), then one final vowel ``a``/``e``/``o`` while 4 letters remain.

    >>> [stem(w) for w in ["queues", "queue", "colas", "cola", "deliveries", "pedidos", "address", "customer's"]]
    ['queu', 'queu', 'cola', 'cola', 'delivery', 'pedid', 'address', 'customer']
    """
    if word.endswith("'s"):
        word = word[:-2]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if len(word) > 4 and word[-1] in "aeo":
        word = word[:-1]
    return word


@dataclass(frozen=True)
class _Pattern:
    parts: tuple[tuple[bool, str], ...]  # (is_prefix, text) per word
    value: Any
    phrase: str


class Matcher:
    """Finds entries (words, phrases, ``prefix*``) in a token list; the longest match wins.

    ``entries`` maps each entry to a value, or is a list of ``(entry, value)`` pairs (an entry may repeat).

    >>> m = Matcher({"pick up": "pickup", "queue": "queue", "esper*": "wait"})
    >>> m.find(tokens("Long queues at the pick-up point; esperamos"))
    [(1, 1, 'queue'), (4, 2, 'pickup'), (8, 1, 'wait')]
    """

    def __init__(self, entries: Mapping[str, Any] | Iterable[tuple[str, Any]]):
        self.exact: dict[str, list[_Pattern]] = {}
        self.prefix: dict[str, list[_Pattern]] = {}
        for phrase, value in (entries.items() if isinstance(entries, Mapping) else entries):
            words = [w for w in tokens(str(phrase)) if w not in PUNCTUATION or w == "*"]
            raw: list[list] = []
            for w in words:
                if w == "*" and raw:
                    raw[-1][0] = True
                elif w != "*":
                    raw.append([False, w])
            # a prefix keeps the word as written (normalised); a whole word is compared by its stem
            parts = [(pre, w if pre else stem(w)) for pre, w in raw]
            if not parts:
                continue
            pattern = _Pattern(tuple(parts), value, str(phrase))
            first_prefix, first = parts[0]
            (self.prefix if first_prefix else self.exact).setdefault(first, []).append(pattern)
        self.prefix_sizes = sorted({len(k) for k in self.prefix})

    @staticmethod
    def _fits(part: tuple[bool, str], word: str) -> bool:
        is_prefix, text = part
        return word.startswith(text) if is_prefix else stem(word) == text

    def longest(self, words: list[str], i: int) -> tuple[int, list[_Pattern]]:
        """Every entry of the greatest length that starts at ``words[i]``: ``(length, patterns)``
        (``(0, [])`` when none does); several entries may spell the same words."""
        word = words[i]
        candidates = list(self.exact.get(stem(word), ()))
        for k in self.prefix_sizes:
            if k > len(word):
                break
            candidates += self.prefix.get(word[:k], ())
        best: tuple[int, list[_Pattern]] = (0, [])
        for pattern in candidates:
            n = len(pattern.parts)
            fits = i + n <= len(words) and all(
                self._fits(p, w) for p, w in zip(pattern.parts, words[i:i + n], strict=True))
            if fits and n > best[0]:
                best = (n, [pattern])
            elif fits and n == best[0]:
                best[1].append(pattern)
        return best

    def match(self, words: list[str], i: int) -> tuple[int, _Pattern] | None:
        """The longest entry starting at ``words[i]`` (the first listed on a tie) or ``None``."""
        n, patterns = self.longest(words, i)
        return (n, patterns[0]) if patterns else None

    def find(self, words: list[str]) -> list[tuple[int, int, Any]]:
        """Every non-overlapping match, left to right: ``(position, length, value)``."""
        out, i = [], 0
        while i < len(words):
            hit = self.match(words, i)
            if hit:
                out.append((i, hit[0], hit[1].value))
                i += hit[0]
            else:
                i += 1
        return out


@dataclass
class Lexicon:
    """Weights, negators, intensifiers and language hints of one language."""

    lang: str
    words: dict[str, float]
    negators: frozenset[str] = frozenset()
    intensifiers: dict[str, float] = field(default_factory=dict)
    hints: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self.matcher = Matcher(self.words)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], lang: str = "") -> Lexicon:
        """From the YAML layout: ``words: {word: weight}``, ``negators: [...]``,
        ``intensifiers: {word: factor}``, ``hints: [...]`` (common words that tell the language)."""
        if not isinstance(data, Mapping) or not isinstance(data.get("words"), Mapping):
            raise ValueError("a lexicon needs a 'words' mapping of word: weight (-2..2)")
        words: dict[str, float] = {}
        for word, weight in data["words"].items():
            if isinstance(weight, bool) or not isinstance(weight, int | float) or not -2 <= weight <= 2:
                raise ValueError(f"lexicon word {word!r}: weight must be a number in -2..2 (got {weight!r})")
            words[str(word)] = float(weight)
        return cls(
            lang=str(data.get("lang", lang)),
            words=words,
            negators=frozenset(normalise(w) for w in data.get("negators") or ()),
            intensifiers={normalise(k): float(v) for k, v in (data.get("intensifiers") or {}).items()},
            hints=frozenset(normalise(w) for w in data.get("hints") or ()),
        )


@lru_cache(maxsize=8)
def _shipped(lang: str) -> Lexicon:
    text = resources.files("journeymap.evidence").joinpath(f"lexicon_{lang}.yaml").read_text("utf-8")
    return Lexicon.from_dict(yaml.safe_load(text), lang)


def load_lexicon(lexicon: str | Path | Mapping[str, Any] | Lexicon | None = None, lang: str = "en") -> Lexicon:
    """The shipped lexicon for ``lang``, or one from a YAML path or a dict in the same layout.

    >>> load_lexicon(lang="es").lang, "ni" in load_lexicon(lang="es").negators
    ('es', True)
    """
    if isinstance(lexicon, Lexicon):
        return lexicon
    if lexicon is None:
        if lang not in LANGS:
            raise ValueError(f"no shipped lexicon for language {lang!r}; expected one of {', '.join(LANGS)}")
        return _shipped(lang)
    if isinstance(lexicon, Mapping):
        return Lexicon.from_dict(lexicon, lang)
    path = Path(lexicon)
    from journeymap.errors import JourneyError, Problem

    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise JourneyError([Problem(str(path), "", f"not a usable lexicon: {exc}")]) from None
    return _from_text(str(path), text, lang)


@lru_cache(maxsize=8)
def _from_text(name: str, text: str, lang: str) -> Lexicon:
    """A lexicon file's text, parsed strictly (duplicate words, alias bombs refused); problems name
    the file. Cached by its content, so an edited file is read again."""
    from journeymap.errors import JourneyError, Problem
    from journeymap.yamlmap import parse

    data = parse(text, name, "yaml").data
    try:
        return Lexicon.from_dict(data, lang)
    except ValueError as exc:
        raise JourneyError([Problem(name, "", f"not a usable lexicon: {exc}")]) from None


def detect_lang(text: str) -> str | None:
    """``"en"`` or ``"es"`` by counting the words of each shipped lexicon (hints, negators and
    weighted words) in the text; ``None`` when neither has more hits.

    >>> detect_lang("The pick-up was quick"), detect_lang("12345")
    ('en', None)
    """
    words = tokens(text)
    counts = {}
    for lang in LANGS:
        lex = _shipped(lang)
        counts[lang] = sum(1 for w in words if w in lex.hints or w in lex.negators or w in lex.intensifiers) \
            + len(lex.matcher.find(words))
    best = max(LANGS, key=lambda k: counts[k])
    return best if sorted(counts.values())[-1] > sorted(counts.values())[-2] else None


def explain(text: str, lang: str | None = None, *, lexicon: Any = None) -> list[tuple[str, float]]:
    """The words of ``text`` that matched the lexicon (normalised, as written: ``esperamos``
    for the entry ``esper*``) with what each added to the sum (negation and intensifiers
    applied), left to right — the whole of the score, to check by hand.

    >>> explain("Not bad, but a long wait", "en")
    [('not bad', 0.75), ('wait', -0.5)]
    >>> explain("Esperamos una hora", "es")
    [('esperamos', -0.75)]
    """
    lex = load_lexicon(lexicon, lang or detect_lang(text) or "en")
    words = tokens(text)
    out: list[tuple[str, float]] = []
    negate, boost, i, since = 0, 1.0, 0, 0
    while i < len(words):
        word = words[i]
        if word in PUNCTUATION:
            negate, boost, i = 0, 1.0, i + 1
            continue
        hit = lex.matcher.match(words, i)
        if hit:
            weight = hit[1].value * boost
            start = since if negate > 0 else i  # a negated word is shown with its negator: "not impressed"
            out.append((" ".join(words[start:i + hit[0]]), round(weight * NEGATION if negate > 0 else weight, 6)))
            negate, boost, i = max(0, negate - hit[0]), 1.0, i + hit[0]
            continue
        if word in lex.negators:
            negate, boost, since = NEGATION_SCOPE, 1.0, i
        elif word in lex.intensifiers:
            boost *= lex.intensifiers[word]
        else:
            negate, boost = max(0, negate - 1), 1.0
        i += 1
    return out


def score(text: str, lang: str | None = None, *, lexicon: Any = None) -> float:
    """The raw sum ``S`` of :func:`explain`'s contributions; see :func:`tone`.

    >>> score("very good", "en"), score("not good", "en")
    (1.5, -0.75)
    """
    return round(sum(w for _, w in explain(text, lang, lexicon=lexicon)), 6)


def tone(text: str, lang: str | None = None, *, lexicon: Any = None) -> float:
    """Tone of ``text`` in −1 (negative) … +1 (positive): ``S / sqrt(S² + 4)`` of :func:`score`.

    ``lang`` is ``"en"`` or ``"es"``; ``None`` detects it (:func:`detect_lang`, English when
    undecided). ``lexicon`` replaces the shipped one (a YAML path, a dict or a :class:`Lexicon`).

    >>> tone("terrible", "en"), tone("", "en"), tone("excelente atención", "es")
    (-0.7071, 0.0, 0.7071)
    """
    s = score(text, lang, lexicon=lexicon)
    return round(s / math.sqrt(s * s + ALPHA), 4)
