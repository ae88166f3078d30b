# The course pack's commands. `make lab` and `make test` set up .venv first when it is
# missing or older than requirements.txt / pyproject.toml.
PYTHON ?= python3
# On a GPU, every process (the unit tests, the runner, each notebook kernel) allocates memory as it
# needs it instead of mapping the whole card to the first one; without a GPU it changes nothing.
export TF_FORCE_GPU_ALLOW_GROWTH := true
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: lab test test-real lint course course-real course-quick seeds seeds-real quotes sync-notebooks strip-notebooks clean site test-site figures student test-student

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if (3, 11) <= v <= (3, 13) else "the course needs Python 3.11-3.13; $(PYTHON) is %d.%d (set PYTHON=python3.12, say)" % v)'
	$(BIN)/python -m pip --version >/dev/null 2>&1 || $(PYTHON) -m venv --clear $(VENV)  # missing or broken: made anew
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

course: $(STAMP)  ## run every notebook under the full profile on the stand-ins; write build/results.{json,md}
	$(BIN)/python -m course run --profile full --data offline

# The real datasets: from the folder COURSE_DATA_DIR names (read-only is fine), else the Keras cache.
course-real: $(STAMP)  ## the text notebooks, full profile, real data: build/real/results.json and the board
	$(BIN)/python -m course run --profile full --data real

test-real: $(STAMP)  ## the text notebooks under nbval, quick profile, real data (says which it leaves out)
	$(BIN)/python -m course run --test-real

# The same full runs under other seeds: results/seeds/<data>.json; the board's "Spread over seeds" table.
SEEDS ?= 0 1
seeds: $(STAMP)  ## the full profile under each seed in SEEDS (default 0 1) on the stand-ins; NOTEBOOKS= to pick some
	status=0; for seed in $(SEEDS); do $(BIN)/python -m course run --seed $$seed --profile full --data offline $(NOTEBOOKS) || status=1; done; exit $$status

seeds-real: $(STAMP)  ## the same on the real datasets (COURSE_DATA_DIR as for course-real)
	status=0; for seed in $(SEEDS); do $(BIN)/python -m course run --seed $$seed --profile full --data real $(NOTEBOOKS) || status=1; done; exit $$status

course-quick: $(STAMP)
	$(BIN)/python -m course run --profile quick

# The results quoted in lessons/ and README.md, rewritten from the snapshot that make course / course-real commit.
quotes: $(STAMP)  ## rewrite every marked result in lessons/*.md and README.md from results/offline.json and results/real.json
	$(BIN)/python -m course quotes --update

# The course website: its packages (requirements-site.txt) go into .venv only when it is built.
SITE_STAMP := $(VENV)/.site-installed

$(SITE_STAMP): $(STAMP) requirements-site.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-site.txt
	touch $(SITE_STAMP)

site: $(SITE_STAMP)  ## build the course website into build/site/ (notebooks make course has not run: quick profile)
	$(BIN)/python -m course site

test-site: site  ## check build/site/ in headless Chromium (Debian's chromium, installed when missing)
	test -x /usr/bin/chromium || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)
	$(BIN)/python -m pytest course/site/tests --tb=short

sync-notebooks: $(STAMP)  ## regenerate setup cells and Colab badges from course/notebooks.py
	$(BIN)/python -m course notebooks --sync

strip-notebooks: $(STAMP)  ## remove outputs before committing a notebook
	$(BIN)/python -m course notebooks --strip

figures: $(STAMP)  ## redraw the lessons' figures (lessons/figures/*.svg) and their manifest
	$(BIN)/python lessons/figures/make_figures.py

student: $(STAMP)  ## the student edition: build/student/NN_*.ipynb, every cell but the worked solutions
	$(BIN)/python -m course student

# The student edition as a student meets it: every notebook top to bottom, exercises not done (the repository's
# conftest.py applies, so a cell that prints a warning fails too).
test-student: student  ## run every notebook of build/student/ under nbval (quick profile, offline data)
	COURSE_PROFILE=quick COURSE_DATA=offline $(BIN)/python -m pytest -p no:cacheprovider build/student/*.ipynb

clean:
	rm -rf build .pytest_cache .ruff_cache
