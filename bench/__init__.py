"""The benchmark of issue 7: `make bench SCALE=N` fills a separate PostgreSQL database with a
year of generated data at N trainees and measures the app against its floors.

Run it as `python -m bench.run --scale 1500`; `docs/performance.md` holds the results.
"""
