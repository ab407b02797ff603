"""The lowest layer: process settings, Flask extensions, column types, i18n, time and money.

Nothing here knows a city, a person or a feature.
"""
