"""The support app's pages, one module per part of the chain."""
