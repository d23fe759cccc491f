# One command to run the app, one to run the tests; each installs what it needs first.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test ask index bench test-deps bundle-index clean

$(VENV)/.app: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.test: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q -e '.[test]'
	touch $(VENV)/.app $@

## run: install, then start the Streamlit app on the bundled corpus. A committed index that matches the
## corpus is used at once; otherwise it is built in the background while the page is already usable.
run: $(VENV)/.app
	$(PY) -m streamlit run app_streamlit.py --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

## bundle-index: build the bundled corpus's index from scratch in index/ (to commit it, see README)
bundle-index: $(VENV)/.app
	$(PY) -m assistant index --rebuild --index-dir index
	@echo "À committer : git add -f index/CURRENT index/$$(cat index/CURRENT)"

## test: install (with Chromium and LibreOffice Impress from Debian for the browser and deck tests), then run the whole suite
test: $(VENV)/.test test-deps
	$(PY) -m pytest -q

test-deps:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null || ! command -v libreoffice >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null \
	    && apt-get install -y -qq --no-install-recommends libreoffice-impress >/dev/null; \
	  else echo "Chromium ou LibreOffice absent : les tests navigateur et diaporama seront ignorés (sudo apt-get install chromium chromium-driver libreoffice-impress)"; fi; \
	fi

## bench: speed, memory and quality side by side with a BM25 baseline
bench: $(VENV)/.app
	$(PY) -m assistant bench

clean:
	rm -rf $(VENV) index/CURRENT index/v-* index/.lock
