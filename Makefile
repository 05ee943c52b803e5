# Briefing Cards — `make run` sets everything up and opens the app; `make test` runs the tests.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
QT_DEBS := libgl1 libegl1 libxkbcommon0 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3
X_DEBS := libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 xvfb xauth xdotool
TOOL_DEBS := poppler-utils fonts-dejavu-core imagemagick
# The desktop-search peer the benchmarks measure beside the app (benchmarks/bench_recoll.py).
BENCH_DEBS := recoll python3-recoll valgrind

.PHONY: run test lint typecheck debs venv lock screenshot bench clean

$(STAMP): requirements.lock
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation --no-index -e .
	touch $(STAMP)

venv: $(STAMP)

# Installs the Debian packages given ($(1)) that are missing, through apt.
define apt_install
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

# Installs the Debian libraries Qt (and the test tools) need, only when some are missing.
debs:
	$(call apt_install,$(QT_DEBS) $(X_DEBS) $(TOOL_DEBS))

run: debs venv
	@if [ -z "$$DISPLAY" ] && [ -z "$$WAYLAND_DISPLAY" ] && [ -z "$$QT_QPA_PLATFORM" ]; then \
	  echo "No display found: starting the app under Xvfb (xvfb-run)."; \
	  xvfb-run -a -s "-screen 0 1600x1000x24" $(BIN)/python main.py; \
	else $(BIN)/python main.py; fi

test: debs venv
	$(BIN)/ruff check .
	$(BIN)/mypy
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider

# Runs the real app under Xvfb, types a search with xdotool, saves screenshots/search.png and article.png.
screenshot: debs venv
	scripts/screenshot.sh

# Speed and size benchmarks beside their baselines (Recoll among them, installed when missing);
# rewrites benchmarks/RESULTS.md (takes a while).
bench: debs venv
	$(call apt_install,$(BENCH_DEBS))
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks.run_all

# Regenerates the hashed lock file from requirements.in (needs uv: pip install uv).
lock:
	uv pip compile requirements.in --generate-hashes --python-version 3.11 --index-url https://pypi.org/simple -o requirements.lock

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
