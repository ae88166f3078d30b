"""The course website: execute (the notebooks it shows), render (Markdown, MathML, notebooks), build (pages)."""
