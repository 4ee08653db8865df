# The filter compiler's differential driver (compat-tests/suites/30-filters.sh) and its benchmark.
compat-tests-build: build/test/filter-diff

build/test/filter-diff: compat-tests/filters/filter-diff.c
	@mkdir -p build/test
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $< -ldl

compat-tests-build: build/test/compile-threads
build/test/compile-threads: compat-tests/filters/compile-threads.c
	@mkdir -p build/test
	$(CC) -O2 -Wall -Wextra -Werror -o $@ $< -ldl -lpthread
