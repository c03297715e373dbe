#!/usr/bin/env python3
"""Zips bi/superset/bundle into the file Superset's "Import dashboard" expects.

    python3 bi/superset/build_bundle.py --out tickstream-superset.zip
        [--sqlalchemy-uri postgresql+psycopg2://tickstream_bi:XXXXXXXXXX@HOST:PORT/DB]
        [--password-env BI_READONLY_PASSWORD]

The bundle's database connection points at the local stack (127.0.0.1:55432/tickstream) with the
password masked as XXXXXXXXXX, the way Superset exports it: the import dialog (or the `passwords` field
of the import API) asks for it. --sqlalchemy-uri points the connection elsewhere (keep the mask);
--password-env writes the password from that environment variable into the zip instead, for
`superset import-dashboards`, which cannot ask. Such a zip holds a secret: keep it out of git.
Standard library only, so any Python 3 runs it.
"""

import argparse
import os
import sys
import zipfile
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

BUNDLE_DIR = Path(__file__).resolve().parent / "bundle"
ROOT_IN_ZIP = "tickstream_superset_bundle"
MASK = "XXXXXXXXXX"


def with_password(uri: str, password: str) -> str:
    parts = urlsplit(uri)
    if parts.password != MASK:
        raise SystemExit(f"build_bundle: the sqlalchemy_uri has no {MASK} password to replace: {uri}")
    userinfo, host = parts.netloc.rsplit("@", 1)
    user = userinfo.split(":", 1)[0]
    return urlunsplit(parts._replace(netloc=f"{user}:{quote(password, safe='')}@{host}"))


def rewrite_database_yaml(text: str, uri: str | None, password: str | None) -> str:
    lines = text.splitlines(keepends=True)
    for i, line in enumerate(lines):
        if line.startswith("sqlalchemy_uri:"):
            current = uri or line.split(":", 1)[1].strip()
            if password is not None:
                current = with_password(current, password)
            lines[i] = f"sqlalchemy_uri: {current}\n"
            return "".join(lines)
    raise SystemExit("build_bundle: a database file has no sqlalchemy_uri line")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True, help="zip file to write")
    parser.add_argument("--sqlalchemy-uri", help="connection of the Tickstream BI database (password masked)")
    parser.add_argument("--password-env", help="environment variable whose value replaces the masked password")
    args = parser.parse_args()

    password = None
    if args.password_env:
        password = os.environ.get(args.password_env)
        if not password:
            raise SystemExit(f"build_bundle: {args.password_env} is not set")

    files = sorted(p for p in BUNDLE_DIR.rglob("*.yaml") if p.is_file())
    if not (BUNDLE_DIR / "metadata.yaml").exists():
        raise SystemExit(f"build_bundle: {BUNDLE_DIR}/metadata.yaml is missing")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in files:
            relative = path.relative_to(BUNDLE_DIR).as_posix()
            text = path.read_text(encoding="utf-8")
            if relative.startswith("databases/"):
                text = rewrite_database_yaml(text, args.sqlalchemy_uri, password)
            zf.writestr(f"{ROOT_IN_ZIP}/{relative}", text)
    print(f"build_bundle: wrote {out} ({len(files)} files)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
