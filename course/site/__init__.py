"""The course website: ``make site`` builds it into ``build/site/``, ``make test-site`` checks it.

:mod:`course.site.execute` runs the notebooks the site shows, :mod:`course.site.render` turns Markdown
(math as MathML) and notebooks into HTML, :mod:`course.site.build` writes the pages.
"""
