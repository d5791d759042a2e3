"""Extract, update, compile and check the generator's message catalogues.

    python scripts/catalogues.py extract   # generator/locale/statuspage.pot from the code
    python scripts/catalogues.py update    # merge the template into every .po
    python scripts/catalogues.py compile   # every .po to its .mo (shipped in the package)
    python scripts/catalogues.py all       # the three, in order
    python scripts/catalogues.py init LOCALE   # start a new language

The same as ``pybabel extract -F babel.cfg -k NP_:1c,2 ...``, ``pybabel update``
and ``pybabel compile``, with the project's paths and options in one place.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from babel.messages.frontend import CommandLineInterface

ROOT = Path(__file__).resolve().parent.parent
LOCALE_DIR = ROOT / "generator" / "locale"
TEMPLATE = LOCALE_DIR / "statuspage.pot"
DOMAIN = "statuspage"


def pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def extract(output: Path = TEMPLATE) -> None:
    """The template of every message in the code and templates, into ``output``."""
    pybabel(
        "extract",
        "-F", str(ROOT / "babel.cfg"),
        "-k", "NP_:1c,2",
        "--add-comments", "NOTE:",
        "--sort-by-file",
        "--no-location",
        "--no-wrap",
        "--omit-header",
        "--project", "gitstatus-generator",
        "-o", str(output),
        str(ROOT / "generator"),
    )  # fmt: skip
    # Paths relative to the repository, so the template reads the same on any machine.
    text = output.read_text(encoding="utf-8").replace(str(ROOT) + "/", "")
    output.write_text(text, encoding="utf-8")


def update() -> None:
    pybabel(
        "update", "-i", str(TEMPLATE), "-d", str(LOCALE_DIR), "-D", DOMAIN,
        "--no-wrap", "--ignore-obsolete", "--no-fuzzy-matching",
    )  # fmt: skip
    tidy_headers()


#: Header lines Babel fills with placeholders; the catalogues carry none.
_PLACEHOLDER_HEADERS = re.compile(
    r"^\"(Report-Msgid-Bugs-To|Last-Translator|Language-Team): [^\n]*\n", re.M
)


def tidy_headers() -> None:
    """Drop the placeholder header lines Babel writes, so updates do not churn."""
    for po in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"):
        text = po.read_text(encoding="utf-8")
        tidy = _PLACEHOLDER_HEADERS.sub("", text).replace("Version:  ", "Version: ")
        if tidy != text:
            po.write_text(tidy, encoding="utf-8")


def compile_all() -> None:
    pybabel("compile", "-d", str(LOCALE_DIR), "-D", DOMAIN, "--statistics")


def init(locale: str) -> None:
    pybabel(
        "init", "-i", str(TEMPLATE), "-d", str(LOCALE_DIR), "-D", DOMAIN, "-l", locale,
        "--no-wrap",
    )  # fmt: skip
    tidy_headers()


def main(argv: list[str]) -> int:
    commands = {"extract": extract, "update": update, "compile": compile_all}
    if argv[:1] == ["init"] and len(argv) == 2:
        init(argv[1])
    elif argv[:1] == ["all"]:
        extract()
        update()
        compile_all()
    elif len(argv) == 1 and argv[0] in commands:
        commands[argv[0]]()
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
