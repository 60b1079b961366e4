"""Examples without Sphinx: the model, the one grouping, transcripts and their runner, reports."""
