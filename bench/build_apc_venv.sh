#!/bin/sh
# Build alt-profanity-check 1.9.1 in its own virtualenv (it pins its own scikit-learn).
# Usage: bench/build_apc_venv.sh [/tmp/apc-venv]    (not committed: the venv lives under /tmp)
set -eu
VENV="${1:-/tmp/apc-venv}"
PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
fi
"$VENV/bin/pip" install --quiet --upgrade pip
"$VENV/bin/pip" install --quiet "alt-profanity-check==1.9.1"
"$VENV/bin/python" -c "import profanity_check, sklearn; print('alt-profanity-check ready, scikit-learn', sklearn.__version__)"
