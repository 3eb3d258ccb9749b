"""Report how much of the English catalogue is translated, per app.

    python scripts/translate_check.py             # counts from the committed .po
    python scripts/translate_check.py --update    # first refresh the .po from the sources
    python scripts/translate_check.py --update --compile --strict

--update runs `manage.py makemessages -l en` from inside samverkan/, the way the catalogue has
always been built (references like "surveys/forms.py:12", no .venv or var/ to skip);
--compile runs compilemessages for it afterwards; --strict exits 1 while anything is
untranslated or fuzzy. The msgids are Swedish; translate the listed entries in
samverkan/locale/en/LC_MESSAGES/django.po, drop their fuzzy flag and compile.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "samverkan"
PO_FILE = SOURCE / "locale" / "en" / "LC_MESSAGES" / "django.po"


def _manage(*args: str) -> None:
    env = {**os.environ, "DEBUG": os.environ.get("DEBUG", "1")}
    subprocess.run(  # noqa: S603  (our own interpreter and manage.py)
        [sys.executable, str(ROOT / "manage.py"), *args], cwd=SOURCE, env=env, check=True
    )


def _app(entry: polib.POEntry) -> str:
    """The app an entry comes from: the first folder of its first reference."""
    if not entry.occurrences:
        return "?"
    path = entry.occurrences[0][0]
    return path.split("/", 1)[0] if "/" in path else path


def _missing(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return not entry.msgstr_plural or not all(entry.msgstr_plural.values())
    return not entry.msgstr


def check(po_path: Path = PO_FILE) -> tuple[int, list[polib.POEntry], list[polib.POEntry]]:
    """Total entries, the untranslated ones and the fuzzy ones (obsolete entries ignored)."""
    po = polib.pofile(str(po_path))
    entries = [e for e in po if not e.obsolete]
    fuzzy = [e for e in entries if "fuzzy" in e.flags]
    untranslated = [e for e in entries if _missing(e) and "fuzzy" not in e.flags]
    return len(entries), untranslated, fuzzy


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="run makemessages -l en first")
    parser.add_argument("--compile", action="store_true", help="run compilemessages -l en after")
    parser.add_argument("--strict", action="store_true", help="exit 1 if anything is missing")
    parser.add_argument("--list", type=int, default=20, help="how many missing msgids to show")
    args = parser.parse_args(argv)

    if args.update:
        _manage("makemessages", "-l", "en")
    total, untranslated, fuzzy = check()
    print(
        f"{PO_FILE.relative_to(ROOT)}: {total} entries, {total - len(untranslated) - len(fuzzy)}"
        f" translated, {len(untranslated)} untranslated, {len(fuzzy)} fuzzy"
    )
    missing = untranslated + fuzzy
    if missing:
        per_app = Counter(_app(e) for e in missing)
        for app, count in sorted(per_app.items(), key=lambda item: (-item[1], item[0])):
            print(f"  {app:<12} {count}")
        for entry in missing[: args.list]:
            mark = "fuzzy" if entry in fuzzy else "empty"
            print(f"  [{mark}] {entry.msgid!r}  ({', '.join(p for p, _ in entry.occurrences[:2])})")
        if len(missing) > args.list:
            print(f"  … and {len(missing) - args.list} more")
    if args.compile:
        _manage("compilemessages", "-l", "en")
    return 1 if args.strict and missing else 0


if __name__ == "__main__":
    sys.exit(main())
