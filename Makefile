# Two set-up commands work on a fresh machine: `make book` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MATHJAX := book/_static/vendor/mathjax
# Notebooks multiply small matrices: one BLAS thread is faster than two fighting for 2 cores.
NOTEBOOK_ENV := OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
NOTEBOOKS = $(shell find book -name '*.ipynb' -not -path '*/.ipynb_checkpoints/*' | sort)

.PHONY: locales book test test-pdf uncached lint unit notebooks notebooks-kernels build-strict build-exercises browser pdf environments serve lab bench clean venv vendor

venv: $(BIN)/.installed
$(BIN)/.installed: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	# jsonschema imports rfc3987-syntax when present (an optional extra that jupyter-events
	# asks for); compiling its grammars costs ~3 s in every kernel's first glue() and every
	# build. Without it only the "iri" format goes unchecked. Measured: no-change rebuild
	# 5.6 s -> 2.7 s.
	$(BIN)/pip uninstall --quiet --yes rfc3987-syntax
	touch $@

# npm installs the versions pinned in package-lock.json: MathJax, which the site serves
# itself, and axe-core, which only the browser checks use (a devDependency, never copied
# into the site; tests/site_checks.py injects node_modules/axe-core/axe.min.js).
NODE_MODULES := node_modules/.package-lock.json
$(NODE_MODULES): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

vendor: $(MATHJAX)/tex-chtml.js
$(MATHJAX)/tex-chtml.js: $(NODE_MODULES)
	rm -rf $(MATHJAX) && mkdir -p $(MATHJAX)/output
	cp -r node_modules/mathjax/es5/{tex-chtml.js,input,a11y,ui,adaptors} $(MATHJAX)/
	cp -r node_modules/mathjax/es5/output/chtml $(MATHJAX)/output/
	cp node_modules/mathjax/LICENSE $(MATHJAX)/

# Sphinx copies book/_static only when some page is out of date, so a changed stylesheet or
# script alone would never reach the site: then every page is written again (--all; the
# notebooks still come from the execution cache, ~7 s).
STATIC_CHANGED = $(shell find book/_static book/_templates -type f -newer _build/html/.buildinfo 2>/dev/null | head -1)
BUILD_FLAGS = --warningiserror --keep-going $(if $(STATIC_CHANGED),--all)

# Notebooks out of date in the execution cache are executed two at a time (one per core;
# book/_ext/execute.py) before the build, which then takes them all from the cache.
EXECUTE = $(NOTEBOOK_ENV) $(BIN)/python book/_ext/execute.py _build/.jupyter_cache $(NOTEBOOKS)

# The Chinese edition (book/_ext/translations.py): its catalogues, locales/zh_CN/, hold a
# translation of every English message. `make locales` merges the English pages' messages
# into them after the English changed (changed ones become fuzzy, new ones untranslated);
# `translations.py check`, run by every build, fails until each is translated again, and
# `translations.py html` builds the Chinese site into _build/html/zh from the same
# execution cache: the notebooks run once for both editions.
TRANSLATIONS = $(NOTEBOOK_ENV) $(BIN)/python book/_ext/translations.py
locales: venv
	$(TRANSLATIONS) update

# The website, executing every notebook (unchanged ones come from the execution cache),
# in English (_build/html) and in Chinese (_build/html/zh).
# `make book EDITION=exercises`: the edition to hand out, without the solutions, built into
# _build/exercises/html from the same execution cache (book/_ext/edition.py).
EDITION ?= book
book: venv vendor
ifeq ($(EDITION),book)
	$(EXECUTE)
	$(TRANSLATIONS) check
	$(NOTEBOOK_ENV) $(BIN)/jupyter-book build . $(BUILD_FLAGS)
	$(TRANSLATIONS) html
	$(MAKE) pdf
else
	rm -rf _build/$(EDITION)/_build/html  # nothing of an earlier build (sources) survives
	$(NOTEBOOK_ENV) PARAMOPT_EDITION=$(EDITION) $(BIN)/jupyter-book build . \
		--warningiserror --keep-going --all --path-output _build/$(EDITION)
	ln -sfn _build/html _build/$(EDITION)/html
endif

# uncached: the build executes every notebook afresh under OpenBLAS's own pick at 1 thread,
# the one run notebooks-kernels leaves to it. The printed book has its own target,
# test-pdf, which CI runs after this one (.ci/run): it needs the site this one builds.
test: venv vendor lint unit notebooks-kernels uncached build-strict build-exercises browser environments

test-pdf: pdf
	$(BIN)/pytest -x -q -m pdf tests

uncached:
	rm -rf _build/.jupyter_cache

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check lib tests benchmarks

unit:
	$(BIN)/pytest -x -q -n 2 -m "not browser and not pdf and not environments" tests

# Every notebook under book/, found by glob; the chapters' own asserts do the checking.
notebooks: venv
	$(NOTEBOOK_ENV) $(BIN)/pytest -x -q --nbval-lax -p no:randomly $(NOTEBOOKS)

# The same under every other OpenBLAS kernel this CPU can run: each kernel, and each way
# of splitting a sum between threads, rounds float32 sums in its own order, so a claim
# resting on one lucky rounding fails here rather than on a reader's machine. OpenBLAS's
# own pick at 1 thread is left to `make test`'s uncached site build, where a failing cell
# fails the build (--except-own-pick); the other kernels run with 1 BLAS thread, but the
# last with 2, so that a split between threads is tested too without a fourth run of
# every notebook (with no other kernel, OpenBLAS's own pick runs with 2 threads). Kernels
# the CPU lacks are skipped with a message (tests/openblas_kernels.py). Two notebooks run
# at once (one per core; --dist loadfile keeps a notebook's cells together). Sandybridge
# comes last: Prescott, the slowest kernel, took 2.9 min with 1 thread and 4.5 with 2.
KERNELS := Haswell SkylakeX Prescott Sandybridge
NBVAL_RUN = $(BIN)/pytest -x -q --nbval-lax -p no:randomly -n 2 --dist loadfile $(NOTEBOOKS)
notebooks-kernels: venv
	kernels=$$($(BIN)/python tests/openblas_kernels.py --except-own-pick $(KERNELS)); \
	set -- $${kernels:-default}; \
	last=$$#; i=0; \
	for kernel in "$$@"; do \
	  i=$$((i + 1)); threads=1; if [ $$i -eq $$last ]; then threads=2; fi; \
	  echo "== notebooks: OpenBLAS kernel $$kernel, $$threads thread(s)"; \
	  ( if [ "$$kernel" != default ]; then export OPENBLAS_CORETYPE=$$kernel; fi; \
	    OPENBLAS_NUM_THREADS=$$threads OMP_NUM_THREADS=$$threads $(NBVAL_RUN) ); \
	done

build-strict:
	$(EXECUTE)
	$(TRANSLATIONS) check
	$(NOTEBOOK_ENV) $(BIN)/jupyter-book build . $(BUILD_FLAGS)
	$(TRANSLATIONS) html

# The exercises edition, from the execution cache build-strict filled.
build-exercises: venv vendor
	$(MAKE) book EDITION=exercises

browser: $(NODE_MODULES)
	$(BIN)/pytest -x -q -n 2 -m browser tests

# A downloaded chapter and the Binder files, each in a fresh virtual environment
# (tests/test_environments.py; pip fetches from the package index).
environments:
	$(BIN)/pytest -x -q -n 2 -m environments tests

# The whole book as one PDF, _build/pdf/parameter-optimization.pdf: Sphinx's singlehtml
# builder (notebooks from the execution cache) printed by headless Chromium
# (book/_ext/print_book.py), then copied into the website, whose download menu links it.
# `make book` ends with it; `make test-pdf` builds it and checks it (tests/test_pdf.py).
PDF := _build/pdf/parameter-optimization.pdf
pdf: venv vendor
	$(NOTEBOOK_ENV) $(BIN)/jupyter-book build . --builder singlehtml --warningiserror --keep-going
	$(BIN)/python book/_ext/print_book.py _build/singlehtml $(PDF)
	if [ -d _build/html ]; then cp $(PDF) _build/html/; fi

serve: book
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory _build/html 8000

lab: venv
	$(BIN)/jupyter lab --ip=127.0.0.1 book

bench: venv vendor
	$(NOTEBOOK_ENV) $(BIN)/python benchmarks/bench_book.py
	@for script in $(filter-out benchmarks/bench_book.py,$(wildcard benchmarks/bench_*.py)); do \
		$(BIN)/python $$script; done

clean:
	rm -rf _build $(MATHJAX) node_modules
