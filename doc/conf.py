# SPDX-License-Identifier: GPL-2.0-only
#
# Sphinx configuration for the quic-migration module documentation.
# Build (warnings are errors):  sphinx-build -W -b html doc build/doc   (or: make doc)
#
# quic-migration.rst is written as a chapter of ns-3's model library; index.rst
# makes it a stand-alone document, and replace.txt carries the substitutions
# that ns-3's doc/models/source/replace.txt would provide in an ns-3 tree.

project = "quic-migration"
author = "quic-migration developers"
copyright = "quic-migration developers, GPL-2.0-only"
version = "0.1"
release = "0.1.0"

extensions = []
root_doc = "index"
source_suffix = ".rst"
# replace.txt is included by quic-migration.rst, not a document of its own.
exclude_patterns = ["replace.txt", "_build"]
highlight_language = "cpp"
pygments_style = "sphinx"

html_theme = "alabaster"
html_title = "quic-migration"
html_static_path = []
