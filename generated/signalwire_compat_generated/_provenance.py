"""Where this package came from. Written by scripts/pipeline/generate.py; do not edit."""

GENERATOR = "openapi-python-client"
GENERATOR_VERSION = "0.29.1"
SPEC_SHA256 = "292e83aefef230b581beda9374244a1a457183c6f20ed1bbbbbed5a4b749b50f"
SPEC_FILE = "openapi.merged.yaml"
