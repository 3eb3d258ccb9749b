"""Exit 0 if the PostgreSQL server in the given URL accepts connections, else 1."""

import sys

import dj_database_url
import psycopg

config = dj_database_url.parse(sys.argv[1])
try:
    psycopg.connect(
        host=config["HOST"],
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"] or None,
        dbname=config["NAME"],
        connect_timeout=3,
    ).close()
except psycopg.Error as exc:
    print(f"cannot connect: {exc}", file=sys.stderr)
    sys.exit(1)
