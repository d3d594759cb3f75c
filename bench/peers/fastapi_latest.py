"""The peer scripts/bench-server measures costs-server against: /api/costs/latest written the way
a FastAPI service of the Azure financial spec would be, with asyncpg's connection pool and
FastAPI's own JSON encoding, reading the same usage_latest view from the same database.

Run by scripts/bench-server:  python3 -m uvicorn --app-dir bench/peers fastapi_latest:app
Needs Debian's python3-fastapi, python3-uvicorn and python3-asyncpg; DATABASE_URL is the
database to read.
"""
import os

import asyncpg
from fastapi import FastAPI

app = FastAPI()
pool = None


@app.on_event("startup")
async def connect():
    global pool
    pool = await asyncpg.create_pool(os.environ["DATABASE_URL"], min_size=4, max_size=8)


@app.on_event("shutdown")
async def disconnect():
    await pool.close()


@app.get("/api/costs/latest")
async def latest():
    rows = await pool.fetch(
        "select provider, source, host, fetched_at, total_cost_usd, balance_usd,"
        " credit_limit_usd, currency, input_tokens, output_tokens, cache_read_tokens,"
        " cache_write_tokens, total_tokens, units::text, model_breakdown::text"
        " from public.usage_latest order by provider, host")
    return {"providers": [dict(r) for r in rows]}
