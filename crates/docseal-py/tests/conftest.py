"""Shared fixtures: the repository's corpus."""

import pathlib

import pytest

REPO = pathlib.Path(__file__).resolve().parents[3]
CORPUS = REPO / "corpus"
FIXTURES = CORPUS / "fetched" / "msoffcrypto-tool"


@pytest.fixture
def fixtures() -> pathlib.Path:
    """msoffcrypto-tool's own test inputs and their known plain outputs."""
    return FIXTURES
