"""A Flask application that seeds its development database when it is created.

Run it with ``APP_ENV=dev DATABASE_URL=sqlite:///dev.db flask --app flask_app run`` (from this
directory). ``create_app`` seeds the four ``fake_*`` tables of :mod:`syda.demos.dev_app` once,
only under ``APP_ENV=dev``; restarts keep the rows. ``/dev/fake-data-status`` shows each table's
rows.
"""

from __future__ import annotations

import os
from typing import Any

from flask import Flask, abort

from syda.database import database_status, seed_database
from syda.demos import dev_app


def create_app(database_url: str | None = None) -> Flask:
    app = Flask(__name__)
    url = database_url or os.environ.get("DATABASE_URL", "sqlite:///dev.db")
    result = seed_database(
        dev_app.MODELS, url, sample_sizes=dev_app.SAMPLE_SIZES, only_if_env=("APP_ENV", "dev")
    )
    app.logger.info("dev data: %s", result.reason)
    app.config["SEED_OUTCOME"] = result.outcome

    @app.get("/dev/fake-data-status")
    def fake_data_status() -> dict[str, Any]:
        if os.environ.get("APP_ENV") != "dev":
            abort(404)
        return {"tables": dict(database_status(dev_app.MODELS, url))}

    return app
