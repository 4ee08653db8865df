# Test programs built by `make`: each area's .mk adds `compat-tests-build: build/test/...`.
.PHONY: compat-tests-build
compat-tests-build:
