# `make demo` and `make test` do all the set-up on a fresh Debian/Ubuntu machine:
# missing system packages via apt-get, then .venv from requirements.lock.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
XVFB := xvfb-run -a -s "-screen 0 1920x1080x24"

# Qt (xcb + QtWebEngine), libVLC with a video output, ffmpeg for demo clips,
# Xvfb for headless runs, poppler for PDF checks, fonts with Vietnamese glyphs.
APT_PACKAGES := python3-venv xvfb xauth \
	libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 \
	libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 libegl1 libgl1 libnss3 libasound2 \
	libxcomposite1 libxdamage1 libxrandr2 libxtst6 libxkbfile1 libxshmfence1 libgbm1 \
	libdbus-1-3 libfontconfig1 \
	libvlc5 vlc-plugin-base vlc-plugin-video-output ffmpeg poppler-utils \
	pulseaudio pulseaudio-utils mosquitto \
	fonts-dejavu-core fonts-noto-core \
	gstreamer1.0-rtsp gir1.2-gst-rtsp-server-1.0 python3-gi gstreamer1.0-plugins-ugly \
	libpipewire-0.3-0

.PHONY: setup system-packages demo demo-wall test lint lock translations clean

TS := $(wildcard resources/translations/*.ts)
QM := $(TS:.ts=.qm)

setup: system-packages $(VENV)/.installed $(QM)

system-packages:
	@missing=$$(for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:" $$missing; \
		if [ "$$(id -u)" = 0 ]; then sudo=""; \
		elif command -v sudo >/dev/null; then sudo="sudo"; \
		else echo "Run as root: apt-get install" $$missing; exit 1; fi; \
		$$sudo apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	fi

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.lock
	$(PY) -m pip install -q --no-deps -e .
	touch $@

# The .qm files are committed (a wheel built from a clean clone ships them; a test checks
# they match the .ts): rebuilt when a .ts changes, not when the venv does.
resources/translations/%.qm: resources/translations/%.ts | $(VENV)/.installed
	$(VENV)/bin/pyside6-lrelease -silent $< -qm $@

# Refresh the .ts files from the sources after changing user-visible text.
translations: $(VENV)/.installed
	$(VENV)/bin/pyside6-lupdate -no-obsolete \
		$$(git ls-files 'ioc_console/*.py' 'console/*.py' 'widgets/*.py') \
		-ts $(TS)

demo: setup
	@if [ -n "$$DISPLAY" ] || [ -n "$$WAYLAND_DISPLAY" ]; then $(PY) -m ioc_console --demo; \
	else echo "No display: running under Xvfb"; $(XVFB) $(PY) -m ioc_console --demo; fi

# A wall of several PCs on one machine: mosquitto, a controller and two wall nodes.
demo-wall: setup
	@if [ -n "$$DISPLAY" ] || [ -n "$$WAYLAND_DISPLAY" ]; then $(PY) -m ioc_console demo-wall; \
	else echo "No display: running under Xvfb"; $(XVFB) $(PY) -m ioc_console demo-wall; fi

test: setup
	$(XVFB) $(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# Re-resolve the pinned dependencies after editing pyproject.toml.
lock: $(VENV)/.installed
	$(VENV)/bin/pip-compile -q --extra dev --strip-extras --no-emit-index-url \
		--no-emit-find-links -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
