# Two commands do everything on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint perf screenshots clean dist dist-test

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/sijill

test: $(STAMP)
	$(BIN)/lint-imports
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

perf: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.perf.timeline
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.perf.window
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.perf.exchange
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m tests.perf.counts
	$(BIN)/python -m tests.perf.changelog 100000 --runs 3
	$(BIN)/python -m tests.perf.merge

# The README's pictures, from a fresh copy of the demo project (the user's files are not touched).
SHOTS := docs/screenshots
DEMO := build/screenshots/demo.sijill
screenshots: $(STAMP)
	mkdir -p $(SHOTS) build/screenshots
	rm -f $(DEMO)
	$(BIN)/sijill init $(DEMO) --demo
	QT_QPA_PLATFORM=offscreen $(BIN)/sijill screenshot $(DEMO) $(SHOTS)/main.png --size 1600x1000
	QT_QPA_PLATFORM=offscreen $(BIN)/sijill screenshot $(DEMO) $(SHOTS)/main-1280x720.png --size 1280x720
	QT_QPA_PLATFORM=offscreen $(BIN)/sijill screenshot $(DEMO) $(SHOTS)/main-dark.png --size 1600x1000 --theme dark
	QT_QPA_PLATFORM=offscreen $(BIN)/sijill screenshot $(DEMO) $(SHOTS)/timeline-all.png --timeline --size 1600x900
	QT_QPA_PLATFORM=offscreen $(BIN)/sijill screenshot $(DEMO) $(SHOTS)/timeline-2023-2024.png \
		--from 2023-10-01 --to 2024-02-29 --size 1600x900
	QT_QPA_PLATFORM=offscreen $(BIN)/sijill screenshot $(DEMO) $(SHOTS)/reader.png --reader \
		--from 2023-10-01 --to 2024-02-29 --size 1600x1000
	QT_QPA_PLATFORM=offscreen $(BIN)/sijill screenshot $(DEMO) $(SHOTS)/map-2023-2024.png --map \
		--from 2023-10-01 --to 2024-02-29 --size 1400x1000
	QT_QPA_PLATFORM=offscreen $(BIN)/sijill screenshot $(DEMO) $(SHOTS)/counts-2023-2024.png --counts --by week \
		--from 2023-10-01 --to 2024-02-29 --size 1400x450
	rm -f $(DEMO)

# The offline bundle (build.spec): dist/sijill/, a folder that runs without Python or pip, and the same
# as dist/sijill-VERSION-linux-ARCH.tar.gz to carry to an air-gapped machine. README: "Offline install".
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml)
DIST_STAMP := $(VENV)/.installed-dist
$(DIST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,dist]'
	touch $(DIST_STAMP)

dist: $(DIST_STAMP)
	rm -rf dist/sijill dist/sijill-*.tar.gz
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --workpath build/pyinstaller --distpath dist build.spec
	tar -C dist -czf dist/sijill-$(VERSION)-linux-$(shell uname -m).tar.gz sijill

dist-test: dist
	dist/sijill/sijill --help > /dev/null
	dist/sijill/sijill --self-test

clean:
	rm -rf $(VENV) build dist *.egg-info
