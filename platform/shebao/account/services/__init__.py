"""The account rules, one module per responsibility.

``login`` (login and lockout), ``registration``, ``recovery`` (forgotten passwords) and
``settings`` (the logged-in person's account settings), on top of ``lookup`` (who an ID
number is, in one city), ``lockout`` (failure counts) and ``passwords`` (the policy).

Service functions take the city explicitly, filter by it, and never touch ``request`` or
``session``; they never commit or roll back either. The view ends the unit of work: a
refusal (``AccountError``) rolls it back, except a ``FailedAttempt``, whose count and audit
row are committed before the refusal is shown.
"""
