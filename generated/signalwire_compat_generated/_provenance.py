"""Where this package came from. Written by scripts/pipeline/generate.py; do not edit."""

GENERATOR = "openapi-python-client"
GENERATOR_VERSION = "0.29.1"
SPEC_SHA256 = "9c8e9e7d42657fc245b1593317dfdce7693459ace4946d8633d83920c1d740a9"
SPEC_FILE = "openapi.merged.yaml"
