"""``make demo`` (``python -m scripts.demo``): a media stream's whole life on a local fake space."""
