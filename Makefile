# The two commands a new user needs (see README.md); each sets up its own virtualenv.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test bench bench-scale bench-profile bench-llm bench-llm-profile bench-replace bench-checks bench-startup clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Install syda and run the CRM demo on the offline provider (no key, no network).
demo: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python examples/crm.py --output-dir crm_data

# Install syda with its test tools, then lint, type-check and run the whole test suite.
test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/ruff check syda tests examples benchmarks
	$(BIN)/ruff format --check syda tests examples benchmarks
	$(BIN)/mypy
	$(BIN)/python -m pytest

# Offline throughput benchmark: CRM schema, 1,000,000 rows in total.
bench: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[parquet]"
	$(BIN)/python benchmarks/offline_crm.py

# Scale: the CRM schema streamed to Parquet at 10,000,000 rows (--rows 100000000 for 100M), with
# a plain numpy/pyarrow reference and a 2-worker Dask LocalCluster hashed against the local run.
bench-scale: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dask]"
	$(BIN)/python benchmarks/scale_crm.py

# The same CRM shape with a profile that uses every control, against the same tables bare.
bench-profile: $(BIN)/python
	$(BIN)/python benchmarks/profile_crm.py

# LLM rows mode: the CRM example at 10x the README's sizes on the local stand-in (0.5 s + 400 output
# tokens/s per call), concurrency 8 and 1, then syda 0.3.0 from PyPI (its own virtualenv, made once).
bench-llm: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python benchmarks/llm_standin.py

# LLM profile mode: the CRM schema at 1,000,000 rows, one profile call per table on the stand-in
# (0.5 s + 400 output tokens/s per call); wall time, calls, tokens, cost, every constraint.
bench-llm-profile: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python benchmarks/bench_llm_profile.py

# replace on PostgreSQL: the CRM schema at 2,000,000 rows, filled, then replaced (SYDA_BENCH_DB=URL).
bench-replace: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[postgres]"
	$(BIN)/python benchmarks/replace_postgres.py

# CHECK evaluation (sqlglot + DuckDB) over a 1,000,000-row frame.
bench-checks: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python benchmarks/check_eval.py

# Start-up: import syda and the first table of a fresh process, with a cold and a warm pool cache.
bench-startup: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python benchmarks/startup.py

clean:
	rm -rf $(VENV) crm_data .pytest_cache .mypy_cache .ruff_cache
