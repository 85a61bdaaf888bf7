"""The test suite, a package so that its support modules (tests.support, tests.browser, ...)
are imported by one name from the tests and from benchmarks/ (`python -m benchmarks.NAME`)."""
