# journeymap — two commands: `make lab` (open the workbench) and `make test` (run every test).
# Both create .venv on first use and reinstall when pyproject.toml changes.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8888
LAB_ARGS ?=
VOILA_ARGS ?=
LAB_DEFAULTS :=

# Don't try to open a browser on a machine with no display (the URL is printed instead).
ifeq ($(shell uname -s),Linux)
ifeq ($(strip $(DISPLAY)$(WAYLAND_DISPLAY)),)
LAB_DEFAULTS += --no-browser
endif
endif
# Containers and CI machines often run as root; Jupyter refuses that unless told.
ifeq ($(shell id -u),0)
LAB_DEFAULTS += --allow-root
endif

.PHONY: lab test env lint format schema strip gallery workshop clean help

help:
	@echo "make lab    start JupyterLab on notebooks/01_quickstart.ipynb (creates .venv on first use)"
	@echo "make test   run every test: lint (ruff, mypy), unit, doctests, notebooks (nbval), coverage"
	@echo "make schema regenerate schema/journey.schema.json from the model"
	@echo "make strip  strip notebook outputs before committing (keeps the ones nbval checks)"
	@echo "make gallery regenerate docs/gallery/*.png from the shipped journeys"
	@echo "make workshop serve the workshop notebook as a Voila app on localhost (works offline)"

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $(STAMP)

env: $(STAMP)

lab: $(STAMP)
	@echo "Starting JupyterLab: open the http://127.0.0.1:$(PORT)/lab/tree/notebooks/01_quickstart.ipynb?token=... address printed below. Ctrl-C stops it."
	$(BIN)/jupyter lab --ServerApp.root_dir="$(CURDIR)" --LabApp.default_url=/lab/tree/notebooks/01_quickstart.ipynb --ip=127.0.0.1 --port=$(PORT) $(LAB_DEFAULTS) $(LAB_ARGS)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/journeymap check data/journeys/*.yaml
	MPLBACKEND=Agg $(BIN)/python -m pytest -q -p no:cacheprovider \
		--cov=journeymap --cov-report=term --cov-fail-under=85 \
		tests journeymap docs --nbval-lax notebooks --nbval-sanitize-with tests/nbval_sanitize.cfg

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format journeymap tests

schema: $(STAMP)
	$(BIN)/journeymap schema -o schema/journey.schema.json

gallery: $(STAMP)
	MPLBACKEND=Agg $(BIN)/python tools/gallery.py

# The workshop app: Voila with our template (app/voila/templates/workshop: no CDN request, page close shuts
# its kernel down) and culling as the backstop: a kernel with no page connected for CULL_IDLE s is shut down.
# One kernel is kept pre-run (preheat) so the next page paints in a few seconds; app/workshop_kernels.py
# gives a handed-out kernel a grace period so culling never takes it before its page has connected.
CULL_IDLE ?= 120
workshop: $(STAMP)
	@echo "Starting the workshop app: open the http://127.0.0.1:$(PORT)/ address printed below. Ctrl-C stops it."
	JUPYTER_PATH="$(CURDIR)/app$${JUPYTER_PATH:+:$$JUPYTER_PATH}" PYTHONPATH="$(CURDIR)/app$${PYTHONPATH:+:$$PYTHONPATH}" \
	$(BIN)/voila notebooks/02_workshop_mapping.ipynb \
		--no-browser --port=$(PORT) --Voila.ip=127.0.0.1 --template=workshop \
		--MappingKernelManager.cull_idle_timeout=$(CULL_IDLE) --MappingKernelManager.cull_interval=10 \
		--MappingKernelManager.cull_connected=False --MappingKernelManager.cull_busy=False \
		--preheat_kernel=True --pool_size=1 \
		--VoilaConfiguration.multi_kernel_manager_class=workshop_kernels.WorkshopKernelManager $(VOILA_ARGS)

strip: $(STAMP)
	$(BIN)/python tools/strip_outputs.py notebooks/*.ipynb

clean:
	rm -rf $(VENV) .pytest_cache .coverage htmlcov
