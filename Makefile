# The two commands a new user runs: `make demo` and `make test`. Everything else is what they need.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast bench clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 2; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip uv
	$(VENV)/bin/uv pip install --python $(PY) -q -e '.[test,demo]'
	@touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/policyscan demo --out out/demo

test: $(STAMP)
	./tools/ensure-apt.sh
	$(VENV)/bin/pytest -q

test-fast: $(STAMP)
	$(VENV)/bin/pytest -q -m "not slow and not server"

# The quick version of each benchmark; bench/RESULTS.md has the full commands and sizes.
bench: $(STAMP)
	$(PY) -m bench.accuracy.run
	$(PY) -m bench.throughput.run --kb 300
	$(PY) -m bench.scan_speed.run --mb 3
	$(PY) bench/database/accuracy.py
	$(PY) bench/database/sampling.py
	$(PY) bench/files/extraction.py
	$(PY) bench/files/memory.py

clean:
	rm -rf out .pytest_cache
