"""The project's tooling, run from the repository root with ``python -m`` (the Makefile's targets do).

- ``pipeline/``: from the OpenAPI specs to ``generated/`` and the overlay's derived modules, and the checks
  of both (merge, generate, change report, derived modules, unasync, overlay fit, add-operation,
  update-upstream);
- ``demo/``: ``make demo``, a media stream's whole life on a local FakeSpace (``python -m scripts.demo``);
- ``bench/``: ``make bench`` (``python -m scripts.bench``);
- ``vendor.py``: ``make vendor``, standard library only (``python3 -m scripts.vendor DEST``);
- ``loopback_app.py`` (an aiohttp app on 127.0.0.1: the demo's app, the bench's and the tests' receivers) and
  ``runtime_env.py`` (a venv holding the runtime dependencies only: the bench's and the vendoring tests'):
  shared by several of the above and the tests.

Not installed: the repository root on ``sys.path`` (``python -m`` from it, pytest's ``pythonpath``) finds it.
"""
