# `make` builds the localized site offline; `make test` runs the whole test suite offline.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
L10N   := $(BIN)/l10n

.PHONY: all site extract update translate build check stats serve test system-deps bench clean

all: site

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "error: Python 3.11 or newer is needed (PYTHON=$(PYTHON))")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[test]'
	@touch $(STAMP)

site: $(STAMP)
	$(L10N) extract
	$(L10N) update
	$(L10N) translate
	@if [ -x /usr/bin/chromium ]; then echo "$(L10N) build --browser"; $(L10N) build --browser; \
	else echo "$(L10N) build"; $(L10N) build; fi
	@if [ -x /usr/bin/chromium ]; then echo "$(L10N) check --browser"; $(L10N) check --browser; \
	else echo "browser check skipped: /usr/bin/chromium is not installed (sudo apt-get install -y chromium fonts-noto-cjk fonts-thai-tlwg fonts-noto-core)" >&2; \
	echo "$(L10N) check"; $(L10N) check; fi

extract update build check stats: $(STAMP)
	$(L10N) $@

# make translate PROVIDER=libre PROVIDER_URL=http://127.0.0.1:5000/ LOCALES="ko ja"
translate: $(STAMP)
	$(L10N) translate $(if $(PROVIDER),--provider $(PROVIDER)) $(if $(PROVIDER_URL),--provider-url $(PROVIDER_URL)) $(foreach l,$(LOCALES),--locale $(l))

serve: $(STAMP)
	$(L10N) serve

system-deps:
	@sh .ci/system-deps

# pytest-xdist: a process per core (at most 4), each test module whole in one process (--dist
# loadscope), so that a site a module builds once for its tests is built once.
test: $(STAMP) system-deps
	@$(BIN)/python -m pytest -q -p no:cacheprovider -n auto --maxprocesses 4 --dist loadscope; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "error: pytest collected no tests (exit code 5): the suite is missing or misconfigured" >&2; exit 1; fi; \
	exit $$rc

# Every stage on generated sites of 100 and 1,000 pages (BENCH_PAGES=300 for others), beside
# GNU msgmerge / msgfmt -c and pybabel compile on the same files; then the translate rerun; then
# check --browser on 1,000 pages x 9 languages: cold, rerun, one page changed (BENCH_BROWSER_PAGES=10
# for a small run; L10N_JOBS is passed through).
bench: $(STAMP)
	$(BIN)/python bench/run.py $(if $(BENCH_PAGES),--pages $(BENCH_PAGES))
	@if [ -f bench/bench_translate.py ]; then echo "$(BIN)/python bench/bench_translate.py"; $(BIN)/python bench/bench_translate.py; fi
	@if [ -f bench/bench_browser.py ]; then echo "$(BIN)/python bench/bench_browser.py"; $(BIN)/python bench/bench_browser.py; fi
	$(BIN)/python bench/bench_browser_scale.py $(if $(BENCH_BROWSER_PAGES),--pages $(BENCH_BROWSER_PAGES))

clean:
	rm -rf output .cache locales/*/LC_MESSAGES/*.mo
