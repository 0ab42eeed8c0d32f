"""Labels of the command line, the HTML report and error messages (English, Spanish): data only, read by
:mod:`journeymap.i18n`. The translation-coverage test checks both languages and their placeholders.
"""

from __future__ import annotations

CLI_LABELS: dict[str, tuple[str, str]] = {
}
