"""Speed and size benchmarks for Briefing Cards: run them with `make bench` (see benchmarks/README.md)."""
