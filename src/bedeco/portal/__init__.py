"""The public portal: what anyone sees of Benelux defence cooperation without signing in.

Recital V says the visibility of the cooperation is too limited; request 16
asks to invest in visibility to the public and to partners. The portal is
that public face:

- pages under ``/{lang}/`` (nl, fr, de, en): a home page, the resolution
  tracker (each request with its status, history and evidence beside its
  text), initiatives, instruments with their citation graph, a timeline and
  a search; ``/`` redirects to the reader's language;
- open data: every public list as CSV and JSON with a documented schema and
  the CC BY 4.0 licence, an Atom feed of status changes, ``/sitemap.xml``;
- a printable progress report of a resolution, also as a PDF drawn on the
  server (WeasyPrint) with its charts.

It reads the register through ``bedeco.register.service`` only, always as the
anonymous principal, so it can show nothing but PUBLIC records. Responses
carry an ``ETag`` and ``Last-Modified`` and answer 304 to conditional
requests; rendered pages are cached per URL and keyed by the register's
change stamp (``register.service.change_stamp``).
"""
