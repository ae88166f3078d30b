# The course pack's commands. `make lab` and `make test` set up .venv first when it is
# missing or older than requirements.txt / pyproject.toml.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: lab test lint course course-quick sync-notebooks strip-notebooks clean

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 10) <= v <= (3, 12) else "the course needs Python 3.10-3.12; $(PYTHON) is %d.%d (set PYTHON=python3.11, say)" % v)'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# Jupyter refuses to run as root unless told; containers often run as root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root,)

lab: $(STAMP)  ## open JupyterLab at the repository root, showing notebooks/
	$(BIN)/jupyter lab --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/notebooks $(ALLOW_ROOT)

lint: $(STAMP)
	$(BIN)/ruff check .

test: lint  ## ruff, unit tests and every notebook (quick profile, offline data)
	COURSE_PROFILE=quick COURSE_DATA=offline $(BIN)/python -m pytest

course: $(STAMP)  ## run every notebook under the full profile; write build/results.{json,md}
	$(BIN)/python -m utils.course --profile full

course-quick: $(STAMP)
	$(BIN)/python -m utils.course --profile quick

sync-notebooks: $(STAMP)  ## regenerate setup cells and Colab badges from utils/notebooks.py
	$(BIN)/python -m utils.notebooks --sync

strip-notebooks: $(STAMP)  ## remove outputs before committing a notebook
	$(BIN)/python -m utils.notebooks --strip

clean:
	rm -rf build .pytest_cache .ruff_cache
