"""Labelled conversations and the measures behind `make eval` (see docs/evaluation.md)."""
