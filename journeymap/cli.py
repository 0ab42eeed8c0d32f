"""The ``journeymap`` command line: validate, create, inspect journey files.

Every failure is reported as short lines on stderr (file, field, value) and a
non-zero exit status; never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Sequence
from pathlib import Path

from journeymap.errors import JourneyError


def _cmd_validate(args: argparse.Namespace) -> int:
    from journeymap.i18n import lang_of, t
    from journeymap.io import validate

    bad = 0
    langs = set()
    for name in args.files:
        lang = lang_of(args.lang, path=name)  # a file that does not load is still told about in its language
        langs.add(lang)
        problems = validate(name, personas=args.personas)
        for problem in problems:
            print(problem.text(lang), file=sys.stderr)
        if problems:
            bad += 1
        elif not args.quiet:
            print(t("cli_ok", lang).format(name=name))
    if bad:
        lang = langs.pop() if len(langs) == 1 else "en"
        print(t("cli_files_bad", lang).format(bad=bad, total=len(args.files)), file=sys.stderr)
    return 1 if bad else 0


def _cmd_new(args: argparse.Namespace) -> int:
    from journeymap.i18n import lang_of, t
    from journeymap.io import save
    from journeymap.templates import from_template, names

    lang = lang_of(args.lang)
    if args.list:
        print("\n".join(names()))
        return 0
    if not args.output:
        raise _UsageError(t("cli_output_required", lang))
    out = Path(args.output)
    if out.exists() and not args.force:
        raise _UsageError(t("cli_exists", lang).format(path=out))
    try:
        journey = from_template(args.template, title=args.title, lang=args.lang)
    except KeyError as exc:
        raise _UsageError(f"new: {exc.args[0]}") from None
    save(journey, out)
    print(t("cli_wrote_new", lang).format(path=out, n=len(journey.touchpoints), template=args.template))
    return 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from journeymap.i18n import lang_of, t
    from journeymap.io import write_schema

    text = write_schema(args.output)
    if args.output:
        print(t("cli_wrote", lang_of(args.lang)).format(path=args.output))
    else:
        sys.stdout.write(text)
    return 0


def _cmd_info(args: argparse.Namespace) -> int:
    from journeymap.i18n import lang_of
    from journeymap.io import load
    from journeymap.summary import describe

    for name in args.files:
        journey = load(name, personas=args.personas)
        print(describe(journey, lang=lang_of(args.lang, journey)))
    return 0


def _cmd_channels(args: argparse.Namespace) -> int:
    from journeymap.channels import CATALOGUE
    from journeymap.i18n import t

    lang = args.lang or "en"
    for ch in CATALOGUE.values():
        print(f"{ch.id:<16} {t(ch.kind, lang):<18} {ch.name(lang)}")
    return 0


class _UsageError(Exception):
    """A mistake in how the command was called (exit status 2)."""


UsageError = _UsageError


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for documentation and tests)."""
    parser = argparse.ArgumentParser(prog="journeymap", description=__doc__.splitlines()[0])
    parser.add_argument("--debug", action="store_true",
                        help="show the Python traceback of an internal error (exit status 3)")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("validate", help="check journey files; one line per problem")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--personas", metavar="DIR", help="folder of persona files (default: nearest personas/)")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing for valid files")
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser("new", help="create a journey file from a template")
    p.add_argument("--template", default="blank", help="blank, a shipped journey name, or a file")
    p.add_argument("-o", "--output", metavar="FILE")
    p.add_argument("--title", help="title of the new journey")
    p.add_argument("--lang", choices=["en", "es"], help="language of a blank template")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.add_argument("--list", action="store_true", help="list the template names")
    p.set_defaults(func=_cmd_new)

    p = sub.add_parser("schema", help="print (or write) the JSON Schema of journey files")
    p.add_argument("-o", "--output", metavar="FILE")
    p.set_defaults(func=_cmd_schema)

    p = sub.add_parser("info", help="summarise journeys: stages, touchpoints, channels")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--personas", metavar="DIR")
    p.add_argument("--lang", choices=["en", "es"], help="label language (default: the journey's)")
    p.set_defaults(func=_cmd_info)

    p = sub.add_parser("channels", help="list the built-in channel catalogue")
    p.add_argument("--lang", choices=["en", "es"], help="label language (default en)")
    p.set_defaults(func=_cmd_channels)
    for register in _command_modules():
        register(sub)
    for p in sub.choices.values():  # every command speaks English or Spanish (issue 16, part 5)
        if not any("--lang" in a.option_strings for a in p._actions):
            p.add_argument("--lang", choices=["en", "es"],
                           help="language of the output and messages (default: the journey's, else en)")
    return parser


#: Modules that add sub-commands; each has ``register(subparsers)``.
COMMAND_MODULES = (
    "journeymap.cli_score", "journeymap.cli_views", "journeymap.cli_analytics", "journeymap.cli_evidence",
    "journeymap.cli_money",
    "journeymap.cli_segments",
    "journeymap.cli_paths",
    "journeymap.cli_check",
    "journeymap.cli_diff",
    "journeymap.cli_portfolio",
    "journeymap.cli_room",
)


def _command_modules() -> list:
    import importlib
    import importlib.util

    found = []
    for name in COMMAND_MODULES:
        if importlib.util.find_spec(name) is not None:
            found.append(importlib.import_module(name).register)
    return found


class _TerminalText:
    """A text stream that drops control characters (ESC, BEL, C1, bidi overrides) from what is written.

    User text (titles, names, values echoed in problem lines) reaches the terminal through it, so an
    escape sequence in a journey file cannot clear the screen, retitle the window or reorder a line.
    """

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        from journeymap.safety import terminal

        return self._stream.write(terminal(text))

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


def _machine_output(args: argparse.Namespace) -> bool:
    """True when stdout carries data (``--format json/csv``) into a pipe or file: kept byte for byte."""
    if getattr(args, "format", None) not in ("json", "csv"):
        return False
    isatty = getattr(sys.stdout, "isatty", None)
    return not (isatty and isatty())


def _one_line(exc: BaseException, limit: int = 300) -> str:
    text = " ".join(str(exc).split()) or "(no message)"
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"{type(exc).__name__}: {text}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (0 ok, 1 invalid input, 2 usage error, 3 internal error).

    Everything written to stderr, and to stdout unless it is ``--format json/csv`` data going to a
    pipe or file, has its control characters removed (:func:`journeymap.safety.terminal`). Any
    unexpected exception becomes one line ``journeymap: internal error: …; rerun with --debug``
    (exit 3); ``journeymap --debug COMMAND …`` shows the traceback instead.
    """
    args = build_parser().parse_args(argv)
    out, err = sys.stdout, sys.stderr
    sys.stderr = _TerminalText(err)
    if not _machine_output(args):
        sys.stdout = _TerminalText(out)
    try:
        return _run(args)
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(OSError, ValueError):
                stream.flush()
        sys.stdout, sys.stderr = out, err


def _said_in(args: argparse.Namespace, path: str | None = None) -> str:
    """The language of a message about ``path``: ``--lang``; else the ``lang:`` that file states; else the one
    the command's journey file states (``FILE``, ``--journey``, the design, ``A``, the first of ``FILE...``); else en.
    """
    from journeymap.i18n import file_lang

    if getattr(args, "lang", None) in ("en", "es"):
        return args.lang
    files = getattr(args, "files", None) or [None]
    for name in (path, *(getattr(args, k, None) for k in ("file", "journey", "design", "a")), files[0]):
        if isinstance(name, str) and (found := file_lang(name)):
            return found
    return "en"


def _run(args: argparse.Namespace) -> int:
    try:
        return args.func(args)
    except JourneyError as exc:
        for problem in exc.problems:  # in --lang, else the language its file (or the command's journey) states
            print(problem.text(_said_in(args, problem.file)), file=sys.stderr)
        return 1
    except _UsageError as exc:
        print(f"journeymap {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"journeymap: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the one guard: never a traceback unless asked for
        if args.debug:
            import traceback

            traceback.print_exc(file=sys.stderr)
        from journeymap.i18n import t

        said = t("cli_internal", _said_in(args)).format(error=_one_line(exc))
        print(f"journeymap: {said}", file=sys.stderr)
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
