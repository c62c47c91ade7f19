"""Where this package came from. Written by scripts/generate.py; do not edit."""

GENERATOR = "openapi-python-client"
GENERATOR_VERSION = "0.29.1"
SPEC_SHA256 = "734300879a7f88b280c154f05e28367bb9f980385c3234440d9792118f0b6d71"
SPEC_FILE = "openapi.merged.yaml"
