"""Accounts: inviting members' focal points, password reset by email (Django's machinery, our
pages and mail, sent by the worker through leadit.mail)."""
