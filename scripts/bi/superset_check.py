"""Imports the Tickstream bundle into a running Superset through its REST API and runs every chart.

Called by scripts/bi/superset-check.sh with the venv's Python (needs `requests` and `yaml`, which
Superset installs). Prints one line per chart and exits 1 when a chart is missing, fails, returns
no rows, or reaches its row limit (Superset then marks it "row limit reached": partial data).
"""

import argparse
import json
import sys
import time
from pathlib import Path

import requests
import yaml

BUNDLE_DIR = Path(__file__).resolve().parents[2] / "bi" / "superset" / "bundle"


class Superset:
    def __init__(self, url: str, username: str, password: str) -> None:
        self.url = url.rstrip("/")
        self.http = requests.Session()
        login = self.http.post(
            f"{self.url}/api/v1/security/login",
            json={"username": username, "password": password, "provider": "db", "refresh": False},
            timeout=30,
        )
        login.raise_for_status()
        self.http.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        # The CSRF token is tied to the session cookie this request sets; writes need both.
        csrf = self.http.get(f"{self.url}/api/v1/security/csrf_token/", timeout=30)
        csrf.raise_for_status()
        self.http.headers["X-CSRFToken"] = csrf.json()["result"]
        self.http.headers["Referer"] = self.url

    def get(self, path: str, **kwargs):
        return self.http.get(f"{self.url}{path}", timeout=120, **kwargs)

    def import_dashboard(self, bundle: Path, passwords: dict[str, str]) -> None:
        with bundle.open("rb") as f:
            response = self.http.post(
                f"{self.url}/api/v1/dashboard/import/",
                files={"formData": (bundle.name, f, "application/zip")},
                data={"passwords": json.dumps(passwords), "overwrite": "true"},
                timeout=300,
            )
        if response.status_code != 200:
            raise SystemExit(f"superset-check: import failed ({response.status_code}): {response.text[:2000]}")


# Charts that are empty until an admin sets something up: every other chart must return rows.
MAY_BE_EMPTY = {
    "Alerts (newest first)": "no alert rule has fired",
    "Webhook deliveries (newest first)": "no webhook endpoint, or no alert since one was added",
}


def load_bundle() -> tuple[dict, list[dict], str]:
    dashboards = [yaml.safe_load(p.read_text()) for p in sorted((BUNDLE_DIR / "dashboards").glob("*.yaml"))]
    if len(dashboards) != 1:
        raise SystemExit(f"superset-check: expected one dashboard in {BUNDLE_DIR}/dashboards, found {len(dashboards)}")
    charts = [yaml.safe_load(p.read_text()) for p in sorted((BUNDLE_DIR / "charts").glob("*.yaml"))]
    databases = sorted((BUNDLE_DIR / "databases").glob("*.yaml"))
    if len(databases) != 1:
        raise SystemExit("superset-check: expected one database in the bundle")
    return dashboards[0], charts, f"databases/{databases[0].name}"


def row_limit(chart: dict) -> int | None:
    """The row_limit of the chart's saved query (the one the dashboard sends)."""
    queries = json.loads(chart.get("query_context") or "{}").get("queries") or [{}]
    limit = queries[0].get("row_limit")
    return int(limit) if limit else None


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--username", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--bundle", required=True, type=Path, help="zip made by bi/superset/build_bundle.py")
    parser.add_argument("--db-password", required=True, help="password of the tickstream_bi role")
    args = parser.parse_args()

    dashboard, charts, database_file = load_bundle()
    superset = Superset(args.url, args.username, args.password)

    started = time.monotonic()
    superset.import_dashboard(args.bundle, {database_file: args.db_password})
    print(f"superset-check: imported {args.bundle.name} ({time.monotonic() - started:.1f} s)")

    slug = dashboard.get("slug") or dashboard["uuid"]
    found = superset.get(f"/api/v1/dashboard/{slug}/charts")
    found.raise_for_status()
    by_name = {c["slice_name"]: c["id"] for c in found.json()["result"]}
    print(f'superset-check: dashboard "{dashboard["dashboard_title"]}" has {len(by_name)} charts')

    passed = failed = 0
    for chart in charts:
        name = chart["slice_name"]
        chart_id = by_name.get(name)
        if chart_id is None:
            print(f"  FAIL  {name}: not on the imported dashboard")
            failed += 1
            continue
        t0 = time.monotonic()
        # Runs the chart's saved query context, the query the dashboard itself sends.
        response = superset.get(f"/api/v1/chart/{chart_id}/data/", params={"format": "json", "type": "full"})
        ms = (time.monotonic() - t0) * 1000
        problem = None
        rows = 0
        if response.status_code != 200:
            problem = f"HTTP {response.status_code}: {response.text[:500]}"
        else:
            results = response.json().get("result", [])
            errors = [r.get("error") for r in results if r.get("error") or r.get("status") not in (None, "success")]
            rows = sum(int(r.get("rowcount") or 0) for r in results)
            # The mark compares the rows the SQL returned (before post-processing such as resample)
            # with the query's row_limit.
            limit = row_limit(chart)
            sql_rows = max((int(r.get("sql_rowcount") or r.get("rowcount") or 0) for r in results), default=0)
            if not results:
                problem = "no result"
            elif errors:
                problem = f"query error: {errors[0]}"
            elif rows == 0 and name in MAY_BE_EMPTY:
                print(f"  ok    {name} (chart {chart_id}): no rows yet ({MAY_BE_EMPTY[name]})")
                passed += 1
                continue
            elif rows == 0:
                problem = "the query returned no rows (is the database filled? run the ingest and stream workers)"
            elif limit and sql_rows >= limit:
                problem = f"row limit reached: {sql_rows} rows for a row_limit of {limit} (the chart shows partial data)"
        if problem:
            print(f"  FAIL  {name} (chart {chart_id}, {ms:.0f} ms): {problem}")
            failed += 1
        else:
            print(f"  ok    {name} (chart {chart_id}): {rows} rows in {ms:.0f} ms")
            passed += 1

    extra = sorted(set(by_name) - {c["slice_name"] for c in charts})
    if extra:
        print(f"superset-check: note: the dashboard also has charts not in the bundle: {', '.join(extra)}")
    print(f"superset-check: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
