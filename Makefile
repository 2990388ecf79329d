# Every target does its own set-up on a fresh machine: a virtual environment in .venv,
# the Python dependencies, and the Debian packages the tests need.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
APT_PKGS := ffmpeg nginx libnginx-mod-rtmp chromium chromium-driver
DATA_DIR ?= ./childsafe-data

.PHONY: run test bench eval eval-matching setup apt clean

# Rebuilt when a compiled part changes too (a stale build would leave the new functions out).
$(STAMP): pyproject.toml setup.py $(wildcard childsafe/*/*.c childsafe/*/*.h)
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,bench,eval]'
	@touch $(STAMP)

setup: $(STAMP) apt

apt:
	@missing=""; for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

run: setup
	$(BIN)/childsafe serve --data-dir $(DATA_DIR)

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python -m bench

eval: setup
	$(BIN)/python -m eval.conversations

eval-matching: setup
	$(BIN)/python -m eval.matching

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
