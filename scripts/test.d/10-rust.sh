#!/usr/bin/env bash
# The Rust workspace: unit, integration and doc tests.
set -euo pipefail
cargo test --workspace --all-targets --quiet 2>&1
cargo test --workspace --doc --quiet 2>&1
