"""The store a reliability script checks: a SQLite file, or a PostgreSQL URL (issue 19).

`--db` of kill-loop.py and multiprocess-load.py takes a file path (SQLite, as before) or a
postgres:// or postgresql:// URL. With a URL each run:

- gives its servers that URL with `?schema=policychat_test_<random>` appended, so that it
  starts from empty tables (the store creates the schema and sets search_path), and drops
  the schema at the end (unless --keep-schema);
- gives them a fresh random data key in POLICYCHAT_DATA_KEY (no key file exists with a
  PostgreSQL store);
- runs them with their working folder and HOME in a new empty folder, and checks it is
  still empty at the end: a PostgreSQL store creates no local file;
- reads the tables with psycopg 3 (`pip install "psycopg[binary]"`), imported only then, so
  that a SQLite run needs the standard library only.

The scripts' queries are written for SQLite (`?` parameters, bare camelCase columns, booleans
as 0/1); `PostgresConnection.execute` turns them into PostgreSQL's (`%s`, "quoted" columns,
booleans as bigint 0/1), so that both stores are checked by the same, equally strict queries.
"""

import atexit
import os
import re
import secrets
import sys
import urllib.parse

SCHEMA_PREFIX = "policychat_test_"
# What a lock conflict looks like in a PostgreSQL server's words: the counterpart of SQLite's
# "database is locked" (a user must never see one).
POSTGRES_LOCK_ERRORS = re.compile(
    r"deadlock detected|could not serialize access|could not obtain lock|lock timeout|"
    r"canceling statement due to (?:lock|statement) timeout|serialization failure|"
    r"sqlstate\W*(?:40001|40P01|55P03)\b",
    re.IGNORECASE,
)


def is_postgres(db):
    """Whether --db names a PostgreSQL database (a postgres:// or postgresql:// URL)."""
    return db is not None and re.match(r"(?i)postgres(?:ql)?://", db) is not None


def redacted(url):
    """The URL without its password, for printing."""
    parts = urllib.parse.urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(":" + parts.password + "@", ":***@", 1)
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc))


class PostgresRow:
    """A row readable by position and by column name, like sqlite3.Row."""

    __slots__ = ("names", "values")

    def __init__(self, names, values):
        self.names = names
        self.values = values

    def __getitem__(self, key):
        if isinstance(key, (int, slice)):
            return self.values[key]
        return self.values[self.names.index(key)]

    def keys(self):
        return list(self.names)

    def __len__(self):
        return len(self.values)

    def __repr__(self):
        return repr(dict(zip(self.names, self.values)))


def postgres_row(cursor):
    names = [column.name for column in cursor.description or []]
    return lambda values: PostgresRow(names, values)


CAMEL = re.compile(r'(?<!["\w])([a-z][a-z0-9]*[A-Z][A-Za-z0-9]*)\b')


def postgres_sql(sql):
    """A query written for SQLite, in PostgreSQL's words: `?` becomes `%s` (and `%` is escaped),
    camelCase columns are quoted ("sessionId"), and an empty `IN ()` (SQLite allows it, and it
    holds nothing) becomes an empty subquery."""
    sql = sql.replace("%", "%%").replace("?", "%s")
    sql = CAMEL.sub(r'"\1"', sql)
    return re.sub(r"\bIN \(\s*\)", "IN (SELECT NULL WHERE FALSE)", sql)


class PostgresConnection:
    """A psycopg connection to the run's schema, with sqlite3's execute(sql, params)."""

    def __init__(self, psycopg, url, schema):
        self.conn = psycopg.connect(url, autocommit=True, row_factory=postgres_row)
        self.conn.execute("SELECT set_config('search_path', %s, false)", [schema])

    def execute(self, sql, params=()):
        values = [int(value) if isinstance(value, bool) else value for value in params]
        # Always a list, never None: psycopg then reads the placeholders (and `%%`).
        return self.conn.execute(postgres_sql(sql), values)

    def close(self):
        self.conn.close()


class Store:
    """Where a run's servers keep their data, and how the checks read it."""

    def __init__(self, db, program, keep_schema=False):
        self.program = program
        self.postgres = is_postgres(db)
        self.name = "postgres" if self.postgres else "sqlite"
        self.keep_schema = keep_schema
        self.db = db
        if not self.postgres:
            self.serve_db = db
            self.shown = db
            self.password = None
            return
        try:
            import psycopg  # noqa: F401  (only for a PostgreSQL URL)
        except ImportError:
            sys.exit(
                f"{program}: a PostgreSQL URL needs psycopg 3: pip install \"psycopg[binary]\" "
                "(and run this script with that Python)"
            )
        self.psycopg = psycopg
        parts = urllib.parse.urlsplit(db)
        query = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        if any(key == "schema" for key, _ in query):
            sys.exit(f"{program}: give the URL without ?schema=: each run makes a schema of its own")
        self.schema = SCHEMA_PREFIX + secrets.token_hex(6)
        # The URL for psycopg (libpq knows no `schema` parameter) and the one for the servers.
        self.url = db
        query.append(("schema", self.schema))
        self.serve_db = urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))
        self.shown = redacted(self.serve_db)
        self.password = parts.password
        self.data_key = secrets.token_hex(32)
        self.finished = False
        self.monitor = None
        conn = self.admin()
        try:
            if conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [self.schema]).fetchone():
                sys.exit(f"{program}: schema {self.schema} exists already")
        finally:
            conn.close()
        # Dropped at the end however the run ends (but a kill -9 of the script itself).
        atexit.register(self.finish)

    def admin(self):
        """A plain connection to the database (no search_path), for the schema itself."""
        return self.psycopg.connect(self.url, autocommit=True)

    def connect(self):
        """A connection for the checks: sqlite3's to the file, or psycopg's to the run's schema."""
        if not self.postgres:
            import sqlite3

            conn = sqlite3.connect(self.db)
            conn.row_factory = sqlite3.Row
            return conn
        return PostgresConnection(self.psycopg, self.url, self.schema)

    def note(self):
        """What the PostgreSQL run checks in place of the SQLite-only checks."""
        if self.postgres:
            print(
                f"{self.program}: postgres: schema {self.schema}; PRAGMA integrity_check and "
                "foreign_key_check have no PostgreSQL command: checked instead that every index "
                "of the schema is valid and every foreign key holds row by row; 'database is "
                "locked' is counted as PostgreSQL's lock errors (deadlock, serialization failure, "
                "lock timeout); no WAL or key file to look at; the servers' folder and HOME must "
                "stay empty",
                flush=True,
            )

    # PostgreSQL's counterparts of PRAGMA integrity_check and foreign_key_check.

    def postgres_missing(self, conn, tables):
        """A problem if the run's schema lacks one of the tables the checks read (the servers did
        not make the store there), else None."""
        found = {
            row[0]
            for row in conn.conn.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = %s AND c.relkind IN ('r', 'p')",
                [self.schema],
            )
        }
        missing = [table for table in tables if table not in found]
        if not missing:
            return None
        return (
            f"schema {self.schema} has no table {', '.join(missing)}: the servers did not make their "
            "store there (does this binary take a PostgreSQL --db?)"
        )

    def postgres_integrity(self, conn):
        """Problems with the schema's indexes: one left invalid or not ready (a CREATE INDEX cut
        short) would answer lookups wrongly."""
        rows = conn.conn.execute(
            "SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND NOT (i.indisvalid AND i.indisready AND i.indislive)",
            [self.schema],
        ).fetchall()
        return [f"index {row[0]} is not valid" for row in rows]

    def postgres_foreign_keys(self, conn):
        """(constraint, rows violating it) for every foreign key of the schema: zero unless a key
        was not validated or checks were switched off; and constraints marked not validated."""
        found = []
        constraints = conn.conn.execute(
            "SELECT con.conname, con.convalidated, child.relname, parent.relname, "
            "ARRAY(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(n, o) "
            "      JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o), "
            "ARRAY(SELECT a.attname FROM unnest(con.confkey) WITH ORDINALITY k(n, o) "
            "      JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o) "
            "FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace "
            "JOIN pg_class child ON child.oid = con.conrelid JOIN pg_class parent ON parent.oid = con.confrelid "
            "WHERE con.contype = 'f' AND n.nspname = %s",
            [self.schema],
        ).fetchall()
        ident = self.psycopg.sql.Identifier
        for name, validated, child, parent, child_columns, parent_columns in constraints:
            query = self.psycopg.sql.SQL(
                "SELECT COUNT(*) FROM {child} c WHERE {not_null} AND NOT EXISTS "
                "(SELECT 1 FROM {parent} p WHERE {matches})"
            ).format(
                child=ident(self.schema, child),
                parent=ident(self.schema, parent),
                not_null=self.psycopg.sql.SQL(" AND ").join(
                    self.psycopg.sql.SQL("c.{} IS NOT NULL").format(ident(column)) for column in child_columns
                ),
                matches=self.psycopg.sql.SQL(" AND ").join(
                    self.psycopg.sql.SQL("p.{} = c.{}").format(ident(p), ident(c))
                    for c, p in zip(child_columns, parent_columns)
                ),
            )
            count = conn.conn.execute(query).fetchone()[0]
            if count or not validated:
                found.append((name + ("" if validated else " (not validated)"), count))
        return found

    def settle(self, timeout=5.0):
        """Waits until no connection of a killed server is left in the database (none runs now).

        A SQLite write is decided when its process dies; a PostgreSQL one when the server's
        backend notices its client is gone, which may be a moment later (a COMMIT already sent
        still lands). Waiting makes "in flight at the kill" mean the same on both stores.
        Returns how many such connections were still there after `timeout` seconds (0 if none);
        counts every other connection of this role to this database, so run nothing else there."""
        if not self.postgres:
            return 0
        import time

        if self.monitor is None:
            self.monitor = self.admin()
        deadline = time.monotonic() + timeout
        while True:
            left = self.monitor.execute(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND usename = current_user AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
            ).fetchone()[0]
            if left == 0 or time.monotonic() >= deadline:
                return left
            time.sleep(0.005)

    # The servers' surroundings.

    def server_env(self, scratch_home):
        """The environment of a server on PostgreSQL: HOME is the empty folder, nothing points
        at another file (XDG folders, a default database, a key file), the run's key is given."""
        env = dict(os.environ)
        for name in (
            "XDG_DATA_HOME",
            "XDG_STATE_HOME",
            "XDG_CONFIG_HOME",
            "XDG_CACHE_HOME",
            "POLICYCHAT_DB",
            "POLICYCHAT_KEY_FILE",
            "POLICYCHAT_PREVIOUS_KEY_FILES",
            "POLICYCHAT_HISTORY",
        ):
            env.pop(name, None)
        env["HOME"] = scratch_home
        env["POLICYCHAT_DATA_KEY"] = self.data_key
        return env

    def hide(self, text):
        """The text without the URL's password (a file named after the URL, a server's message)."""
        if self.postgres and self.password:
            return text.replace(self.password, "***")
        return text

    def lock_errors(self, text):
        """Lock errors in a server's stderr: SQLite's "database is locked", or PostgreSQL's."""
        if not self.postgres:
            return text.lower().count("database is locked")
        return len(POSTGRES_LOCK_ERRORS.findall(text))

    def left_files(self, scratch_home):
        """Files the servers created in their working folder and HOME (there must be none)."""
        found = []
        for folder, dirs, files in os.walk(scratch_home):
            for name in dirs + files:
                found.append(os.path.relpath(os.path.join(folder, name), scratch_home))
        return sorted(found)

    def finish(self):
        """Drops the run's schema (PostgreSQL), unless asked to keep it."""
        if not self.postgres or self.finished:
            return
        self.finished = True
        if self.monitor is not None:
            self.monitor.close()
            self.monitor = None
        if self.keep_schema:
            print(f"{self.program}: schema {self.schema} kept (--keep-schema)", flush=True)
            return
        conn = self.admin()
        try:
            conn.execute(self.psycopg.sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(
                self.psycopg.sql.Identifier(self.schema)))
        finally:
            conn.close()
