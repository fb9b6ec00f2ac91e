"""A FastAPI application that seeds its development database at start-up (the lifespan).

Run it with ``APP_ENV=dev DATABASE_URL=sqlite:///dev.db uvicorn fastapi_app:app`` (from this
directory). The first start creates the four ``fake_*`` tables of :mod:`syda.demos.dev_app` and
fills them; every later start finds the rows and keeps them. Outside ``APP_ENV=dev`` the
database is never touched. ``/dev/fake-data-status`` shows each table's rows, NULL shares and
date range; ``DELETE /dev/reset-fake-data`` drops and recreates the tables (for models that
changed) with fresh rows.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, HTTPException
from starlette.concurrency import run_in_threadpool

from syda.database import database_status, seed_database
from syda.demos import dev_app

GATE = ("APP_ENV", "dev")


def database_url() -> str:
    return os.environ.get("DATABASE_URL", "sqlite:///dev.db")


def seed(reset: bool | str = False) -> dict[str, Any]:
    """Seed (or reset) the dev database; the result as JSON."""
    result = seed_database(
        dev_app.MODELS,
        database_url(),
        sample_sizes=dev_app.SAMPLE_SIZES,
        reset=reset,
        only_if_env=GATE,
    )
    return {"outcome": result.outcome, "tables": result.tables, "reason": result.reason}


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # Seeding is blocking database work: run it off the event loop, before the first request.
    app.state.seed = await run_in_threadpool(seed)
    yield


app = FastAPI(lifespan=lifespan)


def _dev_only() -> None:
    if os.environ.get(GATE[0]) != GATE[1]:
        raise HTTPException(status_code=404, detail="only in development (APP_ENV=dev)")


@app.get("/dev/fake-data-status")
def fake_data_status() -> dict[str, Any]:
    _dev_only()
    status = database_status(dev_app.MODELS, database_url())
    return {
        "seeded_at_startup": app.state.seed,
        "tables": {
            key: None
            if rows is None
            else {
                "rows": rows,
                "null_shares": status.tables[key].null_shares,
                "date_ranges": {
                    c: [str(lo), str(hi)] for c, (lo, hi) in status.tables[key].date_ranges.items()
                },
            }
            for key, rows in status.items()
        },
    }


@app.delete("/dev/reset-fake-data")
def reset_fake_data() -> dict[str, Any]:
    _dev_only()
    return seed(reset="recreate")
