# apigen-stream: `make run` tries the pipeline, `make test` sets up and runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The real-model test's virtualenv (llama-cpp-python's server and a small GGUF model), kept
# outside the repository so a rebuild of .venv or a fresh clone on this machine reuses it.
REAL_LLM_CACHE ?= $(HOME)/.cache/apigen-stream
REAL_LLM_VENV := $(REAL_LLM_CACHE)/llama-venv
REAL_LLM_STAMP := $(REAL_LLM_VENV)/.installed-0.3.36

.PHONY: install real-llm run test lint typecheck bench schemas dist wheel-test image-test harvest clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

# The main job: embedded mode (no Kafka); offline generator unless OPENAI_API_KEY/OPENAI_BASE_URL are set.
run: install
	$(BIN)/apigen-stream run --count 200 --out out

# Built once per machine (about 15 minutes on 2 cores); when it cannot be built, the
# real-model test skips and says why.
real-llm: $(REAL_LLM_STAMP)

$(REAL_LLM_STAMP):
	bash .ci/real-llm-venv.sh $(REAL_LLM_CACHE) || echo "real-model virtualenv not built: its test will skip"

# Every test; integration tests fetch and start a real Kafka broker themselves.
test: install real-llm
	APIGEN_REAL_LLM_VENV=$(REAL_LLM_VENV) $(BIN)/pytest

lint: install
	$(BIN)/ruff check apigen_stream tests bench
	$(BIN)/ruff format --check apigen_stream tests bench

typecheck: install
	$(BIN)/mypy --strict apigen_stream tests bench

bench: install
	$(BIN)/python -m bench

# The package ships topics.toml and the schemas; topics/ and schemas/ are copies for readers.
schemas: install
	$(BIN)/apigen-stream schemas write --dir apigen_stream/data/schemas
	$(BIN)/apigen-stream schemas write --dir schemas
	cp apigen_stream/data/topics.toml topics/topics.toml

# The sdist and the wheel (built from the sdist) in dist/.
dist: install
	$(BIN)/python -m build --outdir dist .

# Installs the wheel into a fresh virtualenv outside the checkout and runs the tool from there.
wheel-test: install
	.ci/wheel-test $(BIN)/python

# Builds the container image with podman (a local Debian base, made once and cached) and runs from
# it the embedded job and a stage against a broker on this host; says so and passes without podman.
image-test: install
	.ci/image-test $(BIN)/python

# The curated packages of the shipped harvested library (see apigen_stream/library/builtin/README.md).
HARVEST_TARGETS := stdnum math statistics textwrap html difflib calendar ipaddress validators \
	humanize pygeohash mingus pychord inflection semver boltons pyxirr chess webcolors babel emoji \
	holidays pint periodictable astral numpy fluids ht chemicals \
	rapidfuzz textstat ftfy pydash pokerkit psychrolib price_parser hijridate convertdate pyluach art \
	colour email.utils urllib.parse shlex fnmatch heapq scipy.special scipy.linalg scipy.fft \
	scipy.integrate scipy.interpolate scipy.optimize scipy.ndimage scipy.constants \
	scipy.spatial.distance scipy.cluster pvlib more_itertools mpmath phonenumbers nltk.metrics \
	nltk.translate nltk.util wcwidth

# Regenerate the harvested library file (probes every candidate in the sandbox; a few minutes on a
# loaded two-core machine).
harvest: install
	$(BIN)/apigen-stream apis harvest $(HARVEST_TARGETS) --out apigen_stream/library/harvested.json

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache dist
