"""Every string of the Big List of Naughty Strings in every text field of the API.

    python bench/blns.py                      # a throwaway SQLite file
    python bench/blns.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres

The same checks as tests/test_blns.py (which runs one string in eight), on the whole
list: no 5xx, every answer JSON, and what is accepted reads back byte for byte. With
``--database-url`` a throwaway database is created on that server and dropped.
Prints one summary line; exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections import Counter
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(PROJECT), str(PROJECT / "tests")]

from flask_migrate import upgrade  # noqa: E402
from test_blns import STRINGS, check_all  # noqa: E402

from service.extensions import db  # noqa: E402

import conftest  # noqa: E402  (tests/: the throwaway database and the app's test settings)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="a PostgreSQL server (default: SQLite)")
    args = parser.parse_args()
    if args.database_url:
        conftest.SERVER_URL, conftest.ON_POSTGRES = args.database_url, True
    with tempfile.TemporaryDirectory() as tmp, conftest.empty_database(Path(tmp)) as url:
        (Path(tmp) / "models").mkdir()
        app = conftest.make_app(url, Path(tmp) / "models", API_RATE_LIMIT="1000000/minute",
                                LOG_LEVEL="WARNING")  # fmt: skip
        with app.app_context():
            upgrade()
        try:
            checker = check_all(app, STRINGS)
        except AssertionError as failure:
            print(f"BLNS: FAILED: {failure}")
            return 1
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
    statuses = Counter(status for _, status, _ in checker.answers)
    kinds = Counter(what for what, _, _ in checker.answers)
    print(f"BLNS: {len(STRINGS)} strings, {sum(statuses.values())} requests "
          f"({', '.join(f'{n} {w}' for w, n in kinds.items())}): answers "
          f"{dict(sorted(statuses.items()))}, 0 5xx, accepted fields byte-identical when read "
          "back")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
