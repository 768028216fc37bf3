// cmark-gfm and its GFM extensions (Debian: libcmark-gfm-dev, libcmark-gfm-extensions-dev).
// Only Notebook/Load/Markdown.swift imports this.
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
