"""`make bench`: what signalwire_compat costs per call, next to raw httpx, aiohttp, the stdlib and twilio-python.

Run it as ``python -m scripts.bench`` from the repository root (``make bench`` does); ``cli`` says how.
"""
