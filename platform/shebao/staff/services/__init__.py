"""The staff console's rules, one module per responsibility: ``members`` (accounts, enrolment,
login), ``work`` (the reviewers' queues), ``help`` (resident help), ``certificates``,
``money`` (refunds, reconciliation), ``announcements`` and ``auditing`` (the audit log).

Like every service here they take the city explicitly, filter by it, never touch ``request``
or ``session`` and never commit: the view or command ends the unit of work. A refusal is a
``StaffError``.
"""
