"""The resident's messages (消息中心): events that concern a person, kept to be read later.

Below both the account and the feature modules (layer ``people | audit | messages``), so that
either can post: ``services.post_message(city, person_id, kind, …)``. A message stores its
kind and parameters, never a sentence: ``kinds.py`` holds the texts, rendered in the reader's
language when the page is shown. The pages are the ``messages`` feature module's.
"""
