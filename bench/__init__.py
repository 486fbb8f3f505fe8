"""Benchmarks run by hand (not by the test suite): `python -m bench.<name> --help`."""
