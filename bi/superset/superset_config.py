# Superset configuration shared by scripts/bi/superset-check.sh (a local venv) and docker-compose.yml (the
# apache/superset image). Superset loads it through SUPERSET_CONFIG_PATH; everything deployment-specific
# comes from the environment.
import os

# Signs sessions and encrypts the stored database passwords: keep it stable for one metadata database.
SECRET_KEY = os.environ["SUPERSET_SECRET_KEY"]

# Superset's own metadata (users, charts, dashboards): SQLite for the local check, PostgreSQL in compose.
SQLALCHEMY_DATABASE_URI = os.environ.get(
    "SUPERSET_METADATA_DB_URI",
    "sqlite:///" + os.path.abspath(os.path.join(os.path.dirname(__file__), "../../.data/superset/superset.db")),
)

# Charts query the bi views directly and the dashboard refreshes every minute: no results cache.
DATA_CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}

# Plain HTTP on localhost (the check, and compose publishing 8088 on 127.0.0.1): no HTTPS-only headers.
TALISMAN_ENABLED = False
