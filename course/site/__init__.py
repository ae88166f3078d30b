"""The course website: ``make site`` builds it into ``build/site/``, ``make test-site`` checks it.

* :mod:`course.site.render`: Markdown with ``$...$`` / ``$$...$$`` math to HTML (the math becomes
  MathML at build time, so pages need no script and no network), and a notebook to HTML.
* :mod:`course.site.execute`: the executed notebooks the site shows (from ``make course``, else a
  quick-profile run of its own).
* :mod:`course.site.build`: the course map read from the notebooks, lessons and README, and every page.
* :mod:`course.site.browser`: a small DevTools-protocol client of headless Chromium, for the tests.
"""
