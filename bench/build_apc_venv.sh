#!/bin/sh
# Build alt-profanity-check 1.9.1 in its own virtualenv (it pins its own scikit-learn), with
# Flask and gunicorn so bench/load_api.py can serve it beside the service.
# Usage: bench/build_apc_venv.sh [/tmp/apc-venv]    (not committed: the venv lives under /tmp)
set -eu
case "${1:-}" in
-h | --help)
    sed -n '2,4s/^# \{0,1\}//p' "$0"
    echo "PYTHON: the interpreter the virtualenv is made with (default python3.11)."
    exit 0
    ;;
esac
VENV="${1:-/tmp/apc-venv}"
PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || PY=python3
if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
fi
"$VENV/bin/pip" install --quiet --upgrade pip
# the same server as the service: gunicorn, with a minimal Flask app (bench/apc_app.py)
"$VENV/bin/pip" install --quiet "alt-profanity-check==1.9.1" "flask==3.1.3" "gunicorn>=23,<24"
"$VENV/bin/python" -c "import profanity_check, sklearn; print('alt-profanity-check ready, scikit-learn', sklearn.__version__)"
