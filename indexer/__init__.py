"""Corpus folder to documents: format readers, cleaner, metadata, speakers and mentions,
passages, copies, and the build that writes them through an engine."""
