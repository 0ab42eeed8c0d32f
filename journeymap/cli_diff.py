"""``journeymap diff A B``: what changed between two journey files, or a file and a git revision of it.

``journeymap version FILE LABEL`` saves a labelled snapshot into ``versions/`` beside FILE;
``journeymap version FILE`` lists the saved ones (oldest first).

``A`` and ``B`` are journey files or ``REV:PATH`` specs (``HEAD~1:journey.yaml``) read with ``git show``.
Output: ``--format text`` (default, en/es), ``json`` or ``html`` (the two maps side by side), on stdout or
into ``-o FILE``. Exit status 0 (with ``--exit-code``: 1 when the journeys differ), 1 when a side cannot be
read (one line per problem), 2 on usage mistakes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from journeymap.errors import JourneyError

_SUFFIX_FORMAT = {".json": "json", ".html": "html", ".htm": "html"}


def _cmd_diff(args: argparse.Namespace) -> int:
    from journeymap.diff import diff
    from journeymap.io import atomic_write

    fmt = args.format or (_SUFFIX_FORMAT.get(Path(args.output).suffix.lower(), "text") if args.output else "text")
    result = diff(args.a, args.b, personas=args.personas, score=not args.no_scores)
    lang = args.lang or (result.b.lang if result.b is not None else "en")
    if fmt == "json":
        text = result.to_json() + "\n"
    elif fmt == "html":
        text = result.to_html(lang, maps=not args.no_maps)
    else:
        text = result.to_text(lang) + "\n"
    if args.output:
        atomic_write(Path(args.output), text)
        print(f"wrote {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 1 if args.exit_code and result else 0


def _cmd_version(args: argparse.Namespace) -> int:
    from journeymap.versions import list_versions, save_version

    if args.label is not None:
        try:
            saved = save_version(args.file, args.label)
        except ValueError as exc:
            if isinstance(exc, JourneyError):
                raise
            from journeymap.cli import UsageError

            raise UsageError(f"version: {exc}") from None
        print(f"saved {saved}")
        return 0
    for v in list_versions(args.file):
        print(f"{v.saved.isoformat().replace('+00:00', 'Z')}  {v.path.name}  {v.label}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the ``diff`` and ``version`` sub-commands."""
    p = subparsers.add_parser(
        "diff", help="what changed between two journeys (files or REV:PATH git revisions)",
        description="Compare two journeys item by item (touchpoints, transitions, stages, channels, pain points, "
                    "opportunities, sources, texts) and their friction, expected conversion and continuity. "
                    "A or B may be REV:PATH to read a file at a git revision, e.g. "
                    "'journeymap diff HEAD~1:journey.yaml journey.yaml'. See docs/diff.md.",
    )
    p.add_argument("a", metavar="A", help="the journey before: a file or REV:PATH")
    p.add_argument("b", metavar="B", help="the journey after: a file or REV:PATH")
    p.add_argument("--format", choices=["text", "json", "html"],
                   help="text (default), json or html; by default taken from the -o suffix")
    p.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    p.add_argument("--lang", choices=["en", "es"], help="language of text and html (default: B's)")
    p.add_argument("--personas", metavar="DIR", help="folder of persona files (default: nearest personas/)")
    p.add_argument("--no-scores", action="store_true", help="skip the friction/conversion/continuity figures")
    p.add_argument("--no-maps", action="store_true", help="html without the two map pictures (faster)")
    p.add_argument("--exit-code", action="store_true", help="exit 1 when the journeys differ (like git diff)")
    p.set_defaults(func=_cmd_diff)

    p = subparsers.add_parser(
        "version", help="save a labelled snapshot of a journey in versions/ (or list them)",
        description="With LABEL: keep the journey file as it is now in a versions/ folder beside it, under that "
                    "label. Without: list the saved versions, oldest first. Compare one with "
                    "'journeymap diff versions/… FILE'. See docs/diff.md.",
    )
    p.add_argument("file", metavar="FILE", help="the journey file")
    p.add_argument("label", metavar="LABEL", nargs="?", help="the version's label, e.g. 'Before the workshop'")
    p.set_defaults(func=_cmd_version)
