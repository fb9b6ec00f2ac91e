"""Ready demo schemas: SQLAlchemy models that fill with believable rows and no configuration.

* :mod:`syda.demos.dev_app`: the four ``fake_*`` tables of a web application's development
  database (users, products, orders, analytics events), for ``syda seed syda.demos.dev_app``.
"""
