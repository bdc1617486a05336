"""Each unit's pre-filled workbook for its next report (issue #19).

``build_templates(warehouse)`` writes ``reports/templates/<period>/<unit_code>.xlsx`` for every unit that owes a
persons list, for the period after the latest list received: the people of the unit's last accepted list in its
own order, coded columns as drop-downs, a guide, and a hidden signed sheet by which the loader recognises the file
when it comes back (``ingest.template_returns``). ``python -m publish.templates <unit_code> [--period P]`` builds
one on demand. The API is imported from ``publish.templates.build`` (this package's ``__init__`` stays light: the
quality page and the privacy scan import its ``paths``).
"""
