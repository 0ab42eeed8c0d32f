"""``journeymap check``: health checks of journey files, with an exit status for CI.

Exit status 0 when no file has an error (warnings are fine), 1 when one has (or, with ``--strict``,
a warning), 2 for a usage mistake. A file that does not load is reported as ``invalid-file`` errors,
one per load problem.
"""

from __future__ import annotations

import argparse
import json
import sys


def _findings(name: str, args: argparse.Namespace):
    from journeymap.checks import check, from_problems
    from journeymap.errors import JourneyError, Problem
    from journeymap.i18n import lang_of
    from journeymap.io import load

    lang = lang_of(args.lang, path=name)  # a file that does not load: the language it states, else en
    try:
        journey = load(name, personas=args.personas)
    except JourneyError as exc:
        return from_problems(exc.problems, lang)
    except OSError as exc:
        return from_problems([Problem(name, "", exc.strerror or str(exc))], lang)
    return check(journey, lang=args.lang)


def _cmd_check(args: argparse.Namespace) -> int:
    failing = ("error", "warning") if args.strict else ("error",)
    results = [(name, _findings(name, args)) for name in args.files]
    bad = sum(1 for _, found in results if any(f.severity in failing for f in found))
    if args.format == "json":
        doc = [{"file": name, "errors": found.count("error"), "warnings": found.count("warning"),
                "info": found.count("info"), "findings": found.to_records()} for name, found in results]
        sys.stdout.write(json.dumps(doc, ensure_ascii=False, indent=2) + "\n")
    else:
        for i, (name, found) in enumerate(results):
            if i:
                print()
            print(f"{name}: {found.summary()}")
            for f in found:
                print(f"  {f}")
    return 1 if bad else 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``check`` sub-command."""
    p = subparsers.add_parser(
        "check", help="health checks: gaps, dead ends, unreachable steps, weak evidence (exit 1 on errors)",
        description="Run the health checks on journey files (docs/checks.md lists them). One block per file, "
                    "one line per finding: severity, code, where, what, why it matters and how to fix it. "
                    "Exit 0 without errors, 1 with errors (or warnings under --strict), 2 on usage mistakes.",
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="journey files (YAML or JSON)")
    p.add_argument("--lang", choices=["en", "es"], help="language of the findings (default: each journey's)")
    p.add_argument("--strict", action="store_true", help="warnings fail too (exit 1)")
    p.add_argument("--format", choices=["table", "json"], default="table", help="table (default) or json")
    p.add_argument("--personas", metavar="DIR", help="folder of persona files (default: nearest personas/)")
    p.set_defaults(func=_cmd_check)
